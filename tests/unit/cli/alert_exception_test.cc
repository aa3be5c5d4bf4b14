// From a stored alert to an exception proposal (cli/alert_exception.h):
// the alert text as the dataplane writes it, cut parts, parser findings,
// scopes, and the YAML going through the real rule loader.

#include "cli/alert_exception.h"

#include <gtest/gtest.h>

#include "cli/cli_exit_code.h"
#include "detect/signature/rule_loader.h"
#include "parsers/field.h"

namespace weir::cli {
namespace {

nlohmann::json alert(const std::string& text, const std::string& zone = "query_arg",
                     const std::string& cls = "sqli") {
  return {{"id", 42}, {"event_id", "0000100000000007"}, {"kind", "alert"}, {"zone", zone}, {"class", cls},
          {"text", text}};
}

detect::ZoneMask zone_bit(parse::Zone z) { return detect::ZoneMask{1} << static_cast<unsigned>(z); }

TEST(AlertFacts, ReadsEveryPartOfTheText) {
  const AlertFacts f = parse_alert_facts(
      alert("block sqli-100,lexical-sqli | GET /api/notes?q=1%27%20or%201=1-- | query_arg q | ' or 1=1--"));
  EXPECT_EQ(f.alert_id, 42);
  EXPECT_TRUE(f.blocked);
  EXPECT_EQ(f.rule_ids, (std::vector<std::string>{"sqli-100", "lexical-sqli"}));
  EXPECT_TRUE(f.parser_ids.empty());
  EXPECT_EQ(f.method, "GET");
  EXPECT_EQ(f.target, "/api/notes?q=1%27%20or%201=1--");
  EXPECT_FALSE(f.target_cut);
  EXPECT_EQ(f.zone, "query_arg");
  EXPECT_EQ(f.field_name, "q");
  EXPECT_FALSE(f.field_name_cut);
}

TEST(AlertFacts, FieldNamesWithSpacesAndNoName) {
  AlertFacts f = parse_alert_facts(alert("alert xss-101 | POST /api/t | body_json $.note text | <svg onload=x>", "body_json", "xss"));
  EXPECT_FALSE(f.blocked);
  EXPECT_EQ(f.field_name, "$.note text");
  f = parse_alert_facts(alert("block traversal-100 | GET /a/../../etc/passwd | path | /etc/passwd", "path", "path_traversal"));
  EXPECT_EQ(f.field_name, "");
  EXPECT_EQ(f.zone, "path");
}

TEST(AlertFacts, RefusesWhatIsNotAnHttpDetectionAlert) {
  nlohmann::json flow = alert("flow record");
  flow["kind"] = "flow";
  EXPECT_THROW(parse_alert_facts(flow), CliError);
  EXPECT_THROW(parse_alert_facts(alert("synthetic test event 3")), CliError);
  // The zone column and the text disagree: the text is not ours to read.
  EXPECT_THROW(parse_alert_facts(alert("block sqli-100 | GET /x?q=1 | cookie q | 1", "query_arg")), CliError);
}

TEST(Proposal, NarrowestByDefault) {
  const AlertFacts f = parse_alert_facts(
      alert("block sqli-100,lexical-sqli | GET /api/notes?q=O%27Brien | query_arg Q | O'Brien"));
  const ExceptionProposal p = propose_exception(f, {});
  const detect::RuleException& e = p.exception;
  EXPECT_EQ(e.id, "alert-42");
  EXPECT_EQ(e.endpoint, detect::EndpointMatch::Regex);
  EXPECT_EQ(e.endpoint_value, "^/api/notes$");
  EXPECT_EQ(e.zones, zone_bit(parse::Zone::QueryArg));
  EXPECT_EQ(e.names, std::vector<std::string>{"q"});
  EXPECT_EQ(e.rules, (std::vector<std::string>{"sqli-100", "lexical-sqli"}));
  EXPECT_TRUE(e.classes.empty());
  EXPECT_TRUE(p.notes.empty());
}

TEST(Proposal, ScopeWidensOnlyWhatIsAsked) {
  const AlertFacts f = parse_alert_facts(alert("block sqli-100 | GET /api/notes?q=x | query_arg q | x"));
  ExceptionProposal p = propose_exception(f, parse_exception_scope({"zone,name"}), "search-box");
  EXPECT_EQ(p.exception.id, "search-box");
  EXPECT_EQ(p.exception.endpoint, detect::EndpointMatch::Any);
  EXPECT_NE(p.exception.zones, 0u);
  EXPECT_TRUE(p.exception.rules.empty());
  ASSERT_EQ(p.exception.classes.size(), 1u);
  EXPECT_EQ(p.exception.classes[0], detect::AttackClass::Sqli);
  p = propose_exception(f, parse_exception_scope({"rule", "endpoint"}));
  EXPECT_EQ(p.exception.zones, 0u);
  EXPECT_TRUE(p.exception.names.empty());
  EXPECT_EQ(p.exception.endpoint_value, "^/api/notes$");
  EXPECT_THROW(parse_exception_scope({"zone,host"}), CliError);
}

TEST(Proposal, CutPathBecomesAPrefixAndCutNameIsNoted) {
  const std::string path = "/api/v1/organisations/acme/projects/42/notes/very-long-x";  // 56 bytes
  ASSERT_EQ(path.size(), kAlertTargetMax);
  const AlertFacts f = parse_alert_facts(
      alert("block sqli-100 | PUT " + path + " | body_json $.payload.description.tex | x", "body_json"));
  EXPECT_TRUE(f.target_cut);
  EXPECT_TRUE(f.field_name_cut);
  const ExceptionProposal p = propose_exception(f, {});
  EXPECT_EQ(p.exception.endpoint, detect::EndpointMatch::Prefix);
  EXPECT_EQ(p.exception.endpoint_value, path);
  EXPECT_EQ(p.notes.size(), 2u);
  // A long target whose query was cut still has its whole path.
  const AlertFacts g = parse_alert_facts(alert("block sqli-100 | GET /s?q=" + std::string(51, 'a') + " | query_arg q | a"));
  EXPECT_TRUE(g.target_cut);
  EXPECT_EQ(propose_exception(g, {}).exception.endpoint_value, "^/s$");
}

TEST(Proposal, ParserFindingsCannotBeExcepted) {
  const AlertFacts only_parser = parse_alert_facts(
      alert("block http1.cl_te_conflict | POST /x | message | Content-Length with Transfer-Encoding", "message", "protocol"));
  EXPECT_THROW(propose_exception(only_parser, {}), CliError);
  const AlertFacts mixed =
      parse_alert_facts(alert("block sqli-100,http1.obs_fold | GET /x?q=1 | query_arg q | 1"));
  const ExceptionProposal p = propose_exception(mixed, {});
  EXPECT_EQ(p.exception.rules, std::vector<std::string>{"sqli-100"});
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_NE(p.notes[0].find("http1.obs_fold"), std::string::npos);
}

TEST(Proposal, ExactPathRegexEscapesMetacharactersButNotDots) {
  EXPECT_EQ(exact_path_regex("/a(b)+c/v1.2/[x]"), "^/a\\(b\\)\\+c/v1.2/\\[x\\]$");
}

TEST(Proposal, YamlLoadsThroughTheRuleLoader) {
  const AlertFacts f = parse_alert_facts(
      alert("block sqli-100 | GET /api/\"odd\"(path)?q=x | query_arg Q\\x | x"));
  const ExceptionProposal p = propose_exception(f, {});
  const std::string yaml =
      "rules:\n  - id: sqli-100\n    message: m\n    class: sqli\n    severity: critical\n"
      "    zones: [query_arg]\n    patterns: [\"select\"]\nexceptions:\n" + exception_yaml(p.exception);
  detect::RuleSet rs;
  ASSERT_NO_THROW(detect::load_rules_text(yaml, "proposal.yaml", rs)) << yaml;
  ASSERT_EQ(rs.exceptions.size(), 1u);
  const detect::RuleException& e = rs.exceptions[0];
  EXPECT_EQ(e.id, "alert-42");
  EXPECT_EQ(e.endpoint, detect::EndpointMatch::Regex);
  EXPECT_EQ(e.endpoint_value, p.exception.endpoint_value);
  EXPECT_EQ(e.zones, p.exception.zones);
  EXPECT_EQ(e.names, std::vector<std::string>{"q\\x"});
  EXPECT_EQ(e.rules, std::vector<std::string>{"sqli-100"});
  const nlohmann::json j = exception_json(p.exception);
  EXPECT_EQ(j["zones"], nlohmann::json::array({"query_arg"}));
  EXPECT_EQ(j["endpoint"]["regex"], p.exception.endpoint_value);
}

}  // namespace
}  // namespace weir::cli
