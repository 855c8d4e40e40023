# Writes Tests/Fuzz/commands.dict from the command sources and the bundled tables (run from the repo root).
import json, re, glob, os, csv
words = set()
for f in glob.glob('Sources/PeelCommands/*.swift'):
    s = open(f).read()
    for m in re.finditer(r'name: "([a-z_]+)"', s): words.add(m.group(1))
    for m in re.finditer(r'matchWord\("([a-z_]+)"\)', s): words.add(m.group(1))
    for m in re.finditer(r'usage: "([^"]+)"', s):
        for w in re.findall(r'\b[a-z_]{2,}\b', m.group(1)): words.add(w)
cat = json.load(open('datasets/catalog.json'))
for t in cat['tables']:
    words.add(t['name'])
    path = 'datasets/' + t['file']
    if path.endswith('.csv'):
        with open(path, newline='') as fh:
            header = next(csv.reader(fh))
        for h in header: words.add((t.get('rename') or {}).get(h, h))
for w in ['round','abs','pct','per_1000','per_100000','percent_of_total','total','if','and','or','not','in','missing','true','false',
          'Leicestershire','Kent','Met','England and Wales','Charged/Summonsed','text','box','markdown','csv','tsv','json','html','latex',
          'bar','grouped','diverging','interval','strip','line','highlight','mark','width','ascii','echo','sources','format','asc','desc','by','as','to','vs','ci','of','per','each','region','mean','over','from','recorded','append','delimiter','skip','bad','rows']:
    words.add(w)
ops = ['|', '=', '!=', '<', '<=', '>', '>=', '~', '!~', '(', ')', ',', ';', '"', '$', '\\x0A', '+', '-', '*', '/', '#', '...']
with open('Tests/Fuzz/commands.dict', 'w') as out:
    out.write('# libFuzzer dictionary for the command language: verbs, keywords, tables, columns, functions.\n')
    for w in sorted(words):
        if w and all(32 <= ord(c) < 127 and c not in '"\\' for c in w):
            out.write('"%s"\n' % w)
    for o in ops:
        out.write('"%s"\n' % o.replace('"', '\\"'))
print(len(words))
