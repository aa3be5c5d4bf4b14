// OfflineInspector reuses an outcome's finding records from one request to
// the next (no string allocation per finding on a corpus pass again): what
// a request reports must be its own findings, none left from before.

#include "cli/offline_inspector.h"

#include <gtest/gtest.h>

#include "detect/policy_snapshot.h"
#include "detect/signature/rule_loader.h"

namespace weir::cli {
namespace {

constexpr const char* kRules = R"(
policy:
  mode: block
  threshold: 5
  lexical: {sqli: {enabled: false}, xss: {enabled: false}}
rules:
  - {id: t-union, message: "UNION SELECT", class: sqli, severity: critical, zones: [query_arg], transforms: [url_decode], patterns: ["union select"]}
  - {id: t-passwd, message: "passwd", class: path_traversal, severity: critical, zones: [query_arg, header], patterns: ["etc/passwd"]}
)";

std::string get(const std::string& target, const std::string& extra_header = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: shop.example\r\n" + extra_header + "\r\n";
}

TEST(OfflineInspectorTest, AnOutcomeReusedForAnotherRequestHoldsOnlyThatRequestsFindings) {
  detect::RuleSet rules;
  detect::load_rules_text(kRules, "<test>", rules);
  OfflineInspector inspector(detect::PolicySnapshot::compile(rules));
  RequestOutcome out;

  inspector.inspect(get("/a?q=union%20select&f=etc/passwd", "X-File: /etc/passwd\r\n"), out);
  ASSERT_EQ(out.findings.size(), 3u);
  EXPECT_TRUE(out.blocked());

  inspector.inspect(get("/a?q=books"), out);
  EXPECT_TRUE(out.findings.empty());
  EXPECT_FALSE(out.blocked());

  inspector.inspect(get("/a?f=etc/passwd"), out);
  ASSERT_EQ(out.findings.size(), 1u);
  const FindingRecord& f = out.findings[0];
  EXPECT_EQ(f.rule, "t-passwd");
  EXPECT_EQ(f.message, "passwd");
  EXPECT_EQ(f.field_name, "f");
  EXPECT_EQ(f.excerpt, "etc/passwd");
  EXPECT_EQ(f.zone, parse::Zone::QueryArg);
  EXPECT_EQ(f.attack_class, detect::AttackClass::PathTraversal);

  // Fewer findings than last time, then as many again: every member rewritten.
  inspector.inspect(get("/a?q=union%20select&f=etc/passwd", "X-File: /etc/passwd\r\n"), out);
  ASSERT_EQ(out.findings.size(), 3u);
  inspector.inspect(get("/a?q=union%20select"), out);
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].rule, "t-union");
  EXPECT_EQ(out.findings[0].message, "UNION SELECT");
  EXPECT_EQ(out.findings[0].field_name, "q");
  EXPECT_EQ(out.findings[0].attack_class, detect::AttackClass::Sqli);
}

}  // namespace
}  // namespace weir::cli
