#!/usr/bin/env python3
# Fails when a language in po/LINGUAS lacks a translation of any string the sources hold now,
# has fuzzy or untranslated entries, or does not pass `msgfmt --check`.
import os
import pathlib
import subprocess
import sys
import tempfile

root = pathlib.Path(sys.argv[1])
po_dir = root / 'po'
languages = [l.strip() for l in (po_dir / 'LINGUAS').read_text().splitlines()
             if l.strip() and not l.startswith('#')]

keywords = ['_', 'N_', 'C_:1c,2', 'NC_:1c,2', 'g_dngettext:2,3', 'ngettext:1,2',
            'g_dpgettext2:2c,3']
failed = False
with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, 'inpainter.pot')
    cmd = ['xgettext', '--package-name=inpainter', '--from-code=UTF-8',
           '--add-comments=Translators', f'--directory={root}',
           f'--files-from={po_dir / "POTFILES.in"}', f'--output={pot}']
    cmd += [f'--keyword={k}' for k in keywords]
    subprocess.run(cmd, check=True)

    for lang in languages:
        po = po_dir / f'{lang}.po'
        stats = subprocess.run(['msgfmt', '--check', '--statistics', '-o', os.devnull, str(po)],
                               capture_output=True, text=True, env={**os.environ, 'LC_ALL': 'C'})
        print(f'{lang}: {stats.stderr.strip()}')
        if stats.returncode != 0 or 'untranslated' in stats.stderr or 'fuzzy' in stats.stderr:
            print(stats.stdout)
            failed = True
        cmp = subprocess.run(['msgcmp', str(po), pot], capture_output=True, text=True,
                             env={**os.environ, 'LC_ALL': 'C'})
        if cmp.returncode != 0:
            print(f'{lang}: strings in the sources without a translation:\n{cmp.stderr}')
            failed = True

sys.exit(1 if failed else 0)
