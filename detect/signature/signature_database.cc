// Ruleset -> Hyperscan databases grouped by transform chain.

#include "detect/signature/signature_database.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "detect/detector.h"
#include "detect/signature/alphabet_reach.h"
#include "detect/signature/hs_compile_cache.h"
#include "detect/signature/prefilter_literals.h"
#include "detect/signature/prefilter_relax.h"
#include "detect/signature/rule_error.h"
#include "detect/transform/transform.h"
#include "parsers/field.h"

namespace weir::detect {
namespace {

struct PendingPattern {
  std::string regex;
  unsigned flags;
  const SourceMark* mark;
  uint32_t rule;
  // prefilter_expression() of the pattern, computed once by whichever
  // compile job needs it first (up to five prefilter databases hold it, and
  // the literal analysis is most of a warm start's CPU).
  std::unique_ptr<std::once_flag> prefilter_once = std::make_unique<std::once_flag>();
  mutable std::string prefilter;
  const std::string& prefilter_form() const {
    std::call_once(*prefilter_once, [this] { prefilter = prefilter_expression(regex, flags); });
    return prefilter;
  }
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

// One database to compile. Jobs are independent, so build() runs them on
// several threads (Hyperscan compilation is thread-safe) through the shared
// content-addressed cache; errors are raised after the join, first job first.
struct CompileJob {
  std::vector<const PendingPattern*> pats;
  std::vector<unsigned> ids;
  bool prefilter = false;
  hs_database_t** out = nullptr;
  hs_error_t rc = HS_SUCCESS;
  std::string message;
  int at = -1;
  size_t cost = 0;  // bytes of regex: the biggest jobs start first

  void add(const PendingPattern* p, unsigned id) {
    pats.push_back(p);
    ids.push_back(id);
    cost += p->regex.size();
  }
};

hs_error_t compile_once(CompileJob& job, bool relax) {
  HsCompileInput in;
  for (const PendingPattern* p : job.pats) {
    if (relax) {
      in.expressions.push_back(p->prefilter_form().c_str());
    } else {
      in.expressions.push_back(p->regex.c_str());
    }
    in.flags.push_back(job.prefilter ? p->flags | HS_FLAG_MULTILINE
                                     : p->flags | HS_FLAG_SINGLEMATCH);
  }
  in.ids = job.ids;
  hs_compile_error_t* err = nullptr;
  hs_error_t rc = HsCompileCache::shared().compile(in, job.out, &err);
  if (rc != HS_SUCCESS) {
    job.message = err != nullptr && err->message != nullptr ? err->message : "compile failure";
    job.at = err != nullptr ? err->expression : -1;
  }
  hs_free_compile_error(err);
  return rc;
}

// Prefilters get relaxed bounded repeats (prefilter_relax.h); should the
// relaxed set fail to compile, the original one decides (and names the
// pattern in the error).
void run_job(CompileJob& job) {
  job.rc = compile_once(job, job.prefilter);
  if (job.rc != HS_SUCCESS && job.prefilter) job.rc = compile_once(job, false);
}

void run_jobs(std::vector<CompileJob>& jobs) {
  std::vector<CompileJob*> order;
  for (CompileJob& j : jobs) order.push_back(&j);
  std::stable_sort(order.begin(), order.end(),
                   [](const CompileJob* a, const CompileJob* b) { return a->cost > b->cost; });
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next.fetch_add(1); i < order.size(); i = next.fetch_add(1)) run_job(*order[i]);
  };
  // Threads inherit the caller's CPU affinity (the dataplane's main lcore is
  // pinned to one CPU): use only the CPUs it may run on, so a pinned caller
  // compiles serially instead of time-slicing its own core.
  size_t cpus = std::max(1u, std::thread::hardware_concurrency());
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) cpus = std::max(1, CPU_COUNT(&set));
  size_t n = std::min<size_t>({order.size(), cpus, 8});
  std::vector<std::thread> threads;
  for (size_t t = 1; t < n; ++t) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
}

[[noreturn]] void throw_job_error(const CompileJob& job, const std::vector<CompiledRule>& rules) {
  if (job.at >= 0 && static_cast<size_t>(job.at) < job.pats.size()) {
    const PendingPattern* p = job.pats[static_cast<size_t>(job.at)];
    throw RuleError(p->mark->file, p->mark->line, "patterns",
                    "a pattern Hyperscan accepts in rule '" + rules[p->rule].id + "' (" +
                        job.message + ": \"" + p->regex + "\")");
  }
  throw RuleError("(ruleset)", 0, "patterns",
                  "a ruleset Hyperscan can compile (" + job.message + ")");
}

}  // namespace

SignatureDatabase::~SignatureDatabase() {
  for (RuleCluster& c : clusters_) hs_free_database(c.db);
  for (ScanGroup& g : groups_) {
    hs_free_database(g.db);
    hs_free_database(g.prefilter);
  }
  for (hs_database_t* p : shared_prefilters_) hs_free_database(p);
}

int SignatureDatabase::find_rule(std::string_view id) const {
  for (size_t i = 0; i < rules_.size(); ++i)
    if (rules_[i].id == id) return static_cast<int>(i);
  return -1;
}

hs_error_t SignatureDatabase::alloc_scratch(hs_scratch_t** scratch) const {
  for (const RuleCluster& c : clusters_) {
    hs_error_t rc = c.db != nullptr ? hs_alloc_scratch(c.db, scratch) : HS_SUCCESS;
    if (rc != HS_SUCCESS) return rc;
  }
  for (const ScanGroup& g : groups_) {
    hs_error_t rc = hs_alloc_scratch(g.db, scratch);
    if (rc == HS_SUCCESS && g.prefilter != nullptr) rc = hs_alloc_scratch(g.prefilter, scratch);
    if (rc != HS_SUCCESS) return rc;
  }
  for (const hs_database_t* p : shared_prefilters_) {
    hs_error_t rc = p != nullptr ? hs_alloc_scratch(p, scratch) : HS_SUCCESS;
    if (rc != HS_SUCCESS) return rc;
  }
  return HS_SUCCESS;
}

std::unique_ptr<SignatureDatabase> SignatureDatabase::build(const RuleSet& rs) {
  std::unique_ptr<SignatureDatabase> db(new SignatureDatabase());
  const PolicyConfig& pol = rs.policy;
  std::vector<PendingPattern> pats;
  static const SourceMark kBuiltin{"(built-in detector)", 0};

  auto group_for = [&](uint16_t chain, ZoneMask zones, const SourceMark& mark) -> uint16_t {
    const bool file_only = (zones & ~zone_bit(parse::Zone::BodyFile)) == 0;
    for (size_t i = 0; i < db->groups_.size(); ++i) {
      if (db->groups_[i].chain == chain && db->groups_[i].file_only == file_only) {
        db->groups_[i].zones |= zones;
        return static_cast<uint16_t>(i);
      }
    }
    if (db->groups_.size() >= kMaxGroups)
      throw RuleError(mark.file, mark.line, "transforms",
                      "at most 64 distinct transform chains in a ruleset");
    db->groups_.push_back({chain, zones, nullptr, nullptr, 0});
    db->groups_.back().file_only = file_only;
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

  // Per group: the exact database. Groups whose raw values may be eligible
  // also go into the shared prefilters (one per value kind), which then
  // serve as their own prefilter too (the match callback keeps only the
  // scanned groups' patterns).
  std::vector<CompileJob> jobs;
  std::vector<const PendingPattern*> shared_pats;
  std::vector<unsigned> shared_ids;
  for (size_t g = 0; g < db->groups_.size(); ++g) {
    CompileJob exact;
    for (size_t i = 0; i < pats.size(); ++i) {
      if (db->rules_[pats[i].rule].group == g) exact.add(&pats[i], static_cast<unsigned>(i));
    }
    ScanGroup& sg = db->groups_[g];
    sg.pattern_count = static_cast<uint32_t>(exact.pats.size());
    for (const PendingPattern* p : exact.pats) sg.utf8 |= (p->flags & HS_FLAG_UTF8) != 0;
    exact.out = &sg.db;
    // A chain with base64_decode never leaves a value unchanged (it decodes
    // or does not apply), so raw segments are never eligible for its group:
    // scanning the raw buffer with its patterns could only cost time.
    bool in_combined =
        !sg.utf8 && !sg.file_only && !db->chains_.contains(sg.chain, TransformId::Base64Decode);
    sg.in_combined = in_combined;
    if (in_combined) {
      shared_pats.insert(shared_pats.end(), exact.pats.begin(), exact.pats.end());
      shared_ids.insert(shared_ids.end(), exact.ids.begin(), exact.ids.end());
    } else {
      CompileJob own = exact;
      own.prefilter = true;
      own.out = &sg.prefilter;
      jobs.push_back(std::move(own));
    }
    jobs.push_back(std::move(exact));
  }
  for (CompiledRule& rule : db->rules_) rule.by_name = !rule.names.empty() && db->groups_[rule.group].in_combined;
  // One shared prefilter per value kind: the patterns of rules that reach
  // its zones and, for plain values, may match where every byte is plain;
  // not those the engine nominates by field name.
  ByteSet plain_alphabet;
  for (unsigned b = 0; b < 256; ++b) plain_alphabet[b] = plain_byte(static_cast<unsigned char>(b));
  const ZoneMask header_bit = zone_bit(parse::Zone::Header);
  for (unsigned kind = 0; kind < kValueKinds; ++kind) {
    const bool identity_only = kind == kInputIdentityOnly || kind == kHeaderIdentityOnly;
    const bool header = identity_only ? kind == kHeaderIdentityOnly : (kind & 2u) != 0;
    const bool plain = !identity_only && (kind & 1u) != 0;
    CompileJob job;
    job.prefilter = true;
    job.out = &db->shared_prefilters_[kind];
    for (size_t i = 0; i < shared_pats.size(); ++i) {
      const PendingPattern* p = shared_pats[i];
      const CompiledRule& rule = db->rules_[p->rule];
      ZoneMask zones = rule.zones;
      if (rule.by_name) continue;
      if ((header ? zones & header_bit : zones & ~header_bit) == 0) continue;
      if (plain && !may_match_within(p->regex, p->flags, plain_alphabet)) continue;
      if (identity_only && db->chains_.node(db->groups_[rule.group].chain).change_mask != 0) continue;
      job.add(p, shared_ids[i]);
    }
    if (!job.pats.empty()) jobs.push_back(std::move(job));
  }
  // Clusters: consecutive rules of a group, kClusterRules at most.
  std::vector<uint32_t> open_cluster(db->groups_.size(), UINT32_MAX);
  std::vector<size_t> open_size(db->groups_.size(), 0);
  for (CompiledRule& rule : db->rules_) {
    uint16_t g = rule.group;
    if (open_cluster[g] == UINT32_MAX || open_size[g] == kClusterRules) {
      open_cluster[g] = static_cast<uint32_t>(db->clusters_.size());
      open_size[g] = 0;
      db->clusters_.push_back({nullptr, g});
    }
    rule.cluster = open_cluster[g];
    ++open_size[g];
  }
  for (size_t c = 0; c < db->clusters_.size(); ++c) {
    CompileJob job;
    for (size_t i = 0; i < pats.size(); ++i) {
      if (db->rules_[pats[i].rule].cluster == c) job.add(&pats[i], static_cast<unsigned>(i));
    }
    job.out = &db->clusters_[c].db;
    if (!job.pats.empty()) jobs.push_back(std::move(job));
  }
  run_jobs(jobs);
  for (const CompileJob& j : jobs)
    if (j.rc != HS_SUCCESS) throw_job_error(j, db->rules_);
  return db;
}

}  // namespace weir::detect
