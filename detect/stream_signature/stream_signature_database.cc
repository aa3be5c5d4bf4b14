// Stream rules -> one Hyperscan streaming database; see the header.

#include "detect/stream_signature/stream_signature_database.h"

#include "detect/signature/rule_error.h"

namespace weir::detect {

StreamSignatureDatabase::~StreamSignatureDatabase() { hs_free_database(db_); }

int StreamSignatureDatabase::find_rule(std::string_view id) const {
  for (size_t i = 0; i < rules_.size(); ++i)
    if (rules_[i].id == id) return static_cast<int>(i);
  return -1;
}

std::unique_ptr<StreamSignatureDatabase> StreamSignatureDatabase::build(const RuleSet& rs) {
  std::unique_ptr<StreamSignatureDatabase> out(new StreamSignatureDatabase());
  std::vector<const char*> exprs;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  std::vector<const PatternSpec*> specs;  // parallel to exprs, for error marks

  for (const Rule& r : rs.rules) {
    // Rules naming `stream` next to field zones are scanned here too.
    if ((r.zones & stream_zone_mask()) == 0 || r.paranoia > rs.policy.paranoia) continue;
    if (out->rules_.size() >= kMaxRules)
      throw RuleError(r.mark.file, r.mark.line, "zones",
                      "at most " + std::to_string(kMaxRules) + " stream rules in a ruleset");
    auto idx = static_cast<unsigned>(out->rules_.size());
    for (const PatternSpec& p : r.patterns) {
      exprs.push_back(p.regex.c_str());
      flags.push_back(p.hs_flags | HS_FLAG_SINGLEMATCH);
      ids.push_back(idx);  // the rule, not the pattern: SINGLEMATCH dedups per id
      specs.push_back(&p);
    }
    out->rules_.push_back(
        {r.id, r.message, r.attack_class, r.severity, r.action, r.tags, r.mark});
  }
  out->pattern_count_ = exprs.size();
  if (exprs.empty()) return out;

  hs_compile_error_t* err = nullptr;
  hs_error_t rc = hs_compile_multi(exprs.data(), flags.data(), ids.data(),
                                   static_cast<unsigned>(exprs.size()), HS_MODE_STREAM, nullptr,
                                   &out->db_, &err);
  if (rc != HS_SUCCESS) {
    std::string msg = err != nullptr && err->message != nullptr ? err->message : "compile failure";
    int at = err != nullptr ? err->expression : -1;
    hs_free_compile_error(err);
    if (at >= 0 && static_cast<size_t>(at) < specs.size()) {
      const PatternSpec* p = specs[static_cast<size_t>(at)];
      throw RuleError(p->mark.file, p->mark.line, "patterns",
                      "a pattern Hyperscan accepts in streaming mode in rule '" +
                          out->rules_[ids[static_cast<size_t>(at)]].id + "' (" + msg + ": \"" +
                          p->regex + "\")");
    }
    throw RuleError("(ruleset)", 0, "patterns",
                    "stream rules Hyperscan can compile (" + msg + ")");
  }
  if (hs_stream_size(out->db_, &out->stream_state_bytes_) != HS_SUCCESS)
    throw RuleError("(ruleset)", 0, "patterns", "a stream state size from Hyperscan");
  return out;
}

}  // namespace weir::detect
