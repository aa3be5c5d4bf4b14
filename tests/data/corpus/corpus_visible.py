"""Generation-time guard: the attack value must still be recoverable from the
request an application would receive, after the decodings an application
applies (percent-decoding once or twice, %u, '+', JSON, base64, XML
references, cookies). Catches placements that mangle or lose a payload."""

import base64
import binascii
import gzip
import html
import json
import re
from urllib.parse import unquote, unquote_plus

_PCT_U = re.compile(r"%u([0-9a-fA-F]{4})")


def _b64(s):
    s = s.strip()
    if len(s) < 8 or not re.fullmatch(r"[A-Za-z0-9+/=_-]+", s):
        return None
    try:
        raw = base64.b64decode(s + "=" * (-len(s) % 4), altchars=b"-_" if ("-" in s or "_" in s) else None)
        return raw.decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def _json_strings(text, out, depth=0):
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return
    stack = [doc]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
        elif isinstance(x, str):
            _expand(x, out, depth + 1)


def _expand(s, out, depth=0):
    if depth > 4 or s in out:
        return
    out.add(s)
    for d in (unquote(s), unquote_plus(s), _PCT_U.sub(lambda m: chr(int(m.group(1), 16)), s), html.unescape(s)):
        if d != s:
            _expand(d, out, depth + 1)
    b = _b64(s)
    if b:
        _expand(b, out, depth + 1)
    if s[:1] in "{[":
        _json_strings(s, out, depth)


def views(rec):
    """Every decoded string an application could derive from the request."""
    out = set()
    body = rec.get("body", "")
    if "body_b64" in rec:
        raw = base64.b64decode(rec["body_b64"])
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        body = raw.decode("utf-8", "replace")
    parts = [rec["uri"], body]
    parts += re.split(r"[?&=]", rec["uri"])
    for n, v in rec["headers"]:
        parts.append(v)
        if n.lower() == "cookie":
            for kv in v.split(";"):
                parts.append(kv.strip().partition("=")[2])
    if "=" in body and "&" in body or body.count("=") == 1:
        parts += [kv.partition("=")[2] for kv in body.split("&")]
    parts += re.findall(r"<!\[CDATA\[(.*?)\]\]>", body, re.S)
    parts += re.findall(r">([^<]*)<", body)
    for seg in body.split("\r\n"):
        parts.append(seg)
    for p in parts:
        _expand(p, out)
    return out


def visible(rec, value):
    value = value.replace("\r\n", "\n")
    return any(value in v.replace("\r\n", "\n") for v in views(rec))
