#!/usr/bin/env python3
# Fails when a source, .ui or data file with translatable strings is missing from po/POTFILES.in,
# or when POTFILES.in names a file that does not exist.
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
listed = set()
for line in (root / 'po' / 'POTFILES.in').read_text().splitlines():
    line = line.strip()
    if line and not line.startswith('#'):
        listed.add(line)

c_marker = re.compile(r'(?<![A-Za-z0-9_])(_|N_|C_|NC_|ngettext|g_dngettext|g_dpgettext2)\s*\(\s*["A-Za-z]')
ui_marker = re.compile(r'translatable="yes"')
data_suffixes = ('.desktop.in.in', '.metainfo.xml.in.in', '.gschema.xml.in')

needed = set()
for path in sorted((root / 'src').rglob('*')) + sorted((root / 'data').rglob('*')):
    if not path.is_file():
        continue
    rel = path.relative_to(root).as_posix()
    text = path.read_text(errors='replace')
    if path.suffix in ('.c', '.h') and c_marker.search(text):
        needed.add(rel)
    elif path.suffix == '.ui' and ui_marker.search(text):
        needed.add(rel)
    elif rel.endswith(data_suffixes):
        needed.add(rel)
    elif path.suffix == '.json' and '"_' in text:
        # JSON data files mark translatable keys with a leading underscore ("_title").
        needed.add(rel)

missing = sorted(needed - listed)
stale = sorted(p for p in listed if not (root / p).is_file())
for p in missing:
    print(f'not in po/POTFILES.in but has translatable strings: {p}')
for p in stale:
    print(f'listed in po/POTFILES.in but does not exist: {p}')
print(f'{len(needed)} files with translatable strings, {len(listed)} listed')
sys.exit(1 if missing or stale else 0)
