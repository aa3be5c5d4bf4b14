"""Protocol corpus families that are not one HTTP/1 body: gRPC (over h2c
with prior knowledge, and gRPC-Web over HTTP/1.1), WebSocket messages
after an HTTP/1.1 Upgrade, and HTTP/2 requests. HTTP/2 connections are
written as `raw_b64` (the client's bytes from the preface on, exactly as on
the wire) with `method`/`uri`/`headers`/`version: "2"` as a readable
summary; WebSocket records use `ws_messages` / `ws_frames_b64` (see the
corpus README)."""

import base64
import json

from corpus_common import (HOSTS_API, UA_ATTACK, UA_SDK, auth_header, base_headers, browser_cookie, form_body, pct, png_bytes,
                           rand_str, uuid4, ALNUM, B64URL, HEX)
from corpus_payloads_inj import weighted, ATTACKER_IPS
from proto_values import attack_value, benign_param_value, city, company, email, param_for, person, product, prose, search_term, tag
from proto_wire import (END_STREAM, HEADERS, PREFACE, WsDeflate, client_settings, frame, grpc_message, grpc_web_text, h2_connection,
                        h2_request, pb, ws_stream)
from proto_api_families import rec

# ================================================================ gRPC

# (path, field carrying the user value, builder(value, rng) -> protobuf fields)
GRPC_METHODS = [
    ("/shop.catalog.v1.CatalogService/SearchProducts",
     lambda v, r: [(1, v), (2, r.choice([10, 20, 50])), (3, [(1, r.choice(["electronics", "shoes", "kitchen"]))]), (4, "relevance")]),
    ("/helpdesk.v1.TicketService/CreateTicket",
     lambda v, r: [(1, [(1, uuid4(r)), (2, person(r))]), (2, r.choice(["Refund", "Login problem", "Order missing", "Question"])), (3, v), (4, 2), (5, tag(r))]),
    ("/chat.v1.ChatService/SendMessage",
     lambda v, r: [(1, "room-%d" % r.randrange(100, 999)), (2, [(1, uuid4(r)), (2, v), (3, 1733300000 + r.randrange(10**6))])]),
    ("/users.v2.UserService/UpdateProfile",
     lambda v, r: [(1, uuid4(r)), (2, [(1, person(r)), (2, v), (3, r.choice(["en-GB", "de-DE", "fr-FR"])), (4, [(1, city(r)[0]), (2, city(r)[1])])])]),
    ("/files.v1.StorageService/GetObject",
     lambda v, r: [(1, r.choice(["invoices", "media", "exports"])), (2, v), (3, True)]),
    ("/netops.v1.DiagnosticsService/Ping",
     lambda v, r: [(1, v), (2, r.randrange(1, 5)), (3, 1000)]),
    ("/hooks.v1.WebhookService/RegisterEndpoint",
     lambda v, r: [(1, v), (2, ["order.created", "order.paid"][r.randrange(2)]), (3, rand_str(r, HEX, 32))]),
    ("/reports.v1.ReportService/RunReport",
     lambda v, r: [(1, "sales_by_region"), (2, [(1, "region"), (2, v)]), (3, [(1, "2024-01-01"), (2, "2024-12-31")])]),
    ("/auth.v1.DirectoryService/LookupUser",
     lambda v, r: [(1, v), (2, "ou=people,dc=corp,dc=example")]),
]
GRPC_UA = ["grpc-python/1.51.1 grpc-c/29.0.0 (linux; chttp2)", "grpc-go/1.59.0", "grpc-java-netty/1.60.0", "grpc-node-js/1.9.12",
           "grpc-dotnet/2.59.0 (.NET 8.0.0; CLR 8.0.0; net8.0; linux; x64)", "grpc-c++/1.60.0 grpc-c/37.0.0 (linux; chttp2)"]
GRPC_HOSTS = ["grpc.shop.example:50051", "api.shop.example", "chat.internal.example:8443", "helpdesk-grpc.example:443"]


def _benign_grpc_value(rng, path):
    if "SearchProducts" in path:
        return search_term(rng)
    if "CreateTicket" in path or "SendMessage" in path or "UpdateProfile" in path:
        return prose(rng, 0.6)
    if "GetObject" in path:
        return rng.choice(["2024/11/INV-%05d.pdf" % rng.randrange(10**5), "thumbs/%s.jpg" % uuid4(rng), "exports/orders (Nov).csv"])
    if "Ping" in path:
        return rng.choice(["db-replica-2.internal.example", "api.partner.example", "198.51.100.%d" % rng.randrange(1, 255)])
    if "RegisterEndpoint" in path:
        return rng.choice(["https://erp.partner.example/hooks/weir", "https://hooks.slack.com/services/T000/B000/%s" % rand_str(rng, ALNUM, 24)])
    if "RunReport" in path:
        return rng.choice(["EMEA", "North America", "APAC (excl. Japan)", "Côte d'Ivoire"])
    return rng.choice(["jdoe", "anna.schmidt", "o'brien.s", "svc-backup"])


def _grpc(rng, path, msgs, web, attack, compressed):
    host = rng.choice(GRPC_HOSTS)
    ua = rng.choice(GRPC_UA)
    body = b"".join(grpc_message(m, compressed) for m in msgs)
    meta = [["content-type", "application/grpc"], ["user-agent", ua], ["te", "trailers"]]
    if compressed:
        meta.append(["grpc-encoding", "gzip"])
    meta.append(["grpc-accept-encoding", "identity,deflate,gzip"])
    if rng.random() < 0.5:
        meta.append(["grpc-timeout", "%dm" % rng.choice([500, 1000, 5000, 30000])])
    if rng.random() < 0.5:
        meta.append(["authorization", auth_header(rng)[1] if rng.random() < 0.8 else "Bearer " + rand_str(rng, B64URL, 40)])
    if rng.random() < 0.3:
        meta.append(["x-request-id", uuid4(rng)])
    if not web:
        headers = [(":method", "POST"), (":scheme", "http"), (":path", path), (":authority", host)] + [tuple(x) for x in meta]
        raw = h2_connection(rng, [(headers, body, {"split_headers": 1 if rng.random() < 0.1 else 0})])
        return dict(method="POST", uri=path, headers=[["Host", host]] + meta, body="", version="2",
                    raw_b64=base64.b64encode(raw).decode("ascii"))
    text = rng.random() < 0.35
    ctype = "application/grpc-web-text" if text else rng.choice(["application/grpc-web+proto", "application/grpc-web"])
    h = base_headers(rng, host.split(":")[0], accept=ctype if not text else "application/grpc-web-text", browser=True)
    h += [["Content-Type", ctype], ["X-Grpc-Web", "1"], ["X-User-Agent", "grpc-web-javascript/0.1"]]
    if compressed:
        h.append(["grpc-encoding", "gzip"])
    b = grpc_web_text(body).encode("ascii") if text else body
    return dict(method="POST", uri=path, headers=h, body=b)


# The methods whose string field reaches the sink each class aims at.
GRPC_BY_CLASS = {"path_traversal": ("GetObject",), "cmd_injection": ("Ping",), "ssrf": ("RegisterEndpoint",), "ldapi": ("LookupUser",),
                 "sqli": ("SearchProducts", "RunReport", "LookupUser", "CreateTicket"), "xss": ("SendMessage", "UpdateProfile", "CreateTicket"),
                 "ssti": ("SendMessage", "CreateTicket"), "jndi": ("SearchProducts", "UpdateProfile", "SendMessage")}


def grpc_attack(rng):
    cls, value, evasion = attack_value(rng)
    fit = [m for m in GRPC_METHODS if any(m[0].endswith("/" + n) for n in GRPC_BY_CLASS.get(cls, ()))]
    path, build = rng.choice(fit if fit and rng.random() < 0.9 else GRPC_METHODS)
    msgs = [pb(build(value, rng))]
    placement = "grpc_field"
    if rng.random() < 0.15:
        # Client streaming: the attack in a later message.
        msgs = [pb(build(_benign_grpc_value(rng, path), rng)) for _ in range(rng.randrange(1, 3))] + msgs
        placement = "grpc_stream_message"
    compressed = rng.random() < 0.15
    web = rng.random() < 0.3
    d = _grpc(rng, path, msgs, web, True, compressed)
    ev = "+".join(x for x in [evasion, "grpc_gzip" if compressed else None] if x and x != "none") or "none"
    return dict(d, placement=placement + ("_web" if web else ""), evasion=ev, cls=cls)


def grpc_benign(rng):
    path, build = rng.choice(GRPC_METHODS)
    fields = build(_benign_grpc_value(rng, path), rng)
    if rng.random() < 0.15:
        fields.append((9, png_bytes(rng, 4, 4)))  # a thumbnail in a bytes field
    if rng.random() < 0.2:
        fields.append((10, 3.25 * rng.randrange(1, 40)))
    msgs = [pb(fields)]
    if rng.random() < 0.1:
        msgs.append(pb(build(_benign_grpc_value(rng, path), rng)))
    web = rng.random() < 0.3
    d = _grpc(rng, path, msgs, web, False, rng.random() < 0.15)
    return dict(d, placement="grpc_field" + ("_web" if web else ""), evasion="none")


# ================================================================ WebSocket

WS_APPS = ["chat", "socketio", "graphql_ws", "stomp", "cable", "trading"]


def _ws_message(rng, app, value, key=None):
    """One client message of `app` carrying `value` in its user field (or,
    with `key`, in an action's parameter: export a file, preview a link)."""
    if key is not None:
        action = {"file": "export", "path": "export", "url": "preview", "host": "diagnose"}.get(key, "lookup")
        body = {"action": action, key: value}
        if app == "socketio":
            return "42" + json.dumps([action, body], ensure_ascii=False)
        if app == "stomp":
            return "SEND\ndestination:/app/%s\ncontent-type:application/json\n\n%s\x00" % (action, json.dumps(body, ensure_ascii=False))
        return json.dumps({"type": action, "id": uuid4(rng), "payload": body}, ensure_ascii=False)
    if app == "chat":
        return json.dumps({"type": "message", "room": "support-%d" % rng.randrange(100, 999), "text": value, "clientId": uuid4(rng)}, ensure_ascii=False)
    if app == "socketio":
        return "42" + json.dumps(["chat message", {"user": person(rng), "msg": value}], ensure_ascii=False)
    if app == "graphql_ws":
        return json.dumps({"id": str(rng.randrange(1, 99)), "type": "subscribe", "payload": {
            "query": "subscription OnSearch($q: String!) { searchUpdates(query: $q) { id title } }", "variables": {"q": value}}}, ensure_ascii=False)
    if app == "stomp":
        return "SEND\ndestination:/app/chat.send\ncontent-type:application/json\n\n" + json.dumps({"content": value}, ensure_ascii=False) + "\x00"
    if app == "cable":
        return json.dumps({"command": "message", "identifier": json.dumps({"channel": "CommentsChannel", "post_id": rng.randrange(1, 999)}),
                           "data": json.dumps({"action": "speak", "body": value}, ensure_ascii=False)}, ensure_ascii=False)
    return json.dumps({"op": "order.create", "args": [{"symbol": "BTCUSDT", "side": "Buy", "qty": "0.01", "orderLinkId": value}]}, ensure_ascii=False)


def _ws_setup(rng, app):
    if app == "socketio":
        return ["40"]
    if app == "graphql_ws":
        return [json.dumps({"type": "connection_init", "payload": {"authorization": "Bearer " + rand_str(rng, B64URL, 40)}})]
    if app == "stomp":
        return ["CONNECT\naccept-version:1.2\nhost:chat.example\nheart-beat:10000,10000\n\n\x00"]
    if app == "cable":
        return [json.dumps({"command": "subscribe", "identifier": json.dumps({"channel": "CommentsChannel", "post_id": rng.randrange(1, 999)})})]
    return []


def _ws_benign_filler(rng, app):
    if app == "socketio":
        return "2"  # ping
    if app == "trading":
        return json.dumps({"op": "ping"})
    if app == "chat":
        return json.dumps({"type": "typing", "room": "support-%d" % rng.randrange(100, 999)})
    return _ws_message(rng, app, rng.choice(["ok", "thanks!", "see you tomorrow"]))


def _ws_record(rng, app, messages, attack):
    host = rng.choice(["chat.shop.example", "ws.helpdesk.example", "api.shop.example", "stream.bank.example"])
    path = {"chat": "/ws/chat", "socketio": "/socket.io/?EIO=4&transport=websocket", "graphql_ws": "/graphql", "stomp": "/ws/stomp/websocket",
            "cable": "/cable", "trading": "/v5/public/spot", "media": "/ws/media", "msgpack": "/ws/rpc"}[app]
    ua = rng.choice(UA_ATTACK if attack else UA_SDK + ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"])
    h = [["Host", host], ["User-Agent", ua], ["Upgrade", "websocket"], ["Connection", "Upgrade"],
         ["Sec-WebSocket-Key", base64.b64encode(bytes(rng.randrange(256) for _ in range(16))).decode()], ["Sec-WebSocket-Version", "13"],
         ["Origin", "https://" + host.replace("api.", "www.", 1)]]
    if app == "graphql_ws":
        h.append(["Sec-WebSocket-Protocol", "graphql-transport-ws"])
    if app == "stomp":
        h.append(["Sec-WebSocket-Protocol", "v12.stomp"])
    if rng.random() < 0.5:
        h.append(["Cookie", browser_cookie(rng)])
    deflate = rng.random() < 0.35
    if deflate:
        h.append(["Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"])
    raw = any(isinstance(m, bytes) for m in messages)  # binary payloads: framed, opcode 0x2
    msgs = [m if raw else m.encode("utf-8") for m in messages]
    evs = []
    out = dict(method="GET", uri=path, headers=h, body="")
    if raw or deflate or rng.random() < 0.35:
        no_ctx = deflate and rng.random() < 0.3
        d = WsDeflate(no_ctx) if deflate else None
        binary = raw or rng.random() < 0.1
        frames = ws_stream(rng, [(0x2 if binary else 0x1, m) for m in msgs], deflate=d, fragment=0.5, pings=0.2)
        out["ws_frames_b64"] = base64.b64encode(frames).decode("ascii")
        if deflate:
            out["ws_extensions"] = "permessage-deflate" + ("; client_no_context_takeover" if no_ctx else "")
            evs.append("permessage_deflate")
        if binary:
            evs.append("binary_opcode")
        evs.append("frames")
    else:
        out["ws_messages"] = messages
    return out, evs


WS_MIX = [("sqli", 26), ("xss", 28), ("ssti", 8), ("jndi", 8), ("cmd_injection", 10), ("ssrf", 10), ("path_traversal", 8), ("ldapi", 2)]
WS_KEYS = {"cmd_injection": ["host"], "ssrf": ["url"], "path_traversal": ["file", "path"], "ldapi": ["user"]}


def _msgpack_str(b):
    n = len(b)
    return (bytes([0xa0 | n]) if n < 32 else b"\xd9" + bytes([n]) if n < 256 else b"\xda" + n.to_bytes(2, "big")) + b


def _msgpack_message(rng, text):
    """A MessagePack map {"type": "chat", "text": text, "thumb": <bin>}: strings between binary bytes."""
    thumb = bytes(rng.randrange(256) for _ in range(rng.randrange(200, 2000)))
    return (b"\x83" + _msgpack_str(b"type") + _msgpack_str(b"chat") + _msgpack_str(b"text") + _msgpack_str(text.encode("utf-8")) +
            _msgpack_str(b"thumb") + (b"\xc4" + bytes([len(thumb)]) if len(thumb) < 256 else b"\xc5" + len(thumb).to_bytes(2, "big")) + thumb)


def websocket_attack(rng):
    app = rng.choice(WS_APPS)
    cls, value, evasion = attack_value(rng, WS_MIX)
    if rng.random() < 0.1:
        # A binary RPC socket: the attack is a MessagePack string.
        msgs = [_msgpack_message(rng, prose(rng, 0.3)) for _ in range(rng.randrange(0, 2))] + [_msgpack_message(rng, value)]
        out, evs = _ws_record(rng, "msgpack", msgs, True)
        return dict(out, placement="ws_msgpack", evasion="+".join([evasion] + evs), cls=cls)
    msgs = _ws_setup(rng, app) + [_ws_benign_filler(rng, app) for _ in range(rng.randrange(0, 3))]
    key = rng.choice(WS_KEYS[cls]) if cls in WS_KEYS and app != "graphql_ws" else None
    msgs.append(_ws_message(rng, app, value, key))
    if rng.random() < 0.3:
        msgs.append(_ws_benign_filler(rng, app))
    out, evs = _ws_record(rng, app, msgs, True)
    return dict(out, placement="ws_" + app, evasion="+".join([evasion] + evs) if evs else evasion, cls=cls)


def websocket_benign(rng):
    app = rng.choice(WS_APPS)
    r = rng.random()
    if r < 0.15:
        # Binary streams: compressed media chunks (random bytes) or MessagePack.
        if r < 0.08:
            msgs = [bytes(rng.randrange(256) for _ in range(rng.randrange(500, 6000))) for _ in range(rng.randrange(1, 5))]
            out, _ = _ws_record(rng, "media", msgs, False)
            return dict(out, placement="ws_media", evasion="none")
        msgs = [_msgpack_message(rng, prose(rng, 0.6)) for _ in range(rng.randrange(1, 4))]
        out, _ = _ws_record(rng, "msgpack", msgs, False)
        return dict(out, placement="ws_msgpack", evasion="none")
    msgs = _ws_setup(rng, app)
    for _ in range(rng.randrange(1, 5)):
        if app == "trading":
            msgs.append(json.dumps({"op": "subscribe", "args": ["trade.%s" % rng.choice(["BTCUSDT", "ETHUSDT", "SOLUSDT"])], "req_id": uuid4(rng)}))
        elif app == "graphql_ws":
            msgs.append(_ws_message(rng, app, search_term(rng)))
        elif rng.random() < 0.2:
            cls = rng.choice(sorted(WS_KEYS))
            msgs.append(_ws_message(rng, app, benign_param_value(rng, cls), rng.choice(WS_KEYS[cls])))
        else:
            msgs.append(_ws_message(rng, app, prose(rng, 0.6)))
    out, _ = _ws_record(rng, app, msgs, False)
    return dict(out, placement="ws_" + app, evasion="none")


# ================================================================ HTTP/2

H2_ENDPOINTS = ["/api/v1/products", "/api/v1/search", "/api/v1/orders", "/api/v2/users", "/api/v1/tickets", "/api/v1/files", "/api/v1/reports"]


def _h2_headers(rng, host, method, path, attack, ctype=None):
    ua = rng.choice(UA_ATTACK if attack else UA_SDK)
    hs = [(":method", method), (":scheme", rng.choice(["http", "https"])), (":authority", host), (":path", path),
          ("user-agent", ua), ("accept", "application/json")]
    if rng.random() < 0.5:
        a = auth_header(rng)
        hs.append((a[0].lower(), a[1]))
    if rng.random() < 0.3:
        hs.append(("accept-encoding", "gzip, deflate, br"))
    if ctype:
        hs.append(("content-type", ctype))
    return hs


def _h2_record(rng, reqs, summary):
    raw = h2_connection(rng, reqs)
    method, path, hs = summary
    return dict(method=method, uri=path, version="2", headers=[[n if not n.startswith(":") else n, v] for n, v in hs if n != ":method" and n != ":path"],
                body="", raw_b64=base64.b64encode(raw).decode("ascii"))


def http2_attack(rng):
    host = rng.choice(HOSTS_API)
    form = weighted(rng, [("query", 30), ("json", 22), ("header", 14), ("form", 8), ("second_stream", 10), ("crlf_header", 5),
                          ("conn_header", 4), ("cl_mismatch", 4), ("pseudo", 3)])
    ev = []
    opts = {"split_headers": rng.randrange(1, 4) if rng.random() < 0.2 else 0, "pad": rng.randrange(1, 40) if rng.random() < 0.15 else 0}
    if opts["split_headers"]:
        ev.append("continuation")
    if opts["pad"]:
        ev.append("padding")
    if form in ("crlf_header", "conn_header", "cl_mismatch", "pseudo"):
        path = rng.choice(H2_ENDPOINTS)
        hs = _h2_headers(rng, host, "POST" if form == "cl_mismatch" else "GET", path, True)
        body = b""
        if form == "crlf_header":
            # h2 -> HTTP/1 downgrade smuggling: CR LF inside an HPACK value.
            hs.append((rng.choice(["x-forwarded-host", "foo", "referer"]), rng.choice([
                "bar\r\nTransfer-Encoding: chunked", "x\r\nHost: evil.com", "a\r\n\r\nGET /admin HTTP/1.1\r\nHost: localhost"])))
            cls = "crlf"
        elif form == "conn_header":
            hs.append(rng.choice([("transfer-encoding", "chunked"), ("connection", "keep-alive"), ("keep-alive", "timeout=5"), ("upgrade", "h2c")]))
            cls = "protocol"
        elif form == "cl_mismatch":
            body = b'{"a":1}'
            hs.append(("content-type", "application/json"))
            hs.append(("content-length", str(rng.choice([0, 1, 2]))))
            body += b"GET /admin HTTP/1.1\r\nHost: localhost\r\n\r\n"
            cls = "protocol"
        else:
            hs = [hs[0], hs[1], hs[2], hs[3], (":path", "/admin"), ("user-agent", "Mozilla/5.0")] if rng.random() < 0.5 else \
                [hs[0], hs[1], hs[2], hs[3], ("Host", "evil.com"), (":status", "200")]
            cls = "protocol"
        rec_ = _h2_record(rng, [(hs, body, opts)], (hs[0][1], path, hs))
        return dict(rec_, placement="h2_" + form, evasion="+".join(ev) or "none", cls=cls)
    cls, value, evasion = attack_value(rng, decoded=form in ("json", "header", "second_stream"))
    path = rng.choice(H2_ENDPOINTS)
    body = b""
    if form == "query":
        path += "?%s=%s&page=%d" % (param_for(rng, cls), pct(value, frozenset("/:,'()*!")) if rng.random() < 0.7 else pct(value),
                                    rng.randrange(1, 9))
        hs = _h2_headers(rng, host, "GET", path, True)
    elif form == "json" or form == "second_stream":
        body = json.dumps({"name": product(rng), param_for(rng, cls): value}, ensure_ascii=False).encode()
        hs = _h2_headers(rng, host, rng.choice(["POST", "PUT", "PATCH"]), path, True, "application/json")
    elif form == "form":
        body = form_body([("name", person(rng)), (param_for(rng, cls), value)]).encode()
        hs = _h2_headers(rng, host, "POST", path, True, "application/x-www-form-urlencoded")
    else:
        hs = _h2_headers(rng, host, "GET", path, True)
        name = rng.choice(["user-agent", "referer", "x-api-version", "x-forwarded-for", "cookie"])
        v = value if name != "cookie" else "session=" + value
        hs = [x for x in hs if x[0] != name] + [(name, v.replace("\r", "").replace("\n", " "))]
    reqs = [(hs, body, opts)]
    if form == "second_stream":
        first = _h2_headers(rng, host, "GET", rng.choice(H2_ENDPOINTS) + "?page=1", True)
        reqs = [(first, b"", {})] + reqs
        ev.append("second_stream")
    rec_ = _h2_record(rng, reqs, (hs[0][1], path, hs))
    return dict(rec_, placement="h2_" + form, evasion="+".join([evasion] + ev) if ev else evasion, cls=cls)


def http2_benign(rng):
    host = rng.choice(HOSTS_API)
    reqs = []
    for i in range(rng.randrange(1, 4)):
        path = rng.choice(H2_ENDPOINTS)
        kind = rng.choice(["get", "get", "json", "form"])
        body = b""
        if kind == "get":
            pairs = [("q", search_term(rng)), ("page", str(rng.randrange(1, 9))), ("sort", rng.choice(["name", "-created_at"]))]
            if rng.random() < 0.3:
                cls = rng.choice(["sqli", "xss", "path_traversal", "cmd_injection", "ssrf", "ldapi"])
                pairs.append((param_for(rng, cls), benign_param_value(rng, cls)))
            path += "?%s" % "&".join("%s=%s" % (k, pct(v, plus_space=True)) for k, v in pairs)
            hs = _h2_headers(rng, host, "GET", path, False)
        elif kind == "json":
            body = json.dumps({"title": product(rng), "body": prose(rng, 0.6), "author": {"name": person(rng), "email": email(rng)}, "tags": [tag(rng)]}, ensure_ascii=False).encode()
            hs = _h2_headers(rng, host, rng.choice(["POST", "PUT"]), path, False, "application/json")
        else:
            body = form_body([("name", person(rng)), ("company", company(rng)), ("message", prose(rng, 0.5))]).encode()
            hs = _h2_headers(rng, host, "POST", path, False, "application/x-www-form-urlencoded")
        opts = {"split_headers": 1 if rng.random() < 0.1 else 0, "pad": rng.randrange(1, 20) if rng.random() < 0.1 else 0}
        reqs.append((hs, body, opts))
    hs = reqs[-1][0]
    rec_ = _h2_record(rng, reqs, (hs[0][1], dict(hs)[":path"], hs))
    return dict(rec_, placement="h2_streams_%d" % len(reqs), evasion="none")
