"""Benign API traffic: REST CRUD, search, forms, GraphQL, SOAP, webhooks,
analytics beacons, uploads, OAuth, CORS preflights.

Every generator returns (method, uri, headers, body, kind, hard) where `hard`
marks a hard negative: benign content that contains quotes, SQL/shell words,
markup, code or encoded URLs as ordinary users write them.
"""

import json
import unicodedata

from corpus_common import (HOSTS_API, HOST_GRAPHQL, HOST_SOAP, ALNUM, HEX, B64URL, auth_header, b64, base_headers, browser_cookie,
                           form_body, gzip_bytes, ip_client, pct, png_bytes, query_string, rand_str, uuid4, xml_text, json_dumps, make_request)
from corpus_placement import multipart
from corpus_text import (FIRST, LAST, CITIES, STREETS, PRODUCTS, CATEGORIES, TAGS, DOMAINS, COMPANIES, EVERYDAY, HARD_PROSE,
                         CODE_SNIPPETS, MARKDOWN, RICH_HTML, SEARCH_TERMS, HARD_SEARCH, FOREIGN, TEMPLATES, HARD_TEMPLATES)

RESOURCES = ["users", "orders", "products", "tickets", "comments", "customers", "invoices", "shipments", "reviews", "carts", "subscriptions",
             "articles", "bookings", "appointments", "employees", "projects", "tasks", "payments", "addresses", "notifications"]
STATUSES = ["active", "pending", "shipped", "cancelled", "open", "closed", "draft", "published", "paid", "refunded"]


class Ctx:
    """Random helpers bound to one generator."""

    def __init__(self, rng):
        self.rng = rng

    def name(self):
        return "%s %s" % (self.rng.choice(FIRST), self.rng.choice(LAST))

    def email(self, name=None):
        name = name or self.name()
        local = name.lower().replace(" ", self.rng.choice([".", "_", ""])).replace("'", "")
        local = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode("ascii")
        local = "".join(c for c in local if c.isalnum() or c in "._-") or "user"
        if self.rng.random() < 0.2:
            local += "+" + self.rng.choice(["shop", "news", "2024"])
        return "%s@%s" % (local, self.rng.choice(DOMAINS))

    def phone(self):
        r = self.rng
        return r.choice(["+1 (555) 01%d-%04d" % (r.randrange(10), r.randrange(10000)), "+44 20 7946 0%03d" % r.randrange(1000),
                         "+49 30 901820%02d" % r.randrange(100), "+33 1 23 45 67 %02d" % r.randrange(100), "555-01%02d" % r.randrange(100)])

    def date(self):
        r = self.rng
        return "2024-%02d-%02d" % (r.randrange(1, 13), r.randrange(1, 29))

    def ts(self):
        r = self.rng
        return "%sT%02d:%02d:%02d%s" % (self.date(), r.randrange(24), r.randrange(60), r.randrange(60), r.choice(["Z", ".%03dZ" % r.randrange(1000), "+01:00"]))

    def rid(self):
        r = self.rng.random()
        if r < 0.45:
            return str(self.rng.randrange(1, 500000))
        if r < 0.8:
            return uuid4(self.rng)
        return self.rng.choice(["ord_", "cus_", "prd_", "tkt_", "inv_"]) + rand_str(self.rng, ALNUM, 14)

    def price(self):
        return round(self.rng.randrange(99, 99999) / 100.0, 2)

    def fill(self, tpl):
        r = self.rng
        return tpl.format(p=r.choice(PRODUCTS), n="#%d" % r.randrange(10**5, 10**6), n2="#%d" % r.randrange(10**5, 10**6), d=self.date(),
                          who=r.choice(FIRST), c=r.choice(CITIES)[0], k=r.randrange(2, 30))

    def prose(self, hard_p=0.09):
        r = self.rng.random()
        if r < hard_p * 0.6:
            return self.rng.choice(HARD_PROSE), True
        if r < hard_p:
            return self.fill(self.rng.choice(HARD_TEMPLATES)), True
        if r < 0.45:
            text = self.fill(self.rng.choice(TEMPLATES))
        elif r < 0.55:
            text = self.rng.choice(FOREIGN)
        else:
            text = self.rng.choice(EVERYDAY)
        return text, any(q in text for q in ("'", "\"", "&", "<"))

    def address(self):
        city, cc, zipc = self.rng.choice(CITIES)
        return {"line1": "%d %s" % (self.rng.randrange(1, 300), self.rng.choice(STREETS)), "city": city, "postal_code": zipc, "country": cc}

    def headers(self, host=None, accept="application/json", browser=None, auth=0.7, cookie=None):
        host = host or self.rng.choice(HOSTS_API)
        if accept == "application/json":
            accept = self.rng.choice(["application/json"] * 5 + ["application/json, text/plain, */*"] * 3 + ["*/*", "application/vnd.api+json", "application/hal+json"])
        h = base_headers(self.rng, host, accept=accept, browser=browser)
        is_browser = any(k == "Accept-Language" for k, _ in h)
        if self.rng.random() < auth:
            h.append(auth_header(self.rng))
        if cookie or (cookie is None and is_browser and self.rng.random() < 0.6):
            h.append(["Cookie", browser_cookie(self.rng, long=self.rng.random() < 0.15)])
        if self.rng.random() < 0.25:
            h.append(["X-Request-ID", uuid4(self.rng)])
        if self.rng.random() < 0.12:
            h.append(["X-Forwarded-For", ip_client(self.rng) if self.rng.random() < 0.7 else "%s, %s" % (ip_client(self.rng), ip_client(self.rng))])
        if self.rng.random() < 0.05:
            h.append(["traceparent", "00-%s-%s-01" % (rand_str(self.rng, HEX, 32), rand_str(self.rng, HEX, 16))])
        return h


def resource_body(c, res):
    r = c.rng
    hard = False
    if res in ("users", "customers", "employees"):
        n = c.name()
        body = {"name": n, "email": c.email(n), "phone": c.phone(), "locale": r.choice(["en-US", "de-DE", "fr-FR", "en-GB"])}
        if r.random() < 0.5:
            body["address"] = c.address()
        if r.random() < 0.3:
            body["company"] = r.choice(COMPANIES)
        hard = "'" in n
    elif res in ("orders", "carts"):
        body = {"customer_id": c.rid(), "currency": r.choice(["EUR", "USD", "GBP"]),
                "items": [{"sku": "SKU-%05d" % r.randrange(100000), "name": r.choice(PRODUCTS), "qty": r.randrange(1, 5), "unit_price": c.price()} for _ in range(r.randrange(1, 4))],
                "shipping_address": c.address()}
        if r.random() < 0.25:
            note, hard = c.prose(0.2)
            body["note"] = note
        if r.random() < 0.2:
            body["coupon"] = r.choice(["WELCOME10", "BLACKFRIDAY", "SPRING-24", "FREESHIP"])
    elif res == "products":
        body = {"title": r.choice(PRODUCTS), "category": r.choice(CATEGORIES), "price": c.price(), "stock": r.randrange(0, 500),
                "tags": r.sample(TAGS, 2), "attributes": {"color": r.choice(["black", "navy", "red", "white"]), "size": r.choice(["S", "M", "L", "XL", "42"])}}
        if r.random() < 0.15:
            body["description_html"] = r.choice(RICH_HTML)
            hard = True
        hard = hard or "'" in body["title"] or "\"" in body["title"]
    elif res in ("tickets", "comments", "reviews", "articles", "tasks"):
        return ticket_body(c, res)
    elif res in ("bookings", "appointments"):
        body = {"start": c.ts(), "duration_minutes": r.choice([15, 30, 45, 60]), "resource_id": c.rid(), "attendee": {"name": c.name(), "email": c.email()},
                "timezone": r.choice(["Europe/Berlin", "America/New_York", "UTC", "Asia/Tokyo"])}
    elif res == "payments":
        body = {"amount": r.randrange(100, 50000), "currency": r.choice(["eur", "usd"]), "payment_method": "pm_" + rand_str(r, ALNUM, 24),
                "idempotency_key": uuid4(r), "description": "Order %d" % r.randrange(10000, 99999)}
    elif res == "addresses":
        body = dict(c.address(), name=c.name(), phone=c.phone())
        hard = "'" in body["line1"] or "Union" in body["line1"] or "Select" in body["line1"]
    elif res == "subscriptions":
        body = {"plan": r.choice(["basic-monthly", "pro-yearly", "team-monthly"]), "seats": r.randrange(1, 50), "trial": r.random() < 0.3,
                "billing_email": c.email()}
    elif res == "shipments":
        body = {"carrier": r.choice(["DHL", "UPS", "FedEx", "La Poste"]), "tracking_number": rand_str(r, "0123456789", 12),
                "weight_kg": round(r.random() * 20, 2), "dimensions_cm": [r.randrange(10, 80) for _ in range(3)]}
    elif res == "projects":
        body = {"name": r.choice(["Website relaunch", "Q3 migration", "Mobile app v6", "Data warehouse"]), "owner": c.email(), "due": c.date(),
                "members": [c.rid() for _ in range(r.randrange(1, 5))]}
    elif res == "notifications":
        body = {"channel": r.choice(["email", "sms", "push"]), "enabled": r.random() < 0.7, "quiet_hours": {"from": "22:00", "to": "07:00"}}
    else:
        body = {"name": c.name(), "status": r.choice(STATUSES)}
    return body, hard


def ticket_body(c, res):
    r = c.rng
    x = r.random()
    hard = False
    if x < 0.72:
        text, hard = c.prose(0.1)
        if r.random() < 0.4:
            text2, h2 = c.prose(0.1)
            text, hard = text + " " + text2, hard or h2
    elif x < 0.82:
        text, hard = r.choice(MARKDOWN), True
    elif x < 0.91:
        text, hard = r.choice(RICH_HTML), True
    else:
        text, hard = r.choice(EVERYDAY) + "\n\n" + r.choice(CODE_SNIPPETS), True
    key = {"tickets": "description", "comments": "body", "reviews": "text", "articles": "content", "tasks": "details"}[res]
    body = {key: text}
    if res == "tickets":
        body.update({"subject": r.choice(["Refund request", "Cannot log in", "Wrong item delivered", "API returns 500", "Invoice question", "Feature idea"]),
                     "priority": r.choice(["low", "normal", "high"]), "requester": {"name": c.name(), "email": c.email()}, "tags": r.sample(TAGS, r.randrange(0, 3))})
    elif res == "reviews":
        body.update({"rating": r.randrange(1, 6), "product_id": c.rid(), "author": c.name()})
    elif res == "comments":
        body.update({"parent_id": None if r.random() < 0.6 else c.rid(), "mentions": [c.rid()] if r.random() < 0.2 else []})
    elif res == "articles":
        body.update({"title": r.choice(["Getting started", "How we ship faster", "Spring sale FAQ", "Union Station pop-up store"]), "format": r.choice(["markdown", "html"])})
    return body, hard


WORDS = ["sunset", "Coffee", "tiger", "Blue", "maple", "Falcon", "river", "Winter", "paper", "Orbit", "lemon", "Harbor"]


def password(r):
    """Passwords as people choose them; a few carry quotes or angle brackets."""
    x = r.random()
    if x < 0.45:
        return r.choice(WORDS) + r.choice(WORDS) + str(r.randrange(10, 9999)) + r.choice(["!", "?", "#", ".", "", "$", "*"])
    if x < 0.9:
        return rand_str(r, ALNUM + "!@#$%&*-_.?", r.randrange(12, 24))
    return rand_str(r, ALNUM, 6) + r.choice(["'", "\"", "<", ">", ";", "--", "/*", "=", "|", "`"]) + rand_str(r, ALNUM + "!#", 6)


def g_list(c):
    r = c.rng
    res = r.choice(RESOURCES)
    pairs = []
    for k, f in [("page", lambda: r.randrange(1, 30)), ("per_page", lambda: r.choice([10, 20, 25, 50, 100])), ("sort", lambda: r.choice(["created_at", "-created_at", "name", "-total", "updated_at:desc"])),
                 ("status", lambda: r.choice(STATUSES)), ("created_after", c.date), ("fields", lambda: r.choice(["id,name,email", "id,total,status", "id,title"])),
                 ("cursor", lambda: b64(json.dumps({"id": r.randrange(10**6)}))), ("include", lambda: r.choice(["items", "customer,items", "author"])),
                 ("filter[status]", lambda: r.choice(STATUSES)), ("tag", lambda: r.choice(TAGS)), ("updated_since", c.ts)]:
        if r.random() < 0.35:
            pairs.append((k, f()))
    uri = "/api/v%d/%s" % (r.choice([1, 1, 2]), res)
    if pairs:
        uri += "?" + query_string(pairs, r)
    return "GET", uri, c.headers(), "", "rest_list", False


def g_get(c):
    r = c.rng
    res = r.choice(RESOURCES)
    if r.random() < 0.3:
        uri = "/api/v1/%s/%s/%s" % (res, c.rid(), r.choice(["items", "history", "comments", "attachments", "events"]))
    else:
        uri = "/api/v1/%s/%s" % (res, c.rid())
    if r.random() < 0.15:
        uri += "?expand=" + r.choice(["customer", "items.product", "author"])
    return r.choice(["GET"] * 9 + ["HEAD"]), uri, c.headers(), "", "rest_get", False


def g_create(c):
    r = c.rng
    res = r.choice(RESOURCES)
    body, hard = resource_body(c, res)
    h = c.headers()
    h.append(["Content-Type", r.choice(["application/json", "application/json; charset=utf-8"])])
    if r.random() < 0.2:
        h.append(["Idempotency-Key", uuid4(r)])
    return "POST", "/api/v%d/%s" % (r.choice([1, 2]), res), h, json_dumps(body, r), "rest_create", hard


def g_update(c):
    r = c.rng
    res = r.choice(RESOURCES)
    body, hard = resource_body(c, res)
    method = r.choice(["PUT", "PATCH", "PATCH"])
    if method == "PATCH" and r.random() < 0.5:
        keys = list(body.keys())
        body = {k: body[k] for k in r.sample(keys, max(1, len(keys) // 2))}
        ct = "application/json"
        if r.random() < 0.2:
            body = [{"op": "replace", "path": "/status", "value": r.choice(STATUSES)}]
            ct = "application/json-patch+json"
            hard = False
    else:
        ct = "application/json"
    h = c.headers()
    h.append(["Content-Type", ct])
    if r.random() < 0.2:
        h.append(["If-Match", '"%s"' % rand_str(r, HEX, 16)])
    return method, "/api/v1/%s/%s" % (res, c.rid()), h, json_dumps(body, r), "rest_update", hard


def g_delete(c):
    r = c.rng
    res = r.choice(RESOURCES)
    uri = "/api/v1/%s/%s" % (res, c.rid())
    if r.random() < 0.2:
        uri += "?" + r.choice(["force=true", "reason=duplicate", "soft=1", "cascade=false"])
    return "DELETE", uri, c.headers(auth=0.95), "", "rest_delete", False


def g_preflight(c):
    r = c.rng
    host = r.choice(HOSTS_API)
    if r.random() < 0.7:
        h = [["Host", host], ["Origin", "https://" + host.replace("api.", "www.", 1)], ["Access-Control-Request-Method", r.choice(["POST", "PUT", "PATCH", "DELETE"])],
             ["Access-Control-Request-Headers", r.choice(["authorization,content-type", "content-type,x-request-id", "authorization"])],
             ["User-Agent", r.choice(base_headers(r, host, browser=True)[1:2])[1]], ["Accept", "*/*"]]
        return "OPTIONS", "/api/v1/%s%s" % (r.choice(RESOURCES), r.choice(["", "/" + c.rid()])), h, "", "cors_preflight", False
    return r.choice(["HEAD", "GET", "OPTIONS"]), r.choice(["/health", "/healthz", "/api/v1/status", "/ready", "/", "/api/v1"]), c.headers(auth=0.1, browser=False), "", "health_probe", False


def g_search(c):
    r = c.rng
    hard = r.random() < 0.15
    term = r.choice(HARD_SEARCH if hard else SEARCH_TERMS)
    if not hard and r.random() < 0.2:
        term = r.choice(PRODUCTS).lower()
        hard = "'" in term or "\"" in term or "&" in term
    pairs = [(r.choice(["q", "query", "search", "term", "keyword"]), term)]
    if r.random() < 0.5:
        pairs.append(("category", r.choice(CATEGORIES)))
    if r.random() < 0.4:
        pairs += [("min_price", r.randrange(0, 50)), ("max_price", r.randrange(60, 500))]
    if r.random() < 0.3:
        pairs.append(("sort", r.choice(["relevance", "price_asc", "newest"])))
    return "GET", r.choice(["/api/v1/search", "/api/v2/products/search", "/search", "/api/v1/catalog"]) + "?" + query_string(pairs, r), c.headers(auth=0.3), "", "search", hard


def g_ticket(c):
    r = c.rng
    res = r.choice(["tickets", "comments", "reviews", "articles", "tasks"])
    body, hard = ticket_body(c, res)
    base = "/api/v1/%s" % res if res != "comments" else "/api/v1/%s/%s/comments" % (r.choice(["tickets", "articles", "tasks", "orders"]), c.rid())
    h = c.headers(host=r.choice(["api.helpdesk.example", "api.blog.example", "api.shop.example", "app.crm.example"]))
    h.append(["Content-Type", "application/json"])
    return r.choice(["POST"] * 4 + ["PUT"]), base, h, json_dumps(body, r), "ticket_" + res, hard


def g_form(c):
    r = c.rng
    k = r.randrange(7)
    hard = False
    h = c.headers(accept=r.choice(["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/json"]), auth=0.05)
    if k == 0:
        uri, pairs, kind = "/login", [("email", c.email()), ("password", password(r)), ("remember_me", "on")], "form_login"
        if r.random() < 0.5:
            pairs.append(("_csrf", rand_str(r, B64URL, 43)))
        hard = any(ch in pairs[1][1] for ch in "'\"<>;")
    elif k == 1:
        n = c.name()
        uri, pairs, kind = "/signup", [("name", n), ("email", c.email(n)), ("password", rand_str(r, ALNUM + "!#$%&*", 14)), ("company", r.choice(COMPANIES)), ("terms", "1")], "form_signup"
        hard = "'" in n or "&" in pairs[3][1]
    elif k == 2:
        msg, hard = c.prose(0.3)
        uri, pairs, kind = "/contact", [("name", c.name()), ("email", c.email()), ("subject", r.choice(["Order question", "Partnership", "Press"])), ("message", msg)], "form_contact"
    elif k == 3:
        uri, pairs, kind = "/oauth/token", [("grant_type", r.choice(["client_credentials", "refresh_token", "authorization_code"])), ("client_id", rand_str(r, ALNUM, 20)),
                                            ("client_secret", rand_str(r, B64URL, 40)), ("scope", "orders:read orders:write")], "form_oauth_token"
        if pairs[0][1] == "refresh_token":
            pairs.append(("refresh_token", rand_str(r, B64URL, 64)))
        elif pairs[0][1] == "authorization_code":
            pairs += [("code", rand_str(r, B64URL, 32)), ("redirect_uri", "https://app.shop.example/oauth/callback"), ("code_verifier", rand_str(r, B64URL, 64))]
            hard = True
    elif k == 4:
        uri, pairs, kind = "/newsletter/subscribe", [("email", c.email()), ("lists[]", "weekly"), ("lists[]", r.choice(["offers", "product-news"])), ("source", "footer")], "form_newsletter"
    elif k == 5:
        uri, pairs, kind = "/password/reset", [("email", c.email()), ("_token", rand_str(r, ALNUM, 40))], "form_password_reset"
    else:
        uri, pairs, kind = "/checkout/address", [("first_name", r.choice(FIRST)), ("last_name", r.choice(LAST)), ("street", "%d %s" % (r.randrange(1, 200), r.choice(STREETS))),
                                                  ("city", r.choice(CITIES)[0]), ("zip", r.choice(CITIES)[2]), ("phone", c.phone()), ("next", r.choice(["/checkout/payment", "/checkout/review"]))], "form_checkout"
        hard = "'" in pairs[1][1] or "Union" in pairs[2][1] or "Select" in pairs[2][1] or "Drop" in pairs[2][1]
    h.append(["Content-Type", "application/x-www-form-urlencoded"])
    return "POST", uri, h, form_body(pairs), kind, hard


GQL_QUERIES = [
    ("GetProduct", "query GetProduct($id: ID!) {\n  product(id: $id) {\n    id\n    title\n    price { amount currency }\n    images(first: 3) { url alt }\n  }\n}", lambda c: {"id": c.rid()}),
    ("ListOrders", "query ListOrders($first: Int = 20, $after: String) { viewer { orders(first: $first, after: $after) { edges { node { id total status createdAt } } pageInfo { hasNextPage endCursor } } } }",
     lambda c: {"first": 20, "after": b64("cursor:%d" % c.rng.randrange(1000))}),
    ("Search", "query Search($q: String!, $filters: ProductFilter) { search(query: $q, filters: $filters) { totalCount nodes { ... on Product { id title } ... on Collection { id handle } } } }",
     lambda c: {"q": c.rng.choice(SEARCH_TERMS + HARD_SEARCH[:6]), "filters": {"inStock": True}}),
    ("AddToCart", "mutation AddToCart($input: CartLineInput!) { cartLinesAdd(input: $input) { cart { id totalQuantity } userErrors { field message } } }",
     lambda c: {"input": {"merchandiseId": "gid://shop/ProductVariant/%d" % c.rng.randrange(10**6), "quantity": c.rng.randrange(1, 4)}}),
    ("UpdateProfile", "mutation UpdateProfile($input: ProfileInput!) { updateProfile(input: $input) { user { id displayName bio } } }",
     lambda c: {"input": {"displayName": c.name(), "bio": c.prose(0.2)[0]}}),
    ("PostComment", "mutation PostComment($postId: ID!, $body: String!) { addComment(postId: $postId, body: $body) { id createdAt } }",
     lambda c: {"postId": c.rid(), "body": c.rng.choice(EVERYDAY + MARKDOWN[:2] + HARD_PROSE[:10])}),
    ("Me", "query Me { me { id email name roles avatarUrl } }", lambda c: {}),
    ("Dashboard", "fragment OrderFields on Order { id total status }\nquery Dashboard { recent: orders(last: 5) { ...OrderFields } open: orders(status: OPEN) { ...OrderFields } }", lambda c: {}),
]


def g_graphql(c):
    r = c.rng
    op, q, varf = r.choice(GQL_QUERIES)
    variables = varf(c)
    vtext = json.dumps(variables, ensure_ascii=False)
    hard = any(ch in vtext for ch in "'<>&") or '\\"' in vtext or any(w in vtext for w in HARD_SEARCH + HARD_PROSE[:10])
    h = c.headers(host=r.choice(HOST_GRAPHQL), accept="application/graphql-response+json, application/json")
    x = r.random()
    if x < 0.7:
        h.append(["Content-Type", "application/json"])
        body = {"operationName": op, "query": q, "variables": variables}
        if r.random() < 0.15:
            body = {"operationName": op, "variables": variables, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": rand_str(r, HEX, 64)}}}
        return "POST", "/graphql", h, json_dumps(body, r), "graphql_post", hard
    if x < 0.85 and not op.startswith(("Add", "Update", "Post")):
        pairs = [("query", q.replace("\n", " ")), ("operationName", op)]
        if variables:
            pairs.append(("variables", json.dumps(variables, separators=(",", ":"))))
        return "GET", "/graphql?" + query_string(pairs, r, "strict"), h, "", "graphql_get", True
    h.append(["Content-Type", "application/graphql"])
    return "POST", "/graphql", h, q, "graphql_doc", False


def g_soap(c):
    r = c.rng
    host = r.choice(HOST_SOAP)
    op = r.randrange(4)
    sec = ""
    if r.random() < 0.4:
        sec = ('<soapenv:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">'
               '<wsse:UsernameToken><wsse:Username>svc-%s</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">%s</wsse:Password>'
               '</wsse:UsernameToken></wsse:Security></soapenv:Header>') % (r.choice(["erp", "billing", "wms"]), rand_str(r, ALNUM, 16))
    if op == 0:
        inner = "<ws:GetShipmentStatus><ws:TrackingNumber>%s</ws:TrackingNumber><ws:Language>en</ws:Language></ws:GetShipmentStatus>" % rand_str(r, "0123456789", 12)
        action = "GetShipmentStatus"
    elif op == 1:
        a = c.address()
        inner = ("<ws:CreateCustomer><ws:Customer><ws:Name>%s</ws:Name><ws:Email>%s</ws:Email><ws:Street>%s</ws:Street><ws:City>%s</ws:City>"
                 "<ws:Country>%s</ws:Country></ws:Customer></ws:CreateCustomer>") % (xml_text(c.name()), c.email(), xml_text(a["line1"]), xml_text(a["city"]), a["country"])
        action = "CreateCustomer"
    elif op == 2:
        inner = "<ws:GetAccountBalance><ws:AccountId>%s</ws:AccountId><ws:Currency>EUR</ws:Currency></ws:GetAccountBalance>" % ("DE%020d" % r.randrange(10**19))
        action = "GetAccountBalance"
    else:
        note, hard = c.prose(0.2)
        note = xml_text(note)
        inner = "<ws:SubmitOrder><ws:OrderRef>PO-%d</ws:OrderRef><ws:Lines><ws:Line sku=\"SKU-%05d\" qty=\"%d\"/></ws:Lines><ws:Note>%s</ws:Note></ws:SubmitOrder>" % (
            r.randrange(10**5, 10**6), r.randrange(10**5), r.randrange(1, 9), note)
        action = "SubmitOrder"
    soap12 = r.random() < 0.35
    ns = "http://www.w3.org/2003/05/soap-envelope" if soap12 else "http://schemas.xmlsoap.org/soap/envelope/"
    body = '<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="%s" xmlns:ws="http://ws.logistics.example/v2">%s<soapenv:Body>%s</soapenv:Body></soapenv:Envelope>' % (
        ns, sec or "<soapenv:Header/>", inner)
    h = c.headers(host=host, accept="text/xml, application/soap+xml", browser=False, auth=0.2)
    if soap12:
        h.append(["Content-Type", 'application/soap+xml; charset=utf-8; action="http://ws.logistics.example/v2/%s"' % action])
    else:
        h.append(["Content-Type", "text/xml; charset=utf-8"])
        h.append(["SOAPAction", '"http://ws.logistics.example/v2/%s"' % action])
    return "POST", r.choice(["/ws/v2/Logistics", "/services/CustomerService", "/soap/Accounts.asmx"]), h, body, "soap", op == 3 and hard


def g_xml_rest(c):
    r = c.rng
    note, hard = c.prose(0.2)
    body = '<?xml version="1.0" encoding="UTF-8"?>\n<order><id>%d</id><customer ref="%s"/><items><item sku="SKU-%05d" qty="%d"/></items><notes>%s</notes></order>' % (
        r.randrange(10**6), c.rid(), r.randrange(10**5), r.randrange(1, 5), xml_text(note))
    h = c.headers(accept="application/xml", browser=False)
    h.append(["Content-Type", r.choice(["application/xml", "text/xml"])])
    return r.choice(["POST", "PUT"]), "/api/v1/orders/import", h, body, "xml_rest", hard


def g_webhook(c):
    r = c.rng
    x = r.randrange(3)
    if x == 0:
        body = {"id": "evt_" + rand_str(r, ALNUM, 24), "object": "event", "type": r.choice(["payment_intent.succeeded", "charge.refunded", "customer.subscription.updated", "invoice.paid"]),
                "created": 1733300000 + r.randrange(10**6), "livemode": True,
                "data": {"object": {"id": "pi_" + rand_str(r, ALNUM, 24), "amount": r.randrange(100, 90000), "currency": "eur", "customer": "cus_" + rand_str(r, ALNUM, 14),
                                    "metadata": {"order_id": str(r.randrange(10**5, 10**6))}, "receipt_email": c.email()}}}
        h = c.headers(host="hooks.shop.example", browser=False, auth=0)
        h = [x for x in h if x[0] != "User-Agent"] + [["User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"],
                                                      ["Stripe-Signature", "t=%d,v1=%s" % (1733300000 + r.randrange(10**6), rand_str(r, HEX, 64))]]
        hard = False
    elif x == 1:
        msg, hard = r.choice([("Fix rounding in cart totals", False), ("Merge pull request #%d from dev/union-select-fix" % r.randrange(100, 999), True),
                              ("Don't drop the session on refresh", True), ("Update README: `make && sudo make install`", True), ("Bump lodash from 4.17.20 to 4.17.21", False),
                              ("Revert \"Add async script loader for analytics\"", False), ("Add retry with backoff to payment client", False), ("chore(deps): bump axios to 1.6.2", False),
                              ("feat(cart): show delivery estimate", False), ("Fix typo in checkout copy", False), ("ci: cache node_modules between jobs", False),
                              ("refactor: split OrderService into reader/writer", False), ("test: cover refund edge cases", False), ("Handle 429 from the carrier API", False),
                              ("fix(search): don't crash on empty query", True), ("Merge branch 'release/5.12' into main", True), ("docs: explain ../config path resolution", True)])
        body = {"ref": "refs/heads/main", "before": rand_str(r, HEX, 40), "after": rand_str(r, HEX, 40),
                "repository": {"full_name": "shop/storefront", "html_url": "https://github.com/shop/storefront"},
                "pusher": {"name": r.choice(["alice", "bob", "ci-bot"])}, "commits": [{"id": rand_str(r, HEX, 40), "message": msg, "timestamp": c.ts(),
                                                                                     "added": [], "modified": ["src/cart.ts"], "removed": []}]}
        h = [["Host", "hooks.shop.example"], ["User-Agent", "GitHub-Hookshot/%s" % rand_str(r, HEX, 7)], ["Accept", "*/*"], ["X-GitHub-Event", "push"],
             ["X-GitHub-Delivery", uuid4(r)], ["X-Hub-Signature-256", "sha256=" + rand_str(r, HEX, 64)]]
    else:
        body = {"event": r.choice(["message.created", "conversation.closed"]), "account_id": r.randrange(1000, 9999),
                "payload": {"text": c.prose(0.25)[0], "author": c.name(), "channel": r.choice(["email", "chat", "whatsapp"])}}
        hard = "'" in body["payload"]["text"] or "'" in body["payload"]["author"]
        h = c.headers(host="hooks.helpdesk.example", browser=False, auth=0)
        h.append(["X-Signature", rand_str(r, HEX, 64)])
    h.append(["Content-Type", "application/json"])
    path = ["/webhooks/stripe", "/webhooks/github", r.choice(["/hooks/inbound", "/api/v1/webhooks/receive"])][x]
    return "POST", path, h, json.dumps(body), "webhook", hard


def g_beacon(c):
    r = c.rng
    page = "https://www.shop.example/%s" % r.choice(["", "products/%d" % r.randrange(10**5), "search?q=%s" % pct(r.choice(SEARCH_TERMS), plus_space=True), "checkout", "blog/spring-sale"])
    ref = r.choice(["https://www.google.com/", "https://www.bing.com/search?q=shop+example", "https://t.co/%s" % rand_str(r, ALNUM, 10), "", "https://www.facebook.com/"])
    if r.random() < 0.6:
        pairs = [("v", "2"), ("tid", "G-%s" % rand_str(r, ALNUM.upper(), 10)), ("cid", "%d.%d" % (r.randrange(10**9), 1700000000 + r.randrange(10**7))), ("en", r.choice(["page_view", "view_item", "add_to_cart", "scroll"])),
                 ("dl", page), ("dr", ref), ("dt", r.choice(["Shop – Home", "Running Shoes | Shop", "Checkout", "Spring sale: 30% off!"])), ("sr", r.choice(["1920x1080", "390x844", "1440x900"])),
                 ("ul", r.choice(["en-us", "de-de"])), ("_p", str(r.randrange(10**9)))]
        if r.random() < 0.4:
            pairs += [("utm_source", r.choice(["newsletter", "google", "facebook"])), ("utm_medium", r.choice(["email", "cpc", "social"])), ("utm_campaign", r.choice(["spring_sale_2024", "bf-24", "retarget"]))]
        h = c.headers(host="collect.shop.example", accept="*/*", browser=True, auth=0)
        return r.choice(["GET", "POST"]), "/g/collect?" + query_string(pairs, r, "strict"), h, "", "analytics_beacon", "search?q=" in page
    body = json.dumps({"events": [{"name": r.choice(["click", "impression", "web_vitals"]), "ts": 1733300000000 + r.randrange(10**8), "url": page,
                                   "props": {"lcp": r.randrange(500, 4000), "cls": round(r.random() / 5, 3), "selector": r.choice(["#buy-now", "button.add-to-cart", "a[href='/sale']", "nav > ul > li:nth-child(2)"])}}]})
    h = c.headers(host="collect.shop.example", accept="*/*", browser=True, auth=0)
    h.append(["Content-Type", "text/plain;charset=UTF-8"])
    return "POST", "/v1/events", h, body, "analytics_beacon", "'" in body or "search?q=" in page


def g_upload(c):
    r = c.rng
    kind = r.randrange(3)
    if kind == 0:
        fname, ctype, content = "contacts-%s.csv" % c.date(), "text/csv", "name,email,phone\n%s,%s,%s\n%s,%s,%s\n" % (c.name(), c.email(), c.phone(), c.name(), c.email(), c.phone())
    elif kind == 1:
        fname, ctype, content = r.choice(["notes.txt", "readme.txt", "meeting minutes.txt"]), "text/plain", c.prose(0.2)[0] + "\n" + r.choice(EVERYDAY)
    else:
        fname, ctype, content = "config.json", "application/json", json.dumps({"theme": "dark", "widgets": ["orders", "revenue"], "refresh": 60})
    ct, body = multipart(r, [("description", r.choice(["Q3 import", "support attachment", "settings backup"])), ("visibility", r.choice(["private", "team"]))], (fname, ctype, content))
    h = c.headers()
    h.append(["Content-Type", ct])
    return "POST", r.choice(["/api/v1/uploads", "/api/v1/tickets/%d/attachments" % r.randrange(10**4), "/api/v1/imports"]), h, body, "multipart_upload", "'" in body


def g_text(c):
    r = c.rng
    if r.random() < 0.5:
        lines = ["%s level=%s msg=\"%s\" request_id=%s" % (c.ts(), r.choice(["info", "warn", "error"]), r.choice(["order created", "payment retry", "cache miss for key product:123", "slow query 812ms"]), uuid4(r)) for _ in range(r.randrange(1, 4))]
        body, kind, hard = "\n".join(lines), "text_logs", False
    else:
        body, hard = c.prose(0.2)
        kind = "text_note"
    h = c.headers(browser=False)
    h.append(["Content-Type", "text/plain; charset=utf-8"])
    return "POST", r.choice(["/api/v1/logs", "/api/v1/notes", "/ingest/v1/lines"]), h, body, kind, hard


def g_file_meta(c):
    r = c.rng
    folder = r.choice(["docs/2024", "invoices/Q3", "images/products", "shared/marketing", "reports/monthly", "users/%d/avatars" % r.randrange(10**4)])
    name = r.choice(["report final (v2).pdf", "Angebot_Müller.docx", "IMG_2043.JPG", "budget-2024.xlsx", "O'Brien contract.pdf", "slides.key", "data.csv"])
    mime = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "JPG": "image/jpeg",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "key": "application/x-iwork-keynote-sffkey", "csv": "text/csv"}[name.rsplit(".", 1)[1]]
    body = {"name": name, "path": "%s/%s" % (folder, name), "mime_type": mime, "size_bytes": r.randrange(1000, 10**7),
            "sha256": rand_str(r, HEX, 64), "uploaded_at": c.ts(), "owner": c.email(), "labels": r.sample(TAGS, 2)}
    h = c.headers()
    h.append(["Content-Type", "application/json"])
    return r.choice(["POST", "PUT"]), "/api/v1/files%s" % r.choice(["", "/" + uuid4(r) + "/metadata"]), h, json_dumps(body, r), "file_metadata", "'" in name


def g_oauth(c):
    r = c.rng
    host = "auth.shop.example"
    redirect = r.choice(["https://app.shop.example/oauth/callback", "https://www.shop.example/auth/complete", "com.shop.app://oauth", "https://partners.shop.example/sso/callback"])
    if r.random() < 0.6:
        pairs = [("response_type", "code"), ("client_id", rand_str(r, ALNUM, 20)), ("redirect_uri", redirect), ("scope", "openid profile email offline_access"),
                 ("state", rand_str(r, B64URL, 22)), ("code_challenge", rand_str(r, B64URL, 43)), ("code_challenge_method", "S256"), ("nonce", rand_str(r, B64URL, 16))]
        return "GET", "/oauth/authorize?" + query_string(pairs, r, "strict"), c.headers(host=host, accept="text/html", browser=True, auth=0), "", "oauth_authorize", True
    nxt = r.choice(["/account/orders", "/checkout?step=payment", "/dashboard", "https://app.shop.example/settings/billing", "/tickets/%d" % r.randrange(10**4)])
    return "GET", "%s?%s" % (r.choice(["/login", "/logout", "/sso/start"]), query_string([(r.choice(["next", "return_to", "redirect"]), nxt)], r)), \
        c.headers(host=host, accept="text/html", browser=True, auth=0), "", "login_redirect", nxt.startswith("https:")


def g_settings(c):
    r = c.rng
    path = r.choice(["/api/v1/webhooks", "/api/v1/integrations"])
    body = {"webhook_url": r.choice(["https://hooks.partner.example/shop/orders", "https://api.crm.example/v1/inbound/%s" % rand_str(r, ALNUM, 12),
                                     "https://hooks.slack.com/services/T000/B000/%s" % rand_str(r, ALNUM, 24)]),
            "events": r.sample(["order.created", "order.paid", "order.shipped", "refund.created"], 2), "secret": rand_str(r, B64URL, 32), "active": True}
    if r.random() < 0.4:
        path = r.choice(["/api/v1/settings/profile", "/api/v1/users/me"])
        body = {"display_name": c.name(), "avatar_url": "https://cdn.shop.example/avatars/%s.png" % uuid4(r), "website": r.choice(["https://www.wikipedia.org/wiki/Union_Station", "https://blog.example/about", "https://github.com/shop"]),
                "timezone": "Europe/Berlin", "signature_html": r.choice(RICH_HTML[-1:] + ["<p>Best,<br>%s</p>" % c.name()])}
    if r.random() < 0.25:
        path = "/api/v1/products/%d/images/import" % r.randrange(1000, 99999)
        body = {"image_url": r.choice(["https://images.unsplash.com/photo-1542291026-7eec264c27ff?w=800&q=80", "https://upload.wikimedia.org/wikipedia/commons/a/a9/Example.jpg",
                                       "https://cdn.partner.example/catalog/%d.jpg" % r.randrange(10**5)]), "alt": r.choice(PRODUCTS)}
    h = c.headers()
    h.append(["Content-Type", "application/json"])
    return r.choice(["POST", "PUT", "PATCH"]), path, h, json_dumps(body, r), "settings_urls", True


EXTERNAL_URLS = ["https://www.nytimes.com/2024/03/14/technology/ai-chips.html", "https://en.wikipedia.org/wiki/Union_Station_(Los_Angeles)",
                 "https://github.com/torvalds/linux/blob/master/README", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s", "https://medium.com/@dev/how-we-scaled-our-api-3f2a1b",
                 "https://docs.python.org/3/library/urllib.parse.html#urllib.parse.quote", "https://www.amazon.com/dp/B08N5WRWNW?ref=ppx_yo2ov_dt_b_product_details",
                 "https://images.unsplash.com/photo-1542291026-7eec264c27ff?w=800&q=80", "https://stackoverflow.com/questions/1732348/regex-match-open-tags-except-xhtml-self-contained-tags",
                 "https://maps.google.com/?q=52.5200,13.4050", "https://www.bbc.co.uk/news/technology-67812345", "https://cdn.partner.example/feeds/products.xml"]


def g_url_params(c):
    r = c.rng
    url = r.choice(EXTERNAL_URLS)
    x = r.randrange(3)
    if x == 0:
        uri = "/api/v1/link-preview?" + query_string([("url", url)], r)
    elif x == 1:
        uri = "/api/v1/share?" + query_string([("url", url), ("title", r.choice(["Check this out", "Interesting read", "Union Station history"])), ("via", "shop")], r)
    else:
        uri = "/api/v1/bookmarks?" + query_string([("href", url), ("tags", ",".join(r.sample(TAGS, 2)))], r)
    return "GET", uri, c.headers(), "", "url_params", True


def g_bulk(c):
    r = c.rng
    res = r.choice(["products", "orders", "customers"])
    items = [resource_body(c, res)[0] for _ in range(r.randrange(2, 4))]
    h = c.headers(browser=False)
    h.append(["Content-Type", "application/json"])
    return "POST", "/api/v1/%s/bulk" % res, h, json.dumps({"operations": [{"method": "create", "data": it} for it in items]}), "bulk_json", False


def g_template(c):
    r = c.rng
    body = {"name": r.choice(["welcome", "order_shipped", "password_reset"]), "subject": r.choice(["Welcome, {{first_name}}!", "Your order {{order.number}} has shipped", "Reset your password"]),
            "body_html": "<p>Hi {{first_name}},</p><p>%s</p><p>{{#if coupon}}Use code <b>{{coupon}}</b>{{/if}}</p>" % r.choice(["Thanks for joining.", "Track it here: <a href=\"{{tracking_url}}\">{{tracking_number}}</a>", "Click the link below."]),
            "locale": r.choice(["en", "de"])}
    h = c.headers(host="api.crm.example")
    h.append(["Content-Type", "application/json"])
    return r.choice(["POST", "PUT"]), "/api/v1/email-templates", h, json_dumps(body, r), "email_template", True


def g_strapi_filter(c):
    r = c.rng
    pairs = [("filters[%s][%s]" % r.choice([("price", "$gte"), ("price", "$lte"), ("title", "$containsi"), ("category", "$eq"), ("publishedAt", "$notNull")]), r.choice(["10", "shoes", "true", "outdoor"])),
             ("pagination[page]", r.randrange(1, 5)), ("populate", "*")]
    return "GET", "/api/%s?%s" % (r.choice(["articles", "products", "events"]), query_string(pairs, r, "browser")), c.headers(host="cms.shop.example", auth=0.6), "", "cms_filter_operators", True


def g_device(c):
    r = c.rng
    body = {"hostname": "store-%03d-pos-%d" % (r.randrange(1, 300), r.randrange(1, 9)), "network": {"ip": "192.168.%d.%d" % (r.randrange(256), r.randrange(2, 250)), "gateway": "192.168.1.1",
            "dns": ["10.0.0.53", "1.1.1.1"]}, "firmware": "4.%d.%d" % (r.randrange(10), r.randrange(30)), "last_seen": c.ts()}
    h = c.headers(host="api.devices.example", browser=False)
    h.append(["Content-Type", "application/json"])
    return "PUT", "/api/v1/devices/%s/config" % c.rid(), h, json_dumps(body, r), "device_config", True


# Benign values for the very endpoints and parameters the attack classes target,
# so that an endpoint or parameter name alone never tells the label.
def _same_endpoint_value(c, cls, param):
    r = c.rng
    if cls == "sqli":
        return r.choice([str(r.randrange(1, 99999)), r.choice(["price", "-created_at", "name asc", "rating desc"]), r.choice(CATEGORIES), c.email(), r.choice(SEARCH_TERMS)])
    if cls == "xss":
        return r.choice([c.prose(0.15)[0], r.choice(SEARCH_TERMS), c.name(), "Order " + str(r.randrange(10**5)), r.choice(["<3 it", "5 > 4 stars", "A & B"])])
    if cls == "path_traversal":
        return r.choice(["invoice-2024-%02d.pdf" % r.randrange(1, 13), "docs/guide/getting-started.md", "avatars/%s.png" % uuid4(r), "templates/receipt_v2.html",
                         "reports/2024/Q%d/summary.csv" % r.randrange(1, 5), "en-GB", "dark", "logo@2x.png", "Angebot Müller.docx", "2024/11/IMG_2043.JPG"])
    if cls == "cmd_injection":
        return r.choice(["shop.example", "api.partner.example", "203.0.113.%d" % r.randrange(1, 255), "backup-%s" % c.date(), "csv", "pdf", "2001:db8::%x" % r.randrange(1, 9999),
                         "mail.corp.example", "nightly_2024-11-30.tar.gz"])
    if cls == "ssrf":
        return r.choice(["https://hooks.partner.example/shop/%s" % rand_str(r, ALNUM, 10), "https://images.unsplash.com/photo-1523275335684-37898b6baf30?w=600",
                         "https://www.example.com/feed.xml", "https://cdn.partner.example/logo.png", "https://en.wikipedia.org/wiki/HTTP", "https://api.crm.example/v2/ping"])
    if cls == "ssti":
        return r.choice([c.name(), "Welcome aboard!", "Happy birthday %s" % r.choice(FIRST), c.prose(0.1)[0], "Hi {{first_name}}, your order is on its way."])
    if cls == "jndi":
        return r.choice([c.email(), r.choice(SEARCH_TERMS), "2.%d.0" % r.randrange(10), str(r.randrange(10**6)), c.name()])
    if cls == "ldapi":
        return r.choice(["jdoe", "a.smith", c.email(), r.choice(LAST).lower()[:3] + "*", "cn=Support Team", "marketing", "o'brien"])
    if cls == "crlf":
        return r.choice(["en", "de-DE", "/account", "/orders?page=2", "fr", "invoice.pdf", "https://www.shop.example/cart"])
    return r.choice(["/account/orders", "/checkout/review", "https://www.shop.example/cart", "/tickets/%d" % r.randrange(10**4), "/"])


def g_same_endpoints(c):
    from corpus_attacks import CLASSES
    r = c.rng
    spec = r.choice(CLASSES)
    param = r.choice([p for p in spec["params"] if not p.startswith("X-")])
    value = _same_endpoint_value(c, spec["cls"], param)
    path = r.choice(spec["paths"])
    hard = any(ch in value for ch in "'\"<>&*{}") or "://" in value
    x = r.random()
    if x < 0.55:
        return r.choice(["GET"] * 6 + ["HEAD"]), "%s?%s" % (path, query_string([(param, value)] + ([("page", r.randrange(1, 9))] if r.random() < 0.3 else []), r)), c.headers(), "", "same_endpoint_" + spec["cls"], hard
    h = c.headers()
    if x < 0.8:
        h.append(["Content-Type", "application/json"])
        return r.choice(["POST", "PUT", "PATCH"]), path, h, json_dumps({param: value, "client": r.choice(["web", "ios", "android"])}, r), "same_endpoint_" + spec["cls"], hard
    h.append(["Content-Type", "application/x-www-form-urlencoded"])
    return "POST", path, h, form_body([(param, value)]), "same_endpoint_" + spec["cls"], hard

def g_odata(c):
    """OData / Microsoft Graph style queries: quotes, eq/and/or, functions in the query string."""
    r = c.rng
    filt = r.choice(["Price gt %d and Category eq '%s'" % (r.randrange(5, 200), r.choice(["Books", "Toys", "Men's Shoes"])),
                     "startswith(displayName,'%s')" % r.choice(FIRST), "status eq 'open' or priority eq 'high'",
                     "createdDateTime ge %sT00:00:00Z" % c.date(), "contains(subject,'invoice') and isRead eq false",
                     "customer/lastName eq '%s'" % r.choice(LAST).replace("'", "''"), "not(endswith(mail,'@%s'))" % r.choice(DOMAINS)])
    pairs = [("$filter", filt)]
    if r.random() < 0.6:
        pairs.append(("$select", r.choice(["id,displayName,mail", "id,subject,from,receivedDateTime", "OrderID,Total"])))
    if r.random() < 0.5:
        pairs.append(("$top", r.choice([10, 25, 50, 100])))
    if r.random() < 0.4:
        pairs.append(("$orderby", r.choice(["createdDateTime desc", "Price asc", "lastName"])))
    if r.random() < 0.2:
        pairs.append(("$expand", r.choice(["Orders", "manager($select=id,displayName)"])))
    path = r.choice(["/odata/v4/Products", "/v1.0/users", "/v1.0/me/messages", "/odata/Orders", "/api/data/v9.2/accounts"])
    return "GET", path + "?" + query_string(pairs, r), c.headers(host=r.choice(["graph.crm.example", "api.crm.example", "erp.shop.example"])), "", "odata_query", True


def g_json_schema(c):
    """Schema and spec uploads: '$schema', '$ref', '$id' keys are part of the format."""
    r = c.rng
    name = r.choice(["Order", "Customer", "Product", "Ticket"])
    body = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://schemas.shop.example/%s.json" % name.lower(), "title": name, "type": "object",
            "properties": {"id": {"type": "string", "format": "uuid"}, "email": {"type": "string", "format": "email"}, "total": {"type": "number", "minimum": 0},
                           "address": {"$ref": "#/$defs/address"}},
            "required": ["id"], "$defs": {"address": {"type": "object", "properties": {"city": {"type": "string"}, "zip": {"type": "string", "pattern": "^[0-9]{5}$"}}}}}
    h = c.headers(browser=False)
    h.append(["Content-Type", r.choice(["application/schema+json", "application/json"])])
    return r.choice(["POST", "PUT"]), "/api/v1/schemas/%s" % name.lower(), h, json_dumps(body, r), "json_schema", True


def g_search_dsl(c):
    """Search-engine query DSL in a JSON body (Elasticsearch/OpenSearch style)."""
    r = c.rng
    text, hard = (r.choice(HARD_SEARCH), True) if r.random() < 0.3 else (r.choice(SEARCH_TERMS), False)
    body = {"query": {"bool": {"must": [{"multi_match": {"query": text, "fields": ["title^3", "description"]}}],
                               "filter": [{"range": {"price": {"gte": r.randrange(0, 50), "lte": r.randrange(60, 900)}}}, {"term": {"in_stock": True}}]}},
            "sort": [{"_score": "desc"}, {"created_at": "desc"}], "size": r.choice([10, 20, 48]), "from": r.choice([0, 20, 40])}
    if r.random() < 0.3:
        body["aggs"] = {"brands": {"terms": {"field": "brand.keyword", "size": 20}}}
    h = c.headers()
    h.append(["Content-Type", "application/json"])
    return "POST", r.choice(["/api/v1/search/_query", "/products/_search", "/api/v2/catalog/search"]), h, json_dumps(body, r), "search_dsl", hard


def g_binary(c):
    """Binary and compressed bodies: PNG avatars, octet-stream chunks, gzip-encoded JSON."""
    r = c.rng
    x = r.randrange(3)
    h = c.headers(browser=x == 0 and r.random() < 0.5)
    if x == 0:
        h.append(["Content-Type", "image/png"])
        return "PUT", r.choice(["/api/v1/users/me/avatar", "/api/v1/products/%d/thumbnail" % r.randrange(10**4)]), h, png_bytes(r, r.randrange(4, 17), r.randrange(4, 17)), "binary_png", False
    if x == 1:
        data = bytes(r.randrange(256) for _ in range(r.randrange(200, 700)))
        h += [["Content-Type", "application/octet-stream"], ["Content-Range", "bytes 0-%d/*" % (len(data) - 1)]]
        return r.choice(["PUT", "PATCH"]), "/api/v1/uploads/%s/chunks/%d" % (uuid4(r), r.randrange(10)), h, data, "binary_chunk", False
    res = r.choice(["orders", "products", "customers", "events"])
    doc = {"batch_id": uuid4(r), "records": [resource_body(c, res if res != "events" else "notifications")[0] for _ in range(r.randrange(2, 5))]}
    h += [["Content-Type", "application/json"], ["Content-Encoding", "gzip"]]
    return "POST", "/api/v1/%s/import" % res, h, gzip_bytes(json.dumps(doc)), "gzip_json", False



GENERATORS = [(g_list, 150), (g_get, 110), (g_create, 120), (g_update, 70), (g_delete, 30), (g_preflight, 40), (g_search, 80), (g_ticket, 75),
              (g_form, 65), (g_graphql, 65), (g_soap, 25), (g_xml_rest, 8), (g_webhook, 30), (g_beacon, 35), (g_upload, 18), (g_text, 14),
              (g_file_meta, 18), (g_oauth, 20), (g_settings, 18), (g_bulk, 10), (g_template, 2), (g_strapi_filter, 2), (g_device, 3), (g_url_params, 6), (g_same_endpoints, 40),
              (g_odata, 8), (g_json_schema, 3), (g_search_dsl, 8), (g_binary, 8)]


def build_benign(rng, n):
    c = Ctx(rng)
    total = sum(w for _, w in GENERATORS)
    out = []
    for i in range(n):
        x = rng.random() * total
        for fn, w in GENERATORS:
            x -= w
            if x < 0:
                break
        method, uri, headers, body, kind, hard = fn(c)
        out.append(make_request("benign-%05d" % (i + 1), method, uri, headers, body, label="benign", cls=kind, hard_negative=hard or None))
    return out
