// Rule files -> RuleSet, with file/line/key errors; see rule_loader.h.

#include "detect/signature/rule_loader.h"

#include <hs/hs.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "detect/policy/policy_loader.h"
#include "detect/signature/rule_yaml_reader.h"

namespace weir::detect {
namespace {

constexpr size_t kMaxPatterns = 16;

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return s;
}

unsigned pattern_flags(const RuleYamlReader& r, const YAML::Node& n, const std::string& key) {
  if (!n.IsSequence()) r.fail(n, key, "a list of flags (caseless, dotall, multiline, utf8)");
  unsigned f = 0;
  for (const auto& e : n) {
    std::string s = r.string(e, key);
    if (s == "caseless") f |= HS_FLAG_CASELESS;
    else if (s == "dotall") f |= HS_FLAG_DOTALL;
    else if (s == "multiline") f |= HS_FLAG_MULTILINE;
    else if (s == "utf8") f |= HS_FLAG_UTF8 | HS_FLAG_UCP;
    else r.fail(e, key, "one of caseless, dotall, multiline, utf8");
  }
  return f;
}

// \A, \z and \Z anchor to the scanned buffer, which for the per-request
// prefilter is all of a chain group's values joined with '\n': they would
// miss fields in the middle. ^ and $ work per field (multiline there).
bool has_buffer_anchor(const std::string& re) {
  for (size_t i = 0; i + 1 < re.size(); ++i) {
    if (re[i] != '\\') continue;
    char c = re[i + 1];
    if (c == 'A' || c == 'z' || c == 'Z') return true;
    ++i;  // skip the escaped character ("\\A" is a backslash then A)
  }
  return false;
}

bool utf8_safe_chain(const std::vector<TransformId>& chain) {
  bool valid = false;
  for (TransformId t : chain) {
    switch (t) {
      case TransformId::Utf8Normalize: valid = true; break;
      case TransformId::Lowercase:
      case TransformId::CompressWhitespace:
      case TransformId::RemoveWhitespace:
      case TransformId::RemoveNulls:
      case TransformId::SqlCommentStrip:
      case TransformId::HtmlCommentStrip:
      case TransformId::PathNormalize: break;  // ASCII edits keep UTF-8 valid
      default: valid = false; break;
    }
  }
  return valid;
}

Rule load_rule(const RuleYamlReader& r, const YAML::Node& n) {
  r.require_map(n, "rules[]");
  r.check_keys(n, "rules[]", {"id", "message", "class", "severity", "paranoia", "zones", "names",
                              "transforms", "patterns", "flags", "confirm", "action", "tags"});
  Rule rule;
  rule.mark = r.mark_of(n);
  for (const char* required : {"id", "message", "class", "severity", "zones", "patterns"})
    if (!n[required]) r.fail(n, required, "this required key in the rule");

  rule.id = r.string(n["id"], "id");
  if (!valid_id(rule.id)) r.fail(n["id"], "id", "1 to 32 characters of [A-Za-z0-9._-]");
  rule.message = r.string(n["message"], "message");
  if (!attack_class_from_name(r.string(n["class"], "class"), rule.attack_class))
    r.fail(n["class"], "class",
           "an attack class (sqli, xss, path_traversal, cmd_injection, ssrf, xxe, ssti, jndi, "
           "nosqli, ldapi, crlf, open_redirect, protocol, scanner, graphql, rce, other)");
  rule.severity = r.severity(n["severity"], "severity");
  if (n["paranoia"]) rule.paranoia = static_cast<uint8_t>(r.integer(n["paranoia"], "paranoia", 1, 4));
  rule.zones = r.zones(n["zones"], "zones");
  // The stream scanner sees raw reassembled bytes: no fields to name,
  // transform or confirm, so a rule naming `stream` takes none of them.
  if ((rule.zones & stream_zone_mask()) != 0)
    for (const char* k : {"names", "transforms", "confirm"})
      if (n[k]) r.fail(n[k], k, "no '" + std::string(k) + "' in a rule with zone stream");
  if (n["names"])
    for (std::string& s : r.string_list(n["names"], "names")) rule.names.push_back(lower(s));
  if (n["transforms"]) rule.transforms = r.transforms(n["transforms"], "transforms");

  unsigned default_flags = n["flags"] ? pattern_flags(r, n["flags"], "flags") : 0;
  const YAML::Node& pats = n["patterns"];
  if (!pats.IsSequence() || pats.size() == 0 || pats.size() > kMaxPatterns)
    r.fail(pats, "patterns", "a list of 1 to 16 patterns");
  for (const auto& p : pats) {
    PatternSpec spec;
    spec.mark = r.mark_of(p);
    if (p.IsScalar()) {
      spec.regex = r.string(p, "patterns[]");
      spec.hs_flags = default_flags;
    } else if (p.IsMap()) {
      r.check_keys(p, "patterns[]", {"regex", "flags"});
      if (!p["regex"]) r.fail(p, "regex", "a regex in the pattern map");
      spec.regex = r.string(p["regex"], "regex");
      spec.hs_flags = p["flags"] ? pattern_flags(r, p["flags"], "flags") : default_flags;
    } else {
      r.fail(p, "patterns[]", "a regex string or a map {regex, flags}");
    }
    if (has_buffer_anchor(spec.regex))
      r.fail(p, "patterns", "^ and $ instead of \\A, \\z or \\Z (values are anchored per field)");
    rule.patterns.push_back(std::move(spec));
  }

  // Hyperscan's results on invalid UTF-8 are undefined for HS_FLAG_UTF8
  // patterns: the chain must make the value valid UTF-8 first.
  bool utf8 = false;
  for (const PatternSpec& p : rule.patterns) utf8 = utf8 || (p.hs_flags & HS_FLAG_UTF8) != 0;
  if (utf8 && !utf8_safe_chain(rule.transforms))
    r.fail(n["transforms"] ? n["transforms"] : n, "transforms",
           "utf8_normalize in the chain of a rule with utf8 patterns, followed only by "
           "lowercase, whitespace, null, comment or path transforms");
  if (n["confirm"]) {
    std::string c = r.string(n["confirm"], "confirm");
    if (c == "sqli") rule.confirm = ConfirmKind::Sqli;
    else if (c == "xss") rule.confirm = ConfirmKind::Xss;
    else r.fail(n["confirm"], "confirm", "sqli or xss");
  }
  if (n["action"]) {
    std::string a = r.string(n["action"], "action");
    if (a == "score") rule.action = RuleAction::Score;
    else if (a == "block") rule.action = RuleAction::Block;
    else if (a == "alert") rule.action = RuleAction::Alert;
    else r.fail(n["action"], "action", "score, block or alert");
  }
  if (n["tags"]) rule.tags = r.string_list(n["tags"], "tags");
  return rule;
}

}  // namespace

void load_rules_text(std::string_view yaml, const std::string& file, RuleSet& into) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    throw RuleError(file, e.mark.line >= 0 ? e.mark.line + 1 : 0, "", "valid YAML: " + e.msg);
  }
  RuleYamlReader r(file);
  if (root.IsNull()) return;  // an empty file is an empty ruleset
  r.require_map(root, "(top level)");
  r.check_keys(root, "", {"rules", "exceptions", "policy"});
  if (const YAML::Node& rules = root["rules"]) {
    if (!rules.IsSequence()) r.fail(rules, "rules", "a list of rules");
    for (const auto& n : rules) {
      Rule rule = load_rule(r, n);
      for (const Rule& other : into.rules)
        if (other.id == rule.id)
          r.fail(n["id"], "id", "a unique rule id ('" + rule.id + "' is also defined at " +
                                    other.mark.file + ":" + std::to_string(other.mark.line) + ")");
      into.rules.push_back(std::move(rule));
    }
  }
  if (const YAML::Node& ex = root["exceptions"]) load_exceptions_section(r, ex, into);
  if (const YAML::Node& pol = root["policy"]) {
    if (into.has_policy)
      r.fail(pol, "policy", "one policy section per ruleset (another is at " +
                                into.policy_mark.file + ":" +
                                std::to_string(into.policy_mark.line) + ")");
    load_policy_section(r, pol, into);
  }
}

void load_rules_file(const std::string& path, RuleSet& into) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RuleError(path, 0, "", "a readable file");
  std::ostringstream ss;
  ss << in.rdbuf();
  load_rules_text(ss.str(), path, into);
}

RuleSet load_rules_files(const std::vector<std::string>& paths) {
  RuleSet set;
  for (const std::string& p : paths) load_rules_file(p, set);
  return set;
}

RuleSet load_rules_dir(const std::string& dir) {
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    std::string ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml")) paths.push_back(e.path().string());
  }
  if (ec) throw RuleError(dir, 0, "", "a readable directory of rule files");
  std::sort(paths.begin(), paths.end());
  return load_rules_files(paths);
}

}  // namespace weir::detect
