#!/usr/bin/python3
"""Prints the composition tables of the corpus (Markdown); with
--update-readme rewrites the generated section of README.md in place.

    /usr/bin/python3 tests/data/corpus/corpus_stats.py [--update-readme]
"""

import collections
import io
import json
import os
import sys
from contextlib import redirect_stdout

BEGIN = "<!-- BEGIN GENERATED: corpus_stats.py -->"
END = "<!-- END GENERATED -->"

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def table(rows, cols, cell, row_title):
    out = ["| %s | %s | total |" % (row_title, " | ".join(cols)), "|" + "---|" * (len(cols) + 2)]
    for r in rows:
        vals = [cell(r, c) for c in cols]
        out.append("| %s | %s | %d |" % (r, " | ".join(str(v) if v else "" for v in vals), sum(vals)))
    out.append("| **total** | %s | %d |" % (" | ".join(str(sum(cell(r, c) for r in rows)) for c in cols), sum(cell(r, c) for r in rows for c in cols)))
    return "\n".join(out)


def main():
    attacks = load("attacks.jsonl")
    benign = load("benign.jsonl")
    cp = collections.Counter((r["class"], r["placement"]) for r in attacks)
    classes = sorted({r["class"] for r in attacks}, key=lambda c: -sum(v for (k, _), v in cp.items() if k == c))
    placements = sorted({r["placement"] for r in attacks}, key=lambda p: -sum(v for (_, k), v in cp.items() if k == p))
    print("### Attacks: class x placement\n")
    print(table(classes, placements, lambda r, c: cp[(r, c)], "class"))
    ev = collections.Counter()
    for r in attacks:
        for e in r["evasion"].split("+"):
            ev[(r["class"], e)] += 1
    print("\n### Attacks: evasions per class (a request may combine several)\n")
    print("| class | evasions (count) |\n|---|---|")
    for c in classes:
        items = sorted(((e, n) for (k, e), n in ev.items() if k == c), key=lambda x: -x[1])
        print("| %s | %s |" % (c, ", ".join("%s %d" % (e, n) for e, n in items)))
    kinds = collections.Counter(r["class"] for r in benign)
    hard = collections.Counter(r["class"] for r in benign if r.get("hard_negative"))
    print("\n### Benign: kinds\n")
    print("| kind | requests | hard negatives |\n|---|---|---|")
    for k, n in kinds.most_common():
        print("| %s | %d | %d |" % (k, n, hard[k]))
    print("| **total** | %d | %d (%.1f%%) |" % (len(benign), sum(hard.values()), 100.0 * sum(hard.values()) / len(benign)))
    methods = collections.Counter(r["method"] for r in benign)
    ctypes = collections.Counter()
    for r in benign:
        ct = next((v for n, v in r["headers"] if n.lower() == "content-type"), "(none)")
        ctypes[ct.split(";")[0]] += 1
    print("\n### Benign: methods and content types\n")
    print("| method | requests |\n|---|---|")
    for m, n in methods.most_common():
        print("| %s | %d |" % (m, n))
    print("\n| content type | requests |\n|---|---|")
    for m, n in ctypes.most_common():
        print("| %s | %d |" % (m, n))
    sizes = {name: os.path.getsize(os.path.join(HERE, name)) for name in ("attacks.jsonl", "benign.jsonl")}
    print("\n### Size\n")
    print("| file | requests | bytes | average line |\n|---|---|---|---|")
    for name, recs in (("attacks.jsonl", attacks), ("benign.jsonl", benign)):
        print("| %s | %d | %d | %d |" % (name, len(recs), sizes[name], sizes[name] // max(1, len(recs))))


def update_readme():
    path = os.path.join(HERE, "README.md")
    buf = io.StringIO()
    with redirect_stdout(buf):
        main()
    text = open(path, encoding="utf-8").read()
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + BEGIN + "\n\n" + buf.getvalue() + "\n" + END + tail)


if __name__ == "__main__":
    if "--update-readme" in sys.argv[1:]:
        update_readme()
    else:
        main()
