"""Attack values and benign text for the protocol corpus, drawn from the
same public-list pools as the HTTP/1 corpus (corpus_payloads_*), so the
protocol families differ from it in where a value travels, not in what it
says. Every function takes an explicit random.Random."""

from corpus_attacks import _sqli, _textual
from corpus_payloads_inj import XSS, XSS_EVASIONS, cmd_value, lfi_value, weighted
from corpus_payloads_web import jndi_value, ldapi_value, ssrf_value, ssti_value
from corpus_text import (CITIES, CODE_SNIPPETS, COMPANIES, EVERYDAY, FIRST, HARD_PROSE, LAST, MARKDOWN, PRODUCTS,
                         RICH_HTML, SEARCH_TERMS, HARD_SEARCH, TAGS)

_xss = _textual(XSS, XSS_EVASIONS)

# Classes whose payload is one string value (what a protocol field carries).
VALUE_GENERATORS = {
    "sqli": lambda rng: _sqli(rng, rng.randrange(10**6))[:2],
    "xss": lambda rng: _xss(rng, rng.randrange(10**6))[:2],
    "cmd_injection": lambda rng: cmd_value(rng)[:2],
    "path_traversal": lambda rng: lfi_value(rng)[:2],
    "ssrf": lambda rng: ssrf_value(rng)[:2],
    "ssti": lambda rng: ssti_value(rng)[:2],
    "jndi": lambda rng: jndi_value(rng)[:2],
    "ldapi": lambda rng: ldapi_value(rng)[:2],
}

DEFAULT_MIX = [("sqli", 26), ("xss", 20), ("cmd_injection", 14), ("path_traversal", 10), ("ssrf", 10), ("ssti", 7),
               ("jndi", 7), ("ldapi", 4)]

# Values that travel already URL-encoded (..%2f, %0d%0a) are only placed
# where the application decodes them; protocol fields here are not URL-decoded.
_WIRE_MARKERS = ("%2e", "%2f", "%5c", "%c0", "%25", "%00", "%0d", "%0a", "%u", "%e0", "%ef", "%252")


def attack_value(rng, mix=DEFAULT_MIX, decoded=True):
    """(class, value, evasion) for one string field. decoded: the field is
    not URL-decoded by the application (JSON, XML text, protobuf strings,
    WebSocket messages), so pre-encoded wire values are redrawn."""
    cls = weighted(rng, mix)
    for _ in range(20):
        value, evasion = VALUE_GENERATORS[cls](rng)
        if not decoded or not any(m in value.lower() for m in _WIRE_MARKERS):
            return cls, value, evasion or "none"
    return cls, value, evasion or "none"


def person(rng):
    return rng.choice(FIRST) + " " + rng.choice(LAST)


def email(rng, name=None):
    name = name or person(rng)
    local = name.lower().replace(" ", ".").replace("'", "")
    local = "".join(c for c in local if c.isascii() and (c.isalnum() or c == "."))
    return "%s@%s" % (local or "user", rng.choice(["mail.example", "corp.example", "outlook.example"]))


def prose(rng, hard=0.5):
    """A human sentence; `hard` of them look like code (quotes, SQL words, markup)."""
    r = rng.random()
    if r < hard * 0.7:
        return rng.choice(HARD_PROSE)
    if r < hard * 0.85:
        return rng.choice(MARKDOWN)
    if r < hard:
        return rng.choice(CODE_SNIPPETS)
    return rng.choice(EVERYDAY)


def rich_text(rng):
    return rng.choice(RICH_HTML)


def search_term(rng):
    return rng.choice(HARD_SEARCH if rng.random() < 0.4 else SEARCH_TERMS)


def product(rng):
    return rng.choice(PRODUCTS)


def company(rng):
    return rng.choice(COMPANIES)


def city(rng):
    return rng.choice(CITIES)


def tag(rng):
    return rng.choice(TAGS)


def _class_params():
    from corpus_attacks import CLASSES
    return {spec["cls"]: [p for p in spec["params"] if not p.startswith("X-")] for spec in CLASSES}


# Parameter names each class targets (the HTTP/1 corpus's lists): an
# attacker puts a traversal into a file name, a host into a ping tool, a
# filter into the LDAP user lookup.
CLASS_PARAMS = _class_params()


def param_for(rng, cls):
    return rng.choice(CLASS_PARAMS.get(cls) or ["q", "name", "comment"])


def benign_param_value(rng, cls):
    """An ordinary value for a parameter the attack class `cls` targets, so
    that a parameter name alone never tells the label."""
    if cls == "sqli":
        return rng.choice([str(rng.randrange(1, 99999)), rng.choice(["price", "-created_at", "name asc", "rating desc"]), email(rng), search_term(rng)])
    if cls == "xss":
        return rng.choice([prose(rng, 0.3), search_term(rng), person(rng), "Order %d" % rng.randrange(10**5), rng.choice(["<3 it", "5 > 4 stars", "A & B"])])
    if cls == "path_traversal":
        return rng.choice(["invoice-2024-%02d.pdf" % rng.randrange(1, 13), "docs/guide/getting-started.md", "avatars/2024/me.png",
                           "templates/receipt_v2.html", "reports/2024/Q%d/summary.csv" % rng.randrange(1, 5), "en-GB", "Angebot Müller.docx"])
    if cls == "cmd_injection":
        return rng.choice(["shop.example", "api.partner.example", "203.0.113.%d" % rng.randrange(1, 255), "backup-2024-11-30", "csv", "pdf",
                           "mail.corp.example", "nightly_2024-11-30.tar.gz"])
    if cls == "ssrf":
        return rng.choice(["https://hooks.partner.example/shop/x7Kq", "https://www.example.com/feed.xml", "https://cdn.partner.example/logo.png",
                           "https://en.wikipedia.org/wiki/HTTP", "https://api.crm.example/v2/ping"])
    if cls == "ssti":
        return rng.choice([person(rng), "Welcome aboard!", "Hi {{first_name}}, your order is on its way.", prose(rng, 0.2)])
    if cls == "ldapi":
        return rng.choice(["jdoe", "a.smith", email(rng), "smi*", "cn=Support Team", "marketing", "o'brien"])
    return rng.choice([email(rng), search_term(rng), person(rng), str(rng.randrange(10**6))])
