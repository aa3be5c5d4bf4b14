#pragma once
// From a stored alert to the narrowest false-positive exception that would
// have let its request through (`weirctl rules except --from-alert ID`).
//
// The dataplane's alert is a fixed 256-byte event (dataplane/events/event.h):
// zone and class are structured, the rest is the one-line text
// (dataplane/runtime/alert_event.h):
//
//   block sqli-100,lexical-sqli | GET /api/notes?q=... | query_arg q | excerpt
//
// parse_alert_facts() reads that text back. The text is cut to fixed widths
// (request target 56 bytes, field name 24, rule id 32) and non-printable
// bytes are shown as '.', so the facts say when a part may have been cut
// and the proposal widens only what it must (a cut path becomes a prefix).

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "detect/policy/rule_exception.h"

namespace weir::cli {

/// What one alert says about the request it stopped.
struct AlertFacts {
  int64_t alert_id = 0;
  std::string event_id;  ///< hex, as the API shows it
  bool blocked = false;  ///< "block" (else "alert": only reported)
  std::vector<std::string> rule_ids;     ///< every rule that fired, in order
  std::vector<std::string> parser_ids;   ///< protocol findings (cannot be excepted)
  std::string method;
  std::string target;     ///< as shown (may be cut)
  bool target_cut = false;
  std::string zone;       ///< "query_arg"; "message" for a parser finding
  std::string field_name;  ///< empty when the zone has none (path)
  bool field_name_cut = false;
  std::string attack_class;
  std::string text;       ///< the whole alert line
};

/// Widths the dataplane cuts the alert text parts to (alert_event.cc).
inline constexpr size_t kAlertTargetMax = 56;
inline constexpr size_t kAlertFieldNameMax = 24;

/// Throws CliError(Failed) when the alert is not a detection alert of an
/// HTTP request (a flow record, a stream finding, text in another form).
AlertFacts parse_alert_facts(const nlohmann::json& alert);

/// Which parts of the request the exception is narrowed to; all four by
/// default. Without `rule` the exception names the alert's class instead.
struct ExceptionScope {
  bool endpoint = true;
  bool zone = true;
  bool name = true;
  bool rule = true;
};

/// "endpoint,zone,name,rule" (any subset, comma separated or repeated).
/// Throws CliError(Usage) on an unknown word.
ExceptionScope parse_exception_scope(const std::vector<std::string>& words);

struct ExceptionProposal {
  detect::RuleException exception;  ///< mark unused
  /// Where the proposal is wider than the alert's request (a cut path, a
  /// field name that may be cut) or what it leaves out (parser findings).
  std::vector<std::string> notes;
};

/// The narrowest exception within `scope`. `id` empty: "alert-<alert id>".
/// Throws CliError(Failed) when nothing in the alert can be excepted.
ExceptionProposal propose_exception(const AlertFacts& facts, const ExceptionScope& scope,
                                    const std::string& id = "");

/// `^path$` as a Hyperscan regex: metacharacters escaped except '.', which
/// stays a wildcard because the alert text shows non-printable bytes as '.'.
std::string exact_path_regex(const std::string& path);

/// The exception as one item of an `exceptions:` list (YAML, strings
/// double-quoted), and as the admin API's JSON object.
std::string exception_yaml(const detect::RuleException& e);
nlohmann::json exception_json(const detect::RuleException& e);

}  // namespace weir::cli
