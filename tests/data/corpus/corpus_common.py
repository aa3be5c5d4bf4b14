"""Shared pieces of the corpus generator: request records, encoders, header pools.

Everything takes an explicit random.Random so the output is a pure function of
the seed (no set iteration, no hash-order dependence, no clock).
"""

import base64
import gzip
import json
import struct
import zlib

UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

# Characters a browser leaves raw inside a query value (after we escape the
# separators & = + # % ourselves). Chrome/Firefox escape space " # < > ' there.
BROWSER_QUERY_SAFE = frozenset("!$()*,/:;?@[]^`{|}~-._")
# What a shell user typing a URL into curl leaves raw: nearly everything
# printable except the characters that would break the URL.
RAW_QUERY_SAFE = frozenset("!$'()*,/:;?@[]^`{|}~\"<>\\-._")
# RFC 6265 cookie-octet minus nothing exotic: no space, " , ; \ or controls.
COOKIE_SAFE = frozenset("!#$&'()*+-./:<=>?@[]^_`{|}~")
PATH_SAFE = frozenset("!$&'()*+,;=:@-._~")
# encodeURIComponent() leaves these raw (fetch/axios clients building query strings).
JS_URI_SAFE = frozenset("!'()*-._~")
# What ordinary (non-attacking) clients use: browsers, URL-encoding SDKs, JavaScript.
BENIGN_QUERY_STYLES = ("browser", "strict", "js")

HOSTS_API = [
    "api.shop.example", "shop.example", "api.helpdesk.example", "app.crm.example",
    "api.bank.example", "api.travel.example", "api.blog.example", "media.shop.example",
    "auth.shop.example", "partners.shop.example", "api.clinic.example", "api.hr.example",
]
HOST_GRAPHQL = ["graphql.shop.example", "api.shop.example", "api.blog.example"]
HOST_SOAP = ["soap.logistics.example", "ws.bank.example", "legacy.crm.example"]

UA_BROWSER = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36 Edg/119.0.2151.97",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.43 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/119.0.6045.169 Mobile/15E148 Safari/604.1",
]
UA_SDK = [
    "okhttp/4.12.0", "okhttp/3.14.9", "Dart/3.2 (dart:io)", "axios/1.6.2", "axios/0.27.2",
    "python-requests/2.31.0", "python-httpx/0.25.2", "Go-http-client/1.1", "Go-http-client/2.0",
    "PostmanRuntime/7.36.0", "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)", "undici",
    "Apache-HttpClient/4.5.14 (Java/17.0.9)", "Java-http-client/17.0.9", "Java/1.8.0_392",
    "ShopApp/5.12.0 (com.shop.example; build:5120; iOS 17.1.2) Alamofire/5.8.1",
    "ShopApp/5.12.0 (Android 14; Pixel 8; build 5120)", "HelpdeskSync/2.3.1 (+https://helpdesk.example/sync)",
    "curl/8.5.0", "curl/7.88.1", "Faraday v2.7.12", "GuzzleHttp/7", "RestSharp/110.2.0.0",
    "Ruby", "aws-sdk-js/2.1500.0 promise", "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
    "GitHub-Hookshot/6f8a3b2", "Zapier", "Slackbot 1.0 (+https://api.slack.com/robots)",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17029; Pro)",
    "CFNetwork/1474 Darwin/23.0.0", "grpc-web-javascript/0.1",
]
# What attackers send when they are not announcing a scanner.
UA_ATTACK = UA_BROWSER + [
    "curl/8.5.0", "curl/7.68.0", "python-requests/2.31.0", "python-requests/2.25.1",
    "Go-http-client/1.1", "Mozilla/5.0", "Wget/1.21.3", "PostmanRuntime/7.36.0",
    "Mozilla/5.0 (Windows NT 6.1; WOW64; rv:40.0) Gecko/20100101 Firefox/40.1",
    "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; Trident/6.0)",
]

ACCEPT_LANG = ["en-US,en;q=0.9", "en-GB,en;q=0.8", "de-DE,de;q=0.9,en;q=0.8", "fr-FR,fr;q=0.9",
               "es-ES,es;q=0.9,en;q=0.7", "nl-NL,nl;q=0.9,en-US;q=0.8", "pt-BR,pt;q=0.9", "ja,en-US;q=0.8"]

B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
REFERER_SEARCHES = ["running shoes", "men's jacket", "usb c", "gift ideas", "o'neill wetsuit", "desk lamp", "\"noise cancelling\"", "cat & dog"]
HEX = "0123456789abcdef"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def rand_str(rng, alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


def uuid4(rng):
    h = rand_str(rng, HEX, 32)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], rng.choice("89ab"), h[17:20], h[20:32])


def b64(s):
    return base64.b64encode(s.encode("utf-8")).decode("ascii")


def b64url(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def jwt(rng, sub=None, extra=None):
    header = {"alg": rng.choice(["RS256", "HS256", "HS256", "ES256", "ES256"]), "typ": "JWT"}
    if header["alg"] != "HS256":
        header["kid"] = rand_str(rng, B64URL, 22)
    iat = 1733300000 + rng.randrange(0, 900000)
    claims = {"sub": sub or uuid4(rng), "iss": rng.choice(["https://auth.shop.example/", "https://login.crm.example", "https://idp.bank.example/oauth2"]),
              "aud": rng.choice(["api.shop.example", "crm-api", "bank-mobile"]), "iat": iat, "exp": iat + 3600,
              "scope": rng.choice(["read:orders write:orders", "openid profile email", "tickets:rw", "accounts:read payments:write"])}
    if extra:
        claims.update(extra)
    sig = rand_str(rng, B64URL, {"HS256": 43, "ES256": 86, "RS256": 342}[header["alg"]])
    return "%s.%s.%s" % (b64url(json.dumps(header, separators=(",", ":"))),
                         b64url(json.dumps(claims, separators=(",", ":"))), sig)


def pct(s, safe=frozenset(), plus_space=False):
    """Percent-encodes the UTF-8 bytes of s, leaving UNRESERVED and `safe` raw."""
    out = []
    for b in s.encode("utf-8"):
        c = chr(b)
        if b < 0x80 and (c in UNRESERVED or c in safe):
            out.append(c)
        elif plus_space and c == " ":
            out.append("+")
        else:
            out.append("%%%02X" % b)
    return "".join(out)


def pct_all(s, lower=False):
    fmt = "%%%02x" if lower else "%%%02X"
    return "".join(fmt % b for b in s.encode("utf-8"))


def pct_u(s, rng):
    """IIS-style %uXXXX for every non-alphanumeric char and some letters."""
    out = []
    for c in s:
        if c.isalnum() and ord(c) < 0x80 and rng.random() < 0.7:
            out.append(c)
        else:
            out.append("%%u%04X" % ord(c) if ord(c) < 0x10000 else pct(c))
    return "".join(out)


def query_value(s, rng, style=None):
    """Encodes one query/form value the way some real client would (attackers also type raw URLs)."""
    style = style or rng.choice(["browser", "strict", "raw", "js"])
    if style == "strict":
        return pct(s, plus_space=True)
    if style == "js":
        return pct(s, JS_URI_SAFE)
    if style == "browser":
        return pct(s, BROWSER_QUERY_SAFE)
    return pct(s, RAW_QUERY_SAFE, plus_space=rng.random() < 0.5)


def query_string(pairs, rng, style=None):
    style = style or rng.choice(BENIGN_QUERY_STYLES)
    return "&".join("%s=%s" % (k, query_value(str(v), rng, style)) for k, v in pairs)


def form_body(pairs):
    return "&".join("%s=%s" % (pct(k, plus_space=True), pct(str(v), plus_space=True)) for k, v in pairs)


def header_value(s):
    """Header values as sent: printable bytes raw, controls and non-ASCII escaped."""
    out = []
    for c in s:
        o = ord(c)
        if 0x20 <= o < 0x7F or c == "\t":
            out.append(c)
        else:
            out.append(pct(c))
    return "".join(out)


def cookie_value(s):
    return pct(s, COOKIE_SAFE)


def xml_text(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def json_dumps(obj, rng=None, escape_all=False):
    if escape_all:
        return json.dumps(obj, ensure_ascii=True, separators=(",", ":"))
    x = rng.random() if rng is not None else 1.0
    if x < 0.06:
        return json.dumps(obj, ensure_ascii=False, indent=2)
    if x < 0.31:
        return json.dumps(obj)  # Python's defaults: ", " ": " and \u00XX for non-ASCII
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def json_unicode_escape(s, chars="<>'\"&;()=/$-*%|`{}[]:. "):
    """JSON string body with the listed characters as \\u00XX (JS-style escape evasion)."""
    out = ['"']
    for c in s:
        if c in chars or ord(c) < 0x20 or c == "\\":
            out.append("\\u%04x" % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def ip_client(rng):
    """Client addresses for X-Forwarded-For (documentation/benchmark ranges)."""
    r = rng.random()
    if r < 0.4:
        return "198.51.100.%d" % rng.randrange(1, 255)
    if r < 0.7:
        return "203.0.113.%d" % rng.randrange(1, 255)
    if r < 0.9:
        return "192.0.2.%d" % rng.randrange(1, 255)
    return "2001:db8:%x:%x::%x" % (rng.randrange(65536), rng.randrange(65536), rng.randrange(1, 65536))


def ga_cookie(rng):
    ts = 1700000000 + rng.randrange(0, 30000000)
    return "_ga=GA1.2.%d.%d; _gid=GA1.2.%d.%d" % (rng.randrange(10**9, 2 * 10**9), ts,
                                                   rng.randrange(10**9, 2 * 10**9), ts + rng.randrange(86400))


def browser_cookie(rng, long=False):
    parts = [ga_cookie(rng)]
    if rng.random() < 0.6:
        parts.append("sid=%s" % rand_str(rng, B64URL, 32))
    if rng.random() < 0.4:
        parts.append("_fbp=fb.1.%d.%d" % (1700000000000 + rng.randrange(10**10), rng.randrange(10**9, 2 * 10**9)))
    if long or rng.random() < 0.2:
        parts.append("OptanonConsent=isGpcEnabled=0&datestamp=%s&version=202310.1.0&browserGpcFlag=0&isIABGlobal=false&hosts=&consentId=%s&interactionCount=1&landingPath=NotLandingPage&groups=C0001%%3A1%%2CC0002%%3A1%%2CC0003%%3A%d%%2CC0004%%3A%d&AwaitingReconsent=false"
                     % (rng.choice(["Mon+Dec+04+2023+10%3A12%3A03+GMT%2B0100+(Central+European+Standard+Time)",
                                    "Tue+Nov+26+2024+18%3A40%3A11+GMT-0500+(Eastern+Standard+Time)",
                                    "Fri+Oct+11+2024+09%3A01%3A55+GMT%2B0200+(Mitteleurop%C3%A4ische+Sommerzeit)"]),
                        uuid4(rng), rng.randrange(2), rng.randrange(2)))
    if long or rng.random() < 0.15:
        parts.append("ajs_anonymous_id=%%22%s%%22; ajs_user_id=%%22%d%%22" % (uuid4(rng), rng.randrange(10**5, 10**7)))
    if rng.random() < 0.2:
        parts.append("cart=%s" % b64url(json.dumps({"items": rng.randrange(0, 6), "cur": rng.choice(["EUR", "USD", "GBP"])})))
    if rng.random() < 0.15:
        parts.append("__cf_bm=%s-%d-0-%s" % (rand_str(rng, ALNUM + "._", 43), 1700000000 + rng.randrange(10**7), rand_str(rng, B64URL + "/+", 88)))
    if rng.random() < 0.3:
        parts.append("theme=%s; lang=%s" % (rng.choice(["dark", "light", "system"]), rng.choice(["en", "de", "fr", "en-GB", "pt-BR"])))
    return "; ".join(parts)


def base_headers(rng, host, ua=None, accept="application/json", browser=None):
    """Realistic request headers in a plausible client order."""
    if browser is None:
        browser = rng.random() < 0.45
    if ua is None:
        ua = rng.choice(UA_BROWSER if browser else UA_SDK)
    h = [["Host", host]]
    if browser:
        h.append(["User-Agent", ua])
        h.append(["Accept", accept if accept else "*/*"])
        h.append(["Accept-Language", rng.choice(ACCEPT_LANG)])
        h.append(["Accept-Encoding", "gzip, deflate, br"])
        if rng.random() < 0.5:
            site = host.replace("api.", "www.", 1)
            h.append(["Origin", "https://" + site])
            page = rng.choice(["", "account", "checkout", "products", "tickets/new", "dashboard", "search"])
            if page == "search":
                page += "?q=" + pct(rng.choice(REFERER_SEARCHES), plus_space=True)
            h.append(["Referer", "https://%s/%s" % (site, page)])
        if rng.random() < 0.25:
            h.append(["sec-ch-ua", '"Not_A Brand";v="8", "Chromium";v="120", "Google Chrome";v="120"'])
            h.append(["sec-ch-ua-mobile", "?0"])
            h.append(["sec-ch-ua-platform", rng.choice(['"Windows"', '"macOS"', '"Linux"'])])
            h.append(["Sec-Fetch-Site", "same-site"])
            h.append(["Sec-Fetch-Mode", "cors"])
            h.append(["Sec-Fetch-Dest", "empty"])
    else:
        h.append(["User-Agent", ua])
        h.append(["Accept", accept if accept else "*/*"])
        if rng.random() < 0.6:
            h.append(["Accept-Encoding", rng.choice(["gzip", "gzip, deflate", "br, gzip"])])
    return h


def auth_header(rng):
    r = rng.random()
    if r < 0.65:
        return ["Authorization", "Bearer " + jwt(rng)]
    if r < 0.8:
        return ["Authorization", "Bearer " + rng.choice(["sk_live_", "pat_", "ghp_", "xoxb-"]) + rand_str(rng, ALNUM, 36)]
    if r < 0.9:
        return ["X-API-Key", rand_str(rng, HEX, 40)]
    return ["Authorization", "Basic " + b64("%s:%s" % (rng.choice(["svc-report", "integration", "jenkins", "ops"]), rand_str(rng, ALNUM, 20)))]


def gzip_bytes(text):
    """Deterministic gzip (no timestamp, no file name)."""
    return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)


def png_bytes(rng, w=8, h=8):
    """A small valid PNG with random RGB pixels."""
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes(rng.randrange(256) for _ in range(w * 3)) for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def jpeg_bytes(rng, noise, comment=b"Created with GIMP"):
    """A JPEG's header and comment segment, then `noise` random bytes standing in for its compressed data."""
    return (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xfe" + struct.pack(">H", len(comment) + 2) +
            comment + bytes(rng.randrange(256) for _ in range(noise)) + b"\xff\xd9")


def make_request(rid, method, uri, headers, body="", label="benign", cls=None, **extra):
    """One corpus record; Content-Length is filled in from the body (str as UTF-8, or bytes -> body_b64)."""
    headers = [list(x) for x in headers]
    raw = body if isinstance(body, bytes) else body.encode("utf-8")
    if raw and not any(n.lower() in ("content-length", "transfer-encoding") for n, _ in headers):
        headers.append(["Content-Length", str(len(raw))])
    if isinstance(body, bytes):
        extra["body_b64"] = base64.b64encode(body).decode("ascii")
        body = ""
    rec = {"id": rid, "method": method, "uri": uri, "headers": headers, "body": body, "label": label}
    if cls is not None:
        rec["class"] = cls
    for k, v in extra.items():
        if v is not None:
            rec[k] = v
    return rec
