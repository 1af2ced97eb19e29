#!/usr/bin/env python3
# No Flatpak can be built on our machines (no GNOME runtime), so the manifests are checked here:
# they parse, name the right app, runtime and command, ask only for the permissions we need, and
# build the app from this tree with the tests that can run in the build sandbox.
import json
import pathlib
import re
import shlex
import sys

root = pathlib.Path(sys.argv[1])

# Network for the API, IPC and a display (Wayland, X11 only where there is no Wayland), and the
# GPU. Files come through the file chooser and document portals, the token through the Secret
# portal: no --filesystem, no --talk-name.
required_args = {
    '--share=network', '--share=ipc', '--socket=wayland', '--socket=fallback-x11', '--device=dri',
}
# Not a permission: where the webp loader's cache lies.
allowed_args = required_args | {
    '--env=GDK_PIXBUF_MODULE_FILE=/app/lib/webp-pixbuf-loader/loaders.cache',
}
# The runtime gained codecs-extra (H.264 for mp4 results) in GNOME 49; before it the app would
# have to add an ffmpeg extension itself.
min_runtime_version = 49
# Local build trees the dir source must not copy into the build.
skipped_dirs = {'_build', '_build-sanitize'}
# The build sandbox has no display, so only these suites run there; the GUI suite needs one.
sandbox_suites = {'core', 'data'}
errors = []

suites_in_build = set(re.findall(r"suite:\s*'([^']+)'",
                                 (root / 'tests' / 'meson.build').read_text()))


def check_tests(name, app):
    if app.get('run-tests') is not True:
        errors.append(f'{name}: the app module must run its tests ("run-tests": true)')
    if app.get('test-rule') != '':
        errors.append(f'{name}: "test-rule" must be "" so that `ninja test` does not run the GUI '
                      'tests without a display')
    suites = set()
    for command in app.get('test-commands', []):
        args = shlex.split(command)
        if args[:2] != ['meson', 'test']:
            continue
        for i, arg in enumerate(args):
            if arg == '--suite' and i + 1 < len(args):
                suites.add(args[i + 1])
            elif arg.startswith('--suite='):
                suites.add(arg.split('=', 1)[1])
    if not suites:
        errors.append(f'{name}: "test-commands" must run `meson test --suite …`')
    for suite in sorted(suites - suites_in_build):
        errors.append(f'{name}: tests/meson.build has no suite {suite!r}')
    for suite in sorted(sandbox_suites - suites):
        errors.append(f'{name}: the {suite!r} suite must run in the build')
    for suite in sorted(suites - sandbox_suites):
        errors.append(f'{name}: the {suite!r} suite needs a display the build sandbox lacks')


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
    version = str(manifest.get('runtime-version', ''))
    if not version.isdigit():
        errors.append(f'{name}: runtime-version should be a stable GNOME release number')
    elif int(version) < min_runtime_version:
        errors.append(f'{name}: GNOME {version} has no codecs-extra for mp4 results; '
                      f'use {min_runtime_version} or later')
    for extension in manifest.get('add-extensions', {}):
        if 'ffmpeg' in extension or 'openh264' in extension or 'codecs' in extension:
            errors.append(f'{name}: {extension}: the runtime brings its codecs itself')

    args = manifest.get('finish-args', [])
    for arg in sorted(set(args) - allowed_args):
        if arg.startswith('--filesystem'):
            errors.append(f'{name}: {arg}: file access goes through the portals')
        elif arg.startswith('--talk-name') or arg.startswith('--own-name'):
            errors.append(f'{name}: {arg}: the token goes through the Secret portal')
        else:
            errors.append(f'{name}: finish-arg {arg} is more than the app needs')
    for arg in sorted(required_args - set(args)):
        errors.append(f'{name}: finish-arg {arg} is missing')

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
    check_tests(name, app)
    sources = app.get('sources', [])
    if (len(sources) != 1 or sources[0].get('type') != 'dir' or sources[0].get('path') != '..'):
        errors.append(f'{name}: the app must be built from this tree')
    elif not skipped_dirs <= set(sources[0].get('skip', [])):
        errors.append(f'{name}: the dir source must skip {", ".join(sorted(skipped_dirs))}')
    has_devel_opt = '-Ddevelopment=true' in app.get('config-opts', [])
    if has_devel_opt != devel:
        errors.append(f'{name}: -Ddevelopment=true must be set exactly in the .Devel manifest')


check('io.github.inpainter.Inpainter.json', 'io.github.inpainter.Inpainter', False)
check('io.github.inpainter.Inpainter.Devel.json', 'io.github.inpainter.Inpainter.Devel', True)
for e in errors:
    print(e)
print('flatpak manifests:', 'FAILED' if errors else 'ok')
sys.exit(1 if errors else 0)
