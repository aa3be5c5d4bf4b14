#pragma once
// StreamScanner: stream signatures over one TCP direction's reassembled
// bytes. Fixed size, no allocation of its own; it lives in the flow's stream
// state. open() takes a block of Hyperscan stream state from the worker's
// StreamStatePool (bound to the thread), scan() feeds in-order chunks to
// hs_scan_stream so a pattern split over any number of segments is found,
// close() ends the stream (hs_close_stream reports end-anchored matches) and
// returns the block. A look-back buffer keeps the last kLookbackBytes
// delivered, so a finding's excerpt may reach into earlier chunks. It is a
// little longer than an excerpt because a match may end before the newest
// bytes: `$` matches before a final newline, reported only at close().
//
// Lifetime: the database must outlive every scanner opened on it (stream
// state is specific to one database), and the scanner must be closed or
// discarded on the worker that opened it before the flow is freed.

#include <array>
#include <cstdint>
#include <string_view>

#include "detect/stream_signature/stream_finding.h"

struct hs_stream;

namespace weir::detect {

class StreamSignatureDatabase;
class StreamScratch;
class StreamStatePool;

enum class StreamOpenStatus : uint8_t {
  Open,           ///< scanning
  NoRules,        ///< the database has no stream rules: nothing to do
  PoolExhausted,  ///< no free block: this direction is not scanned
  StateTooLarge,  ///< the pool's blocks are smaller than this database's state
  NoPool,         ///< the calling thread has no bound StreamStatePool
  Error,          ///< Hyperscan refused for another reason
};
const char* stream_open_status_name(StreamOpenStatus s);

enum class StreamScanStatus : uint8_t {
  Scanned,   ///< bytes scanned (possibly after trimming already-seen bytes)
  Idle,      ///< not open (no rules, pool full, closed): nothing scanned
  Resynced,  ///< a gap before the chunk: state reset, then the chunk scanned;
             ///< a pattern spanning the gap cannot be seen
  Error,     ///< Hyperscan failed (e.g. scratch not prepared); scanner closed
};

struct StreamScanResult {
  static constexpr uint32_t kNoRule = UINT32_MAX;
  static constexpr size_t kMaxListed = 8;

  StreamScanStatus status = StreamScanStatus::Idle;
  uint32_t findings = 0;           ///< findings reported to the sink
  uint32_t first_rule = kNoRule;   ///< rule index of the first finding
  uint64_t first_match_end = 0;    ///< its stream offset (match end)
  bool block = false;              ///< some finding's rule has action block
  uint8_t rule_count = 0;          ///< entries of `rules` filled
  std::array<uint32_t, kMaxListed> rules{};  ///< first kMaxListed rule indices
};

class StreamScanner {
 public:
  static constexpr uint32_t kLookbackBytes = kStreamExcerptBytes + 16;

  StreamScanner() = default;
  ~StreamScanner() { discard(); }
  StreamScanner(const StreamScanner&) = delete;
  StreamScanner& operator=(const StreamScanner&) = delete;

  /// Starts scanning at stream offset `start_offset` (0 = the first payload
  /// byte; larger for a mid-stream pick-up). Calls Hyperscan's stream
  /// allocator, which takes a block from the calling thread's bound pool.
  StreamOpenStatus open(const StreamSignatureDatabase& db, uint64_t start_offset = 0);

  /// Scans in-order bytes that start at `stream_offset`. Bytes before the
  /// scanner's next offset (retransmitted, already scanned) are skipped; a
  /// chunk that starts after it means a gap: the state is reset (Resynced).
  StreamScanResult scan(StreamScratch& scratch, std::string_view bytes, uint64_t stream_offset,
                        StreamMatchSink& sink);

  /// Ends the stream: end-anchored patterns report now (at_close). Returns
  /// the state block to its pool. Idle when not open.
  StreamScanResult close(StreamScratch& scratch, StreamMatchSink& sink);

  /// Ends the stream without reporting (flow evicted or reset). Idempotent.
  void discard();

  bool is_open() const { return stream_ != nullptr; }
  /// Offset the next in-order chunk starts at.
  uint64_t next_offset() const { return next_offset_; }
  std::string_view lookback() const {
    return {reinterpret_cast<const char*>(lookback_.data()) + (kLookbackBytes - fill_), fill_};
  }

 private:
  friend struct StreamMatchContext;
  void remember(std::string_view bytes);

  const StreamSignatureDatabase* db_ = nullptr;
  hs_stream* stream_ = nullptr;
  uint64_t hs_base_ = 0;      ///< stream offset Hyperscan's offset 0 maps to
  uint64_t next_offset_ = 0;  ///< next in-order byte
  uint32_t fill_ = 0;         ///< valid bytes at the end of lookback_
  /// The last bytes delivered, right-aligned (oldest first). Doubles as the
  /// assembly buffer of an excerpt that spans it and the current chunk.
  std::array<uint8_t, kLookbackBytes> lookback_{};
  std::array<uint8_t, kStreamExcerptBytes> excerpt_{};
};

}  // namespace weir::detect
