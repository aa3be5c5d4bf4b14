// Exception compilation and matching; see exception_set.h.

#include "detect/policy/exception_set.h"

#include <algorithm>

#include "detect/detector.h"
#include "detect/signature/rule_error.h"

namespace weir::detect {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

bool known_rule_id(const RuleSet& rs, const std::string& id) {
  for (const Rule& r : rs.rules)
    if (r.id == id) return true;
  for (const DetectorApi& d : detector_registry())
    if (d.rule_id != nullptr && id == d.rule_id) return true;
  return false;
}

int on_endpoint_match(unsigned id, unsigned long long, unsigned long long, unsigned, void* ctx) {
  static_cast<uint8_t*>(ctx)[id] = 1;
  return 0;
}

}  // namespace

ExceptionSet::~ExceptionSet() { hs_free_database(regex_db_); }

std::unique_ptr<ExceptionSet> ExceptionSet::build(const RuleSet& rs,
                                                  const SignatureDatabase& sigs) {
  std::unique_ptr<ExceptionSet> set(new ExceptionSet());
  std::vector<const char*> exprs;
  std::vector<unsigned> flags, ids;
  for (const RuleException& e : rs.exceptions) {
    CompiledException c{.id = e.id,
                        .endpoint = e.endpoint,
                        .prefix = e.endpoint == EndpointMatch::Prefix ? e.endpoint_value : "",
                        .zones = e.zones,
                        .names = e.names};
    for (AttackClass ac : e.classes) c.class_mask |= 1u << static_cast<unsigned>(ac);
    for (const std::string& r : e.rules) {
      if (r == "all") {
        c.all_rules = true;
        continue;
      }
      if (!known_rule_id(rs, r))
        throw RuleError(e.mark.file, e.mark.line, "rules",
                        "ids of existing rules ('" + r + "' is not one)");
      int idx = sigs.find_rule(r);
      if (idx >= 0) c.rule_indices.push_back(static_cast<uint32_t>(idx));  // else: above paranoia
    }
    std::sort(c.rule_indices.begin(), c.rule_indices.end());
    if (e.endpoint == EndpointMatch::Regex) {
      exprs.push_back(e.endpoint_value.c_str());
      flags.push_back(HS_FLAG_SINGLEMATCH | HS_FLAG_DOTALL);
      ids.push_back(static_cast<unsigned>(set->items_.size()));
    }
    set->items_.push_back(std::move(c));
  }
  if (!exprs.empty()) {
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(exprs.data(), flags.data(), ids.data(),
                         static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr,
                         &set->regex_db_, &err) != HS_SUCCESS) {
      std::string msg = err != nullptr && err->message != nullptr ? err->message : "error";
      int at = err != nullptr ? err->expression : -1;
      hs_free_compile_error(err);
      const RuleException* bad = nullptr;
      if (at >= 0) {
        unsigned want = ids[static_cast<size_t>(at)];
        bad = &rs.exceptions[want];
      }
      throw RuleError(bad ? bad->mark.file : "(ruleset)", bad ? bad->mark.line : 0,
                      "endpoint.regex", "a regex Hyperscan accepts (" + msg + ")");
    }
  }
  return set;
}

bool ExceptionSet::match_endpoints(std::string_view path, hs_scratch_t* scratch,
                                   uint8_t* hits) const {
  for (size_t i = 0; i < items_.size(); ++i) {
    const CompiledException& c = items_[i];
    hits[i] = c.endpoint == EndpointMatch::Any ||
              (c.endpoint == EndpointMatch::Prefix && path.starts_with(c.prefix));
  }
  if (regex_db_ == nullptr) return true;
  return hs_scan(regex_db_, path.data(), static_cast<unsigned>(path.size()), 0, scratch,
                 &on_endpoint_match, hits) == HS_SUCCESS;
}

bool ExceptionSet::covers(size_t i, const Finding& f) const {
  const CompiledException& c = items_[i];
  if (c.zones != 0 && (c.zones & (ZoneMask{1} << static_cast<unsigned>(f.zone))) == 0) return false;
  if (!c.names.empty()) {
    bool hit = false;
    for (const std::string& n : c.names) hit = hit || iequals(n, f.field_name);
    if (!hit) return false;
  }
  if (c.all_rules) return true;
  if ((c.class_mask & (1u << static_cast<unsigned>(f.attack_class))) != 0) return true;
  return std::binary_search(c.rule_indices.begin(), c.rule_indices.end(), f.rule_index);
}

}  // namespace weir::detect
