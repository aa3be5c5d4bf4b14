// Per-direction Hyperscan streaming scan with a look-back excerpt; see the
// header.

#include "detect/stream_signature/stream_scanner.h"

#include <hs/hs.h>

#include <algorithm>
#include <cstring>

#include "detect/stream_signature/stream_scratch.h"
#include "detect/stream_signature/stream_signature_database.h"
#include "detect/stream_signature/stream_state_pool.h"

namespace weir::detect {

// What the Hyperscan callback needs: the chunk being scanned (its stream
// offset) to build excerpts, and where findings go.
struct StreamMatchContext {
  StreamScanner* scanner;
  const StreamSignatureDatabase* db;
  uint64_t hs_base;
  StreamMatchSink* sink;
  StreamScanResult* result;
  const uint8_t* chunk;
  uint64_t chunk_offset;
  size_t chunk_len;
  bool at_close;

  // Bytes [start, end) of the look-back buffer followed by the chunk.
  std::string_view excerpt(uint64_t end) const {
    StreamScanner& s = *scanner;
    const uint64_t lb_start = chunk_offset - s.fill_;
    end = std::min<uint64_t>(end, chunk_offset + chunk_len);
    if (end < lb_start) return {};
    uint64_t start = end > kStreamExcerptBytes ? end - kStreamExcerptBytes : 0;
    start = std::max(start, lb_start);
    if (start >= chunk_offset)
      return {reinterpret_cast<const char*>(chunk) + (start - chunk_offset), end - start};
    const uint8_t* lb = s.lookback_.data() + (StreamScanner::kLookbackBytes - s.fill_);
    const size_t from_lb = static_cast<size_t>(std::min(end, chunk_offset) - start);
    std::memcpy(s.excerpt_.data(), lb + (start - lb_start), from_lb);
    const size_t from_chunk = end > chunk_offset ? static_cast<size_t>(end - chunk_offset) : 0;
    if (from_chunk != 0) std::memcpy(s.excerpt_.data() + from_lb, chunk, from_chunk);
    return {reinterpret_cast<const char*>(s.excerpt_.data()), from_lb + from_chunk};
  }
};

namespace {

int on_match(unsigned int id, unsigned long long /*from*/, unsigned long long to,
             unsigned int /*flags*/, void* ctx_ptr) {
  auto& ctx = *static_cast<StreamMatchContext*>(ctx_ptr);
  const StreamSignatureDatabase& db = *ctx.db;
  if (id >= db.rules().size()) return 0;  // cannot happen: ids are rule indices
  const StreamRule& rule = db.rules()[id];
  StreamFinding f;
  f.rule_index = id;
  f.rule_id = rule.id;
  f.message = rule.message;
  f.attack_class = rule.attack_class;
  f.severity = rule.severity;
  f.action = rule.action;
  f.match_end = ctx.hs_base + to;
  f.excerpt = ctx.excerpt(f.match_end);
  f.at_close = ctx.at_close;

  StreamScanResult& r = *ctx.result;
  if (r.findings == 0) {
    r.first_rule = id;
    r.first_match_end = f.match_end;
  }
  ++r.findings;
  r.block = r.block || rule.action == RuleAction::Block;
  if (r.rule_count < StreamScanResult::kMaxListed) r.rules[r.rule_count++] = id;
  ctx.sink->on_stream_finding(f);
  return 0;  // keep scanning: other rules may match in the same chunk
}

// Hyperscan 5.4's AVX-512 VBMI literal matcher (fat Teddy) loads up to a
// vector past the end of the buffer (intel/hyperscan#457, vectorscan#322):
// a chunk that ends at the end of a mapping (a hugepage, an mbuf segment,
// the fuzzer's buffer) crashes the worker. So Hyperscan never sees the last
// kTailBytes of a chunk in place when the bytes after it cross a 4 KiB
// boundary (the next page may be unmapped): the body is scanned where it is
// (its over-read lands in the tail, still ours) and the tail from a padded
// copy on the stack. Streaming mode makes the split invisible to matching;
// match offsets stay stream offsets, so excerpts still come from the chunk.
// Otherwise (~98% of chunks) the over-read stays inside a mapped page and
// one call suffices: a second call costs ~40% of a 1460-byte scan.
constexpr size_t kTailBytes = 64;
constexpr uintptr_t kPageBytes = 4096;  // the smallest page: hugepages are multiples

hs_error_t scan_overread_safe(hs_stream_t* stream, std::string_view bytes, hs_scratch_t* scratch,
                              StreamMatchContext* ctx) {
  // The page of the last byte must also hold the kTailBytes after it.
  const auto last = reinterpret_cast<uintptr_t>(bytes.data() + bytes.size() - 1);
  if ((last % kPageBytes) + kTailBytes < kPageBytes)
    return hs_scan_stream(stream, bytes.data(), static_cast<unsigned>(bytes.size()), 0, scratch,
                          &on_match, ctx);
  const size_t body = bytes.size() > kTailBytes ? bytes.size() - kTailBytes : 0;
  if (body != 0) {
    hs_error_t rc = hs_scan_stream(stream, bytes.data(), static_cast<unsigned>(body), 0, scratch,
                                   &on_match, ctx);
    if (rc != HS_SUCCESS) return rc;
  }
  alignas(64) char tail[2 * kTailBytes] = {};
  const size_t n = bytes.size() - body;
  std::memcpy(tail, bytes.data() + body, n);
  return hs_scan_stream(stream, tail, static_cast<unsigned>(n), 0, scratch, &on_match, ctx);
}

}  // namespace

const char* stream_open_status_name(StreamOpenStatus s) {
  switch (s) {
    case StreamOpenStatus::Open: return "open";
    case StreamOpenStatus::NoRules: return "no_rules";
    case StreamOpenStatus::PoolExhausted: return "pool_exhausted";
    case StreamOpenStatus::StateTooLarge: return "state_too_large";
    case StreamOpenStatus::NoPool: return "no_pool";
    case StreamOpenStatus::Error: return "error";
  }
  return "unknown";
}

StreamOpenStatus StreamScanner::open(const StreamSignatureDatabase& db, uint64_t start_offset) {
  discard();
  next_offset_ = start_offset;
  hs_base_ = start_offset;
  fill_ = 0;
  if (db.empty()) return StreamOpenStatus::NoRules;
  StreamStatePool* pool = StreamStatePool::bound();
  if (pool == nullptr) return StreamOpenStatus::NoPool;
  // Classify before asking Hyperscan, whose HS_NOMEM does not say why.
  if (db.stream_state_bytes() > pool->state_bytes()) return StreamOpenStatus::StateTooLarge;
  const uint64_t exhausted_before = pool->exhausted();
  hs_error_t rc = hs_open_stream(db.hs_db(), 0, &stream_);
  if (rc != HS_SUCCESS) {
    stream_ = nullptr;
    return pool->exhausted() != exhausted_before ? StreamOpenStatus::PoolExhausted
                                                 : StreamOpenStatus::Error;
  }
  db_ = &db;
  return StreamOpenStatus::Open;
}

void StreamScanner::remember(std::string_view bytes) {
  constexpr size_t kLen = kLookbackBytes;
  const size_t n = bytes.size();
  if (n >= kLen) {
    std::memcpy(lookback_.data(), bytes.data() + n - kLen, kLen);
    fill_ = kLen;
    return;
  }
  // Slide left by n and append: at most kLookbackBytes moved per chunk.
  std::memmove(lookback_.data(), lookback_.data() + n, kLen - n);
  std::memcpy(lookback_.data() + kLen - n, bytes.data(), n);
  fill_ = std::min<uint32_t>(kLookbackBytes, fill_ + static_cast<uint32_t>(n));
}

StreamScanResult StreamScanner::scan(StreamScratch& scratch, std::string_view bytes,
                                     uint64_t stream_offset, StreamMatchSink& sink) {
  StreamScanResult result;
  if (stream_ == nullptr) return result;  // Idle
  result.status = StreamScanStatus::Scanned;
  if (stream_offset < next_offset_) {  // already scanned prefix (retransmission)
    const uint64_t skip = next_offset_ - stream_offset;
    if (skip >= bytes.size()) return result;
    bytes.remove_prefix(static_cast<size_t>(skip));
    stream_offset = next_offset_;
  } else if (stream_offset > next_offset_) {
    // Hyperscan streams cannot skip bytes: restart the state at the new
    // offset. End-of-stream matches of the old part are not reported (a gap
    // is not the end of the stream).
    if (hs_reset_stream(stream_, 0, nullptr, nullptr, nullptr) != HS_SUCCESS) {
      discard();
      result.status = StreamScanStatus::Error;
      return result;
    }
    hs_base_ = stream_offset;
    next_offset_ = stream_offset;
    fill_ = 0;
    result.status = StreamScanStatus::Resynced;
  }
  if (bytes.empty()) return result;

  StreamMatchContext ctx{this, db_, hs_base_, &sink, &result, reinterpret_cast<const uint8_t*>(bytes.data()),
                         stream_offset, bytes.size(), false};
  hs_error_t rc = scan_overread_safe(stream_, bytes, scratch.get(), &ctx);
  if (rc != HS_SUCCESS) {
    discard();
    result.status = StreamScanStatus::Error;
    return result;
  }
  remember(bytes);
  next_offset_ = stream_offset + bytes.size();
  return result;
}

StreamScanResult StreamScanner::close(StreamScratch& scratch, StreamMatchSink& sink) {
  StreamScanResult result;
  if (stream_ == nullptr) return result;
  result.status = StreamScanStatus::Scanned;
  StreamMatchContext ctx{this, db_, hs_base_, &sink, &result, nullptr, next_offset_, 0, true};
  hs_error_t rc = hs_close_stream(stream_, scratch.get(), &on_match, &ctx);
  stream_ = nullptr;  // freed by Hyperscan even on error
  db_ = nullptr;
  if (rc != HS_SUCCESS) result.status = StreamScanStatus::Error;
  return result;
}

void StreamScanner::discard() {
  if (stream_ != nullptr) (void)hs_close_stream(stream_, nullptr, nullptr, nullptr);
  stream_ = nullptr;
  db_ = nullptr;
}

}  // namespace weir::detect
