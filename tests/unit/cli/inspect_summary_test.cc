// The corpus summary: TPR/FPR maths, the per-class table, the lists of
// false positives and misses, the quality gate and the JSON form.

#include "cli/inspect_summary.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace weir::cli {
namespace {

CorpusRequest req(const std::string& id, CorpusLabel label, const std::string& cls) {
  CorpusRequest r;
  r.id = id;
  r.label = label;
  r.attack_class = cls;
  return r;
}

// 4 sqli (3 detected), 2 xss (2), 1 unclassed attack (missed), 5 benign
// (1 false positive), 2 unlabelled (1 detected).
InspectSummary sample() {
  InspectSummary s;
  s.add(req("s1", CorpusLabel::Attack, "sqli"), true, "942100", false);
  s.add(req("s2", CorpusLabel::Attack, "sqli"), true, "942100", false);
  s.add(req("s3", CorpusLabel::Attack, "sqli"), false, "", false);
  s.add(req("s4", CorpusLabel::Attack, "sqli"), true, "lexical-sqli", false);
  s.add(req("x1", CorpusLabel::Attack, "xss"), true, "941100", false);
  s.add(req("x2", CorpusLabel::Attack, "xss"), true, "941100", true);
  s.add(req("a1", CorpusLabel::Attack, ""), false, "", false);
  for (int i = 0; i < 4; ++i) s.add(req("b" + std::to_string(i), CorpusLabel::Benign, "shop"), false, "", false);
  s.add(req("b9", CorpusLabel::Benign, "search"), true, "942100,941100", false);
  s.add(req("u1", CorpusLabel::None, ""), true, "x", false);
  s.add(req("u2", CorpusLabel::None, ""), false, "", false);
  return s;
}

TEST(InspectSummary, Rates) {
  const InspectSummary s = sample();
  EXPECT_EQ(s.requests(), 14u);
  EXPECT_EQ(s.detected(), 7u);
  EXPECT_EQ(s.attacks(), 7u);
  EXPECT_EQ(s.benign(), 5u);
  EXPECT_EQ(s.true_positives(), 5u);
  EXPECT_EQ(s.false_positives(), 1u);
  EXPECT_EQ(s.parse_failures(), 1u);
  EXPECT_DOUBLE_EQ(*s.true_positive_rate(), 5.0 / 7.0);
  EXPECT_DOUBLE_EQ(*s.false_positive_rate(), 1.0 / 5.0);
}

TEST(InspectSummary, NoLabelsNoRates) {
  InspectSummary s;
  EXPECT_FALSE(s.true_positive_rate());
  EXPECT_FALSE(s.false_positive_rate());
  s.add(req("u", CorpusLabel::None, "sqli"), true, "r", false);
  EXPECT_FALSE(s.true_positive_rate());
  EXPECT_TRUE(s.class_rows().empty());
  s.add(req("b", CorpusLabel::Benign, ""), false, "", false);
  EXPECT_FALSE(s.true_positive_rate());
  EXPECT_DOUBLE_EQ(*s.false_positive_rate(), 0.0);
}

TEST(InspectSummary, ClassRowsAttacksFirstSortedByClass) {
  const auto rows = sample().class_rows();
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].attack_class, "(none)");
  EXPECT_EQ(rows[0].label, CorpusLabel::Attack);
  EXPECT_EQ(rows[0].count, 1u);
  EXPECT_EQ(rows[0].detected, 0u);
  EXPECT_EQ(rows[1].attack_class, "sqli");
  EXPECT_EQ(rows[1].count, 4u);
  EXPECT_EQ(rows[1].detected, 3u);
  EXPECT_DOUBLE_EQ(rows[1].rate(), 0.75);
  EXPECT_EQ(rows[2].attack_class, "xss");
  EXPECT_DOUBLE_EQ(rows[2].rate(), 1.0);
  EXPECT_EQ(rows[3].label, CorpusLabel::Benign);
  EXPECT_EQ(rows[3].attack_class, "search");
  EXPECT_DOUBLE_EQ(rows[3].rate(), 1.0);
  EXPECT_EQ(rows[4].attack_class, "shop");
  EXPECT_DOUBLE_EQ(rows[4].rate(), 0.0);
}

TEST(InspectSummary, ListsInCorpusOrder) {
  const InspectSummary s = sample();
  ASSERT_EQ(s.false_positive_list().size(), 1u);
  EXPECT_EQ(s.false_positive_list()[0].id, "b9");
  EXPECT_EQ(s.false_positive_list()[0].rules, "942100,941100");
  ASSERT_EQ(s.missed_list().size(), 2u);
  EXPECT_EQ(s.missed_list()[0].id, "s3");
  EXPECT_EQ(s.missed_list()[1].id, "a1");
}

TEST(QualityGate, BoundsAndMissingLabels) {
  const InspectSummary s = sample();  // TPR 0.714, FPR 0.2
  EXPECT_TRUE(check_quality_gate(s, std::nullopt, std::nullopt).empty());
  EXPECT_TRUE(check_quality_gate(s, 0.7, 0.2).empty());  // bounds are inclusive
  auto f = check_quality_gate(s, 0.72, 0.19);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0], "TPR 0.7143 (5/7) is below --min-tpr 0.7200");
  EXPECT_EQ(f[1], "FPR 0.2000 (1/5) is above --max-fpr 0.1900");
  InspectSummary unlabelled;
  unlabelled.add(req("u", CorpusLabel::None, ""), true, "", false);
  f = check_quality_gate(unlabelled, 0.5, 0.5);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_NE(f[0].find("no requests labelled attack"), std::string::npos);
  EXPECT_NE(f[1].find("no requests labelled benign"), std::string::npos);
}

TEST(InspectSummary, RenderAndJson) {
  const InspectSummary s = sample();
  Throughput t;
  t.requests = 1000;
  t.bytes = 1000000;
  t.cpu_seconds = 0.004;
  t.wall_seconds = 0.005;
  t.fields = 140;
  t.scans = 28;
  t.exact_scans = 7;
  t.transforms = 70;
  EXPECT_DOUBLE_EQ(t.requests_per_second(), 250000.0);
  EXPECT_DOUBLE_EQ(t.megabytes_per_second(), 250.0);
  const std::string text = render_summary(s, t, 1);
  EXPECT_NE(text.find("250000 requests/s on one core"), std::string::npos) << text;
  EXPECT_NE(text.find("0.7143 (5/7 attacks detected)"), std::string::npos) << text;
  EXPECT_NE(text.find("per request 10.0 fields, 2.0 scans (0.5 exact), 5.0 transform steps"), std::string::npos)
      << text;
  EXPECT_NE(text.find("0.2000 (1/5 benign requests detected)"), std::string::npos) << text;
  EXPECT_NE(text.find("sqli"), std::string::npos);
  EXPECT_NE(text.find("75.00%"), std::string::npos) << text;
  EXPECT_NE(text.find("missed attacks (2, first 1)"), std::string::npos) << text;
  EXPECT_EQ(text.find("a1"), std::string::npos) << "top 1 lists only the first miss";

  const auto j = nlohmann::json::parse(summary_json(s, t, 10));
  EXPECT_EQ(j["requests"], 14);
  EXPECT_DOUBLE_EQ(j["tpr"].get<double>(), 5.0 / 7.0);
  EXPECT_DOUBLE_EQ(j["requests_per_second"].get<double>(), 250000.0);
  EXPECT_EQ(j["classes"].size(), 5u);
  EXPECT_EQ(j["engine"]["scans"], 28);
  EXPECT_EQ(j["false_positive_ids"][0]["id"], "b9");
  EXPECT_EQ(j["missed_ids"].size(), 2u);
  InspectSummary empty;
  const auto e = nlohmann::json::parse(summary_json(empty, Throughput{}, 10));
  EXPECT_TRUE(e["tpr"].is_null());
  EXPECT_EQ(e["requests_per_second"], 0.0);
}

}  // namespace
}  // namespace weir::cli
