// The detector table and the score -> verdict policy.

#include <gtest/gtest.h>

#include <string_view>

#include "detect/detector.h"
#include "detect/policy/anomaly_policy.h"

namespace weir::detect {
namespace {

TEST(RegistryTest, ListsSignatureAndLexicalDetectors) {
  auto all = detector_registry();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(std::string_view(all[0].name), "signature");
  EXPECT_EQ(all[0].kind, DetectorKind::Signature);
  const DetectorApi* sqli = lexical_detector(ConfirmKind::Sqli);
  const DetectorApi* xss = lexical_detector(ConfirmKind::Xss);
  ASSERT_NE(sqli, nullptr);
  ASSERT_NE(xss, nullptr);
  EXPECT_EQ(std::string_view(sqli->rule_id), "lexical-sqli");
  EXPECT_TRUE(sqli->confirm("' or 1=1--"));
  EXPECT_FALSE(sqli->confirm("O'Brien"));
  EXPECT_TRUE(xss->confirm("<svg onload=alert(1)>"));
  EXPECT_FALSE(xss->confirm("<b>bold</b>"));
  EXPECT_FALSE(sqli->triggers.empty());
  EXPECT_FALSE(xss->default_transforms.empty());
  EXPECT_EQ(lexical_detector(ConfirmKind::None), nullptr);
}

TEST(AnomalyPolicyTest, ThresholdModeAndActions) {
  PolicyConfig p;
  p.threshold = 5;
  EXPECT_EQ(decide_verdict(p, 4, false, false).action, VerdictAction::Pass);
  EXPECT_EQ(decide_verdict(p, 4, false, true).action, VerdictAction::Alert);
  EXPECT_EQ(decide_verdict(p, 5, false, false).action, VerdictAction::Reset);
  EXPECT_EQ(decide_verdict(p, 0, true, false).action, VerdictAction::Reset);
  p.block_action = VerdictAction::Drop;
  EXPECT_EQ(decide_verdict(p, 9, false, false).action, VerdictAction::Drop);
  p.block_action = VerdictAction::Block;
  p.block_scope = BlockScope::Session;
  p.block_ttl_s = 30;
  Verdict v = decide_verdict(p, 9, false, false);
  EXPECT_EQ(v.action, VerdictAction::Block);
  EXPECT_EQ(v.scope, BlockScope::Session);
  EXPECT_EQ(v.ttl_s, 30u);
  EXPECT_TRUE(v.stops_traffic());
  p.mode = PolicyMode::Monitor;
  EXPECT_EQ(decide_verdict(p, 9, true, false).action, VerdictAction::Alert);
  p.mode = PolicyMode::Block;
  p.paranoia = 3;
  p.thresholds = {5, 5, 10, 12};
  EXPECT_EQ(decide_verdict(p, 9, false, false).action, VerdictAction::Pass);
  EXPECT_EQ(decide_verdict(p, 10, false, false).action, VerdictAction::Block);
  EXPECT_EQ(severity_score(p, Severity::Critical), 5);
  EXPECT_EQ(severity_score(p, Severity::Notice), 2);
}

}  // namespace
}  // namespace weir::detect
