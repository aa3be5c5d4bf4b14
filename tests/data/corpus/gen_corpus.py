#!/usr/bin/python3
"""Generates Weir's labelled HTTP request corpus (tests/data/corpus/*.jsonl).

Deterministic: the output is a pure function of --seed (default 20241204).
Standard library only. Run from anywhere:

    /usr/bin/python3 tests/data/corpus/gen_corpus.py            # writes attacks.jsonl, benign.jsonl
    /usr/bin/python3 tests/data/corpus/gen_corpus.py --check    # regenerate in memory, compare with the files
"""

import argparse
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # keep the source tree free of __pycache__

from corpus_attacks import build_attacks  # noqa: E402
from corpus_benign import build_benign  # noqa: E402
from check_corpus import check_records  # noqa: E402

DEFAULT_SEED = 20241204
DEFAULT_BENIGN = 12000


def render(records):
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)


def generate(seed, n_benign):
    lost = []
    attacks = build_attacks(random.Random(seed), lost=lost)
    benign = build_benign(random.Random(seed + 1), n_benign)
    return attacks, benign, lost


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--benign", type=int, default=DEFAULT_BENIGN, help="number of benign requests")
    ap.add_argument("--out", default=HERE, help="output directory")
    ap.add_argument("--check", action="store_true", help="verify the committed files equal a fresh generation")
    args = ap.parse_args()

    attacks, benign, lost = generate(args.seed, args.benign)
    errors = check_records(attacks, "attack") + check_records(benign, "benign")
    errors += ["%s: payload not recoverable from the %s placement (%s): %r" % x for x in lost]
    ids = [r["id"] for r in attacks + benign]
    if len(ids) != len(set(ids)):
        errors.append("ids are not unique across both files")
    if errors:
        for e in errors[:50]:
            print("error:", e, file=sys.stderr)
        return 1
    outputs = {"attacks.jsonl": render(attacks), "benign.jsonl": render(benign)}
    if args.check:
        stale = []
        for name, text in outputs.items():
            path = os.path.join(args.out, name)
            if not os.path.exists(path) or open(path, encoding="utf-8").read() != text:
                stale.append(name)
        if stale:
            print("stale (regenerate with gen_corpus.py): " + ", ".join(stale), file=sys.stderr)
            return 1
        print("corpus up to date: %d attacks, %d benign" % (len(attacks), len(benign)))
        return 0
    for name, text in outputs.items():
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    print("wrote %d attacks, %d benign to %s" % (len(attacks), len(benign), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
