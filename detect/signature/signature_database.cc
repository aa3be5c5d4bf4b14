// Ruleset -> Hyperscan databases grouped by transform chain.

#include "detect/signature/signature_database.h"

#include "detect/detector.h"
#include "detect/signature/rule_error.h"
#include "parsers/field.h"

namespace weir::detect {
namespace {

struct PendingPattern {
  std::string regex;
  unsigned flags;
  const SourceMark* mark;
  uint32_t rule;
};

ZoneMask zone_bit(parse::Zone z) { return ZoneMask{1} << static_cast<unsigned>(z); }

// Where user input lives; the default zones of standalone lexical detectors.
ZoneMask default_lexical_zones() {
  using parse::Zone;
  return zone_bit(Zone::QueryArg) | zone_bit(Zone::QueryArgName) | zone_bit(Zone::Cookie) |
         zone_bit(Zone::BodyJson) | zone_bit(Zone::BodyForm) | zone_bit(Zone::BodyMultipart) |
         zone_bit(Zone::BodyXml) | zone_bit(Zone::GraphqlArg) | zone_bit(Zone::GraphqlVar) |
         zone_bit(Zone::WsMessage) | zone_bit(Zone::PathSegment);
}

hs_database_t* compile(const std::vector<const PendingPattern*>& pats,
                       const std::vector<unsigned>& ids, const std::vector<CompiledRule>& rules,
                       bool prefilter) {
  std::vector<const char*> exprs;
  std::vector<unsigned> flags;
  for (const PendingPattern* p : pats) {
    exprs.push_back(p->regex.c_str());
    flags.push_back(prefilter ? p->flags | HS_FLAG_MULTILINE : p->flags | HS_FLAG_SINGLEMATCH);
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  hs_error_t rc = hs_compile_multi(exprs.data(), flags.data(), ids.data(),
                                   static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr,
                                   &db, &err);
  if (rc == HS_SUCCESS) return db;
  std::string msg = err != nullptr && err->message != nullptr ? err->message : "compile failure";
  int at = err != nullptr ? err->expression : -1;
  hs_free_compile_error(err);
  if (at >= 0 && static_cast<size_t>(at) < pats.size()) {
    const PendingPattern* p = pats[static_cast<size_t>(at)];
    throw RuleError(p->mark->file, p->mark->line, "patterns",
                    "a pattern Hyperscan accepts in rule '" + rules[p->rule].id + "' (" + msg +
                        ": \"" + p->regex + "\")");
  }
  throw RuleError("(ruleset)", 0, "patterns", "a ruleset Hyperscan can compile (" + msg + ")");
}

}  // namespace

SignatureDatabase::~SignatureDatabase() {
  for (ScanGroup& g : groups_) {
    hs_free_database(g.db);
    hs_free_database(g.prefilter);
  }
  hs_free_database(combined_prefilter_);
}

int SignatureDatabase::find_rule(std::string_view id) const {
  for (size_t i = 0; i < rules_.size(); ++i)
    if (rules_[i].id == id) return static_cast<int>(i);
  return -1;
}

hs_error_t SignatureDatabase::alloc_scratch(hs_scratch_t** scratch) const {
  for (const ScanGroup& g : groups_) {
    hs_error_t rc = hs_alloc_scratch(g.db, scratch);
    if (rc == HS_SUCCESS) rc = hs_alloc_scratch(g.prefilter, scratch);
    if (rc != HS_SUCCESS) return rc;
  }
  return combined_prefilter_ != nullptr ? hs_alloc_scratch(combined_prefilter_, scratch)
                                        : HS_SUCCESS;
}

std::unique_ptr<SignatureDatabase> SignatureDatabase::build(const RuleSet& rs) {
  std::unique_ptr<SignatureDatabase> db(new SignatureDatabase());
  const PolicyConfig& pol = rs.policy;
  std::vector<PendingPattern> pats;
  static const SourceMark kBuiltin{"(built-in detector)", 0};

  auto group_for = [&](uint16_t chain, ZoneMask zones, const SourceMark& mark) -> uint16_t {
    for (size_t i = 0; i < db->groups_.size(); ++i) {
      if (db->groups_[i].chain == chain) {
        db->groups_[i].zones |= zones;
        return static_cast<uint16_t>(i);
      }
    }
    if (db->groups_.size() >= kMaxGroups)
      throw RuleError(mark.file, mark.line, "transforms",
                      "at most 64 distinct transform chains in a ruleset");
    db->groups_.push_back({chain, zones, nullptr, nullptr, 0});
    return static_cast<uint16_t>(db->groups_.size() - 1);
  };

  for (const Rule& r : rs.rules) {
    if (r.paranoia > pol.paranoia) continue;
    if ((r.zones & ~kStreamZoneBit) == 0) continue;  // stream-only: detect/stream_signature
    CompiledRule cr{r.id,      r.message, r.attack_class, r.severity, r.zones & ~kStreamZoneBit, r.names,
                    r.confirm, r.action,  0,              0,          r.tags,  r.mark};
    cr.chain = db->chains_.intern(r.transforms);
    cr.group = group_for(cr.chain, cr.zones, r.mark);
    auto idx = static_cast<uint32_t>(db->rules_.size());
    for (const PatternSpec& p : r.patterns) pats.push_back({p.regex, p.hs_flags, &p.mark, idx});
    db->rules_.push_back(std::move(cr));
  }

  for (const DetectorApi& d : detector_registry()) {
    if (d.kind != DetectorKind::Lexical) continue;
    const LexicalSettings& s = d.answers == ConfirmKind::Sqli ? pol.sqli : pol.xss;
    if (!s.enabled || s.paranoia > pol.paranoia) continue;
    for (const Rule& r : rs.rules)
      if (r.id == d.rule_id)
        throw RuleError(r.mark.file, r.mark.line, "id",
                        "an id other than '" + r.id + "' (reserved for the built-in detector)");
    CompiledRule cr;
    cr.id = d.rule_id;
    cr.message = d.summary;
    cr.attack_class = d.attack_class;
    cr.severity = s.severity;
    cr.zones = s.zones != 0 ? s.zones : default_lexical_zones();
    cr.confirm = d.answers;
    cr.mark = kBuiltin;
    std::vector<TransformId> chain = s.transforms_set
        ? s.transforms
        : std::vector<TransformId>(d.default_transforms.begin(), d.default_transforms.end());
    cr.chain = db->chains_.intern(chain);
    cr.group = group_for(cr.chain, cr.zones, kBuiltin);
    auto idx = static_cast<uint32_t>(db->rules_.size());
    for (const char* t : d.triggers) pats.push_back({t, HS_FLAG_CASELESS, &kBuiltin, idx});
    db->rules_.push_back(std::move(cr));
  }

  db->pattern_rule_.reserve(pats.size());
  for (const PendingPattern& p : pats) db->pattern_rule_.push_back(p.rule);
  if (pats.empty()) return db;

  std::vector<const PendingPattern*> all;
  std::vector<unsigned> all_ids;
  for (size_t g = 0; g < db->groups_.size(); ++g) {
    std::vector<const PendingPattern*> mine;
    std::vector<unsigned> ids;
    for (size_t i = 0; i < pats.size(); ++i) {
      if (db->rules_[pats[i].rule].group != g) continue;
      mine.push_back(&pats[i]);
      ids.push_back(static_cast<unsigned>(i));
    }
    db->groups_[g].db = compile(mine, ids, db->rules_, false);
    db->groups_[g].prefilter = compile(mine, ids, db->rules_, true);
    db->groups_[g].pattern_count = static_cast<uint32_t>(mine.size());
    for (const PendingPattern* p : mine) db->groups_[g].utf8 |= (p->flags & HS_FLAG_UTF8) != 0;
    if (db->groups_[g].utf8) continue;
    // A chain with base64_decode never leaves a value unchanged (it decodes
    // or does not apply), so raw segments are never eligible for its group:
    // scanning the raw buffer with its patterns could only cost time.
    if (db->chains_.contains(db->groups_[g].chain, TransformId::Base64Decode)) continue;
    all.insert(all.end(), mine.begin(), mine.end());
    all_ids.insert(all_ids.end(), ids.begin(), ids.end());
  }
  if (!all.empty()) db->combined_prefilter_ = compile(all, all_ids, db->rules_, true);
  return db;
}

}  // namespace weir::detect
