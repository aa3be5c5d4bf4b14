// Verdict lines and request rendering: see inspect_output.h.

#include "cli/inspect_output.h"

#include <nlohmann/json.hpp>

#include "cli/text_table.h"
#include "parsers/parser.h"

namespace weir::cli {

namespace {

// ordered: the id comes first in each verdict line, as in the format.
using json = nlohmann::ordered_json;

std::string dump(const json& j, int indent) {
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

json outcome_object(std::string_view id, const RequestOutcome& outcome, bool with_id) {
  json j = json::object();
  if (with_id) j["id"] = std::string(id);
  j["blocked"] = outcome.blocked();
  j["action"] = detect::verdict_action_name(outcome.action);
  j["score"] = outcome.score;
  json findings = json::array();
  for (const auto& f : outcome.findings) {
    findings.push_back({{"rule", f.rule},
                        {"zone", finding_zone_name(f)},
                        {"name", f.field_name},
                        {"class", detect::attack_class_name(f.attack_class)},
                        {"severity", detect::severity_name(f.severity)},
                        {"score", f.score},
                        {"excerpt", f.excerpt}});
  }
  j["findings"] = findings;
  if (!outcome.parse_error.empty()) j["parse_error"] = outcome.parse_error;
  return j;
}

const char* mode_name(detect::PolicyMode m) { return m == detect::PolicyMode::Block ? "block" : "monitor"; }

}  // namespace

std::string verdict_line(std::string_view id, const RequestOutcome& outcome) {
  return dump(outcome_object(id, outcome, true), -1);
}

std::string outcome_json(const RequestOutcome& outcome, const detect::PolicyConfig& policy) {
  json j = outcome_object({}, outcome, false);
  j["parse_status"] = parse::feed_status_name(outcome.feed_status);
  j["decisions"] = outcome.decisions;
  j["policy"] = {{"mode", mode_name(policy.mode)},
                 {"paranoia", policy.paranoia},
                 {"threshold", policy.active_threshold()}};
  return dump(j, 2) + "\n";
}

std::string render_outcome(const RequestOutcome& outcome, const detect::PolicyConfig& policy) {
  std::string out;
  std::string verdict = detect::verdict_action_name(outcome.action);
  if (outcome.blocked()) verdict += " (blocked)";
  std::string parse = parse::feed_status_name(outcome.feed_status);
  if (!outcome.parse_error.empty()) parse += ": " + outcome.parse_error;
  if (outcome.decisions == 0) parse += " (no decision point reached: incomplete request?)";
  out += render_key_values({
      {"verdict", verdict},
      {"score", std::to_string(outcome.score) + " (threshold " +
                    std::to_string(policy.active_threshold()) + ", mode " + mode_name(policy.mode) +
                    ", paranoia " + std::to_string(policy.paranoia) + ")"},
      {"parse", parse},
      {"findings", std::to_string(outcome.findings.size())},
  });
  if (outcome.scan_error) out += "warning: the engine reported a scan error; results may be incomplete\n";
  if (outcome.findings.empty()) return out;
  out += "\n";
  Table table({"RULE", "CLASS", "SEVERITY", "ZONE", "NAME", "SCORE", "EXCERPT"});
  table.set_align(5, Align::Right);
  for (const auto& f : outcome.findings) {
    table.add_row({f.rule, detect::attack_class_name(f.attack_class), detect::severity_name(f.severity),
                   finding_zone_name(f), truncate_display(f.field_name, 40),
                   std::to_string(f.score), f.excerpt});
  }
  out += table.render();
  return out;
}

}  // namespace weir::cli
