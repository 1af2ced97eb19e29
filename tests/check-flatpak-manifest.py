#!/usr/bin/env python3
# No Flatpak can be built on our machines (no GNOME runtime), so the manifests are checked here:
# they parse, name the right app, runtime and command, ask only for the permissions we need, and
# build the app from this tree with its tests.
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1])
allowed_args = {
    '--share=network', '--share=ipc', '--socket=wayland', '--socket=fallback-x11', '--device=dri',
    '--env=GDK_PIXBUF_MODULE_FILE=/app/lib/webp-pixbuf-loader/loaders.cache',
}
required_args = allowed_args
errors = []

def check(name, app_id, devel):
    path = root / 'flatpak' / name
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        errors.append(f'{name}: does not parse: {e}')
        return
    def expect(key, value):
        if manifest.get(key) != value:
            errors.append(f'{name}: {key} is {manifest.get(key)!r}, expected {value!r}')
    expect('app-id', app_id)
    expect('runtime', 'org.gnome.Platform')
    expect('sdk', 'org.gnome.Sdk')
    expect('command', 'inpainter')
    if not str(manifest.get('runtime-version', '')).isdigit():
        errors.append(f'{name}: runtime-version should be a stable GNOME release number')
    args = set(manifest.get('finish-args', []))
    for arg in sorted(args - allowed_args):
        errors.append(f'{name}: finish-arg {arg} is more than the app needs')
    for arg in sorted(required_args - args):
        errors.append(f'{name}: finish-arg {arg} is missing')
    for arg in args:
        if arg.startswith('--filesystem'):
            errors.append(f'{name}: {arg}: file access goes through portals')
    modules = manifest.get('modules', [])
    if not modules or not isinstance(modules[-1], dict):
        errors.append(f'{name}: the app must be the last module')
        return
    names = [m.get('name') for m in modules if isinstance(m, dict)]
    if 'webp-pixbuf-loader' not in names:
        errors.append(f'{name}: the GNOME runtime has no webp loader; FLUX outputs need one')
    app = modules[-1]
    if app.get('name') != 'inpainter' or app.get('buildsystem') != 'meson':
        errors.append(f'{name}: the last module must build inpainter with meson')
    if app.get('run-tests') is not True:
        errors.append(f'{name}: the app module must run its tests')
    if app.get('sources') != [{'type': 'dir', 'path': '..'}]:
        errors.append(f'{name}: the app must be built from this tree')
    has_devel_opt = '-Ddevelopment=true' in app.get('config-opts', [])
    if has_devel_opt != devel:
        errors.append(f'{name}: -Ddevelopment=true must be set exactly in the .Devel manifest')

check('io.github.inpainter.Inpainter.json', 'io.github.inpainter.Inpainter', False)
check('io.github.inpainter.Inpainter.Devel.json', 'io.github.inpainter.Inpainter.Devel', True)
for e in errors:
    print(e)
print('flatpak manifests:', 'FAILED' if errors else 'ok')
sys.exit(1 if errors else 0)
