// relax_for_prefilter(): large bounded repeats become unbounded outside
// character classes and escapes; and the engine still reports only what the
// original pattern matches (the exact rescan uses the original).

#include "detect/signature/prefilter_relax.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "detect/engine.h"
#include "detect/signature/rule_loader.h"

namespace weir::detect {
namespace {

TEST(PrefilterRelaxTest, RewritesLargeBoundedRepeats) {
  EXPECT_EQ(relax_for_prefilter("\\.\\./.{0,80}(etc/|tmp/)"), "\\.\\./.*(etc/|tmp/)");
  EXPECT_EQ(relax_for_prefilter("a[^>]{1,200}b"), "a[^>]+b");
  EXPECT_EQ(relax_for_prefilter("(ab|[jndi]){2,16}:"), "(ab|[jndi]){2,}:");
  EXPECT_EQ(relax_for_prefilter("x{3,40}?y"), "x{3,}?y");
}

TEST(PrefilterRelaxTest, KeepsSmallBoundsClassesEscapesAndLiterals) {
  for (const char* re : {"\\d{1,3}\\.\\d{1,3}", "a{20}", "a{2,}", "[a-z{]{0,9}x", "\\{0,40}",
                         "\\x{263a}", "(?i)ab", "{0,40}x", "\\Qa{0,40}\\E", "[{0,40}]"})
    EXPECT_EQ(relax_for_prefilter(re), re) << re;
  EXPECT_EQ(relax_for_prefilter("\\x{263a}{0,30}"), "\\x{263a}*");
  EXPECT_EQ(relax_for_prefilter("[[:alpha:]]{0,30}"), "[[:alpha:]]*");
}

TEST(PrefilterRelaxTest, EngineReportsOnlyWhatTheOriginalBoundAllows) {
  RuleSet rs;
  load_rules_text(R"(rules:
  - {id: near, message: m, class: other, severity: critical, zones: [any], patterns: ["\\.\\./.{0,20}passwd"]}
policy:
  lexical: {sqli: {enabled: false}, xss: {enabled: false}}
)", "r.yaml", rs);
  auto snap = PolicySnapshot::compile(rs);
  InspectionEngine engine;
  std::string close = "../etc/passwd";
  std::string far = "../" + std::string(30, 'x') + "passwd";
  std::vector<parse::Field> fields = {{parse::Zone::QueryArg, "a", far},
                                      {parse::Zone::QueryArg, "b", close}};
  InspectionResult r = engine.inspect(*snap, fields, {});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].field_name, "b");
  // The relaxed prefilter nominated both fields; the exact scan dropped one.
  EXPECT_EQ(r.stats.exact_scans, 2u);
}

}  // namespace
}  // namespace weir::detect
