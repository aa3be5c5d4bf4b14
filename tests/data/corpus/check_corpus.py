#!/usr/bin/python3
"""Checks the corpus files against /work/shared/corpus-format.md: one JSON
object per line, required keys and types, unique ids, labels, attack
metadata (class, placement, evasion), decodable base64 fields, minimum counts.

    /usr/bin/python3 tests/data/corpus/check_corpus.py [DIR]
Exit status 0 when every check passes.
"""

import base64
import binascii
import collections
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
ATTACK_CLASSES = {"sqli", "xss", "path_traversal", "cmd_injection", "ssrf", "xxe", "ssti", "jndi", "nosqli", "ldapi", "crlf",
                  "open_redirect", "scanner", "protocol", "graphql"}
MIN_ATTACKS = 2000
MIN_BENIGN = 10000
MIN_PER_CLASS = 40


def _b64_ok(s):
    try:
        base64.b64decode(s, validate=True)
        return True
    except (binascii.Error, ValueError):
        return False


def check_record(r, expect_label):
    """Returns a list of problems with one record (empty when fine)."""
    p = []
    rid = r.get("id")
    if not isinstance(rid, str) or not rid:
        return ["record without a string id: %r" % (r,)[:120]]
    for key, typ in (("method", str), ("uri", str), ("headers", list), ("body", str), ("label", str), ("class", str)):
        if not isinstance(r.get(key), typ):
            p.append("%s: key %s missing or not %s" % (rid, key, typ.__name__))
    if p:
        return p
    if r["label"] != expect_label:
        p.append("%s: label %s, expected %s" % (rid, r["label"], expect_label))
    if "raw_b64" not in r:
        if r["method"] not in METHODS:
            p.append("%s: method %s" % (rid, r["method"]))
        if not r["uri"].startswith("/"):
            p.append("%s: uri must be origin-form" % rid)
        if any(ord(c) <= 0x20 or ord(c) >= 0x7F for c in r["uri"]):
            p.append("%s: uri has a space, control or non-ASCII character (must be percent-encoded)" % rid)
    for h in r["headers"]:
        if not (isinstance(h, list) and len(h) == 2 and all(isinstance(x, str) for x in h)):
            p.append("%s: header entry %r" % (rid, h))
            continue
        if "raw_b64" not in r and (any(c in h[0] for c in ": \t\r\n") or any(c in h[1] for c in "\r\n\x00")):
            p.append("%s: header %r has characters that break framing" % (rid, h[0]))
    names = [h[0].lower() for h in r["headers"] if isinstance(h, list) and h]
    if "raw_b64" not in r and names.count("host") != 1:
        p.append("%s: needs exactly one Host header" % rid)
    body_len = len(base64.b64decode(r["body_b64"])) if "body_b64" in r and _b64_ok(r["body_b64"]) else len(r["body"].encode("utf-8"))
    for n, v in r["headers"]:
        if n.lower() == "content-length" and "raw_b64" not in r and v != str(body_len):
            p.append("%s: Content-Length %s but body has %d bytes" % (rid, v, body_len))
    for k in ("body_b64", "uri_b64", "raw_b64"):
        if k in r and not (isinstance(r[k], str) and _b64_ok(r[k])):
            p.append("%s: %s is not valid base64" % (rid, k))
    if expect_label == "attack":
        if r["class"] not in ATTACK_CLASSES:
            p.append("%s: unknown attack class %s" % (rid, r["class"]))
        for k in ("placement", "evasion"):
            if not isinstance(r.get(k), str) or not r[k]:
                p.append("%s: attack without %s" % (rid, k))
    return p


def check_records(records, expect_label):
    problems = []
    seen = set()
    for r in records:
        problems += check_record(r, expect_label)
        if r.get("id") in seen:
            problems.append("duplicate id %s" % r.get("id"))
        seen.add(r.get("id"))
    return problems


def load(path):
    records, problems = [], []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                problems.append("%s:%d: invalid JSON: %s" % (os.path.basename(path), n, e))
                continue
            if not isinstance(obj, dict):
                problems.append("%s:%d: not an object" % (os.path.basename(path), n))
                continue
            records.append(obj)
    return records, problems


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else HERE
    attacks, p1 = load(os.path.join(d, "attacks.jsonl"))
    benign, p2 = load(os.path.join(d, "benign.jsonl"))
    problems = p1 + p2 + check_records(attacks, "attack") + check_records(benign, "benign")
    ids = [r.get("id") for r in attacks + benign]
    if len(ids) != len(set(ids)):
        problems.append("ids collide between attacks.jsonl and benign.jsonl")
    if len(attacks) < MIN_ATTACKS:
        problems.append("only %d attacks (< %d)" % (len(attacks), MIN_ATTACKS))
    if len(benign) < MIN_BENIGN:
        problems.append("only %d benign (< %d)" % (len(benign), MIN_BENIGN))
    per_class = collections.Counter(r.get("class") for r in attacks)
    for cls in sorted(ATTACK_CLASSES):
        if per_class[cls] < MIN_PER_CLASS:
            problems.append("class %s has %d attacks (< %d)" % (cls, per_class[cls], MIN_PER_CLASS))
    for pr in problems[:50]:
        print("error:", pr, file=sys.stderr)
    if problems:
        print("%d problems" % len(problems), file=sys.stderr)
        return 1
    print("ok: %d attacks in %d classes, %d benign" % (len(attacks), len(per_class), len(benign)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
