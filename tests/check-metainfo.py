#!/usr/bin/env python3
# The built metainfo passes `appstreamcli validate --strict`, and says what software centres show:
# the keywords people search for, screenshots that exist in this tree at the size they claim, a
# translated caption for each, and release notes for the version being built.
#
#   check-metainfo.py METAINFO SOURCE-ROOT VERSION
import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

metainfo, root, version = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
errors = []

# AppStream 0.16 (Debian 12) predates <developer>, which AppStream 1.0 and Flathub ask for.
tolerated = {('unknown-tag', 'developer')}
run = subprocess.run(['appstreamcli', 'validate', '--no-net', '--strict', '--explain',
                      str(metainfo)], capture_output=True, text=True)
issues = re.findall(r'^([EWI]): [^:\s]+:(?:\d+:)? (\S+)(?: (.*))?$', run.stdout, re.MULTILINE)
unexpected = [i for i in issues if (i[1], i[2]) not in tolerated]
if unexpected or (run.returncode != 0 and not issues):
    errors.append('appstreamcli validate --strict:\n' + run.stdout + run.stderr)

XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'
raw_base = 'https://raw.githubusercontent.com/inpainter/inpainter/main/'
component = ET.parse(metainfo).getroot()

keywords = {k.text for k in component.findall('keywords/keyword') if k.get(XML_LANG) is None}
for keyword in ('inpainting', 'stable diffusion', 'flux', 'mask', 'AI'):
    if keyword not in keywords:
        errors.append(f'keyword {keyword!r} is missing')


def png_size(path):
    header = path.read_bytes()[:24]
    if header[:8] != b'\x89PNG\r\n\x1a\n':
        return None
    return int.from_bytes(header[16:20], 'big'), int.from_bytes(header[20:24], 'big')


screenshots = component.findall('screenshots/screenshot')
if not screenshots:
    errors.append('no screenshots')
if [s.get('type') for s in screenshots].count('default') != 1:
    errors.append('exactly one screenshot must be the default')
for number, screenshot in enumerate(screenshots, 1):
    captions = screenshot.findall('caption')
    if not any(c.get(XML_LANG) is None for c in captions):
        errors.append(f'screenshot {number} has no caption')
    if not any(c.get(XML_LANG) == 'zh_CN' for c in captions):
        errors.append(f'screenshot {number}: its caption lacks a zh_CN translation')
    languages = set()
    for image in screenshot.findall('image'):
        url = (image.text or '').strip()
        languages.add(image.get(XML_LANG))
        if not url.startswith(raw_base):
            errors.append(f'{url}: not a file of this repository ({raw_base}…)')
            continue
        path = root / url[len(raw_base):]
        if not path.is_file():
            errors.append(f'{url}: {path} does not exist (tools/screenshots takes them)')
            continue
        size = png_size(path)
        claimed = (int(image.get('width', 0)), int(image.get('height', 0)))
        if size != claimed:
            errors.append(f'{path}: {size} is not the {claimed} the metainfo claims')
        if path.stat().st_size > 400 * 1024:
            errors.append(f'{path}: larger than 400 KB; run optipng')
    if languages != {None, 'zh_CN'}:
        errors.append(f'screenshot {number}: wants one English and one zh_CN image')

releases = [r.get('version') for r in component.findall('releases/release')]
if version not in releases:
    errors.append(f'no release notes for {version}, the version being built')
elif not component.findall(f"releases/release[@version='{version}']/description"):
    errors.append(f'release {version} has no description')

for e in errors:
    print(f'{metainfo.name}: {e}')
print('metainfo:', 'FAILED' if errors else 'ok')
sys.exit(1 if errors else 0)
