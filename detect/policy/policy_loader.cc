// Policy and exception sections -> RuleSet; errors name file, line and key.

#include "detect/policy/policy_loader.h"

namespace weir::detect {
namespace {

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return s;
}

void load_lexical(const RuleYamlReader& r, const YAML::Node& n, const std::string& key,
                  LexicalSettings& out) {
  r.require_map(n, key);
  r.check_keys(n, key, {"enabled", "severity", "paranoia", "zones", "transforms"});
  if (n["enabled"]) out.enabled = r.boolean(n["enabled"], key + ".enabled");
  if (n["severity"]) out.severity = r.severity(n["severity"], key + ".severity");
  if (n["paranoia"])
    out.paranoia = static_cast<uint8_t>(r.integer(n["paranoia"], key + ".paranoia", 1, 4));
  if (n["zones"]) out.zones = r.zones(n["zones"], key + ".zones");
  if (n["transforms"]) {
    out.transforms = r.transforms(n["transforms"], key + ".transforms");
    out.transforms_set = true;
  }
}

}  // namespace

void load_policy_section(const RuleYamlReader& r, const YAML::Node& n, RuleSet& into) {
  r.require_map(n, "policy");
  r.check_keys(n, "policy", {"mode", "paranoia", "threshold", "thresholds", "scores",
                             "block_action", "block", "lexical", "parser_fatal", "block_response",
                             "own_domains"});
  PolicyConfig& p = into.policy;
  into.has_policy = true;
  into.policy_mark = r.mark_of(n);
  if (n["mode"]) {
    std::string m = r.string(n["mode"], "policy.mode");
    if (m == "monitor") p.mode = PolicyMode::Monitor;
    else if (m == "block") p.mode = PolicyMode::Block;
    else r.fail(n["mode"], "policy.mode", "monitor or block");
  }
  if (n["paranoia"])
    p.paranoia = static_cast<uint8_t>(r.integer(n["paranoia"], "policy.paranoia", 1, 4));
  if (n["threshold"])
    p.threshold = static_cast<uint32_t>(r.integer(n["threshold"], "policy.threshold", 1, 100000));
  if (const YAML::Node& t = n["thresholds"]) {
    r.require_map(t, "policy.thresholds");
    for (const auto& kv : t) {
      int level = r.integer(kv.first, "policy.thresholds", 1, 4);
      p.thresholds[static_cast<size_t>(level - 1)] =
          static_cast<uint32_t>(r.integer(kv.second, "policy.thresholds." + kv.first.Scalar(), 1, 100000));
    }
  }
  if (const YAML::Node& s = n["scores"]) {
    r.require_map(s, "policy.scores");
    for (const auto& kv : s) {
      Severity sev = r.severity(kv.first, "policy.scores");
      p.scores[static_cast<size_t>(sev)] = static_cast<uint16_t>(
          r.integer(kv.second, "policy.scores." + kv.first.Scalar(), 0, 10000));
    }
  }
  if (n["block_action"]) {
    std::string a = r.string(n["block_action"], "policy.block_action");
    if (a == "drop") p.block_action = VerdictAction::Drop;
    else if (a == "reset") p.block_action = VerdictAction::Reset;
    else if (a == "block") p.block_action = VerdictAction::Block;
    else r.fail(n["block_action"], "policy.block_action", "drop, reset or block");
  }
  if (const YAML::Node& b = n["block"]) {
    r.require_map(b, "policy.block");
    r.check_keys(b, "policy.block", {"scope", "ttl_s"});
    if (b["scope"]) {
      std::string s = r.string(b["scope"], "policy.block.scope");
      if (s == "session") p.block_scope = BlockScope::Session;
      else if (s == "address") p.block_scope = BlockScope::Address;
      else r.fail(b["scope"], "policy.block.scope", "session or address");
    }
    if (b["ttl_s"])
      p.block_ttl_s = static_cast<uint32_t>(r.integer(b["ttl_s"], "policy.block.ttl_s", 1, 31536000));
  }
  if (n["parser_fatal"]) {
    std::string a = r.string(n["parser_fatal"], "policy.parser_fatal");
    if (a == "block") p.parser_fatal_blocks = true;
    else if (a == "alert") p.parser_fatal_blocks = false;
    else r.fail(n["parser_fatal"], "policy.parser_fatal", "block or alert");
  }
  if (n["block_response"]) {
    std::string a = r.string(n["block_response"], "policy.block_response");
    if (a == "reset") p.block_response = BlockResponse::Reset;
    else if (a == "page") p.block_response = BlockResponse::Page;
    else r.fail(n["block_response"], "policy.block_response", "reset or page");
  }
  if (const YAML::Node& d = n["own_domains"]) {
    if (!d.IsSequence()) r.fail(d, "policy.own_domains", "a list of host names (shop.example, *.example.com)");
    p.own_domains = OwnDomains{};
    for (const auto& e : d) {
      if (!add_own_domain(p.own_domains, r.string(e, "policy.own_domains")))
        r.fail(e, "policy.own_domains", "a host name or *.domain ('" + e.Scalar() + "' is not one)");
    }
  }
  if (const YAML::Node& l = n["lexical"]) {
    r.require_map(l, "policy.lexical");
    r.check_keys(l, "policy.lexical", {"sqli", "xss"});
    if (l["sqli"]) load_lexical(r, l["sqli"], "policy.lexical.sqli", p.sqli);
    if (l["xss"]) load_lexical(r, l["xss"], "policy.lexical.xss", p.xss);
  }
}

void load_exceptions_section(const RuleYamlReader& r, const YAML::Node& n, RuleSet& into) {
  if (!n.IsSequence()) r.fail(n, "exceptions", "a list of exceptions");
  for (const auto& e : n) {
    r.require_map(e, "exceptions[]");
    r.check_keys(e, "exceptions[]", {"id", "comment", "endpoint", "zones", "names", "rules", "classes"});
    RuleException ex;
    ex.mark = r.mark_of(e);
    if (!e["id"]) r.fail(e, "id", "this required key in the exception");
    ex.id = r.string(e["id"], "id");
    for (const RuleException& other : into.exceptions)
      if (other.id == ex.id) r.fail(e["id"], "id", "a unique exception id");
    if (e["comment"]) ex.comment = r.string(e["comment"], "comment");
    if (const YAML::Node& ep = e["endpoint"]) {
      r.require_map(ep, "endpoint");
      r.check_keys(ep, "endpoint", {"prefix", "regex"});
      if (ep["prefix"] && ep["regex"]) r.fail(ep, "endpoint", "either prefix or regex, not both");
      if (ep["prefix"]) {
        ex.endpoint = EndpointMatch::Prefix;
        ex.endpoint_value = r.string(ep["prefix"], "endpoint.prefix");
      } else if (ep["regex"]) {
        ex.endpoint = EndpointMatch::Regex;
        ex.endpoint_value = r.string(ep["regex"], "endpoint.regex");
      } else {
        r.fail(ep, "endpoint", "prefix or regex");
      }
    }
    if (e["zones"]) ex.zones = r.zones(e["zones"], "zones");
    if (e["names"])
      for (std::string& s : r.string_list(e["names"], "names")) ex.names.push_back(lower(s));
    if (e["rules"]) ex.rules = r.string_list(e["rules"], "rules");
    if (e["classes"]) {
      if (!e["classes"].IsSequence() || e["classes"].size() == 0)
        r.fail(e["classes"], "classes", "a non-empty list of attack classes");
      for (const auto& c : e["classes"]) {
        AttackClass ac{};
        if (!attack_class_from_name(r.string(c, "classes"), ac))
          r.fail(c, "classes", "an attack class name");
        ex.classes.push_back(ac);
      }
    }
    if (ex.rules.empty() && ex.classes.empty())
      r.fail(e, "rules", "rules or classes (use rules: [all] to silence every rule)");
    into.exceptions.push_back(std::move(ex));
  }
}

}  // namespace weir::detect
