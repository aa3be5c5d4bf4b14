// Alert text -> facts -> exception proposal; see alert_exception.h.

#include "cli/alert_exception.h"

#include "cli/cli_exit_code.h"
#include "detect/transaction_inspector.h"
#include "parsers/field.h"

namespace weir::cli {

namespace {

constexpr std::string_view kSep = " | ";

std::string text_of(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return "";
  return j[key].get<std::string>();
}

[[noreturn]] void not_from(const AlertFacts& f, const std::string& why) {
  throw CliError(ExitCode::Failed, "alert " + std::to_string(f.alert_id) + " " + why);
}

// Parser findings carry the parser's id ("http1.cl_te_conflict",
// "graphql.max_depth"); rule ids of rule files never hold a dot by
// convention (configs/rules/README.md) and lexical detectors are
// "lexical-sqli". Exceptions cannot name parser findings.
bool is_parser_finding_id(std::string_view id) { return id.find('.') != std::string_view::npos; }

std::vector<std::string> zone_names(detect::ZoneMask mask) {
  std::vector<std::string> out;
  for (unsigned z = 0; z < static_cast<unsigned>(parse::Zone::Count); ++z)
    if ((mask & (detect::ZoneMask{1} << z)) != 0) out.emplace_back(parse::zone_name(static_cast<parse::Zone>(z)));
  return out;
}

std::string quoted(const std::string& s) { return nlohmann::json(s).dump(); }

std::string quoted_list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += ", ";
    out += quoted(v[i]);
  }
  return out + "]";
}

}  // namespace

AlertFacts parse_alert_facts(const nlohmann::json& alert) {
  AlertFacts f;
  if (alert.contains("id") && alert["id"].is_number_integer()) f.alert_id = alert["id"].get<int64_t>();
  f.event_id = text_of(alert, "event_id");
  f.zone = text_of(alert, "zone");
  f.attack_class = text_of(alert, "class");
  f.text = text_of(alert, "text");
  if (text_of(alert, "kind") != "alert") not_from(f, "is not a detection alert (kind '" + text_of(alert, "kind") + "')");

  // action ids | METHOD target | zone [name] | excerpt
  std::string_view t = f.text;
  const size_t sep1 = t.find(kSep);
  const size_t space = t.find(' ');
  if (sep1 == std::string_view::npos || space == std::string_view::npos || space > sep1)
    not_from(f, "is not an HTTP detection alert (text: '" + f.text + "')");
  const std::string_view action = t.substr(0, space);
  if (action != "block" && action != "alert") not_from(f, "has no block/alert verdict in its text");
  f.blocked = action == "block";
  std::string_view ids = t.substr(space + 1, sep1 - space - 1);
  while (!ids.empty() && ids != "-") {
    const size_t comma = ids.find(',');
    const std::string id(ids.substr(0, comma));
    if (!id.empty()) (is_parser_finding_id(id) ? f.parser_ids : f.rule_ids).push_back(id);
    if (comma == std::string_view::npos) break;
    ids.remove_prefix(comma + 1);
  }

  t.remove_prefix(sep1 + kSep.size());
  // A request target holds no spaces (the parser refuses them), so the
  // request part ends at the next separator.
  const size_t sep2 = t.find(kSep);
  const std::string_view request = t.substr(0, sep2);
  if (request != "-") {
    const size_t sp = request.find(' ');
    if (sp == std::string_view::npos) not_from(f, "has no request line in its text");
    f.method = std::string(request.substr(0, sp));
    f.target = std::string(request.substr(sp + 1));
    f.target_cut = f.target.size() >= kAlertTargetMax;
  }
  if (sep2 == std::string_view::npos) not_from(f, "names no field (text: '" + f.text + "')");
  t.remove_prefix(sep2 + kSep.size());

  // "zone name | excerpt": the zone is also a structured column; the name
  // runs up to the next separator (a JSON key may hold spaces).
  const size_t sep3 = t.find(kSep);
  std::string_view where = t.substr(0, sep3);
  const size_t zsp = where.find(' ');
  const std::string_view zone_text = where.substr(0, zsp);
  if (f.zone.empty()) f.zone = std::string(zone_text);
  if (zone_text != f.zone) not_from(f, "names zone '" + std::string(zone_text) + "' in its text but '" + f.zone + "' as its zone");
  if (zsp != std::string_view::npos) f.field_name = std::string(where.substr(zsp + 1));
  f.field_name_cut = f.field_name.size() >= kAlertFieldNameMax;
  return f;
}

ExceptionScope parse_exception_scope(const std::vector<std::string>& words) {
  if (words.empty()) return {};
  ExceptionScope s{false, false, false, false};
  for (const std::string& w : words) {
    size_t start = 0;
    while (start <= w.size()) {
      size_t comma = w.find(',', start);
      const std::string part = w.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (part == "endpoint") s.endpoint = true;
      else if (part == "zone") s.zone = true;
      else if (part == "name") s.name = true;
      else if (part == "rule") s.rule = true;
      else throw CliError(ExitCode::Usage, "invalid --scope '" + part + "': expected endpoint, zone, name or rule");
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return s;
}

std::string exact_path_regex(const std::string& path) {
  std::string out = "^";
  for (char c : path) {
    if (std::string_view("\\^$|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out + "$";
}

ExceptionProposal propose_exception(const AlertFacts& f, const ExceptionScope& scope, const std::string& id) {
  ExceptionProposal p;
  detect::RuleException& e = p.exception;
  e.id = id.empty() ? "alert-" + std::to_string(f.alert_id) : id;
  e.comment = "from alert " + std::to_string(f.alert_id) + (f.event_id.empty() ? "" : " (request " + f.event_id + ")") +
              ": " + (f.method.empty() ? std::string("-") : f.method + " " + f.target);
  if (f.zone == "message" || f.zone.empty())
    not_from(f, "is a protocol finding (" + (f.parser_ids.empty() ? f.text : f.parser_ids.front()) +
                    "): exceptions silence rules on fields, not parser verdicts");
  for (const std::string& pid : f.parser_ids)
    p.notes.push_back("protocol finding " + pid + " cannot be excepted; the request may still be stopped by it");

  if (scope.endpoint) {
    if (f.method.empty() || f.target.empty()) not_from(f, "has no request target for an endpoint scope");
    const std::string path(detect::TransactionInspector::target_path(f.target));
    const bool path_cut = f.target_cut && path.size() == f.target.size();
    if (path_cut) {
      e.endpoint = detect::EndpointMatch::Prefix;
      e.endpoint_value = path;
      p.notes.push_back("the alert cut the path at " + std::to_string(kAlertTargetMax) +
                        " bytes: the endpoint is the prefix " + path);
    } else {
      e.endpoint = detect::EndpointMatch::Regex;
      e.endpoint_value = exact_path_regex(path);
    }
  }
  if (scope.zone) {
    parse::Zone z{};
    if (!parse::zone_from_name(f.zone, z)) not_from(f, "names an unknown zone '" + f.zone + "'");
    e.zones = detect::ZoneMask{1} << static_cast<unsigned>(z);
  }
  if (scope.name && !f.field_name.empty()) {
    std::string lower = f.field_name;
    for (char& c : lower)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    e.names.push_back(lower);
    if (f.field_name_cut)
      p.notes.push_back("the alert shows at most " + std::to_string(kAlertFieldNameMax) +
                        " bytes of a field name: if '" + f.field_name +
                        "' was cut the exception will not match (check with --dry-run, or drop name from --scope)");
  }
  if (scope.rule) {
    if (f.rule_ids.empty()) not_from(f, "names no rule that an exception can silence (text: '" + f.text + "')");
    e.rules = f.rule_ids;
  } else {
    detect::AttackClass ac{};
    if (!detect::attack_class_from_name(f.attack_class, ac))
      not_from(f, "has class '" + f.attack_class + "', which an exception cannot name; keep rule in --scope");
    e.classes.push_back(ac);
  }
  return p;
}

std::string exception_yaml(const detect::RuleException& e) {
  std::string y = "  - id: " + quoted(e.id) + "\n";
  if (!e.comment.empty()) y += "    comment: " + quoted(e.comment) + "\n";
  if (e.endpoint == detect::EndpointMatch::Prefix) y += "    endpoint: {prefix: " + quoted(e.endpoint_value) + "}\n";
  if (e.endpoint == detect::EndpointMatch::Regex) y += "    endpoint: {regex: " + quoted(e.endpoint_value) + "}\n";
  if (e.zones != 0) y += "    zones: " + quoted_list(zone_names(e.zones)) + "\n";
  if (!e.names.empty()) y += "    names: " + quoted_list(e.names) + "\n";
  if (!e.rules.empty()) y += "    rules: " + quoted_list(e.rules) + "\n";
  if (!e.classes.empty()) {
    std::vector<std::string> names;
    for (detect::AttackClass c : e.classes) names.emplace_back(detect::attack_class_name(c));
    y += "    classes: " + quoted_list(names) + "\n";
  }
  return y;
}

nlohmann::json exception_json(const detect::RuleException& e) {
  nlohmann::json j = {{"id", e.id}};
  if (!e.comment.empty()) j["comment"] = e.comment;
  if (e.endpoint == detect::EndpointMatch::Prefix) j["endpoint"] = {{"prefix", e.endpoint_value}};
  if (e.endpoint == detect::EndpointMatch::Regex) j["endpoint"] = {{"regex", e.endpoint_value}};
  if (e.zones != 0) j["zones"] = zone_names(e.zones);
  if (!e.names.empty()) j["names"] = e.names;
  if (!e.rules.empty()) j["rules"] = e.rules;
  if (!e.classes.empty()) {
    j["classes"] = nlohmann::json::array();
    for (detect::AttackClass c : e.classes) j["classes"].push_back(detect::attack_class_name(c));
  }
  return j;
}

}  // namespace weir::cli
