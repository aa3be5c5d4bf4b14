"""Builds the labelled attack requests: per class a payload generator, the
parameters and endpoints it plausibly targets, and where it may be placed."""

import base64

from corpus_common import make_request
from corpus_payloads_inj import (SQLI, SQLI_EVASIONS, XSS, XSS_EVASIONS, cmd_value, lfi_value, weighted3, weighted)
from corpus_payloads_struct import graphql_request, nosqli_request, protocol_requests, scanner_request, xxe_request
from corpus_payloads_web import crlf_json, crlf_value, jndi_value, ldapi_value, redirect_value, ssrf_value, ssti_value
from corpus_placement import PLACEMENT_MODES, place
from corpus_visible import visible

HEADER_PLACEMENTS = ("header_ua", "header_referer", "header_xff", "header_custom")
# Where a value already in wire form (%2e%2e%2f, %0d%0a) still reaches the application decoded.
URL_PLACEMENTS = ("query", "path", "form", "cookie", "header_referer")


def _textual(payloads, evasions):
    def gen(rng, i):
        p = payloads[i % len(payloads)]
        name, fn, _ = weighted3(rng, evasions)
        if fn is None:
            return p, "none", None
        v = fn(p, rng)
        if v is None:
            return p, "none", None
        if rng.random() < 0.15:
            name2, fn2, _ = weighted3(rng, evasions)
            if fn2 is not None and name2 != name and name2 != "null_byte":
                v2 = fn2(v, rng)
                if v2 is not None:
                    return v2, name + "+" + name2, None
        return v, name, None
    return gen


SQLI_PREFIXES = ["42", "1", "shoes", "john@mail.example", "2024-01-01", "admin", "ORD-10293", "desc"]


def _sqli(rng, i):
    """sqlmap and hand testers append the payload to the original value."""
    v, ev, mode = _textual_sqli(rng, i)
    if v[:1] in "'\")" and rng.random() < 0.35:
        v = rng.choice(SQLI_PREFIXES) + v
    return v, ev, mode


def _wrap(fn):
    return lambda rng, i: fn(rng)


_textual_sqli = _textual(SQLI, SQLI_EVASIONS)


def _crlf(rng, i):
    return crlf_json(rng) if rng.random() < 0.15 else crlf_value(rng)


CLASSES = [
    dict(cls="sqli", n=460, gen=_sqli,
         params=["id", "user_id", "product_id", "sort", "order", "category", "q", "search", "filter", "name", "email", "status", "from", "ref", "cat", "uid", "username", "orderBy", "account"],
         paths=["/api/v1/products", "/api/v1/users", "/api/v2/orders", "/api/v1/search", "/catalog/items", "/api/v1/reports/sales", "/api/v1/customers", "/api/v1/login", "/api/v1/invoices"],
         path_tpls=["/api/v1/products/{}", "/api/v2/users/{}/orders", "/api/v1/orders/{}", "/catalog/category/{}/items", "/api/v1/invoices/{}/pdf"],
         placements=dict(json_gzip=3, query=30, path=6, json=18, form=12, cookie=6, header_ua=3, header_referer=2, header_xff=3, header_custom=4,
                         b64_json=3, b64_cookie=3, xml=4, graphql_var=4, multipart=2)),
    dict(cls="xss", n=400, gen=_textual(XSS, XSS_EVASIONS),
         params=["q", "search", "name", "comment", "message", "title", "bio", "display_name", "callback", "error", "msg", "subject", "description", "note", "keyword", "returnUrl", "body"],
         paths=["/api/v1/search", "/api/v1/comments", "/api/v1/profile", "/api/v1/tickets", "/api/v1/reviews", "/error", "/api/v1/messages", "/api/v1/products"],
         path_tpls=["/api/v1/search/{}", "/api/v1/users/{}/profile", "/share/{}", "/api/v1/tags/{}"],
         placements=dict(json_gzip=2, query=28, path=5, json=22, form=14, cookie=4, header_ua=3, header_referer=4, header_custom=3, b64_json=3, b64_cookie=2,
                         xml=3, graphql_var=4, multipart=4, multipart_filename=1)),
    dict(cls="path_traversal", n=260, gen=_wrap(lfi_value),
         params=["file", "path", "template", "page", "doc", "document", "filename", "download", "include", "img", "image", "lang", "view", "attachment", "folder", "report", "style", "theme", "X-Template"],
         paths=["/api/v1/files", "/download", "/api/v1/reports/export", "/static/render", "/api/v1/documents/view", "/image", "/api/v1/templates/preview"],
         path_tpls=["/api/v1/files/{}", "/download/{}", "/static/{}", "/api/v1/attachments/{}/raw", "/images/{}", "/cgi-bin/{}"],
         placements=dict(query=32, path=20, json=12, form=8, cookie=5, header_custom=4, b64_json=3, b64_cookie=2, xml=3, multipart=3, multipart_filename=6),
         raw_path=True, prewire_placements=URL_PLACEMENTS + ("header_custom", "json", "multipart", "multipart_filename")),
    dict(cls="cmd_injection", n=280, gen=_wrap(cmd_value),
         params=["host", "ip", "cmd", "domain", "target", "hostname", "filename", "exec", "address", "server", "dns", "port", "log", "backup_name", "callback", "format"],
         paths=["/api/v1/tools/ping", "/api/v1/network/diagnostics", "/api/v1/dns/lookup", "/api/v1/backup", "/api/v1/convert", "/api/v1/devices/config", "/cgi-bin/status"],
         path_tpls=["/api/v1/tools/ping/{}", "/api/v1/exports/{}/run", "/cgi-bin/{}", "/api/v1/devices/{}/reboot"],
         placements=dict(json_gzip=3, query=28, path=5, json=22, form=14, cookie=4, header_ua=4, header_custom=5, header_referer=2, b64_json=3, b64_cookie=2, xml=3,
                         graphql_var=3, multipart=3, multipart_filename=2)),
    dict(cls="ssrf", n=300, gen=_wrap(ssrf_value),
         params=["url", "uri", "webhook_url", "callback_url", "image_url", "avatar_url", "feed", "source", "link", "target", "endpoint", "fetch", "proxy", "remote", "import_url", "pdf_url", "icon", "site", "X-Forwarded-Host"],
         paths=["/api/v1/fetch", "/api/v1/webhooks", "/api/v1/import", "/api/v1/preview", "/api/v1/avatar/from-url", "/api/v1/pdf/render", "/proxy", "/api/v1/integrations/test"],
         path_tpls=["/proxy/{}", "/api/v1/fetch/{}", "/image-proxy/{}"],
         placements=dict(json_gzip=2, query=30, path=5, json=28, form=12, header_referer=3, header_custom=3, b64_json=4, b64_cookie=1, xml=4, graphql_var=3, multipart=3)),
    dict(cls="ssti", n=200, gen=_wrap(ssti_value),
         params=["name", "template", "greeting", "subject", "message", "title", "preview", "q", "email", "first_name", "content", "text", "signature"],
         paths=["/api/v1/templates/preview", "/api/v1/emails/render", "/api/v1/profile", "/api/v1/search", "/api/v1/invitations", "/api/v1/cards/render"],
         path_tpls=["/api/v1/greet/{}", "/api/v1/render/{}", "/hello/{}"],
         placements=dict(json_gzip=2, query=26, path=5, json=28, form=14, cookie=3, header_custom=3, header_ua=2, b64_json=3, xml=3, graphql_var=4, multipart=3)),
    dict(cls="jndi", n=220, gen=_wrap(jndi_value),
         params=["q", "username", "search", "user", "email", "id", "version", "lang", "ref", "name", "X-Api-Version"],
         paths=["/api/v1/login", "/api/v1/search", "/api/v1/users", "/solr/admin/cores", "/api/v1/events", "/struts/login.action", "/"],
         path_tpls=["/api/v1/items/{}", "/{}", "/api/v1/users/{}"],
         placements=dict(json_gzip=2, query=14, path=4, json=16, form=8, cookie=6, header_ua=16, header_referer=6, header_xff=8, header_custom=14, b64_json=2, xml=2, graphql_var=2)),
    dict(cls="ldapi", n=110, gen=_wrap(ldapi_value),
         params=["user", "username", "uid", "login", "cn", "search", "name", "group", "filter", "mail"],
         paths=["/api/v1/directory/search", "/api/v1/login", "/ldap/lookup", "/api/v1/employees", "/api/v1/groups/members"],
         path_tpls=["/api/v1/directory/users/{}", "/api/v1/people/{}"],
         placements=dict(query=36, form=24, json=22, path=5, cookie=3, header_custom=3, xml=4, b64_json=3)),
    dict(cls="crlf", n=120, gen=_crlf,
         params=["lang", "redirect", "next", "url", "return", "page", "locale", "view", "callback", "ref", "filename"],
         paths=["/api/v1/redirect", "/login", "/api/v1/lang", "/logout", "/api/v1/download", "/set-locale"],
         path_tpls=["/r/{}", "/{}", "/api/v1/download/{}"],
         placements=dict(query=50, path=20, form=12, json=10, cookie=4, header_referer=4)),
    dict(cls="open_redirect", n=160, gen=_wrap(redirect_value),
         params=["next", "url", "redirect", "redirect_uri", "return", "returnTo", "return_url", "continue", "dest", "destination", "goto", "r", "u",
                 "target", "forward", "redir", "back", "success_url", "callback"],
         paths=["/login", "/logout", "/oauth/authorize", "/api/v1/auth/callback", "/sso", "/r", "/account/switch", "/checkout/complete", "/redirect"],
         path_tpls=["/r/{}", "/redirect/{}", "/out/{}"],
         placements=dict(query=62, form=12, json=10, path=8, cookie=3, b64_json=2, header_custom=3)),
]


def _placement_for(rng, spec, value, mode):
    options = []
    for pl, w in spec["placements"].items():
        if mode and mode not in PLACEMENT_MODES[pl]:
            continue
        if pl in HEADER_PLACEMENTS and any((ord(c) < 0x20 and c != "\t") or ord(c) > 0x7E for c in value):
            continue
        if pl == "xml" and any(ord(c) < 0x20 and c not in "\t\r\n" for c in value):
            continue
        if pl == "multipart_filename" and ('"' in value or "\n" in value or "\r" in value):
            continue
        if mode == "prewire" and pl not in spec.get("prewire_placements", URL_PLACEMENTS):
            continue
        options.append((pl, w))
    if not options:
        return None
    return weighted(rng, options)


def _choose_mode(rng, placement, forced):
    if forced:
        return forced
    modes = [m for m in PLACEMENT_MODES[placement] if m not in ("std", "prewire")]
    if modes and rng.random() < 0.25:
        return rng.choice(modes)
    return "std"


def _raw_view(raw_b64):
    """Best-effort readable method/uri/headers for a raw_b64 record (raw_b64 is authoritative)."""
    text = base64.b64decode(raw_b64).decode("latin-1")
    head = text.replace("\r\n", "\n").split("\n\n", 1)[0].split("\n")
    parts = head[0].split(" ")
    headers = [[n.strip(), v.strip()] for n, _, v in (line.partition(":") for line in head[1:] if ":" in line)]
    return parts[0], (parts[1] if len(parts) > 1 else "/"), headers


def build_attacks(rng, scale=1.0, lost=None):
    """Attack records; `lost` collects (id, placement, mode, value) whose value is not recoverable."""
    out = []
    lost = [] if lost is None else lost
    for spec in CLASSES:
        cls = spec["cls"]
        n = int(spec["n"] * scale)
        i = 0
        made = 0
        while made < n:
            value, evasion, forced = spec["gen"](rng, i)
            i += 1
            placement = _placement_for(rng, spec, value, forced)
            if placement is None:
                continue
            mode = _choose_mode(rng, placement, forced)
            param = rng.choice(spec["params"])
            if placement == "header_custom":
                param = param if param.startswith("X-") else "X-" + rng.choice(["Api-Version", "Request-ID", "Tenant-ID", "Forwarded-Host", "Original-URL", "Locale", "Client-Version", "Device-Id", "Debug-User"])
            elif param.startswith("X-"):
                param = spec["params"][0]
            path_tpls = spec["path_tpls"]
            method, uri, headers, body = place(rng, placement, mode, value, param, spec["paths"], path_tpls, cls)
            if spec.get("raw_path") and placement == "path" and mode == "std":
                uri = path_tpls[0].split("{}")[0] + value.replace(" ", "%20").replace("\x00", "%00").replace("#", "%23").replace("?", "%3F")
            ev = evasion
            if ev == "json_escape" and placement not in ("json", "graphql_var"):
                ev = "none"
            if mode not in ("std", "prewire", None) and forced is None:
                ev = mode if ev == "none" else ev + "+" + mode
            made += 1
            rec = make_request("%s-%04d" % (cls, made), method, uri, headers, body, label="attack", cls=cls, placement=placement, evasion=ev)
            if not visible(rec, value):
                lost.append((rec["id"], placement, mode, value))
            out.append(rec)
    for kind, fn, n in (("xxe", xxe_request, 130), ("nosqli", nosqli_request, 160), ("scanner", scanner_request, 150), ("graphql", graphql_request, 60)):
        for k in range(int(n * scale)):
            r = fn(rng)
            extra = {"body_b64": r["body_b64"]} if "body_b64" in r else {}
            out.append(make_request("%s-%04d" % (kind, k + 1), r["method"], r["uri"], r["headers"], r["body"], label="attack", cls=kind,
                                    placement=r["placement"], evasion=r["evasion"], **extra))
    for k, (ev, raw) in enumerate(protocol_requests(rng)):
        method, uri, headers = _raw_view(raw)
        out.append(make_request("protocol-%04d" % (k + 1), method, uri, headers, "", label="attack", cls="protocol",
                                placement="raw", evasion=ev, raw_b64=raw))
    return out
