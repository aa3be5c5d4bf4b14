"""Puts one attack value into one place of an otherwise ordinary API request.

A value arrives as logical text (what the application finally sees) plus a
wire mode saying how it was encoded on the wire. Modes:
  std           what an ordinary client would send (browser / strict / raw)
  url_encode    every byte percent-encoded, letters included
  double_encode percent-encoded twice (%2527)
  unicode_u     IIS-style %uXXXX
  json_unicode  \\u00XX escapes inside a JSON string
  xml_charref   &#xXX; character references inside XML text
  cdata         inside <![CDATA[ ]]>
  prewire       the value is already in wire form (path tricks such as %c0%af)
"""

import json

from corpus_common import (HOSTS_API, UA_ATTACK, auth_header, b64, base_headers, browser_cookie, gzip_bytes,
                           cookie_value, header_value, ip_client, json_unicode_escape, pct, pct_all,
                           pct_u, query_value, rand_str, ALNUM, PATH_SAFE)

URL_MODES = ("std", "url_encode", "double_encode", "unicode_u", "prewire")
PLACEMENT_MODES = {
    "query": URL_MODES,
    "path": URL_MODES,
    "form": URL_MODES,
    "cookie": URL_MODES,
    "header_referer": ("std", "url_encode", "prewire"),
    "json": ("std", "json_unicode", "prewire"),
    "graphql_var": ("std", "json_unicode"),
    "header_ua": ("std", "prewire"),
    "header_xff": ("std",),
    "header_custom": ("std", "prewire"),
    "b64_json": ("std",),
    "b64_cookie": ("std",),
    "xml": ("std", "xml_charref", "cdata"),
    "multipart": ("std", "prewire"),
    "multipart_filename": ("std", "prewire"),
    "json_gzip": ("std", "json_unicode"),
}

RESOURCES = ["products", "users", "orders", "customers", "tickets", "invoices", "articles", "accounts",
             "reports", "files", "bookings", "employees", "patients", "comments", "carts"]
CUSTOM_HEADERS = ["X-Api-Version", "X-Request-ID", "X-Client-Version", "X-Tenant-ID", "X-Correlation-ID",
                  "X-Device-Id", "X-Forwarded-Host", "X-Original-URL", "X-Trace-Context", "X-Locale",
                  "X-Session-Token", "X-Custom-IP-Authorization", "X-Wap-Profile", "X-Debug-User"]
FILLER_PARAMS = [("page", lambda r: str(r.randrange(1, 20))), ("limit", lambda r: r.choice(["10", "20", "50", "100"])),
                 ("lang", lambda r: r.choice(["en", "de", "fr", "es"])), ("sort", lambda r: r.choice(["created_at", "-price", "name", "updated_at"])),
                 ("currency", lambda r: r.choice(["EUR", "USD", "GBP"])), ("include", lambda r: r.choice(["items", "customer", "tags", "author"])),
                 ("v", lambda r: str(r.randrange(1, 4))), ("ts", lambda r: str(1733300000000 + r.randrange(10**8)))]


def wire(value, mode, ctx, rng):
    """Encodes a logical value for a URL-ish context ('query', 'form', 'path', 'cookie')."""
    if mode == "prewire":
        return value
    if mode == "url_encode":
        return pct_all(value, lower=rng.random() < 0.3)
    if mode == "double_encode":
        return pct(value).replace("%", "%25") if rng.random() < 0.6 else pct_all(value).replace("%", "%25")
    if mode == "unicode_u":
        return pct_u(value, rng)
    if ctx == "path":
        return pct(value, PATH_SAFE)
    if ctx == "cookie":
        return cookie_value(value)
    if ctx == "form":
        return pct(value, plus_space=True)
    return query_value(value, rng)


def filler_pairs(rng, n, exclude=None):
    picks = rng.sample([p for p in FILLER_PARAMS if p[0] != exclude], n)
    return [(k, f(rng)) for k, f in picks]


def _query(rng, param, encoded, path):
    pairs = filler_pairs(rng, rng.randrange(0, 3), exclude=param)
    pos = rng.randrange(len(pairs) + 1)
    parts = ["%s=%s" % (k, query_value(v, rng, "strict")) for k, v in pairs]
    parts.insert(pos, "%s=%s" % (param, encoded))
    return path + "?" + "&".join(parts)


def nest_json(rng, param, value):
    """Puts value under param somewhere in a plausible nested JSON document."""
    shape = rng.randrange(6)
    if shape == 0:
        return {param: value}
    if shape == 1:
        return {"data": {"type": rng.choice(["order", "user", "ticket"]), "attributes": {"state": "active", param: value}}}
    if shape == 2:
        return {"customer": {"id": rng.randrange(1000, 99999), "profile": {param: value}}, "items": [{"sku": "SKU-%05d" % rng.randrange(99999), "qty": rng.randrange(1, 4)}]}
    if shape == 3:
        return {"filters": [{"field": "status", "value": "open"}, {"field": param, "value": value}], "page": rng.randrange(1, 5)}
    if shape == 4:
        return {"requests": [{"op": "update", "path": "/" + param, "value": value}]}
    return {"event": "form_submit", "meta": {"ts": 1733300000 + rng.randrange(10**6), "client": "web"}, "payload": {"origin": "checkout", param: value}}


def multipart(rng, fields, file_part=None):
    boundary = "----WebKitFormBoundary" + rand_str(rng, ALNUM, 16)
    lines = []
    for k, v in fields:
        lines += ["--" + boundary, 'Content-Disposition: form-data; name="%s"' % k, "", v]
    if file_part:
        fname, ctype, content = file_part
        lines += ["--" + boundary, 'Content-Disposition: form-data; name="file"; filename="%s"' % fname,
                  "Content-Type: " + ctype, "", content]
    lines += ["--" + boundary + "--", ""]
    return "multipart/form-data; boundary=" + boundary, "\r\n".join(lines)


def place(rng, placement, mode, value, param, paths, path_tpls, cls):
    """Returns (method, uri, headers, body) carrying value at placement."""
    host = rng.choice(HOSTS_API)
    ua = rng.choice(UA_ATTACK)
    path = rng.choice(paths)
    accept = rng.choice(["application/json", "*/*", "application/json, text/plain, */*"])
    headers = base_headers(rng, host, ua=ua, accept=accept, browser=ua.startswith("Mozilla/5.0 ("))
    if rng.random() < 0.35:
        headers.append(auth_header(rng))
    method, body, uri = "GET", "", path

    if placement == "query":
        method = rng.choice(["GET"] * 6 + ["DELETE", "HEAD"])
        uri = _query(rng, param, wire(value, mode, "query", rng), path)
    elif placement == "path":
        tpl = rng.choice(path_tpls)
        uri = tpl.replace("{}", wire(value, mode, "path", rng))
        method = rng.choice(["GET"] * 5 + ["DELETE", "PUT"])
        if method == "PUT":
            body = json.dumps({"status": "active"})
            headers.append(["Content-Type", "application/json"])
    elif placement == "form":
        method = rng.choice(["POST"] * 4 + ["PUT"])
        pairs = [(k, pct(v, plus_space=True)) for k, v in filler_pairs(rng, rng.randrange(0, 3), exclude=param)]
        pairs.insert(rng.randrange(len(pairs) + 1), (param, wire(value, mode, "form", rng)))
        if rng.random() < 0.3:
            pairs.append(("csrf_token", rand_str(rng, ALNUM, 32)))
        body = "&".join("%s=%s" % kv for kv in pairs)
        headers.append(["Content-Type", "application/x-www-form-urlencoded" + rng.choice(["", "; charset=UTF-8"])])
    elif placement in ("json", "graphql_var"):
        method = rng.choice(["POST"] * 4 + ["PUT", "PATCH"])
        marker = "\u2063MARK\u2063"
        if placement == "json":
            doc = nest_json(rng, param, marker)
        else:
            uri = rng.choice(["/graphql", "/api/graphql", "/v1/graphql"])
            method = "POST"
            doc = {"operationName": "Search", "query": "query Search($%s: String!) { search(%s: $%s, first: 20) { edges { node { id name } } } }" % (param, param, param),
                   "variables": {param: marker}}
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":") if rng.random() < 0.7 else (", ", ": "))
        enc = json_unicode_escape(value) if mode == "json_unicode" else json.dumps(value, ensure_ascii=rng.random() < 0.3)
        body = text.replace(json.dumps(marker, ensure_ascii=False), enc)
        headers.append(["Content-Type", rng.choice(["application/json", "application/json; charset=utf-8"])])
    elif placement == "json_gzip":
        method = rng.choice(["POST", "PUT"])
        enc = json_unicode_escape(value) if mode == "json_unicode" else json.dumps(value)
        doc = json.dumps(nest_json(rng, param, "\u2063MARK\u2063"), separators=(",", ":")).replace(json.dumps("\u2063MARK\u2063"), enc)
        body = gzip_bytes(doc)
        headers += [["Content-Type", "application/json"], ["Content-Encoding", "gzip"]]
    elif placement == "header_ua":
        ua_value = header_value(value)
        if rng.random() < 0.3:
            ua_value = rng.choice(UA_ATTACK) + " " + ua_value
        headers = [[k, (ua_value if k == "User-Agent" else v)] for k, v in headers]
        if rng.random() < 0.5:
            uri = _query(rng, "q", query_value(rng.choice(["shoes", "jacket", "invoice 2024"]), rng), path)
    elif placement == "header_referer":
        ref = header_value(value) if rng.random() < 0.5 else "https://%s/search?q=%s" % (host.replace("api.", "www."), wire(value, mode, "query", rng))
        headers = [h for h in headers if h[0] != "Referer"] + [["Referer", ref]]
    elif placement == "header_xff":
        v = header_value(value)
        headers.append(["X-Forwarded-For", v if rng.random() < 0.6 else "%s, %s" % (v, ip_client(rng))])
    elif placement == "header_custom":
        headers.append([param if param.startswith("X-") else rng.choice(CUSTOM_HEADERS), header_value(value)])
    elif placement == "cookie":
        ck = browser_cookie(rng) if rng.random() < 0.5 else "sid=" + rand_str(rng, ALNUM, 26)
        headers.append(["Cookie", "%s; %s=%s" % (ck, param, wire(value, mode, "cookie", rng)) if rng.random() < 0.6
                        else "%s=%s; %s" % (param, wire(value, mode, "cookie", rng), ck)])
    elif placement == "b64_json":
        method = "POST"
        inner = value if rng.random() < 0.5 else json.dumps({param: value, "v": 2})
        doc = rng.choice([{"data": b64(inner)}, {"state": b64(inner), "client_id": "web"},
                          {"payload": {"encoding": "base64", "content": b64(inner)}}])
        body = json.dumps(doc)
        headers.append(["Content-Type", "application/json"])
    elif placement == "b64_cookie":
        inner = value if rng.random() < 0.4 else json.dumps({"ui": "dark", param: value})
        name = rng.choice(["prefs", "session_data", "remember_me", "ctx", "user_state"])
        headers.append(["Cookie", "%s; %s=%s" % ("sid=" + rand_str(rng, ALNUM, 26), name, b64(inner))])
    elif placement == "xml":
        method = "POST"
        uri = rng.choice(["/soap/OrderService", "/ws/CustomerService", "/services/AccountService.asmx", "/api/v1/import.xml"])
        if mode == "cdata":
            inner = "<![CDATA[%s]]>" % value
        elif mode == "xml_charref":
            inner = "".join("&#x%x;" % ord(c) if not c.isalnum() else c for c in value)
        else:
            inner = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
                'xmlns:ws="http://ws.shop.example/"><soapenv:Header/><soapenv:Body><ws:Lookup><ws:%s>%s</ws:%s>'
                '<ws:channel>web</ws:channel></ws:Lookup></soapenv:Body></soapenv:Envelope>' % (param, inner, param))
        headers.append(["Content-Type", rng.choice(["text/xml; charset=utf-8", "application/soap+xml; charset=utf-8"])])
        headers.append(["SOAPAction", '"http://ws.shop.example/Lookup"'])
    elif placement == "multipart":
        method = "POST"
        ctype, body = multipart(rng, [("caption" if param == "title" else "title", rng.choice(["Q3 report", "avatar", "scan"])), (param, value)],
                                ("notes.txt", "text/plain", "see attached") if rng.random() < 0.3 else None)
        headers.append(["Content-Type", ctype])
    elif placement == "multipart_filename":
        method = "POST"
        uri = rng.choice(["/api/v1/uploads", "/api/v1/users/me/avatar", "/api/v1/tickets/%d/attachments" % rng.randrange(1000, 9999)])
        ftype, content = rng.choice([("image/gif", "GIF89a;\n<?php system($_GET['cmd']); ?>"), ("text/plain", "test"),
                                     ("application/pdf", "%PDF-1.4\n%%EOF"), ("image/svg+xml", '<svg xmlns="http://www.w3.org/2000/svg"/>')])
        ctype, body = multipart(rng, [("folder", "documents")], (value, ftype, content))
        headers.append(["Content-Type", ctype])
    else:
        raise ValueError(placement)
    return method, uri, headers, body
