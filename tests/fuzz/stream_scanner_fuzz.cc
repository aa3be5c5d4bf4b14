// libFuzzer target: StreamScanner over random bytes cut into random chunks
// (with random retransmitted overlaps) against a small fixed stream ruleset.
// Invariants: the rules found, and the end offset of each rule's first match,
// equal a one-shot block-mode scan of the whole data with the same patterns
// (end-anchored ones too: close() reports them); every excerpt is exactly the
// up-to-64 bytes before its match end; the state pool is empty after close.
// Input: 4 bytes seed the chunking, the rest is the stream.

#include <hs/hs.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "detect/signature/rule_loader.h"
#include "detect/stream_signature/stream_scanner.h"
#include "detect/stream_signature/stream_scratch.h"
#include "detect/stream_signature/stream_signature_database.h"
#include "detect/stream_signature/stream_state_pool.h"

using namespace weir::detect;

namespace {

const char kRules[] = R"(rules:
  - {id: lit, message: m, class: other, severity: error, zones: [stream], patterns: ["abcab"]}
  - {id: case, message: m, class: other, severity: error, zones: [stream], patterns: ["xyz"], flags: [caseless]}
  - {id: rep, message: m, class: other, severity: error, zones: [stream], patterns: ["ab[^\\n]{2,6}ba"]}
  - {id: alt, message: m, class: other, severity: error, zones: [stream], patterns: ["(foo|bar)\\d+q", "zz\\x00z"]}
  - {id: line, message: m, class: other, severity: error, zones: [stream], patterns: ["^cmd "], flags: [multiline]}
  - {id: start, message: m, class: other, severity: error, zones: [stream], patterns: ["^ab"]}
  - {id: end, message: m, class: other, severity: error, zones: [stream], patterns: ["ba$"]}
  - {id: dot, message: m, class: other, severity: error, zones: [stream], patterns: ["a.{3}c"], flags: [dotall]}
)";

// Says which invariant broke before crashing, so a crash file explains itself.
[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "stream_scanner_fuzz: %s\n", what);
  std::abort();
}

void dump(const char* name, const std::map<uint32_t, uint64_t>& m) {
  std::fprintf(stderr, "%s:", name);
  for (const auto& [rule, end] : m) std::fprintf(stderr, " rule %u end %lu;", rule,
                                                 static_cast<unsigned long>(end));
  std::fprintf(stderr, "\n");
}

struct Fixture {
  std::unique_ptr<StreamSignatureDatabase> db;
  hs_database_t* block_db = nullptr;
  hs_scratch_t* block_scratch = nullptr;
  std::unique_ptr<StreamStatePool> pool;
  StreamScratch scratch;

  Fixture() {
    RuleSet rs;
    load_rules_text(kRules, "stream_scanner_fuzz", rs);
    db = StreamSignatureDatabase::build(rs);
    std::vector<const char*> exprs;
    std::vector<unsigned> flags, ids;
    for (const Rule& r : rs.rules)
      for (const PatternSpec& p : r.patterns) {
        exprs.push_back(p.regex.c_str());
        flags.push_back(p.hs_flags | HS_FLAG_SINGLEMATCH);
        ids.push_back(static_cast<unsigned>(db->find_rule(r.id)));
      }
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()),
                         HS_MODE_BLOCK, nullptr, &block_db, &err) != HS_SUCCESS)
      std::abort();
    if (hs_alloc_scratch(block_db, &block_scratch) != HS_SUCCESS) std::abort();
    pool = std::make_unique<StreamStatePool>(db->stream_state_bytes(), 4);
    if (!pool->bind_to_this_thread() || !scratch.prepare(*db)) std::abort();
  }
};

struct Collect : StreamMatchSink {
  std::string_view data;
  std::map<uint32_t, uint64_t> first_end;
  void on_stream_finding(const StreamFinding& f) override {
    if (first_end.count(f.rule_index) != 0) fail("a rule reported twice");
    first_end[f.rule_index] = f.match_end;
    if (f.match_end > data.size()) fail("match end past the data");
    const size_t n = f.match_end < kStreamExcerptBytes ? f.match_end : kStreamExcerptBytes;
    if (f.excerpt != data.substr(f.match_end - n, n)) {
      std::fprintf(stderr, "rule %u end %lu close %d excerpt %zu bytes\n", f.rule_index,
                   static_cast<unsigned long>(f.match_end), f.at_close ? 1 : 0, f.excerpt.size());
      fail("excerpt differs from the data");
    }
  }
};

int on_block_match(unsigned id, unsigned long long, unsigned long long to, unsigned, void* ctx) {
  auto& m = *static_cast<std::map<uint32_t, uint64_t>*>(ctx);
  if (m.count(id) == 0) m[id] = to;
  return 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* in, size_t size) {
  static Fixture fx;
  if (size < 4) return 0;
  uint32_t rng = static_cast<uint32_t>(in[0]) | (static_cast<uint32_t>(in[1]) << 8) |
                 (static_cast<uint32_t>(in[2]) << 16) | (static_cast<uint32_t>(in[3]) << 24);
  std::string_view data(reinterpret_cast<const char*>(in) + 4, size - 4);

  // The reference scans a padded copy: Hyperscan's AVX-512 VBMI path reads
  // past the end of its buffer (the scanner under test protects itself).
  std::map<uint32_t, uint64_t> expect;
  std::string padded(data);
  padded.append(64, '\0');
  if (!data.empty() && hs_scan(fx.block_db, padded.data(), static_cast<unsigned>(data.size()), 0,
                               fx.block_scratch, &on_block_match, &expect) != HS_SUCCESS)
    std::abort();

  Collect got;
  got.data = data;
  StreamScanner s;
  if (s.open(*fx.db) != StreamOpenStatus::Open) std::abort();
  size_t pos = 0;
  while (pos < data.size()) {
    rng = rng * 1103515245u + 12345u;
    const uint32_t r = rng >> 16;
    size_t len = (r & 3) == 0 ? 1 + (r >> 2) % 300 : 1 + (r >> 2) % 9;
    // Sometimes resend some already-scanned bytes in front (retransmission).
    size_t back = (r & 0x30) == 0x30 ? std::min<size_t>(pos, (r >> 8) % 12) : 0;
    size_t from = pos - back;
    len = std::min(len + back, data.size() - from);
    StreamScanResult res = s.scan(fx.scratch, data.substr(from, len), from, got);
    if (res.status != StreamScanStatus::Scanned) std::abort();
    if (from + len > pos) pos = from + len;
    if (s.next_offset() != pos) std::abort();
  }
  if (s.close(fx.scratch, got).status != StreamScanStatus::Scanned) std::abort();
  // Block mode has no stream to close: with empty data it reports nothing,
  // and neither does an opened-then-closed empty stream (no ^/$ match on "").
  if (got.first_end != expect) {
    dump("block", expect);
    dump("stream", got.first_end);
    fail("stream findings differ from block mode");
  }
  if (fx.pool->in_use() != 0) fail("stream state not returned to the pool");
  return 0;
}
