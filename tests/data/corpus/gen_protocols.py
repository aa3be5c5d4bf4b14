#!/usr/bin/python3
"""Generates the labelled API-protocol corpus (tests/data/corpus/protocols/).

One JSON Lines file per protocol family, attacks and benign requests
together (the `label` key tells them apart): GraphQL, SOAP/XML, multipart,
content-coded bodies, gRPC, WebSocket, HTTP/2. Deterministic: a pure
function of --seed (default 20241205). Standard library only.

    /usr/bin/python3 tests/data/corpus/gen_protocols.py           # write the files
    /usr/bin/python3 tests/data/corpus/gen_protocols.py --check   # do the files equal a fresh generation?
"""

import argparse
import base64
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True

from check_corpus import check_record  # noqa: E402
from corpus_common import make_request  # noqa: E402
import proto_api_families as api  # noqa: E402
import proto_stream_families as stream  # noqa: E402

DEFAULT_SEED = 20241205
OUT_DIR = os.path.join(HERE, "protocols")
PER_LABEL = 400  # per family and label: the gate allows 1 false positive in 400 (FPR 0.0025 <= 0.003)

FAMILIES = [
    ("graphql", api.graphql_attack, api.graphql_benign),
    ("soap_xml", api.soap_attack, api.soap_benign),
    ("multipart", api.multipart_attack, api.multipart_benign),
    ("encoded", api.encoded_attack, api.encoded_benign),
    ("grpc", stream.grpc_attack, stream.grpc_benign),
    ("websocket", stream.websocket_attack, stream.websocket_benign),
    ("http2", stream.http2_attack, stream.http2_benign),
]


def to_record(family, rid, d, label):
    d = dict(d)
    cls = d.pop("cls", None)
    placement = d.pop("placement")
    evasion = d.pop("evasion")
    extra = {k: d.pop(k) for k in ("version", "raw_b64", "ws_messages", "ws_frames_b64", "ws_extensions") if k in d}
    r = make_request(rid, d["method"], d["uri"], d["headers"], d.get("body", ""), label=label,
                     cls=cls if label == "attack" else placement)
    r["family"] = family
    r["placement"] = placement
    if label == "attack":
        r["evasion"] = evasion
    r.update(extra)
    return r


def check_protocol_record(r):
    """Format checks beyond check_corpus.check_record for the new keys."""
    p = []
    if r.get("version") == "2" and "raw_b64" not in r:
        p.append("%s: HTTP/2 records carry the connection in raw_b64" % r["id"])
    if "raw_b64" in r and r.get("version") == "2":
        raw = base64.b64decode(r["raw_b64"])
        if not raw.startswith(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"):
            p.append("%s: raw_b64 of an HTTP/2 record must start with the preface" % r["id"])
    ws = "ws_messages" in r or "ws_frames_b64" in r
    if ws:
        names = {n.lower(): v for n, v in r["headers"]}
        if names.get("upgrade", "").lower() != "websocket" or "sec-websocket-key" not in names:
            p.append("%s: WebSocket record without an Upgrade: websocket request" % r["id"])
        if "ws_messages" in r and not (isinstance(r["ws_messages"], list) and r["ws_messages"]
                                       and all(isinstance(m, str) for m in r["ws_messages"])):
            p.append("%s: ws_messages must be a non-empty array of strings" % r["id"])
    if "ws_extensions" in r and not ws:
        p.append("%s: ws_extensions without messages" % r["id"])
    return p


def generate(seed):
    out = {}
    for i, (family, attack, benign) in enumerate(FAMILIES):
        rng_a = random.Random(seed * 100 + 2 * i)
        rng_b = random.Random(seed * 100 + 2 * i + 1)
        recs = [to_record(family, "%s-attack-%04d" % (family, n + 1), attack(rng_a), "attack") for n in range(PER_LABEL)]
        recs += [to_record(family, "%s-benign-%04d" % (family, n + 1), benign(rng_b), "benign") for n in range(PER_LABEL)]
        out[family] = recs
    return out


def render(records):
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--out", default=OUT_DIR)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    families = generate(args.seed)
    errors = []
    for family, recs in families.items():
        ids = set()
        for r in recs:
            errors += check_record(r, r["label"]) + check_protocol_record(r)
            if r["id"] in ids:
                errors.append("duplicate id " + r["id"])
            ids.add(r["id"])
    if errors:
        for e in errors[:50]:
            print("error:", e, file=sys.stderr)
        return 1
    outputs = {"proto_%s.jsonl" % f: render(recs) for f, recs in families.items()}
    if args.check:
        stale = [n for n, text in outputs.items()
                 if not os.path.exists(os.path.join(args.out, n)) or open(os.path.join(args.out, n), encoding="utf-8").read() != text]
        if stale:
            print("stale (regenerate with gen_protocols.py): " + ", ".join(stale), file=sys.stderr)
            return 1
        print("protocol corpus up to date: %s" % ", ".join("%s %d" % (f, len(r)) for f, r in families.items()))
        return 0
    os.makedirs(args.out, exist_ok=True)
    for name, text in outputs.items():
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    print("wrote %s to %s" % (", ".join("%s %d" % (f, len(r)) for f, r in families.items()), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
