#pragma once
// StreamInspector: the StreamSink the worker hands to reassembly. It receives
// every in-order byte of an in-scope TCP flow while the segment that made the
// bytes deliverable is held, runs the stream signatures (Hyperscan streaming
// mode, detect/stream_signature) over them, raises an alert per finding and
// returns Block for rules whose action is block, which stops that very
// segment and resets the flow. Then the same bytes go to the L7 inspector
// (protocol detection, HTTP parsing, the detect engine). Scanners come from a
// per-worker pool and are assigned to a flow direction on its first bytes, so
// an idle flow costs 8 bytes here.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dataplane/flow/flow.h"
#include "dataplane/packet.h"
#include "dataplane/runtime/l7_inspector.h"
#include "dataplane/stream/stream_sink.h"
#include "detect/stream_signature/stream_finding.h"
#include "detect/stream_signature/stream_scanner.h"
#include "detect/stream_signature/stream_scratch.h"
#include "detect/stream_signature/stream_signature_database.h"
#include "detect/stream_signature/stream_state_pool.h"

namespace weir::dp {

class EventRing;

struct StreamInspectorStats {
  uint64_t bytes_scanned = 0;
  uint64_t findings = 0;
  uint64_t blocks = 0;
  uint64_t scanner_pool_exhausted = 0;  ///< no free scanner: direction not scanned
  uint64_t open_failed = 0;             ///< Hyperscan state pool full or other open failure
  uint64_t gaps = 0;                    ///< a chunk after a gap (mid-stream, memory cap): state reset
};

class StreamInspector final : public StreamSink, private detect::StreamMatchSink {
 public:
  /// `db` may be null or empty (no stream rules): bytes are only counted.
  /// `l7` (may be null) sees every chunk the stream rules let through.
  StreamInspector(uint32_t flow_capacity, uint32_t scanners, const detect::StreamSignatureDatabase* db,
                  L7Inspector* l7);
  ~StreamInspector();

  /// On the thread that will inspect: binds the Hyperscan state pool and
  /// prepares scratch. False with `err` when that fails.
  bool bind_to_this_thread(std::string& err);

  /// Sets the flow the next chunks belong to (called before each segment).
  void begin(const Flow& flow, uint32_t slot, EventRing* events, bool monitor) {
    flow_ = &flow;
    slot_ = slot;
    events_ = events;
    monitor_ = monitor;
    if (l7_ != nullptr) l7_->begin(flow, slot, events, monitor);
  }
  SinkVerdict on_chunk(const parse::StreamChunk& chunk, uint64_t stream_offset) override;
  /// Stream signatures only (on_chunk runs this, then the L7 inspector).
  SinkVerdict scan_signatures(const parse::StreamChunk& chunk, uint64_t stream_offset);
  /// The flow left the table: its scanners go back to the pool (no report).
  void release(uint32_t slot);

  const StreamInspectorStats& stats() const { return stats_; }
  uint32_t scanners_in_use() const { return static_cast<uint32_t>(scanners_.size() - free_.size()); }

  /// Replay only: append every delivered chunk to DIR/<client>_<port>-<server>_<port>.<req|resp>
  /// so tests can assert exactly the stream the parser saw.
  void dump_streams_to(std::string dir) { dump_dir_ = std::move(dir); }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  static constexpr uint32_t kRefused = UINT32_MAX - 1;  ///< tried, no scanner: do not retry per chunk

  void on_stream_finding(const detect::StreamFinding& f) override;
  void dump(const parse::StreamChunk& chunk);

  const detect::StreamSignatureDatabase* db_;
  L7Inspector* l7_;
  std::unique_ptr<detect::StreamStatePool> state_pool_;
  detect::StreamScratch scratch_;
  std::vector<detect::StreamScanner> scanners_;
  std::vector<uint32_t> free_;                         ///< free scanner indices
  std::vector<std::array<uint32_t, 2>> by_slot_;       ///< flow slot -> scanner per direction
  const Flow* flow_ = nullptr;
  uint32_t slot_ = 0;
  EventRing* events_ = nullptr;
  bool monitor_ = false;
  StreamInspectorStats stats_;
  std::string dump_dir_;
};

}  // namespace weir::dp
