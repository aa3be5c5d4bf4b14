// Rule file validation: every error names file, line, key and expectation.

#include "detect/signature/rule_loader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "detect/policy_snapshot.h"

namespace weir::detect {
namespace {

std::string error_of(const std::string& yaml, bool compile = false) {
  try {
    RuleSet rs;
    load_rules_text(yaml, "t.yaml", rs);
    if (compile) PolicySnapshot::compile(rs);
  } catch (const RuleError& e) {
    return e.what();
  }
  return "";
}

const char* kGoodRule = R"(rules:
  - id: "r1"
    message: "m"
    class: sqli
    severity: critical
    zones: [query_arg]
    patterns: ["union\\s+select"]
)";

TEST(RuleLoaderTest, LoadsAGoodRule) {
  RuleSet rs;
  load_rules_text(kGoodRule, "t.yaml", rs);
  ASSERT_EQ(rs.rules.size(), 1u);
  const Rule& r = rs.rules[0];
  EXPECT_EQ(r.id, "r1");
  EXPECT_EQ(r.attack_class, AttackClass::Sqli);
  EXPECT_EQ(r.severity, Severity::Critical);
  EXPECT_EQ(r.paranoia, 1);
  EXPECT_EQ(r.mark.line, 2);
  EXPECT_EQ(r.zones, ZoneMask{1} << static_cast<unsigned>(parse::Zone::QueryArg));
  ASSERT_EQ(r.patterns.size(), 1u);
  EXPECT_EQ(r.patterns[0].regex, "union\\s+select");
}

TEST(RuleLoaderTest, ErrorsNameFileLineKeyAndExpectation) {
  std::string y = kGoodRule;
  EXPECT_EQ(error_of(std::string(y).replace(y.find("critical"), 8, "high")),
            "t.yaml:5: key 'severity': expected one of critical, error, warning, notice (got 'high')");
  std::string e = error_of(std::string(y).replace(y.find("query_arg"), 9, "querystring"));
  EXPECT_NE(e.find("t.yaml:6: key 'zones': expected a zone"), std::string::npos) << e;
  e = error_of(std::string(y) + "    colour: red\n");
  EXPECT_NE(e.find("t.yaml:8: key 'rules[].colour'"), std::string::npos) << e;
  e = error_of(std::string(y) + "    transforms: [urldecode]\n");
  EXPECT_NE(e.find("t.yaml:8: key 'transforms': expected a transform"), std::string::npos) << e;
  e = error_of(std::string(y) + "    paranoia: 7\n");
  EXPECT_NE(e.find("t.yaml:8: key 'paranoia': expected an integer from 1 to 4 (got '7')"),
            std::string::npos) << e;
  e = error_of(std::string(y) + "    confirm: ldap\n");
  EXPECT_NE(e.find("key 'confirm': expected sqli or xss"), std::string::npos) << e;
}

TEST(RuleLoaderTest, BufferAnchorsAreRejected) {
  std::string y = std::string(kGoodRule);
  y.replace(y.find("union\\\\s+select"), 15, "\\\\Aunion");
  std::string e = error_of(y);
  EXPECT_NE(e.find("t.yaml:7: key 'patterns': expected ^ and $ instead of"), std::string::npos) << e;
  y = std::string(kGoodRule);
  y.replace(y.find("union\\\\s+select"), 15, "x\\\\\\\\Ay");  // escaped backslash, then A
  EXPECT_EQ(error_of(y), "");
}

TEST(RuleLoaderTest, Utf8PatternsNeedAUtf8SafeChain) {
  std::string y = std::string(kGoodRule) + "    flags: [utf8]\n";
  std::string e = error_of(y);
  EXPECT_NE(e.find("t.yaml:2: key 'transforms': expected utf8_normalize"), std::string::npos) << e;
  EXPECT_NE(error_of(std::string(kGoodRule) + "    flags: [utf8]\n    transforms: [url_decode, utf8_normalize, url_decode]\n"), "");
  EXPECT_EQ(error_of(std::string(kGoodRule) + "    flags: [utf8]\n    transforms: [url_decode, utf8_normalize, lowercase]\n", true), "");
}

TEST(RuleLoaderTest, MissingRequiredKey) {
  std::string e = error_of("rules:\n  - id: x\n    message: m\n    class: xss\n    zones: [any]\n"
                           "    patterns: [\"<script\"]\n");
  EXPECT_NE(e.find("t.yaml:2: key 'severity': expected this required key"), std::string::npos) << e;
}

TEST(RuleLoaderTest, DuplicateIdNamesTheFirstDefinition) {
  std::string y = std::string(kGoodRule) + std::string(kGoodRule).substr(7);
  std::string e = error_of(y);
  EXPECT_NE(e.find("t.yaml:8: key 'id': expected a unique rule id ('r1' is also defined at t.yaml:2)"),
            std::string::npos) << e;
}

TEST(RuleLoaderTest, YamlSyntaxErrorHasALine) {
  std::string e = error_of("rules:\n  - id: [unclosed\n");
  EXPECT_NE(e.find("t.yaml:"), std::string::npos) << e;
  EXPECT_NE(e.find("expected valid YAML"), std::string::npos) << e;
}

TEST(RuleLoaderTest, BadRegexIsReportedAtThePatternLine) {
  std::string y = std::string(kGoodRule);
  y.replace(y.find("union\\\\s+select"), 15, "union(select");
  std::string e = error_of(y, true);
  EXPECT_NE(e.find("t.yaml:7: key 'patterns': expected a pattern Hyperscan accepts in rule 'r1'"),
            std::string::npos) << e;
}

TEST(RuleLoaderTest, ExceptionNamingAnUnknownRule) {
  std::string y = std::string(kGoodRule) +
                  "exceptions:\n  - id: e1\n    rules: [nope]\n";
  std::string e = error_of(y, true);
  EXPECT_NE(e.find("t.yaml:9: key 'rules': expected ids of existing rules ('nope' is not one)"),
            std::string::npos) << e;
  e = error_of(std::string(kGoodRule) + "exceptions:\n  - id: e1\n    zones: [cookie]\n");
  EXPECT_NE(e.find("expected rules or classes"), std::string::npos) << e;
}

TEST(RuleLoaderTest, PolicySection) {
  RuleSet rs;
  load_rules_text("policy:\n  mode: monitor\n  paranoia: 2\n  threshold: 9\n"
                  "  thresholds: {2: 12}\n  scores: {warning: 4}\n  block_action: block\n"
                  "  block: {scope: session, ttl_s: 60}\n  parser_fatal: alert\n"
                  "  lexical:\n    sqli: {enabled: false}\n    xss: {severity: error}\n",
                  "p.yaml", rs);
  EXPECT_TRUE(rs.has_policy);
  EXPECT_EQ(rs.policy.mode, PolicyMode::Monitor);
  EXPECT_EQ(rs.policy.active_threshold(), 12u);
  EXPECT_EQ(rs.policy.scores[static_cast<size_t>(Severity::Warning)], 4);
  EXPECT_EQ(rs.policy.block_action, VerdictAction::Block);
  EXPECT_EQ(rs.policy.block_scope, BlockScope::Session);
  EXPECT_EQ(rs.policy.block_ttl_s, 60u);
  EXPECT_FALSE(rs.policy.sqli.enabled);
  EXPECT_FALSE(rs.policy.parser_fatal_blocks);
  EXPECT_EQ(rs.policy.xss.severity, Severity::Error);
  std::string e;
  try {
    load_rules_text("policy:\n  mode: strict\n", "q.yaml", rs);
  } catch (const RuleError& err) {
    e = err.what();
  }
  EXPECT_NE(e.find("q.yaml:2: key 'policy': expected one policy section"), std::string::npos) << e;
}

TEST(RuleLoaderTest, DefaultRulesetLoadsAndCompiles) {
  const char* root = std::getenv("WEIR_SOURCE_ROOT");
  ASSERT_NE(root, nullptr);
  RuleSet rs = load_rules_dir(std::string(root) + "/configs/rules");
  EXPECT_GE(rs.rules.size(), 100u);
  EXPECT_EQ(rs.policy.active_threshold(), 5u);
  EXPECT_TRUE(rs.policy.sqli.enabled);
  EXPECT_TRUE(rs.policy.xss.enabled);
  auto snap = PolicySnapshot::compile(rs);
  EXPECT_GE(snap->signatures().rules().size(), 100u);
}

}  // namespace
}  // namespace weir::detect
