#!/usr/bin/env python3
# Fails when a language in po/LINGUAS lacks a translation of any string the sources hold now,
# has fuzzy or untranslated entries, or does not pass `msgfmt --check`; when a zh_CN entry
# breaks the glossary at the top of po/zh_CN.po; or when a source string counts things
# without ngettext, or has several placeholders and no translator comment.
import os
import pathlib
import re
import subprocess
import sys
import tempfile

root = pathlib.Path(sys.argv[1])
po_dir = root / 'po'
languages = [l.strip() for l in (po_dir / 'LINGUAS').read_text().splitlines()
             if l.strip() and not l.startswith('#')]

keywords = ['_', 'N_', 'C_:1c,2', 'NC_:1c,2', 'g_dngettext:2,3', 'ngettext:1,2',
            'g_dpgettext2:2c,3']


def unquote(s):
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t'}.get(m.group(1), m.group(1)), s)


def parse_po(path):
    """Entries of a .po/.pot file as dicts: comments, flags, msgctxt, msgid, msgid_plural,
    msgstr (a list, one per plural form). The header entry is left out."""
    entries = []
    for block in pathlib.Path(path).read_text().split('\n\n'):
        entry = {'comments': [], 'flags': set(), 'msgstr': []}
        key = None
        for line in block.splitlines():
            if line.startswith('#.'):
                entry['comments'].append(line[2:].strip())
            elif line.startswith('#,'):
                entry['flags'].update(f.strip() for f in line[2:].split(','))
            elif line.startswith('#'):
                continue
            elif line.startswith('"'):
                value = unquote(line[1:-1])
                if key == 'msgstr':
                    entry['msgstr'][-1] += value
                elif key:
                    entry[key] += value
            else:
                m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line)
                if not m:
                    continue
                key, value = m.group(1), unquote(m.group(2))
                if key.startswith('msgstr'):
                    key = 'msgstr'
                    entry['msgstr'].append(value)
                else:
                    entry[key] = value
        if entry.get('msgid'):
            entries.append(entry)
    return entries


# A printf conversion, and one that counts: an integer followed by a plural noun (“%u results”).
# “%d × %d pixels” is a size, and “entry %u cannot”, “step %d of %d” or “%d px” count nothing.
PLACEHOLDER = re.compile(r'%(?:\d+\$)?[-+ #0\']*(?:\d+|\*)?(?:\.(?:\d+|\*))?'
                         r'(?:hh|h|ll|l|j|z|t)?[diouxXeEfFgGaAcsp]')
COUNT = re.compile(r'(?<!× )%(?:\d+\$)?[-+ #0\']*\d*(?:hh|h|ll|l|j|z|t)?[diu]'
                   r' +(?!(?:is|was|has|does|its|this)\b)[A-Za-z]+s\b')


def placeholders(msgid):
    return PLACEHOLDER.findall(msgid.replace('%%', ''))


def counts_without_plural(entry):
    return ('c-format' in entry['flags'] and 'msgid_plural' not in entry
            and COUNT.search(entry['msgid'].replace('%%', '')) is not None)


def needs_comment(entry):
    return ('c-format' in entry['flags'] and 'msgid_plural' not in entry
            and len(placeholders(entry['msgid'])) >= 2 and not entry['comments'])


# The checks must be able to fail: they are tried on strings they must catch and spare.
assert counts_without_plural({'flags': {'c-format'}, 'msgid': '%u results deleted'})
assert counts_without_plural({'flags': {'c-format'}, 'msgid': 'Resuming %d jobs'})
assert not counts_without_plural({'flags': {'c-format'}, 'msgid': 'Job with %u result',
                                  'msgid_plural': 'Job with %u results'})
assert not counts_without_plural({'flags': {'c-format'}, 'msgid': 'is %d × %d pixels'})
assert not counts_without_plural({'flags': {'c-format'}, 'msgid': '(step %d of %d)'})
assert not counts_without_plural({'flags': {'c-format'}, 'msgid': '%s, %d px. %s'})
assert not counts_without_plural({'flags': {'c-format'}, 'msgid': 'entry %u cannot be read'})
assert not counts_without_plural({'flags': {'c-format'}, 'msgid': 'job %d is done'})
assert needs_comment({'flags': {'c-format'}, 'msgid': '“%s” could not be saved: %s',
                      'comments': []})
assert not needs_comment({'flags': {'c-format'}, 'msgid': '%.0f %%', 'comments': []})


def strip_literals(msgid):
    """The msgid without what stays English in a translation: quoted names such as
    “history”, code such as output_format or --limit, and the app's own name."""
    msgid = re.sub(r'“[^”]*”', ' ', msgid)
    msgid = re.sub(r'\S*[_/$]\S*|--\S+|\bInpainter\b', ' ', msgid)
    return msgid


# zh_CN glossary (the header of po/zh_CN.po): an English term in the msgid, the terms one of
# which its translation must hold, and the translation it must not hold.
ZH_CN_GLOSSARY = [
    (r'\bmask', ('蒙版',), None),
    (r'\binpaint(?:ing|s)?\b', ('局部重绘',), None),
    (r'\bnegative prompt', ('反向提示词',), None),
    (r'\bprompts?\b', ('提示词',), None),
    (r'\btokens?\b', ('令牌',), None),
    (r'\bpredictions?\b', ('预测任务',), None),
    (r'\bendpoint', ('接口',), None),
    (r'\brelay', ('中转',), None),
    (r'\bsandbox', ('沙盒',), None),
    (r'\bundo\b', ('撤销',), None),
    (r'\bredo\b', ('重做',), None),
    (r'\bgallery', ('图库',), None),
    (r'\blibrary', ('作品库',), None),
    (r'\bpreferences\b', ('首选项',), None),
    (r'\bkeyring', ('密钥环',), None),
    (r'\bpictures?\b', ('图片', '原图'), '图像'),
    # “image” is 图片 unless it means image data or a file format.
    (r'\bimages?\b(?!.*\b(?:data|encoded|saved as)\b)', None, '图像'),
]


def glossary_problems(entry):
    text = strip_literals(entry['msgid'] + ' ' + entry.get('msgid_plural', ''))
    # Search keywords may hold every word a user might search for.
    keywords = entry['msgid'].endswith(';') or any('search' in c for c in entry.get('comments', []))
    problems = []
    for pattern, must, must_not in ZH_CN_GLOSSARY:
        if not re.search(pattern, text, re.IGNORECASE):
            continue
        for msgstr in entry['msgstr']:
            if must and not any(term in msgstr for term in must):
                problems.append(f'“{pattern}” should be translated as {" or ".join(must)}')
            if must_not and must_not in msgstr and not keywords:
                problems.append(f'“{pattern}” should not be translated as {must_not}')
    return problems


assert glossary_problems({'msgid': 'Paint a mask first', 'msgstr': ['请先绘制遮罩']})
assert glossary_problems({'msgid': 'Open a picture', 'msgstr': ['打开图像']})
assert not glossary_problems({'msgid': 'no image data', 'msgstr': ['没有图像数据']})
assert not glossary_problems({'msgid': 'image generation', 'msgstr': ['图像生成'],
                              'comments': ['Translators: a search keyword']})
assert not glossary_problems({'msgid': '“history” takes no arguments.',
                              'msgstr': ['“history”不接受参数。']})

failed = False
with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, 'inpainter.pot')
    cmd = ['xgettext', '--package-name=inpainter', '--from-code=UTF-8',
           '--add-comments=Translators', f'--directory={root}',
           f'--files-from={po_dir / "POTFILES.in"}', f'--output={pot}']
    cmd += [f'--keyword={k}' for k in keywords]
    subprocess.run(cmd, check=True)

    # The sources' own comments, which a catalogue may not have caught up with yet.
    source_comments = {}
    for entry in parse_po(pot):
        source_comments[(entry.get('msgctxt'), entry['msgid'])] = entry['comments']
        if counts_without_plural(entry):
            print(f'counts without ngettext: “{entry["msgid"]}”')
            failed = True
        if needs_comment(entry):
            print(f'several placeholders and no “Translators:” comment: “{entry["msgid"]}”')
            failed = True

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
        if lang == 'zh_CN':
            for entry in parse_po(po):
                if 'fuzzy' in entry['flags']:
                    continue
                entry['comments'] = source_comments.get((entry.get('msgctxt'), entry['msgid']),
                                                        entry['comments'])
                for problem in glossary_problems(entry):
                    print(f'{lang}: “{entry["msgid"]}” → “{entry["msgstr"][0]}”: {problem}')
                    failed = True

sys.exit(1 if failed else 0)
