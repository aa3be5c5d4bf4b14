// weir-detect-bench: scans and microseconds per request for the detection
// engine alone, on a synthetic ~1 KB JSON API request (fields as the HTTP/1
// parser emits them) against ~100 signature rules in the 5 chains RULES.md recommends plus
// the standalone lexical detectors — or against a ruleset directory. It also
// times the same request as raw HTTP/1 through the real parser and the
// TransactionInspector (parse + detect, the offline `weirctl inspect` path).
//   weir-detect-bench [--rules DIR] [--iterations N]

#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "detect/engine.h"
#include "detect/signature/rule_loader.h"
#include "detect/transaction_inspector.h"
#include "parsers/parse_http_request.h"

using weir::parse::Field;
using weir::parse::Zone;
namespace wd = weir::detect;

namespace {

// Thread CPU time: the machine running the bench may be busy, wall time is not.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Family {
  const char* cls;
  const char* zones;
  const char* transforms;
  const char* confirm;
  std::vector<const char*> patterns;
};

// Literal-led patterns in the style the default ruleset must follow.
std::string synthetic_rules() {
  const std::vector<Family> families = {
      {"sqli", "[any]", "[url_decode, utf8_normalize, sql_comment_strip, compress_whitespace]", "sqli",
       {"union( all| distinct)? ?\\(? ?select", "'\\s*(or|and)\\s", "\\bsleep\\s*\\(", "benchmark\\s*\\(",
        "pg_sleep\\s*\\(", "waitfor\\s+delay", "information_schema", "\\bxp_cmdshell", "load_file\\s*\\(",
        "into\\s+(out|dump)file", "extractvalue\\s*\\(", "updatexml\\s*\\(", "@@version", "';\\s*drop",
        "order\\s+by\\s+\\d+\\s*(--|#)", "group_concat\\s*\\(", "sysobjects", "pg_catalog",
        "dbms_pipe", "utl_inaddr"}},
      {"xss", "[any]", "[url_decode, utf8_normalize, html_entity_decode]", "xss",
       {"<script", "javascript:", "vbscript:", "\\bonerror\\s*=", "\\bonload\\s*=", "\\bonmouseover\\s*=",
        "\\bonfocus\\s*=", "<iframe", "<svg", "<object", "<embed", "srcdoc\\s*=", "expression\\s*\\(",
        "document\\.cookie", "document\\.domain", "<img[^>]{0,40}\\bon", "ontoggle\\s*=",
        "String\\.fromCharCode", "<base\\s", "<meta[^>]{0,40}refresh"}},
      {"path_traversal", "[path, path_segment, query_arg, body_json, body_form, cookie, header]",
       "[url_decode, utf8_normalize, path_normalize]", "",
       {"\\.\\./", "/etc/passwd", "/etc/shadow", "win\\.ini", "boot\\.ini", "/proc/self/",
        "\\.htaccess", "web\\.config", "/var/log/", "c:/windows/"}},
      {"cmd_injection", "[any]", "[url_decode, utf8_normalize]", "",
       {";\\s*(cat|ls|id|whoami|uname)\\b", "\\|\\s*(nc|bash|sh)\\b", "`[^`]{1,40}`", "\\$\\([^)]{1,40}\\)",
        "/bin/(ba)?sh", "wget\\s+http", "curl\\s+http", "powershell", "cmd\\.exe", "&&\\s*(id|whoami)",
        "nc\\s+-e", "python\\s+-c", "perl\\s+-e", "chmod\\s+\\+x", "/dev/tcp/"}},
      {"ssrf", "[query_arg, body_json, body_form, header]", "[url_decode, utf8_normalize]", "",
       {"169\\.254\\.169\\.254", "metadata\\.google\\.internal", "://127\\.", "://localhost", "://0x7f",
        "://2130706433", "gopher://", "dict://", "file://", "://\\[::1\\]"}},
      {"jndi", "[any]", "[url_decode, utf8_normalize]", "",
       {"\\$\\{jndi:", "\\$\\{\\$\\{", "\\$\\{lower:", "\\$\\{env:", "\\$\\{::-"}},
      {"ssti", "[any]", "[url_decode, utf8_normalize]", "",
       {"\\{\\{[^}]{0,40}(__class__|config|self)", "\\{%\\s*(import|include)", "#\\{[^}]{0,40}\\}",
        "\\$\\{[^}]{0,20}(runtime|getclass)", "<%=", "\\{\\{7\\*7\\}\\}", "__globals__",
        "\\$where", "\\$ne\\b", "\\$gt\\b", "\\$regex", "\\)\\(\\|\\(", "\\*\\)\\(", "%0d%0a", "\\r\\nset-cookie"}},
      {"scanner", "[header]", "[]", "", {"sqlmap", "nikto", "nuclei", "acunetix", "masscan"}},
  };
  std::string y = "rules:\n";
  int n = 0;
  for (const Family& f : families) {
    for (const char* p : f.patterns) {
      std::string pat;
      for (const char* c = p; *c; ++c) {
        if (*c == '\\' || *c == '"') pat += '\\';
        pat += *c;
      }
      y += "  - id: \"b" + std::to_string(++n) + "\"\n    message: m\n    class: " + f.cls +
           "\n    severity: critical\n    zones: " + f.zones + "\n    transforms: " + f.transforms +
           "\n    flags: [caseless]\n    patterns: [\"" + pat + "\"]\n";
      if (*f.confirm) y += std::string("    confirm: ") + f.confirm + "\n";
    }
  }
  return y;
}

// A typical ~1 KB JSON API request as fields.
std::vector<Field> benign_request(std::string& body_storage) {
  (void)body_storage;
  return {
      {Zone::Method, "", "POST"},
      {Zone::Path, "", "/api/v1/orders/8812/items"},
      {Zone::PathSegment, "0", "api"},
      {Zone::PathSegment, "1", "v1"},
      {Zone::PathSegment, "2", "orders"},
      {Zone::PathSegment, "3", "8812"},
      {Zone::PathSegment, "4", "items"},
      {Zone::QueryArg, "expand", "product,price"},
      {Zone::QueryArg, "lang", "en-US"},
      {Zone::Header, "host", "shop.example"},
      {Zone::Header, "user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0 Safari/537.36"},
      {Zone::Header, "accept", "application/json, text/plain, */*"},
      {Zone::Header, "accept-language", "en-US,en;q=0.9"},
      {Zone::Header, "content-type", "application/json"},
      {Zone::Header, "authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiIsInNjb3BlIjoib3JkZXJzIn0.kq3xYc2n8Jx0"},
      {Zone::Header, "x-request-id", "5f0c2a1e-8d3b-4c59-9a5e-2b7f1c0d9e84"},
      {Zone::Cookie, "session", "s%3AQk3vX9Yw2Lq8Zp1Rt6Uy.aB4cD5eF6gH7"},
      {Zone::Cookie, "theme", "dark"},
      {Zone::BodyJson, "customer.id", "42"},
      {Zone::BodyJson, "customer.name", "Mary O'Neil"},
      {Zone::BodyJson, "customer.email", "mary.oneil@example.com"},
      {Zone::BodyJson, "customer.address.street", "1600 Amphitheatre Parkway"},
      {Zone::BodyJson, "customer.address.city", "Mountain View"},
      {Zone::BodyJson, "customer.address.zip", "94043"},
      {Zone::BodyJson, "items[0].sku", "SKU-1138-BLK"},
      {Zone::BodyJson, "items[0].qty", "2"},
      {Zone::BodyJson, "items[0].price", "19.99"},
      {Zone::BodyJson, "items[1].sku", "SKU-2001-WHT"},
      {Zone::BodyJson, "items[1].qty", "1"},
      {Zone::BodyJson, "items[1].price", "249.00"},
      {Zone::BodyJson, "coupon", "SPRING-25"},
      {Zone::BodyJson, "note", "Please leave the parcel at the back door, and ring twice. Thanks!"},
      {Zone::BodyJson, "gift", "false"},
      {Zone::BodyJson, "delivery.window", "2026-12-05T09:00:00Z/2026-12-05T12:00:00Z"},
      {Zone::BodyJson, "payment.method", "card"},
      {Zone::BodyJson, "payment.token", "tok_1NqXbQ2eZvKYlo2C8aUu7xYz"},
  };
}

}  // namespace

int main(int argc, char** argv) {
  std::string rules_dir;
  long iterations = 200000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--rules") == 0 && i + 1 < argc) rules_dir = argv[++i];
    else if (std::strcmp(argv[i], "--iterations") == 0 && i + 1 < argc) iterations = std::atol(argv[++i]);
    else {
      std::fprintf(stderr, "usage: %s [--rules DIR] [--iterations N]\n", argv[0]);
      return 2;
    }
  }
  wd::RuleSet rs;
  try {
    if (rules_dir.empty()) wd::load_rules_text(synthetic_rules(), "(synthetic)", rs);
    else rs = wd::load_rules_dir(rules_dir);
  } catch (const wd::RuleError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  auto t0 = std::chrono::steady_clock::now();
  auto snap = wd::PolicySnapshot::compile(rs);
  auto t1 = std::chrono::steady_clock::now();
  std::string storage;
  std::vector<Field> benign = benign_request(storage);
  std::vector<Field> attack = benign;
  attack[attack.size() - 5].value = "x' UNION SELECT password FROM users--";
  size_t bytes = 0;
  for (const Field& f : benign) bytes += f.name.size() + f.value.size();

  wd::InspectionEngine engine;
  std::printf("rules: %zu (+ lexical), chains: %zu groups, patterns: %zu, compile: %.0f ms\n",
              rs.rules.size(), snap->signatures().groups().size(),
              snap->signatures().pattern_count(),
              std::chrono::duration<double, std::milli>(t1 - t0).count());
  std::printf("request: %zu fields, %zu bytes of names+values\n", benign.size(), bytes);
  for (int which = 0; which < 2; ++which) {
    const std::vector<Field>& req = which == 0 ? benign : attack;
    wd::InspectionContext ctx{.path = "/api/v1/orders/8812/items"};
    wd::InspectionResult r = engine.inspect(*snap, req, ctx);  // warm-up + stats
    uint64_t sink = 0;
    double a = cpu_seconds();
    for (long i = 0; i < iterations; ++i) sink += engine.inspect(*snap, req, ctx).score;
    double us = (cpu_seconds() - a) * 1e6 / static_cast<double>(iterations);
    std::printf("%-7s verdict=%s score=%u findings=%zu scans/req=%u transforms/req=%u "
                "lexical/req=%u  %.2f us/req (thread CPU time)  %.0f req/s (sink %llu)\n",
                which == 0 ? "benign" : "attack", wd::verdict_action_name(r.verdict.action),
                r.score, r.findings.size(), r.stats.scans, r.stats.transforms,
                r.stats.lexical_checks, us, 1e6 / us, static_cast<unsigned long long>(sink % 7));
  }

  // The same request on the wire: parser + detect.
  std::string json = "{\"customer\":{\"id\":42,\"name\":\"Mary O'Neil\",\"email\":\"mary.oneil@example.com\","
      "\"address\":{\"street\":\"1600 Amphitheatre Parkway\",\"city\":\"Mountain View\",\"zip\":\"94043\"}},"
      "\"items\":[{\"sku\":\"SKU-1138-BLK\",\"qty\":2,\"price\":19.99},{\"sku\":\"SKU-2001-WHT\",\"qty\":1,"
      "\"price\":249.00}],\"coupon\":\"SPRING-25\",\"note\":\"Please leave the parcel at the back door, and ring "
      "twice. Thanks!\",\"gift\":false,\"delivery\":{\"window\":\"2026-12-05T09:00:00Z/2026-12-05T12:00:00Z\"},"
      "\"payment\":{\"method\":\"card\",\"token\":\"tok_1NqXbQ2eZvKYlo2C8aUu7xYz\"}}";
  std::string raw = "POST /api/v1/orders/8812/items?expand=product,price&lang=en-US HTTP/1.1\r\n"
      "Host: shop.example\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/119.0 Safari/537.36\r\nAccept: application/json, text/plain, */*\r\nAccept-Language: en-US,en;q=0.9\r\n"
      "Content-Type: application/json\r\nAuthorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiIsInNjb3BlIjoib3JkZXJzIn0.kq3xYc2n8Jx0\r\n"
      "X-Request-Id: 5f0c2a1e-8d3b-4c59-9a5e-2b7f1c0d9e84\r\nCookie: session=s%3AQk3vX9Yw2Lq8Zp1Rt6Uy.aB4cD5eF6gH7; theme=dark\r\n"
      "Content-Length: " + std::to_string(json.size()) + "\r\n\r\n" + json;
  weir::parse::ParserWorkspace workspace;
  wd::TransactionInspector sink(engine);
  sink.set_snapshot(snap.get());
  weir::parse::parse_http_request(raw, sink, workspace);
  double a = cpu_seconds();
  for (long i = 0; i < iterations; ++i) weir::parse::parse_http_request(raw, sink, workspace);
  double us = (cpu_seconds() - a) * 1e6 / static_cast<double>(iterations);
  std::printf("http1   %zu-byte request, parse + detect: verdict=%s  %.2f us/req  %.0f req/s\n",
              raw.size(), wd::verdict_action_name(sink.last().verdict.action), us, 1e6 / us);
  return 0;
}
