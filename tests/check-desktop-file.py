#!/usr/bin/env python3
# What desktop-file-validate cannot know: that the built desktop file offers Inpainter for the
# pictures it opens, that its "New from Clipboard" action starts the app with an option the app
# really has, and that both reach the translators' languages.
#
#   check-desktop-file.py DESKTOP-FILE INPAINTER-BINARY
import configparser
import os
import shlex
import subprocess
import sys

desktop_path, binary = sys.argv[1], sys.argv[2]
errors = []

desktop = configparser.ConfigParser(interpolation=None)
desktop.optionxform = str
desktop.read(desktop_path, encoding='utf-8')

def entries(value):
    return [v for v in value.split(';') if v]

main = desktop['Desktop Entry'] if desktop.has_section('Desktop Entry') else {}
mime_types = entries(main.get('MimeType', ''))
for mime_type in ('image/png', 'image/jpeg', 'image/webp'):
    if mime_type not in mime_types:
        errors.append(f'MimeType lacks {mime_type}')
exec_args = shlex.split(main.get('Exec', ''))
if not exec_args or exec_args[0] != 'inpainter' or not {'%F', '%U', '%f', '%u'} & set(exec_args):
    errors.append(f'Exec {main.get("Exec")!r} does not pass the files to open to inpainter')

action = 'new-from-clipboard'
group = f'Desktop Action {action}'
if action not in entries(main.get('Actions', '')):
    errors.append(f'Actions lacks {action}')
if not desktop.has_section(group):
    errors.append(f'[{group}] is missing')
else:
    if 'Name' not in desktop[group]:
        errors.append(f'[{group}] has no Name')
    for lang in ('zh_CN',):
        if f'Name[{lang}]' not in desktop[group]:
            errors.append(f'[{group}] has no Name[{lang}]: translate it in po/{lang}.po')
    action_args = shlex.split(desktop[group].get('Exec', ''))
    if action_args[:1] != ['inpainter'] or len(action_args) != 2:
        errors.append(f'[{group}] Exec should be "inpainter --OPTION"')
    else:
        # The option must be one the app accepts: its --help lists its options.
        help_text = subprocess.run([binary, '--help'], capture_output=True, text=True,
                                   env={**os.environ, 'LANGUAGE': '', 'LANG': 'C.UTF-8'}).stdout
        if action_args[1] not in help_text.split():
            errors.append(f'[{group}] runs "{" ".join(action_args)}", '
                          f'but inpainter --help lists no {action_args[1]}')

for e in errors:
    print(f'{desktop_path}: {e}')
print('desktop file:', 'FAILED' if errors else 'ok')
sys.exit(1 if errors else 0)
