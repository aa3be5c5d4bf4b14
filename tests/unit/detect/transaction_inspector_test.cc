// The engine as a parsers TransactionSink: new fields only, score carried
// from headers to body of one message, parser findings, Block answer.

#include "detect/transaction_inspector.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "detect/signature/rule_loader.h"

namespace weir::detect {
namespace {

using parse::Field;
using parse::Zone;

std::shared_ptr<const PolicySnapshot> snapshot() {
  RuleSet rs;
  load_rules_text(R"(rules:
  - {id: w, message: m, class: scanner, severity: warning, zones: [header, body_json], patterns: [suspect]}
exceptions:
  - {id: e, endpoint: {prefix: /health}, rules: [all]}
policy:
  lexical: {sqli: {enabled: false}, xss: {enabled: false}}
)", "t.yaml", rs);
  return PolicySnapshot::compile(rs);
}

TEST(TransactionInspectorTest, TargetPath) {
  EXPECT_EQ(TransactionInspector::target_path("/a/b?x=1"), "/a/b");
  EXPECT_EQ(TransactionInspector::target_path("/a#frag"), "/a");
  EXPECT_EQ(TransactionInspector::target_path("http://h.example/p/q?z"), "/p/q");
  EXPECT_EQ(TransactionInspector::target_path("http://h.example"), "/");
  EXPECT_EQ(TransactionInspector::target_path("/r?next=http://x/"), "/r");
}

TEST(TransactionInspectorTest, CarriesTheScoreFromHeadersToBody) {
  auto snap = snapshot();
  InspectionEngine engine;
  TransactionInspector sink(engine);
  sink.set_snapshot(snap.get());
  std::vector<Field> fields = {{Zone::Header, "x-a", "suspect"}};
  // Transactions hold spans into `fields`: the push_back below must not move it
  // (`head` is inspected again at the end).
  fields.reserve(2);
  parse::Transaction head;
  head.target = "/api/x?y=1";
  head.fields = fields;
  EXPECT_EQ(sink.on_decision(head), parse::SinkVerdict::Pass);  // 3 < 5
  EXPECT_EQ(sink.last().score, 3u);

  fields.push_back({Zone::BodyJson, "a", "suspect"});
  parse::Transaction body = head;
  body.point = parse::DecisionPoint::EndOfBody;
  body.fields = fields;
  body.first_new = 1;  // the header is not scanned twice
  EXPECT_EQ(sink.on_decision(body), parse::SinkVerdict::Block);  // 3 + 3
  EXPECT_EQ(sink.last().score, 6u);
  EXPECT_EQ(sink.last().findings.size(), 1u);

  // The next request on the connection starts from zero.
  parse::Transaction next = body;
  next.index = 1;
  EXPECT_EQ(sink.on_decision(next), parse::SinkVerdict::Pass);
  EXPECT_EQ(sink.last().score, 3u);
  // Exceptions see the path without the query.
  parse::Transaction health = head;
  health.index = 2;
  health.target = "/health?full=1";
  sink.on_decision(health);
  EXPECT_EQ(sink.last().score, 0u);
}

TEST(TransactionInspectorTest, ParserFindingsBecomeProtocolFindings) {
  auto snap = snapshot();
  InspectionEngine engine;
  TransactionInspector sink(engine);
  sink.set_snapshot(snap.get());
  const parse::ParserFinding anomaly{"http1.obs_fold", "obs-fold in x-a",
                                     parse::FindingSeverity::Anomaly};
  const parse::ParserFinding fatal{"http1.cl_te_conflict", "Content-Length with chunked",
                                   parse::FindingSeverity::Fatal};
  parse::Transaction t;
  t.target = "/";
  std::vector<parse::ParserFinding> pf = {anomaly};
  t.findings = pf;
  EXPECT_EQ(sink.on_decision(t), parse::SinkVerdict::Pass);
  ASSERT_EQ(sink.last().findings.size(), 1u);
  const Finding& f = sink.last().findings[0];
  EXPECT_EQ(f.rule_id, "http1.obs_fold");
  EXPECT_EQ(f.attack_class, AttackClass::Protocol);
  EXPECT_EQ(f.rule_index, Finding::kParserFinding);
  EXPECT_EQ(f.score, 3);
  pf = {fatal};
  t.findings = pf;
  t.index = 1;
  EXPECT_EQ(sink.on_decision(t), parse::SinkVerdict::Block);
  EXPECT_EQ(sink.last().verdict.action, VerdictAction::Reset);
}

TEST(TransactionInspectorTest, OddArgumentNamesAreInspectedAsNameFields) {
  std::vector<Field> in = {{Zone::QueryArg, "user[$ne]", "1"},
                           {Zone::QueryArg, "filter[name]", "x"},
                           {Zone::BodyJson, "items[0].sku", "A-1"},
                           {Zone::BodyJson, "data.$where", "sleep(1)"},
                           {Zone::Header, "x-$odd", "v"},
                           {Zone::Cookie, "", "bare"}};
  std::vector<Field> out;
  out.reserve(8);
  EXPECT_EQ(append_name_fields(in, out), 2u);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].zone, Zone::QueryArgName);
  EXPECT_EQ(out[0].value, "user[$ne]");
  EXPECT_EQ(out[1].value, "data.$where");
  // Never grows past the reserved room (no allocation on the packet path).
  std::vector<Field> small;
  small.reserve(1);
  EXPECT_EQ(append_name_fields(in, small), 1u);
  EXPECT_EQ(small.capacity(), 1u);

  // The first field that needs one, so a decision without any is not copied.
  EXPECT_EQ(first_name_field(in), 0u);
  EXPECT_EQ(first_name_field(std::span<const Field>(in).subspan(1)), 2u);
  EXPECT_EQ(first_name_field(std::span<const Field>(in).subspan(4)), 2u);

  // The plain-name table against the byte test it replaced, every byte.
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    const bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                       (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-' ||
                       ch == '[' || ch == ']';
    const std::string name = std::string("ab") + ch;
    const std::vector<Field> one = {{Zone::QueryArg, name, "v"}};
    EXPECT_EQ(first_name_field(one), plain ? 1u : 0u) << "byte " << c;
  }

  // Through the inspector: a rule on query_arg_name sees the name.
  RuleSet rs;
  load_rules_text(R"(rules:
  - {id: n, message: m, class: nosqli, severity: critical, zones: [query_arg_name], patterns: ["\\[\\$ne\\]"]}
policy:
  lexical: {sqli: {enabled: false}, xss: {enabled: false}}
)", "n.yaml", rs);
  auto snap = PolicySnapshot::compile(rs);
  InspectionEngine engine;
  TransactionInspector sink(engine);
  sink.set_snapshot(snap.get());
  std::vector<Field> fields = {{Zone::QueryArg, "user[$ne]", "1"}};
  parse::Transaction t;
  t.target = "/login?user[$ne]=1";
  t.fields = fields;
  EXPECT_EQ(sink.on_decision(t), parse::SinkVerdict::Block);
  ASSERT_EQ(sink.last().findings.size(), 1u);
  EXPECT_EQ(sink.last().findings[0].zone, Zone::QueryArgName);
}

TEST(TransactionInspectorTest, NoSnapshotPasses) {
  InspectionEngine engine;
  TransactionInspector sink(engine);
  parse::Transaction t;
  EXPECT_EQ(sink.on_decision(t), parse::SinkVerdict::Pass);
}

}  // namespace
}  // namespace weir::detect
