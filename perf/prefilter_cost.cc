// prefilter_cost: what each rule pattern costs the combined prefilter scan,
// the scan every clean request pays for (detect/dev_notes.md). Rule writers
// use it to find the patterns that keep Hyperscan off its literal fast path.
//
//   build/perf/prefilter_cost [--rules DIR] [--corpus FILE] [--top N] [--passes N]
//
// The corpus requests (default tests/data/corpus/benign.jsonl) go through
// the HTTP/1 parser; each decision point's new field values, joined with
// '\n' as the engine joins raw values, make one buffer. Then, in thread CPU
// time over all buffers: the whole prefilter database (every non-UTF-8
// pattern's prefilter expression, as SignatureDatabase compiles it, plus the
// lexical detectors' triggers), its literal-set part and its regex part
// alone, and every pattern alone (its own database), slowest first, with
// the prefilter hits per 1,000 buffers (each hit is a field rescan).

#include <hs/hs.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "cli/corpus_reader.h"
#include "detect/detector.h"
#include "detect/signature/alphabet_reach.h"
#include "detect/signature/prefilter_literals.h"
#include "detect/transform/transform.h"
#include "detect/signature/rule_loader.h"
#include "parsers/parse_http_request.h"
#include "parsers/parser_workspace.h"
#include "parsers/transaction_sink.h"

namespace {

using namespace weir;

struct Pattern {
  std::string rule;
  std::string regex;
  std::string expression;  // prefilter_expression()
  unsigned flags = 0;
  bool literal_set = false;
  bool plain = false;  // may match inside a value of plain bytes

  double ns_per_buffer = 0;
  size_t hits = 0;
  double ns_plain = 0;  // on the plain values' buffers (plain-capable patterns only)
  size_t hits_plain = 0;
};

class JoiningSink final : public parse::TransactionSink {
 public:
  std::vector<std::string> buffers;  // every value
  std::vector<std::string> other;    // values with a byte outside the plain alphabet
  std::vector<std::string> plain;    // values of plain bytes only
  parse::SinkVerdict on_decision(const parse::Transaction& txn) override {
    std::string joined, o, p;
    for (size_t i = txn.first_new; i < txn.fields.size(); ++i) {
      std::string_view v = txn.fields[i].value;
      if (v.empty()) continue;
      joined.append(v);
      joined.push_back('\n');
      std::string& to = detect::only_plain_bytes(detect::byte_classes(v)) ? p : o;
      to.append(v);
      to.push_back('\n');
    }
    if (!joined.empty()) buffers.push_back(std::move(joined));
    if (!o.empty()) other.push_back(std::move(o));
    if (!p.empty()) plain.push_back(std::move(p));
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
  double ns_per_buffer = 0;
  size_t hits = 0;
  double ns_plain = 0;  // on the plain values' buffers (plain-capable patterns only)
  size_t hits_plain = 0;
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
  double t = thread_seconds() - t0;
  return {t * 1e9 / static_cast<double>(buffers.size() * static_cast<size_t>(passes)),
          hits / static_cast<size_t>(passes)};
}

}  // namespace

int main(int argc, char** argv) {
  std::string rules = "configs/rules", corpus = "tests/data/corpus/benign.jsonl";
  size_t top = 40;
  int passes = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--rules") rules = argv[i + 1];
    else if (a == "--corpus") corpus = argv[i + 1];
    else if (a == "--top") top = std::strtoul(argv[i + 1], nullptr, 10);
    else if (a == "--passes") passes = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: prefilter_cost [--rules DIR] [--corpus FILE] [--top N] [--passes N]\n");
      return 2;
    }
  }
  detect::RuleSet rs = detect::load_rules_dir(rules);
  std::vector<Pattern> pats;
  for (const detect::Rule& r : rs.rules) {
    if (r.paranoia > rs.policy.paranoia) continue;
    for (const detect::PatternSpec& p : r.patterns) {
      if ((p.hs_flags & HS_FLAG_UTF8) != 0) continue;  // own buffers, not the combined scan
      pats.push_back({r.id, p.regex, detect::prefilter_expression(p.regex, p.hs_flags), p.hs_flags});
    }
  }
  for (const detect::DetectorApi& d : detect::detector_registry())
    for (const char* t : d.triggers)
      pats.push_back({d.rule_id, t, detect::prefilter_expression(t, HS_FLAG_CASELESS), HS_FLAG_CASELESS});
  detect::ByteSet plain_alphabet;
  for (unsigned b = 0; b < 256; ++b) plain_alphabet[b] = detect::plain_byte(static_cast<unsigned char>(b));
  for (Pattern& p : pats) {
    p.literal_set = p.expression.rfind("(?:\\x", 0) == 0;
    p.plain = detect::may_match_within(p.regex, p.flags, plain_alphabet);
  }

  JoiningSink sink;
  parse::ParserWorkspace ws;
  for (const cli::CorpusRequest& req : cli::read_corpus_file(corpus))
    parse::parse_http_request(req.raw, sink, ws);
  size_t bytes = 0;
  for (const std::string& b : sink.buffers) bytes += b.size();
  std::printf("%zu buffers (decision points), %.0f bytes each on average; %zu patterns, %d passes\n",
              sink.buffers.size(), static_cast<double>(bytes) / static_cast<double>(sink.buffers.size()),
              pats.size(), passes);

  std::vector<const Pattern*> all, lits, regexes, plain;
  for (const Pattern& p : pats) {
    all.push_back(&p);
    (p.literal_set ? lits : regexes).push_back(&p);
    if (p.plain) plain.push_back(&p);
  }
  // Per decision point, as the buffers are scanned; ns and hits per decision.
  auto row = [&](const char* what, const std::vector<const Pattern*>& set,
                 const std::vector<std::string>& buffers) {
    hs_database_t* db = compile(set);
    ScanResult r = time_scans(db, buffers, passes);
    double per = static_cast<double>(buffers.size()) / static_cast<double>(sink.buffers.size());
    std::printf("%-44s %4zu patterns %8.0f ns/decision %8.1f hits/1k decisions\n", what, set.size(),
                r.ns_per_buffer * per, 1000.0 * static_cast<double>(r.hits) / static_cast<double>(sink.buffers.size()));
    hs_free_database(db);
    return r.ns_per_buffer * per;
  };
  row("whole prefilter, all values", all, sink.buffers);
  row("literal-set patterns, all values", lits, sink.buffers);
  row("regex (no strong literal set), all values", regexes, sink.buffers);
  size_t plain_bytes = 0, other_bytes = 0;
  for (const std::string& b : sink.plain) plain_bytes += b.size();
  for (const std::string& b : sink.other) other_bytes += b.size();
  std::printf("plain values: %.0f%% of the bytes; patterns that may match in them: %zu\n",
              100.0 * static_cast<double>(plain_bytes) / static_cast<double>(plain_bytes + other_bytes),
              plain.size());
  double split = row("whole prefilter, values with other bytes", all, sink.other) +
                 row("plain-capable patterns, plain values", plain, sink.plain);
  std::printf("%-44s %8.0f ns/decision\n", "split scan (sum of the two above)", split);

  // PREFILTER_COST_OTHER=1: the second column is over the other values' buffers.
  const bool other_mode = std::getenv("PREFILTER_COST_OTHER") != nullptr;
  for (Pattern& p : pats) {
    hs_database_t* db = compile({&p});
    ScanResult r = time_scans(db, sink.buffers, passes);
    p.ns_per_buffer = r.ns_per_buffer;
    p.hits = r.hits;
    if (other_mode || p.plain) {
      ScanResult q = time_scans(db, other_mode ? sink.other : sink.plain, passes);
      p.ns_plain = q.ns_per_buffer;
      p.hits_plain = q.hits;
    }
    hs_free_database(db);
  }
  bool by_plain = std::getenv("BY_PLAIN") != nullptr;
  std::sort(pats.begin(), pats.end(), [&](const Pattern& a, const Pattern& b) {
    return by_plain ? a.ns_plain > b.ns_plain : a.ns_per_buffer > b.ns_per_buffer;
  });
  std::printf("\nslowest patterns alone: ns and prefilter hits per 1k over all values' buffers, the same over "
              "plain values' buffers (plain-capable patterns), rule, kind, regex:\n");
  for (size_t i = 0; i < pats.size() && i < top; ++i)
    std::printf("%7.0f %8.1f %7.0f %8.1f  %-14s %-5s %s\n", pats[i].ns_per_buffer,
                1000.0 * static_cast<double>(pats[i].hits) / static_cast<double>(sink.buffers.size()),
                pats[i].ns_plain,
                1000.0 * static_cast<double>(pats[i].hits_plain) / static_cast<double>(sink.plain.size()),
                pats[i].rule.c_str(), pats[i].literal_set ? "lits" : "regex", pats[i].regex.c_str());
  return 0;
}
