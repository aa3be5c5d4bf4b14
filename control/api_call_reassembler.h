#pragma once
// ApiCallReassembler: weir-control's side of the ApiCall chunk transport
// (dataplane/events/api_call_chunks.h). Chunks arrive per worker stream
// (event id without its sequence bits: boot | worker) in sequence order; a
// record is complete when chunk 0..count-1 arrived with consecutive
// sequence numbers and the same record number. Anything else (a missing
// chunk, one out of order, a record cut by a dataplane restart or a full
// spool) drops that record and is counted: a record is whole or absent.
// Chunks replayed after a reconnect (at-least-once delivery) are recognised
// by sequence and ignored, so a record is never ingested twice per
// weir-control run. Bounded: at most kMaxStreams streams are tracked.

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace weir::ctl {

struct ApiCallReassemblyStats {
  uint64_t chunks = 0;         ///< ApiCall events received
  uint64_t records = 0;        ///< records completed
  uint64_t dropped = 0;        ///< records dropped: gap, reorder, cut
  uint64_t bad_chunks = 0;     ///< chunks whose header makes no sense
  uint64_t duplicates = 0;     ///< chunks seen before (replay after reconnect)
};

class ApiCallReassembler {
 public:
  static constexpr size_t kMaxStreams = 1024;

  /// Feeds one ApiCall event. True when it completed a record: `record`
  /// then holds its bytes (valid until the next call).
  bool add(uint64_t event_id, uint64_t sequence, uint32_t rule_id, std::string_view text,
           std::vector<uint8_t>& record);

  const ApiCallReassemblyStats& stats() const { return stats_; }
  /// Records started but not finished (across streams).
  size_t partial() const;

 private:
  struct Stream {
    bool has_done = false;
    uint64_t done_seq = 0;     ///< sequence of the last chunk of the last record completed
    bool open = false;         ///< a record is partly here
    uint32_t record_no = 0;
    uint8_t next_index = 0;
    uint8_t count = 0;
    uint16_t record_len = 0;
    uint64_t first_seq = 0;
    uint64_t last_seq = 0;
    bool orphan = false;       ///< a broken record's later chunks are being skipped
    uint32_t orphan_no = 0;
    std::vector<uint8_t> bytes;
  };

  void drop_open(Stream& s);

  std::unordered_map<uint64_t, Stream> streams_;
  ApiCallReassemblyStats stats_;
};

}  // namespace weir::ctl
