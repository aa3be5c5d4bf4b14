// InspectionEngine end to end: rules in YAML, fields in, verdict/findings out.

#include "detect/engine.h"

#include <gtest/gtest.h>
#include <hs/hs.h>

#include <string>
#include <vector>

#include "detect/signature/rule_loader.h"

namespace weir::detect {
namespace {

using parse::Field;
using parse::Zone;

std::shared_ptr<const PolicySnapshot> snapshot(const std::string& yaml) {
  RuleSet rs;
  load_rules_text(yaml, "test.yaml", rs);
  return PolicySnapshot::compile(rs);
}

// No standalone lexical detectors unless a test asks for them.
const char* kQuietPolicy = R"(
policy:
  lexical: {sqli: {enabled: false}, xss: {enabled: false}}
)";

const char* kRules = R"(rules:
  - id: sqli-union
    message: union select
    class: sqli
    severity: critical
    zones: [any]
    transforms: [url_decode, sql_comment_strip, compress_whitespace]
    flags: [caseless]
    patterns: ["union( all)? select"]
    confirm: sqli
  - id: sqli-tautology
    message: quote then or
    class: sqli
    severity: critical
    zones: [query_arg, body_json]
    transforms: [url_decode]
    patterns: ["'\\s*or\\s"]
    flags: [caseless]
    confirm: sqli
  - id: ua-scanner
    message: scanner
    class: scanner
    severity: warning
    zones: [header]
    names: [user-agent]
    transforms: [lowercase]
    patterns: ["sqlmap"]
  - id: b64-union
    message: base64 union
    class: sqli
    severity: critical
    zones: [cookie]
    transforms: [base64_decode, lowercase]
    patterns: ["union select"]
)";

InspectionResult run(InspectionEngine& e, const PolicySnapshot& s, std::vector<Field> fields,
                     std::string_view path = "/api") {
  return e.inspect(s, fields, InspectionContext{.path = path});
}

TEST(EngineTest, BlocksConfirmedSqliWithFinding) {
  auto s = snapshot(std::string(kRules) + kQuietPolicy);
  InspectionEngine e;
  auto r = run(e, *s, {{Zone::QueryArg, "id", "1%27%20OR%201=1--"}});
  EXPECT_EQ(r.verdict.action, VerdictAction::Reset);
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_EQ(f.rule_id, "sqli-tautology");
  EXPECT_EQ(f.zone, Zone::QueryArg);
  EXPECT_EQ(f.field_name, "id");
  EXPECT_EQ(f.score, 5);
  EXPECT_EQ(r.score, 5u);
  EXPECT_NE(f.excerpt_view().find("' OR "), std::string_view::npos);
}

TEST(EngineTest, LexerRejectsProseThatMatchedAPattern) {
  auto s = snapshot(std::string(kRules) + kQuietPolicy);
  InspectionEngine e;
  auto r = run(e, *s, {{Zone::BodyJson, "note", "the 'union' select committee"},
                       {Zone::QueryArg, "q", "Tom' or Jerry"}});
  EXPECT_EQ(r.verdict.action, VerdictAction::Pass);
  EXPECT_TRUE(r.findings.empty());
  // "' or " matched the prefilter; the lexer said no ("Jerry" alone) before
  // any exact rescan of that value.
  EXPECT_EQ(r.stats.unconfirmed_nominations, 1u);
  EXPECT_EQ(r.stats.unconfirmed, 0u);
  EXPECT_EQ(r.stats.exact_scans, 0u);
}

TEST(EngineTest, RuleRescanStopsAtTheRulesFirstMatch) {
  auto s = snapshot(R"(rules:
  - {id: two, message: m, class: other, severity: critical, zones: [any], patterns: ["zq[0-9]+y", "wx[0-9]"]}
)" + std::string(kQuietPolicy));
  InspectionEngine e;
  // Four matches of the rule's two patterns; the first to end is "wx1".
  const std::string value = std::string(60, 'a') + "wx1" + std::string(20, 'b') + "zq12y wx2 zq3y";
  auto r = run(e, *s, {{Zone::QueryArg, "q", value}});
  ASSERT_EQ(r.findings.size(), 1u);
  // The excerpt starts 48 bytes (engine.cc kExcerptBefore) before that end.
  const size_t first_end = 63;
  EXPECT_EQ(r.findings[0].excerpt_view(), std::string_view(value).substr(first_end - 48, Finding::kExcerptMax));
  // Its one-rule database had nothing more to say after that match.
  EXPECT_EQ(r.stats.exact_scans, 1u);
  EXPECT_EQ(r.stats.exact_stopped, 1u);
}

TEST(EngineTest, MatchesNeverSpanTwoFields) {
  auto s = snapshot(std::string(kRules) + kQuietPolicy);
  InspectionEngine e;
  auto split = run(e, *s, {{Zone::QueryArg, "a", "1 union"}, {Zone::QueryArg, "b", " select 1,2"}});
  EXPECT_TRUE(split.findings.empty());
  auto joined = run(e, *s, {{Zone::QueryArg, "a", "1 union select 1,2"}});
  EXPECT_EQ(joined.findings.size(), 1u);
}

TEST(EngineTest, ZoneAndNameFilters) {
  auto s = snapshot(std::string(kRules) + kQuietPolicy);
  InspectionEngine e;
  EXPECT_TRUE(run(e, *s, {{Zone::QueryArg, "ua", "sqlmap/1.7"}}).findings.empty());
  EXPECT_TRUE(run(e, *s, {{Zone::Header, "referer", "sqlmap/1.7"}}).findings.empty());
  auto r = run(e, *s, {{Zone::Header, "user-agent", "SQLMap/1.7"}});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule_id, "ua-scanner");
  EXPECT_EQ(r.verdict.action, VerdictAction::Pass);  // 3 < threshold 5
  // Tautology is not enabled for cookies.
  EXPECT_TRUE(run(e, *s, {{Zone::Cookie, "c", "x' or 1=1--"}}).findings.empty());
}

TEST(EngineTest, ScoresAddUpToTheThreshold) {
  auto s = snapshot(std::string(kRules) + kQuietPolicy);
  InspectionEngine e;
  auto r = run(e, *s, {{Zone::Header, "user-agent", "sqlmap"}}, "/x");
  EXPECT_EQ(r.verdict.action, VerdictAction::Pass);
  auto carried = e.inspect(*s, std::vector<Field>{{Zone::Header, "user-agent", "sqlmap"}},
                           InspectionContext{.path = "/x", .carried_score = 3});
  EXPECT_EQ(carried.score, 6u);
  EXPECT_EQ(carried.verdict.action, VerdictAction::Reset);
}

TEST(EngineTest, Base64ChainOnlyScansCleanBase64) {
  auto s = snapshot(std::string(kRules) + kQuietPolicy);
  InspectionEngine e;
  // base64 of "1 UNION SELECT 1,2"
  auto r = run(e, *s, {{Zone::Cookie, "prefs", "MSBVTklPTiBTRUxFQ1QgMSwy"}});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule_id, "b64-union");
  EXPECT_EQ(r.findings[0].excerpt_view(), "1 union select 1,2");  // decoded, lower case
  EXPECT_FALSE(r.findings[0].excerpt_truncated);
  // Not base64: the base64 group does not scan it, the raw-chain rule does.
  auto plain = run(e, *s, {{Zone::Cookie, "prefs", "1 union select 1,2"}});
  ASSERT_EQ(plain.findings.size(), 1u);
  EXPECT_EQ(plain.findings[0].rule_id, "sqli-union");
}

TEST(EngineTest, EachChainComputedOncePerField) {
  auto s = snapshot(R"(rules:
  - {id: a, message: m, class: other, severity: notice, zones: [any], transforms: [url_decode], patterns: [zzz1]}
  - {id: b, message: m, class: other, severity: notice, zones: [any], transforms: [url_decode, lowercase], patterns: [zzz2]}
  - {id: c, message: m, class: other, severity: notice, zones: [any], transforms: [url_decode, lowercase, remove_nulls], patterns: [zzz3]}
)" + std::string(kQuietPolicy));
  InspectionEngine e;
  auto r = run(e, *s, {{Zone::QueryArg, "q", "A%41"}, {Zone::QueryArg, "r", "%42"}});
  // Per field: url_decode and lowercase change the value, remove_nulls has
  // nothing to remove (not run); the chains share their prefix.
  EXPECT_EQ(r.stats.transforms, 4u);
  // One scan in all: every chain decodes the raw values ('%'), which then
  // serve only groups without transforms (none here: not scanned); the
  // decoded values (plain bytes only) are joined in the plain buffer; no
  // exact scan: nothing matched.
  EXPECT_EQ(r.stats.scans, 1u);
  EXPECT_EQ(r.stats.exact_scans, 0u);
  // Values no chain changes: one combined scan for all three groups.
  auto plain = run(e, *s, {{Zone::QueryArg, "q", "plain"}, {Zone::Cookie, "c", "text"}});
  EXPECT_EQ(plain.stats.scans, 1u);
  EXPECT_EQ(plain.stats.transforms, 0u);
  auto hit = run(e, *s, {{Zone::QueryArg, "q", "a"}, {Zone::QueryArg, "r", "ZZZ2"},
                         {Zone::QueryArg, "s", "b"}});
  EXPECT_EQ(hit.stats.exact_scans, 1u);  // only the nominated field is rescanned
  ASSERT_EQ(hit.findings.size(), 1u);
  EXPECT_EQ(hit.findings[0].field_name, "r");
}

TEST(EngineTest, AnchorsHoldPerFieldInsideJoinedScans) {
  auto s = snapshot(R"(rules:
  - {id: a, message: m, class: other, severity: critical, zones: [any], patterns: ["^admin$"]}
)" + std::string(kQuietPolicy));
  InspectionEngine e;
  auto r = run(e, *s, {{Zone::QueryArg, "x", "root"}, {Zone::QueryArg, "u", "admin"},
                       {Zone::QueryArg, "y", "z"}});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].field_name, "u");
  EXPECT_TRUE(run(e, *s, {{Zone::QueryArg, "u", "xadmin"}}).findings.empty());
}

TEST(EngineTest, Utf8GroupsNeverScanRawBytes) {
  auto s = snapshot(R"(rules:
  - {id: u, message: m, class: other, severity: critical, zones: [any], transforms: [url_decode, utf8_normalize], flags: [utf8], patterns: ["caf\u00e9"]}
  - {id: p, message: m, class: other, severity: critical, zones: [any], patterns: ["plain"]}
)" + std::string(kQuietPolicy));
  EXPECT_EQ(s->signatures().groups().size(), 2u);
  InspectionEngine e;
  std::string bad = "\xff\xfe caf\xc3\xa9 \xc0";
  auto r = run(e, *s, {{Zone::QueryArg, "a", "caf%C3%A9"}, {Zone::QueryArg, "b", bad},
                       {Zone::QueryArg, "c", "café plain"}});
  std::vector<std::string> got;
  for (const Finding& f : r.findings) got.push_back(std::string(f.field_name) + ":" + std::string(f.rule_id));
  EXPECT_EQ(got, (std::vector<std::string>{"c:p", "a:u", "b:u", "c:u"}));
  // A value the utf8 chain leaves as it is (ASCII) still goes to the utf8
  // group's own buffer, never to the shared raw segment its patterns are
  // not in.
  auto s2 = snapshot(R"(rules:
  - {id: u, message: m, class: other, severity: critical, zones: [any], transforms: [url_decode, utf8_normalize], flags: [utf8], patterns: ["needle"]}
  - {id: p, message: m, class: other, severity: critical, zones: [any], patterns: ["plain"]}
)" + std::string(kQuietPolicy));
  auto ascii = run(e, *s2, {{Zone::QueryArg, "a", "a needle"}, {Zone::QueryArg, "b", "plain"}});
  got.clear();
  for (const Finding& f : ascii.findings) got.push_back(std::string(f.field_name) + ":" + std::string(f.rule_id));
  EXPECT_EQ(got, (std::vector<std::string>{"b:p", "a:u"}));
}

TEST(EngineTest, PrefilterReportFloodStaysBoundedAndComplete) {
  auto s = snapshot(R"(rules:
  - {id: q, message: m, class: other, severity: notice, zones: [any], patterns: ["'"]}
  - {id: n, message: m, class: other, severity: critical, zones: [any], patterns: [needle]}
)" + std::string(kQuietPolicy));
  InspectionEngine e(EngineLimits{.max_prefilter_reports = 100});
  std::string quotes(5000, '\'');
  auto r = run(e, *s, {{Zone::BodyJson, "a", quotes}, {Zone::BodyJson, "b", "x"},
                       {Zone::BodyJson, "c", "a needle"}, {Zone::BodyJson, "d", "'"}});
  EXPECT_EQ(r.stats.prefilter_overflow, 1u);
  std::vector<std::string> got;
  for (const Finding& f : r.findings) got.push_back(std::string(f.field_name) + ":" + std::string(f.rule_id));
  std::sort(got.begin(), got.end());  // plain values ("a needle") are rescanned after the others
  EXPECT_EQ(got, (std::vector<std::string>{"a:q", "c:n", "d:q"}));
}

// `//[\w.-]+` reports once per byte of the host; the engine decides on the
// first report of a pattern in a segment and skips the rest. That shortcut
// must not outlive its segment: the next field, and the same field of the
// next request (same buffer, same segment slot), decide afresh.
TEST(EngineTest, RepeatedReportsOfAPatternDecidePerSegmentAndScan) {
  auto s = snapshot(R"(rules:
  - {id: redir, message: m, class: open_redirect, severity: critical, zones: [query_arg],
     names: [next], patterns: ["^//[\\w.-]+"]}
)" + std::string(kQuietPolicy));
  InspectionEngine e;
  for (int pass = 0; pass < 2; ++pass) {
    auto r = run(e, *s, {{Zone::QueryArg, "next", "//evil.example"}});
    ASSERT_EQ(r.findings.size(), 1u) << pass;
    EXPECT_EQ(r.findings[0].field_name, "next");
  }
  auto r = run(e, *s, {{Zone::QueryArg, "back", "//evil.example"}, {Zone::QueryArg, "next", "//evil.example"},
                       {Zone::QueryArg, "q", "//evil.example"}});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].field_name, "next");
}

TEST(EngineTest, FullJoinBufferFallsBackToPerFieldScans) {
  auto s = snapshot(R"(rules:
  - {id: a, message: m, class: other, severity: critical, zones: [any], patterns: ["needle"]}
)" + std::string(kQuietPolicy));
  InspectionEngine e(EngineLimits{.joined_bytes = 16, .max_segments = 2});
  auto r = run(e, *s, {{Zone::QueryArg, "1", "aaaa"}, {Zone::QueryArg, "2", "bbbb"},
                       {Zone::QueryArg, "3", "x needle x"}, {Zone::QueryArg, "4", "needle"}});
  EXPECT_EQ(r.findings.size(), 2u);
}

TEST(EngineTest, ModesAndActions) {
  std::string rules = R"(rules:
  - {id: blk, message: m, class: jndi, severity: notice, zones: [any], patterns: ["\\$\\{jndi:"], action: block}
  - {id: alr, message: m, class: scanner, severity: critical, zones: [any], patterns: [nikto], action: alert}
)";
  auto block = snapshot(rules + R"(policy:
  block_action: block
  block: {scope: session, ttl_s: 120}
  lexical: {sqli: {enabled: false}, xss: {enabled: false}}
)");
  InspectionEngine e;
  auto r = run(e, *block, {{Zone::Header, "x-api-version", "${jndi:ldap://198.18.0.1/a}"}});
  EXPECT_EQ(r.verdict.action, VerdictAction::Block);
  EXPECT_EQ(r.verdict.scope, BlockScope::Session);
  EXPECT_EQ(r.verdict.ttl_s, 120u);
  auto a = run(e, *block, {{Zone::Header, "user-agent", "nikto"}});
  EXPECT_EQ(a.verdict.action, VerdictAction::Alert);
  EXPECT_EQ(a.score, 0u);
  auto monitor = snapshot(rules + R"(policy:
  mode: monitor
  lexical: {sqli: {enabled: false}, xss: {enabled: false}}
)");
  auto m = run(e, *monitor, {{Zone::Header, "x", "${jndi:ldap://198.18.0.1/a}"}});
  EXPECT_EQ(m.verdict.action, VerdictAction::Alert);
  EXPECT_FALSE(m.verdict.stops_traffic());
}

TEST(EngineTest, ExceptionsByEndpointZoneNameAndRule) {
  auto s = snapshot(std::string(kRules) + kQuietPolicy + R"(
exceptions:
  - id: search
    endpoint: {prefix: /api/search}
    zones: [query_arg]
    names: [q]
    rules: [sqli-tautology]
  - id: legacy
    endpoint: {regex: "^/legacy/v[0-9]+/"}
    classes: [sqli]
)");
  InspectionEngine e;
  std::vector<Field> attack = {{Zone::QueryArg, "q", "x' or 1=1--"}};
  auto r = e.inspect(*s, attack, {.path = "/api/search"});
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(r.stats.excepted, 1u);
  EXPECT_EQ(r.verdict.action, VerdictAction::Pass);
  EXPECT_EQ(e.inspect(*s, attack, {.path = "/api/orders"}).verdict.action, VerdictAction::Reset);
  std::vector<Field> other_name = {{Zone::QueryArg, "sort", "x' or 1=1--"}};
  EXPECT_EQ(e.inspect(*s, other_name, {.path = "/api/search"}).verdict.action,
            VerdictAction::Reset);
  EXPECT_EQ(e.inspect(*s, other_name, {.path = "/legacy/v2/items"}).verdict.action,
            VerdictAction::Pass);
  EXPECT_EQ(e.inspect(*s, other_name, {.path = "/legacy/x/items"}).verdict.action,
            VerdictAction::Reset);
}

TEST(EngineTest, StandaloneLexicalDetectors) {
  auto s = snapshot("policy:\n  paranoia: 1\n");
  InspectionEngine e;
  auto r = run(e, *s, {{Zone::BodyJson, "user.name", "admin'--"},
                       {Zone::BodyJson, "bio", "<img src=x onerror=alert(1)>"},
                       {Zone::BodyJson, "last", "O'Brien"}});
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].rule_id, "lexical-sqli");
  EXPECT_EQ(r.findings[1].rule_id, "lexical-xss");
  EXPECT_EQ(r.verdict.action, VerdictAction::Reset);
  // Zones outside the detectors' defaults are not read.
  EXPECT_TRUE(run(e, *s, {{Zone::Header, "x", "admin'--"}}).findings.empty());
  // Numeric logic where the lexer reads a bare value: at the start, or
  // after '=' of an embedded query string; a number inside prose does not
  // even wake the lexer.
  for (const char* v : {"1 or 1=1", "-1) or (1=1", "page=2&id=1 or 1=1--"}) {
    auto hit = run(e, *s, {{Zone::QueryArg, "id", v}});
    ASSERT_EQ(hit.findings.size(), 1u) << v;
    EXPECT_EQ(hit.findings[0].rule_id, "lexical-sqli") << v;
  }
  auto prose = run(e, *s, {{Zone::QueryArg, "q", "pick 2 or 3 items and 4 or 5 more"}});
  EXPECT_TRUE(prose.findings.empty());
  EXPECT_EQ(prose.stats.lexical_checks, 0u);
}

TEST(EngineTest, StreamZoneRulesAreNotFieldRules) {
  auto s = snapshot(R"(rules:
  - {id: st, message: m, class: other, severity: critical, zones: [stream], patterns: [evil]}
  - {id: both, message: m, class: other, severity: critical, zones: [stream, header], patterns: [bad]}
)" + std::string(kQuietPolicy));
  EXPECT_EQ(s->signatures().find_rule("st"), -1);
  InspectionEngine e;
  EXPECT_TRUE(run(e, *s, {{Zone::QueryArg, "a", "evil"}}).findings.empty());
  EXPECT_TRUE(run(e, *s, {{Zone::QueryArg, "a", "bad"}}).findings.empty());
  EXPECT_EQ(run(e, *s, {{Zone::Header, "a", "bad"}}).findings.size(), 1u);
}

TEST(EngineTest, ParanoiaSelectsRules) {
  std::string rules = R"(rules:
  - {id: p2, message: m, class: other, severity: critical, paranoia: 2, zones: [any], patterns: [evilword]}
)";
  InspectionEngine e;
  auto pl1 = snapshot(rules + kQuietPolicy);
  EXPECT_TRUE(run(e, *pl1, {{Zone::QueryArg, "a", "evilword"}}).findings.empty());
  auto pl2 = snapshot(rules + "policy:\n  paranoia: 2\n  lexical: {sqli: {enabled: false}, xss: {enabled: false}}\n");
  EXPECT_EQ(run(e, *pl2, {{Zone::QueryArg, "a", "evilword"}}).findings.size(), 1u);
}

TEST(EngineTest, FindingBufferCapStillScores) {
  auto s = snapshot(R"(rules:
  - {id: a, message: m, class: other, severity: notice, zones: [any], patterns: [aaa]}
)" + std::string(kQuietPolicy));
  InspectionEngine e(EngineLimits{.arena_bytes = 4096, .max_findings = 2});
  auto r = run(e, *s, {{Zone::QueryArg, "1", "aaa"}, {Zone::QueryArg, "2", "aaa"},
                       {Zone::QueryArg, "3", "aaa"}});
  EXPECT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.stats.findings_dropped, 1u);
  EXPECT_EQ(r.score, 6u);
}

TEST(EngineTest, ExcerptIsAWindowAroundTheMatch) {
  auto s = snapshot(R"(rules:
  - {id: a, message: m, class: other, severity: notice, zones: [any], patterns: [NEEDLE]}
)" + std::string(kQuietPolicy));
  InspectionEngine e;
  std::string v = std::string(200, 'x') + "NEEDLE" + std::string(200, 'y');
  auto r = run(e, *s, {{Zone::BodyRaw, "", v}});
  ASSERT_EQ(r.findings.size(), 1u);
  std::string_view ex = r.findings[0].excerpt_view();
  EXPECT_LE(ex.size(), Finding::kExcerptMax);
  EXPECT_NE(ex.find("NEEDLE"), std::string_view::npos);
  EXPECT_TRUE(r.findings[0].excerpt_truncated);
}

TEST(EngineTest, NewSnapshotIsBoundOnFirstUse) {
  InspectionEngine e;
  auto s1 = snapshot(R"(rules:
  - {id: a, message: m, class: other, severity: critical, zones: [any], patterns: [first]}
)" + std::string(kQuietPolicy));
  auto s2 = snapshot(R"(rules:
  - {id: b, message: m, class: other, severity: critical, zones: [any], patterns: [second]}
  - {id: c, message: m, class: other, severity: critical, zones: [any], transforms: [lowercase], patterns: [third]}
)" + std::string(kQuietPolicy));
  EXPECT_EQ(run(e, *s1, {{Zone::QueryArg, "a", "first"}}).findings.size(), 1u);
  auto r = run(e, *s2, {{Zone::QueryArg, "a", "second THIRD"}});
  EXPECT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(run(e, *s1, {{Zone::QueryArg, "a", "second"}}).findings.size(), 0u);
}

TEST(EngineTest, RepeatedValuesFoundCleanAreSkippedNextTimeAndAttacksNeverAre) {
  auto s = snapshot(R"(rules:
  - {id: n, message: m, class: other, severity: critical, zones: [header, query_arg], patterns: [needle]}
)" + std::string(kQuietPolicy));
  InspectionEngine e;
  std::vector<Field> clean = {{Zone::Header, "user-agent", "Mozilla/5.0 (X11; Linux)"},
                              {Zone::QueryArg, "q", "books"}};
  auto first = run(e, *s, clean);
  EXPECT_EQ(first.stats.clean_cache_hits, 0u);
  auto second = run(e, *s, clean);
  EXPECT_EQ(second.stats.clean_cache_hits, 2u);  // the header and the query arg
  EXPECT_TRUE(second.findings.empty());
  // A header value that nominated a rule is never remembered as clean.
  std::vector<Field> bad = {{Zone::Header, "user-agent", "x needle y"}};
  for (int i = 0; i < 3; ++i) {
    auto r = run(e, *s, bad);
    EXPECT_EQ(r.stats.clean_cache_hits, 0u);
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].rule_id, "n");
  }
  // The same bytes under another header name, or as a cookie, are inspected again.
  EXPECT_EQ(run(e, *s, {{Zone::Cookie, "user-agent", "Mozilla/5.0 (X11; Linux)"}}).stats.clean_cache_hits, 0u);
  EXPECT_EQ(run(e, *s, {{Zone::Header, "referer", "Mozilla/5.0 (X11; Linux)"}}).stats.clean_cache_hits, 0u);
  // A new snapshot judges anew: its rule finds what the old one let pass.
  auto s2 = snapshot(R"(rules:
  - {id: ua, message: m, class: other, severity: critical, zones: [header], patterns: [Linux]}
)" + std::string(kQuietPolicy));
  auto again = run(e, *s2, clean);
  EXPECT_EQ(again.stats.clean_cache_hits, 0u);
  ASSERT_EQ(again.findings.size(), 1u);
  EXPECT_EQ(again.findings[0].rule_id, "ua");
  // The request line's values are cached too, body values are not.
  auto s3 = snapshot(R"(rules:
  - {id: any, message: m, class: other, severity: critical, zones: [any], patterns: [needle]}
)" + std::string(kQuietPolicy));
  std::vector<Field> line = {{Zone::Method, {}, "GET"},
                             {Zone::Path, {}, "/api/v2/orders"},
                             {Zone::PathSegment, "0", "api"},
                             {Zone::QueryArgName, "f[$x]", "f[$x]"},
                             {Zone::BodyJson, "a", "books"}};
  EXPECT_EQ(run(e, *s3, line).stats.clean_cache_hits, 0u);
  EXPECT_EQ(run(e, *s3, line).stats.clean_cache_hits, 4u);
  // A query value that nominated a rule is never remembered as clean.
  for (int i = 0; i < 2; ++i) {
    auto r = run(e, *s3, {{Zone::QueryArg, "q", "needle"}});
    EXPECT_EQ(r.stats.clean_cache_hits, 0u);
    ASSERT_EQ(r.findings.size(), 1u);
  }
  // Off: every value inspected every time.
  e.reset_clean_cache(false);
  run(e, *s, clean);
  EXPECT_EQ(run(e, *s, clean).stats.clean_cache_hits, 0u);
}


// The prefilter only nominates; a value whose exact rescan finds nothing is
// as clean as one never nominated, and a rescan costs more than a lookup.
TEST(EngineTest, NominatedValueTheRescanClearsIsRememberedClean) {
  auto s = snapshot(R"(rules:
  - {id: n, message: m, class: other, severity: critical, zones: [header], patterns: ['needle\d{3}x']}
)" + std::string(kQuietPolicy));
  InspectionEngine e;
  const std::vector<Field> near = {{Zone::Header, "user-agent", "Ruby needle"}};
  auto first = run(e, *s, near);
  EXPECT_GE(first.stats.exact_scans, 1u);  // nominated by its literal, cleared by the rescan
  EXPECT_TRUE(first.findings.empty());
  auto second = run(e, *s, near);
  EXPECT_EQ(second.stats.clean_cache_hits, 1u);
  EXPECT_EQ(second.stats.exact_scans, 0u);
  // A value the rescan matches is still inspected every time.
  const std::vector<Field> hit = {{Zone::Header, "user-agent", "Ruby needle123x"}};
  for (int i = 0; i < 2; ++i) {
    auto r = run(e, *s, hit);
    EXPECT_EQ(r.stats.clean_cache_hits, 0u);
    ASSERT_EQ(r.findings.size(), 1u);
  }
}

// A rule that reads headers and cookies, a Cookie header with an encoded
// attack in its last cookie, and the header with its two cookies as
// split_cookie_header() gives them (views into the header).
constexpr const char* kCookieRule = R"(rules:
  - {id: both, message: m, class: other, severity: critical, zones: [header, cookie], transforms: [url_decode], patterns: ["evil'"]}
)";
constexpr std::string_view kCookieHeader = "sid=abc; pref=evil%27";
std::vector<Field> cookie_header_and_cookies() {
  const std::string_view h = kCookieHeader;
  return {{Zone::Header, "cookie", h}, {Zone::Cookie, h.substr(0, 3), h.substr(4, 3)},
          {Zone::Cookie, h.substr(9, 4), h.substr(14, 7)}};
}

// The Cookie header's content also arrives as Cookie fields (views into the
// header, as split_cookie_header() makes them): a group whose header rules
// all reach cookies is not given the header's transformed copy, unless a
// cookie name (which no field value carries) would change or a cookie was
// lost (field list full).
TEST(EngineTest, CookieHeaderTransformedOnlyWhereCookieFieldsDoNotCoverIt) {
  auto s = snapshot(std::string(kCookieRule) + kQuietPolicy);
  auto header_only = snapshot(R"(rules:
  - {id: hdr, message: m, class: other, severity: critical, zones: [header], transforms: [url_decode], patterns: ["evil'"]}
)" + std::string(kQuietPolicy));
  const std::vector<Field> split = cookie_header_and_cookies();
  InspectionEngine e;
  e.reset_clean_cache(false);
  auto r = run(e, *s, split);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].zone, Zone::Cookie);
  EXPECT_EQ(r.findings[0].field_name, "pref");
  EXPECT_EQ(r.stats.transforms, 1u);  // the cookie's value only, not the whole header again
  // A rule that sees headers but not cookies still gets the decoded header.
  auto hr = run(e, *header_only, split);
  ASSERT_EQ(hr.findings.size(), 1u);
  EXPECT_EQ(hr.findings[0].zone, Zone::Header);
  // A name the chain changes is only in the header: decoded there.
  const std::string hn = "evil%27=1";
  const std::vector<Field> named = {{Zone::Header, "cookie", hn},
                                    {Zone::Cookie, std::string_view(hn).substr(0, 7), std::string_view(hn).substr(8)}};
  auto rn = run(e, *s, named);
  ASSERT_EQ(rn.findings.size(), 1u);
  EXPECT_EQ(rn.findings[0].zone, Zone::Header);
  // The field list filled up before the last cookie: the header is decoded.
  auto rl = run(e, *s, {split[0], split[1]});
  ASSERT_EQ(rl.findings.size(), 1u);
  EXPECT_EQ(rl.findings[0].zone, Zone::Header);
  EXPECT_EQ(rl.stats.transforms, 1u);
}

// A Cookie header judged clean while its Cookie fields covered it was never
// decoded as a header: that verdict holds only while they cover it again.
// Seen with the cookies first (the encoded attack found in the cookie, the
// header itself clean), then with the field list full before the last
// cookie (a request with many query arguments), the header must be decoded
// again, not skipped as a remembered clean value.
TEST(EngineTest, CookieHeaderCleanOnlyUnderCoverageIsNotCleanWithoutIt) {
  auto s = snapshot(std::string(kCookieRule) + kQuietPolicy);
  const std::vector<Field> split = cookie_header_and_cookies();
  InspectionEngine e;
  auto covered = run(e, *s, split);
  ASSERT_EQ(covered.findings.size(), 1u);
  EXPECT_EQ(covered.findings[0].zone, Zone::Cookie);
  auto lost = run(e, *s, {split[0], split[1]});
  EXPECT_EQ(lost.stats.clean_cache_hits, 1u);  // "sid" only
  ASSERT_EQ(lost.findings.size(), 1u);
  EXPECT_EQ(lost.findings[0].zone, Zone::Header);
  // Covered again: still found in the cookie, and the header's covered
  // verdict is remembered for covered sightings (a session's Cookie header
  // repeats on every request).
  auto again = run(e, *s, split);
  ASSERT_EQ(again.findings.size(), 1u);
  EXPECT_EQ(again.findings[0].zone, Zone::Cookie);
  EXPECT_EQ(again.stats.clean_cache_hits, 2u);  // the header and "sid"
}


// A raw value every transforming chain changes ('%', '+') is scanned only
// with the patterns of groups without transforms; a chain that reacts to
// it but leaves it as it was ("50%zz") still gets it, joined with the
// values that group's prefilter scans.
TEST(EngineTest, RawValuesEveryChainDecodesServeIdentityGroupsOnly) {
  auto s = snapshot(R"(rules:
  - {id: raw, message: m, class: other, severity: critical, zones: [any], patterns: ["%27"]}
  - {id: dec, message: m, class: other, severity: critical, zones: [any], transforms: [url_decode], patterns: ["x'y", "50%zz"]}
)" + std::string(kQuietPolicy));
  InspectionEngine e;
  e.reset_clean_cache(false);
  auto r = run(e, *s, {{Zone::QueryArg, "q", "x%27y"}});
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].rule_id, "dec");
  EXPECT_EQ(r.findings[1].rule_id, "raw");
  // The raw value in the identity-only buffer, the decoded one in the
  // input buffer: two prefilter scans, one exact rescan per rule.
  EXPECT_EQ(r.stats.exact_scans, 2u);
  EXPECT_EQ(r.stats.scans, 2u + r.stats.exact_scans);
  auto same = run(e, *s, {{Zone::QueryArg, "q", "50%zz"}});
  ASSERT_EQ(same.findings.size(), 1u);
  EXPECT_EQ(same.findings[0].rule_id, "dec");
  // No rule without transforms: raw values no chain keeps are not scanned.
  auto only_dec = snapshot(R"(rules:
  - {id: dec, message: m, class: other, severity: critical, zones: [any], transforms: [url_decode], patterns: ["x'y"]}
)" + std::string(kQuietPolicy));
  auto d = run(e, *only_dec, {{Zone::Header, "x-a", "x%27y"}, {Zone::QueryArg, "q", "a+b"}});
  ASSERT_EQ(d.findings.size(), 1u);
  EXPECT_EQ(d.findings[0].zone, Zone::Header);
  EXPECT_EQ(d.stats.scans, 2u);  // the decoded header value, the decoded query value
}

// A rule with a name filter is not in the shared prefilters (its pattern
// would be scanned over every header value); the engine rescans the fields
// of its names directly, and a value that passes stays cacheable.
TEST(EngineTest, NamedRulesAreNominatedByFieldNameNotByTheSharedPrefilters) {
  auto s = snapshot(std::string(kRules) + kQuietPolicy);
  const SignatureDatabase& sigs = s->signatures();
  bool seen = false;
  for (const CompiledRule& r : sigs.rules()) {
    EXPECT_EQ(r.by_name, r.id == "ua-scanner") << r.id;
    seen |= r.id == "ua-scanner";
  }
  ASSERT_TRUE(seen);
  hs_scratch_t* scratch = nullptr;
  size_t matches = 0;
  auto count = [](unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) {
    ++*static_cast<size_t*>(ctx);
    return 0;
  };
  const char text[] = "\nsqlmap\n";
  for (unsigned k = 0; k < SignatureDatabase::kValueKinds; ++k) {
    const hs_database_t* db = sigs.shared_prefilter(k);
    if (db == nullptr) continue;
    ASSERT_EQ(hs_alloc_scratch(db, &scratch), HS_SUCCESS);
    hs_scan(db, text, sizeof text - 1, 0, scratch, count, &matches);
  }
  hs_free_scratch(scratch);
  EXPECT_EQ(matches, 0u);

  InspectionEngine e;
  auto hit = run(e, *s, {{Zone::Header, "user-agent", "sqlmap/1.7"}, {Zone::Header, "x-note", "sqlmap"}});
  ASSERT_EQ(hit.findings.size(), 1u);
  EXPECT_EQ(hit.findings[0].field_name, "user-agent");
  std::vector<Field> ua = {{Zone::Header, "user-agent", "Mozilla/5.0 (X11; Linux)"}};
  auto first = run(e, *s, ua);
  EXPECT_EQ(first.stats.exact_scans, 1u);  // rescanned by name, found clean
  EXPECT_EQ(run(e, *s, ua).stats.clean_cache_hits, 1u);
}

// Rules that read only body_file get a group of their own: their patterns
// stay out of the shared prefilters every request pays for, and file bytes
// (up to the body limit) never go through those prefilters: one exact scan
// of the file with the file rules, nothing else.
TEST(EngineTest, FileOnlyRulesScanFileContentAloneAndStayOutOfTheSharedPrefilters) {
  auto s = snapshot(R"(rules:
  - {id: word, message: m, class: other, severity: critical, zones: [any], patterns: ["a\\$@b"]}
  - {id: shell, message: m, class: rce, severity: critical, zones: [body_file], flags: [caseless], patterns: ["<\\?php\\s"]}
)" + std::string(kQuietPolicy));
  const SignatureDatabase& sigs = s->signatures();
  ASSERT_EQ(sigs.groups().size(), 2u);  // the same (empty) chain, two groups
  bool file_group = false;
  for (const ScanGroup& g : sigs.groups()) {
    EXPECT_EQ(g.file_only, !g.in_combined);
    file_group |= g.file_only;
  }
  EXPECT_TRUE(file_group);
  InspectionEngine e;
  const std::string jpeg = std::string("\xff\xd8\xff\xfe\x00\x20", 6) + "a$@b <?php system($_GET[0]); ?>";
  auto r = run(e, *s, {{Zone::BodyFile, "avatar", jpeg}, {Zone::BodyMultipart, "note", "price: $5"}});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule_id, "shell");
  EXPECT_EQ(r.stats.scans, 2u);        // the note through the shared prefilter, the file alone
  EXPECT_EQ(r.stats.exact_scans, 1u);  // the file, with the file rules' database
  auto text = run(e, *s, {{Zone::BodyMultipart, "note", "x a$@b"}});
  ASSERT_EQ(text.findings.size(), 1u);
  EXPECT_EQ(text.findings[0].rule_id, "word");
}

}  // namespace
}  // namespace weir::detect
