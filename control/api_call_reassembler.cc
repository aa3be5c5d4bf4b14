// ApiCallReassembler (see api_call_reassembler.h).
#include "control/api_call_reassembler.h"

#include "dataplane/events/api_call_chunks.h"

namespace weir::ctl {

void ApiCallReassembler::drop_open(Stream& s) {
  if (!s.open) return;
  s.open = false;
  s.bytes.clear();
  ++stats_.dropped;
}

size_t ApiCallReassembler::partial() const {
  size_t n = 0;
  for (const auto& [key, s] : streams_) n += s.open ? 1 : 0;
  return n;
}

bool ApiCallReassembler::add(uint64_t event_id, uint64_t sequence, uint32_t rule_id, std::string_view text,
                             std::vector<uint8_t>& record) {
  ++stats_.chunks;
  dp::ApiCallChunk c;
  if (!dp::parse_api_call_chunk(rule_id, text, c)) {
    ++stats_.bad_chunks;
    return false;
  }
  // boot | worker: the stream whose sequence numbers are consecutive.
  const uint64_t key = event_id >> dp::kEventSeqBits;
  auto it = streams_.find(key);
  if (it == streams_.end()) {
    // A dataplane restart opens a new stream (new boot); old ones go first.
    if (streams_.size() >= kMaxStreams) {
      for (auto& [k, s] : streams_) drop_open(s);
      streams_.clear();
    }
    it = streams_.emplace(key, Stream{}).first;
  }
  Stream& s = it->second;

  // At-least-once delivery: a batch replayed after a reconnect repeats
  // chunks already used (or already held in the open record).
  if (s.has_done && sequence <= s.done_seq) {
    ++stats_.duplicates;
    return false;
  }
  if (s.open && sequence >= s.first_seq && sequence <= s.last_seq) {
    ++stats_.duplicates;
    return false;
  }

  if (c.index == 0) {
    drop_open(s);  // the previous record never finished
    s.orphan = false;
    s.open = true;
    s.record_no = c.record_no;
    s.count = c.count;
    s.record_len = c.record_len;
    s.next_index = 0;
    s.first_seq = sequence;
    s.bytes.clear();
    s.bytes.reserve(c.record_len);
  } else if (!s.open || c.record_no != s.record_no || c.index != s.next_index || c.count != s.count ||
             c.record_len != s.record_len || sequence != s.last_seq + 1) {
    // A chunk without its start, or a gap/reorder inside the record: the
    // record is dropped once, its later chunks are skipped.
    const bool known_orphan = !s.open && s.orphan && s.orphan_no == c.record_no;
    if (s.open) {
      const bool other_record = c.record_no != s.record_no;  // whose start was lost too
      drop_open(s);
      if (other_record) ++stats_.dropped;
    } else if (!known_orphan) {
      ++stats_.dropped;
    }
    s.orphan = true;
    s.orphan_no = c.record_no;
    s.has_done = true;
    s.done_seq = sequence;
    return false;
  }
  s.last_seq = sequence;
  s.bytes.insert(s.bytes.end(), c.payload.begin(), c.payload.end());
  ++s.next_index;
  if (s.next_index < s.count) return false;
  s.open = false;
  s.has_done = true;
  s.done_seq = sequence;
  ++stats_.records;
  record.swap(s.bytes);
  s.bytes.clear();
  return true;
}

}  // namespace weir::ctl
