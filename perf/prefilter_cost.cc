// prefilter_cost: what each rule pattern costs the shared prefilter scans,
// the scans every clean request pays for (detect/dev_notes.md). Rule
// writers use it to find the patterns that keep Hyperscan off its literal
// fast path.
//
//   build/perf/prefilter_cost [--rules DIR] [--corpus FILE] [--top N] [--passes N] [--rule ID]
//
// The corpus requests (default tests/data/corpus/benign.jsonl) go through
// the HTTP/1 parser; each decision point's new raw field values are joined
// with '\n' per value kind, as the engine joins them (header or not x plain
// bytes only or not, SignatureDatabase::value_kind), and each kind's buffer
// is scanned with the patterns the engine puts in that kind's prefilter
// (rules whose zones reach it; for plain values only patterns that may
// match plain bytes). Printed, in thread CPU time per decision point: the
// same patterns as one database over all values in one buffer (the scheme
// before value kinds), each kind's database, and every pattern alone over
// the kinds it is in, slowest first, with its prefilter hits per 1,000
// decisions (each hit that passes the zone check is a field rescan).
// Transformed values (URL-decoded ...) are not modelled: raw values only,
// so values every transforming chain changes ('%', '+') show up only in
// the identity-only kinds (the engine scans their decoded copies too).

#include <hs/hs.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "cli/corpus_reader.h"
#include "detect/detector.h"
#include "detect/signature/alphabet_reach.h"
#include "detect/signature/prefilter_literals.h"
#include "detect/signature/rule_loader.h"
#include "detect/signature/signature_database.h"
#include "detect/transform/transform.h"
#include "parsers/parse_http_request.h"
#include "parsers/parser_workspace.h"
#include "parsers/transaction_sink.h"

namespace {

using namespace weir;
using detect::SignatureDatabase;
constexpr unsigned kKinds = SignatureDatabase::kValueKinds;
const char* const kKindNames[kKinds] = {"input, other bytes", "input, plain bytes", "header, other bytes",
                                        "header, plain bytes", "input, raw for identity groups",
                                        "header, raw for identity groups"};

struct Pattern {
  std::string rule;
  std::string regex;
  std::string expression;  // prefilter_expression()
  unsigned flags = 0;
  detect::ZoneMask zones = 0;
  bool literal_set = false;
  bool identity = false;  // its rule has no transforms
  bool in_kind[kKinds] = {};
  double ns = 0;  // alone, summed over its kinds, per decision point
  size_t hits = 0;
  size_t db_bytes = 0;  // its prefilter form compiled alone
};

class KindSink final : public parse::TransactionSink {
 public:
  uint32_t identity_only_mask = 0;  // classes every transforming chain reacts to
  std::vector<std::string> all;              // every value, one buffer per decision
  std::vector<std::string> by_kind[kKinds];  // per kind, one buffer per decision holding one
  std::vector<std::array<std::string, kKinds>> per_decision;  // the kinds' buffers of each decision
  parse::SinkVerdict on_decision(const parse::Transaction& txn) override {
    // Every value follows a '\n', the first one too, as in the engine: the
    // prefilter forms write `^` as `\n` (prefilter_relax.h).
    std::string joined = "\n", kind[kKinds];
    for (std::string& k : kind) k = "\n";
    for (size_t i = txn.first_new; i < txn.fields.size(); ++i) {
      std::string_view v = txn.fields[i].value;
      if (v.empty()) continue;
      joined.append(v);
      joined.push_back('\n');
      const uint32_t classes = detect::byte_classes(v);
      unsigned k = SignatureDatabase::value_kind(txn.fields[i].zone == parse::Zone::Header,
                                                 detect::only_plain_bytes(classes),
                                                 (classes & identity_only_mask) != 0);
      kind[k].append(v);
      kind[k].push_back('\n');
    }
    if (joined.size() == 1) return parse::SinkVerdict::Pass;
    all.push_back(std::move(joined));
    per_decision.emplace_back();
    for (unsigned k = 0; k < kKinds; ++k) {
      if (kind[k].size() == 1) kind[k].clear();  // no value of this kind
      per_decision.back()[k] = kind[k];
      if (!kind[k].empty()) by_kind[k].push_back(std::move(kind[k]));
    }
    return parse::SinkVerdict::Pass;
  }
};

double thread_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

hs_database_t* compile(const std::vector<const Pattern*>& pats) {
  std::vector<const char*> exprs;
  std::vector<unsigned> flags, ids;
  for (const Pattern* p : pats) {
    exprs.push_back(p->expression.c_str());
    flags.push_back(p->flags | HS_FLAG_MULTILINE);
    ids.push_back(static_cast<unsigned>(ids.size()));
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()),
                       HS_MODE_BLOCK, nullptr, &db, &err) != HS_SUCCESS) {
    std::fprintf(stderr, "prefilter_cost: compile failed: %s\n", err != nullptr ? err->message : "?");
    std::exit(1);
  }
  hs_free_compile_error(err);
  return db;
}

struct ScanResult {
  double seconds = 0;  // per pass
  size_t hits = 0;     // per pass
};

ScanResult time_scans(const hs_database_t* db, const std::vector<std::string>& buffers, int passes) {
  static hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) std::exit(1);
  size_t hits = 0;
  auto on_match = [](unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) {
    ++*static_cast<size_t*>(ctx);
    return 0;
  };
  double t0 = thread_seconds();
  for (int p = 0; p < passes; ++p)
    for (const std::string& b : buffers)
      hs_scan(db, b.data(), static_cast<unsigned>(b.size()), 0, scratch, on_match, &hits);
  return {(thread_seconds() - t0) / passes, hits / static_cast<size_t>(passes)};
}

}  // namespace

int main(int argc, char** argv) {
  std::string rules = "configs/rules", corpus = "tests/data/corpus/benign.jsonl";
  size_t top = 40;
  int passes = 3;
  std::string show_rule;  // --rule ID: print its patterns' prefilter forms and stop
  int marginal = -1;      // --marginal K: what each pattern adds to kind K's database
  for (int i = 1; i < argc; i += 2) {
    std::string a = argv[i];
    if (i + 1 >= argc) a = "--help";
    if (a == "--rules") rules = argv[i + 1];
    else if (a == "--corpus") corpus = argv[i + 1];
    else if (a == "--top") top = std::strtoul(argv[i + 1], nullptr, 10);
    else if (a == "--passes") passes = std::max(1, std::atoi(argv[i + 1]));
    else if (a == "--rule") show_rule = argv[i + 1];
    else if (a == "--marginal") {
      char* end = nullptr;
      marginal = static_cast<int>(std::strtol(argv[i + 1], &end, 10));
      if (end == argv[i + 1] || *end != '\0' || marginal < 0 || marginal >= static_cast<int>(kKinds)) {
        std::fprintf(stderr, "prefilter_cost: --marginal takes a value kind 0..%u, not '%s'\n", kKinds - 1,
                     argv[i + 1]);
        return 2;
      }
    }
    else {
      std::fprintf(stderr, "usage: prefilter_cost [--rules DIR] [--corpus FILE] [--top N] [--passes N] [--rule ID] [--marginal K]\n");
      return 2;
    }
  }
  detect::RuleSet rs = detect::load_rules_dir(rules);
  std::vector<Pattern> pats;
  uint32_t every_chain = ~uint32_t{0};  // one mask for all zones: a model of the engine's per-zone one
  bool any_transforming = false;
  for (const detect::Rule& r : rs.rules) {
    if (r.paranoia > rs.policy.paranoia || (r.zones & ~detect::kStreamZoneBit) == 0) continue;
    bool base64 = std::find(r.transforms.begin(), r.transforms.end(), detect::TransformId::Base64Decode) !=
                  r.transforms.end();
    for (const detect::PatternSpec& p : r.patterns) {
      // utf8 and base64 groups scan buffers of their own, not the shared ones;
      // rules with a name filter are rescanned by field name (CompiledRule::by_name).
      if ((p.hs_flags & HS_FLAG_UTF8) != 0 || base64 || !r.names.empty()) continue;
      pats.push_back({r.id, p.regex, detect::prefilter_expression(p.regex, p.hs_flags), p.hs_flags, r.zones});
      pats.back().identity = r.transforms.empty();
    }
    uint32_t mask = 0;
    for (detect::TransformId t : r.transforms) mask |= detect::transform_change_mask(t);
    if (mask != 0 && (r.zones & ~detect::kStreamZoneBit) != 0) every_chain &= mask, any_transforming = true;
  }
  for (const detect::DetectorApi& d : detect::detector_registry())
    for (const char* t : d.triggers)  // the default lexical zones: user input, no headers
      pats.push_back({d.rule_id, t, detect::prefilter_expression(t, HS_FLAG_CASELESS), HS_FLAG_CASELESS,
                      detect::ZoneMask{1} << static_cast<unsigned>(parse::Zone::QueryArg)});
  if (!show_rule.empty()) {
    for (const Pattern& p : pats)
      if (p.rule == show_rule) std::printf("%s\n  prefilter: %s\n", p.regex.c_str(), p.expression.c_str());
    return 0;
  }
  detect::ByteSet plain_alphabet;
  for (unsigned b = 0; b < 256; ++b) plain_alphabet[b] = detect::plain_byte(static_cast<unsigned char>(b));
  const detect::ZoneMask header_bit = detect::ZoneMask{1} << static_cast<unsigned>(parse::Zone::Header);
  for (Pattern& p : pats) {
    p.literal_set = p.expression.rfind("(?:\\x", 0) == 0;
    bool plain = detect::may_match_within(p.regex, p.flags, plain_alphabet);
    for (unsigned k = 0; k < kKinds; ++k) {
      const bool identity_only = k == SignatureDatabase::kInputIdentityOnly || k == SignatureDatabase::kHeaderIdentityOnly;
      const bool header = identity_only ? k == SignatureDatabase::kHeaderIdentityOnly : (k & 2u) != 0;
      const bool kind_plain = !identity_only && (k & 1u) != 0;
      p.in_kind[k] = (header ? p.zones & header_bit : p.zones & ~header_bit) != 0 && (plain || !kind_plain) &&
                     (p.identity || !identity_only);
    }
  }

  KindSink sink;
  sink.identity_only_mask = any_transforming ? every_chain : 0;
  parse::ParserWorkspace ws;
  for (const cli::CorpusRequest& req : cli::read_corpus_file(corpus))
    parse::parse_http_request(req.raw, sink, ws);
  const double decisions = static_cast<double>(sink.all.size());
  size_t bytes = 0;
  for (const std::string& b : sink.all) bytes += b.size();
  std::printf("%zu decision points, %.0f bytes of values each on average; %zu patterns, %d passes\n",
              sink.all.size(), static_cast<double>(bytes) / decisions, pats.size(), passes);

  // One database of `set`, timed over `buffers`: per pass, hits per pass.
  auto measure = [&](const std::vector<const Pattern*>& set, const std::vector<std::string>& buffers) {
    hs_database_t* db = compile(set);
    ScanResult r = time_scans(db, buffers, passes);
    hs_free_database(db);
    return r;
  };
  auto row = [&](const std::string& what, const std::vector<const Pattern*>& set,
                 const std::vector<std::string>& buffers) {
    size_t b = 0;
    for (const std::string& s : buffers) b += s.size();
    if (set.empty() || buffers.empty()) {
      std::printf("%-40s %4zu patterns %5.1f%% bytes  (no scan)\n", what.c_str(), set.size(),
                  100.0 * static_cast<double>(b) / static_cast<double>(bytes));
      return 0.0;
    }
    ScanResult r = measure(set, buffers);
    double ns = r.seconds * 1e9 / decisions;
    std::printf("%-40s %4zu patterns %5.1f%% bytes %8.0f ns/decision %8.1f hits/1k decisions\n",
                what.c_str(), set.size(), 100.0 * static_cast<double>(b) / static_cast<double>(bytes), ns,
                1000.0 * static_cast<double>(r.hits) / decisions);
    return ns;
  };
  // The patterns of kind k's prefilter, all or only one form of them.
  enum class Forms { All, LiteralSets, Regexes };
  auto kind_set = [&pats](unsigned k, Forms forms = Forms::All) {
    std::vector<const Pattern*> set;
    for (const Pattern& p : pats)
      if (p.in_kind[k] && (forms == Forms::All || p.literal_set == (forms == Forms::LiteralSets)))
        set.push_back(&p);
    return set;
  };
  if (marginal >= 0) {
    // Each pattern's share of one kind's scans: the kind's database with
    // and without it (Hyperscan shares work between patterns, so a
    // pattern alone says little).
    const auto k = static_cast<unsigned>(marginal);
    const std::vector<const Pattern*> full = kind_set(k);
    auto timed = [&](const std::vector<const Pattern*>& set) {
      return measure(set, sink.by_kind[k]).seconds * 1e9 / decisions;
    };
    const double base = timed(full);
    std::vector<std::pair<double, const Pattern*>> gain;
    for (const Pattern* p : full) {
      std::vector<const Pattern*> rest;
      for (const Pattern* q : full)
        if (q != p) rest.push_back(q);
      gain.emplace_back(base - timed(rest), p);
    }
    std::sort(gain.begin(), gain.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::printf("%s: %zu patterns, %.0f ns/decision; ns saved without each pattern:\n", kKindNames[k],
                full.size(), base);
    for (size_t i = 0; i < gain.size() && i < top; ++i)
      std::printf("%6.0f  %-14s %-5s %s\n", gain[i].first, gain[i].second->rule.c_str(),
                  gain[i].second->literal_set ? "lits" : "regex", gain[i].second->regex.c_str());
    return 0;
  }
  std::vector<const Pattern*> every;
  for (const Pattern& p : pats) every.push_back(&p);
  row("all patterns, all values, one buffer", every, sink.all);
  double total = 0;
  for (unsigned k = 0; k < kKinds; ++k) {
    total += row(kKindNames[k], kind_set(k), sink.by_kind[k]);
  }
  std::printf("%-40s %8.0f ns/decision\n", "value kinds (sum)", total);
  // Fixed cost of one hs_scan with each kind's database: a one-byte value.
  for (unsigned k = 0; k < kKinds; ++k) {
    std::vector<std::string> tiny(sink.by_kind[k].size(), std::string("\nx\n"));
    row(std::string(kKindNames[k]) + ", one-byte values", kind_set(k), tiny);
  }
  // The same kinds split by prefilter form: what the literal sets cost
  // against the relaxed regexes.
  for (int lits = 1; lits >= 0; --lits)
    for (unsigned k = 0; k < kKinds; ++k) {
      row(std::string(kKindNames[k]) + (lits == 1 ? ", literal sets" : ", regexes"),
          kind_set(k, lits == 1 ? Forms::LiteralSets : Forms::Regexes), sink.by_kind[k]);
    }
  // As the engine runs them: the scans of one decision one after the
  // other, so each database's tables compete for the caches.
  {
    hs_database_t* dbs[kKinds] = {};
    hs_scratch_t* scratch = nullptr;
    size_t db_bytes = 0;
    for (unsigned k = 0; k < kKinds; ++k) {
      std::vector<const Pattern*> set = kind_set(k);
      if (set.empty()) continue;
      dbs[k] = compile(set);
      size_t sz = 0;
      hs_database_size(dbs[k], &sz);
      db_bytes += sz;
      hs_alloc_scratch(dbs[k], &scratch);
    }
    auto none = [](unsigned, unsigned long long, unsigned long long, unsigned, void*) { return 0; };
    double t0 = thread_seconds();
    for (int p = 0; p < passes; ++p)
      for (const auto& d : sink.per_decision)
        for (unsigned k = 0; k < kKinds; ++k)
          if (dbs[k] != nullptr && !d[k].empty())
            hs_scan(dbs[k], d[k].data(), static_cast<unsigned>(d[k].size()), 0, scratch, none, nullptr);
    double ns = (thread_seconds() - t0) / passes * 1e9 / decisions;
    std::printf("%-40s %8.0f ns/decision (databases: %zu KB together)\n", "value kinds, interleaved per decision",
                ns, db_bytes / 1024);
    hs_free_scratch(scratch);
    for (hs_database_t* db : dbs) hs_free_database(db);
  }

  for (Pattern& p : pats) {
    hs_database_t* db = compile({&p});
    hs_database_size(db, &p.db_bytes);
    for (unsigned k = 0; k < kKinds; ++k) {
      if (!p.in_kind[k] || sink.by_kind[k].empty()) continue;
      ScanResult r = time_scans(db, sink.by_kind[k], passes);
      p.ns += r.seconds * 1e9 / decisions;
      p.hits += r.hits;
    }
    hs_free_database(db);
  }
  std::sort(pats.begin(), pats.end(), [](const Pattern& a, const Pattern& b) { return a.ns > b.ns; });
  std::printf("\nslowest patterns alone over the kinds they are in (a scan of one pattern costs ~100 ns of\n"
              "fixed overhead per buffer; compare patterns with each other): ns/decision, hits/1k decisions,\n"
              "KB compiled alone, kinds (i: input, h: header; o: other, p: plain), rule, prefilter form, regex\n");
  for (size_t i = 0; i < pats.size() && i < top; ++i) {
    const Pattern& p = pats[i];
    char kinds[2 * kKinds + 1] = "            ";
    const char* tags[kKinds] = {"io", "ip", "ho", "hp", "ir", "hr"};
    for (unsigned k = 0; k < kKinds; ++k)
      if (p.in_kind[k]) std::memcpy(kinds + 2 * k, tags[k], 2);
    std::printf("%6.0f %8.1f %5zu  %s  %-14s %-5s %s\n", p.ns, 1000.0 * static_cast<double>(p.hits) / decisions,
                p.db_bytes / 1024, kinds,
                p.rule.c_str(), p.literal_set ? "lits" : "regex", p.regex.c_str());
  }
  return 0;
}
