#pragma once
// ApiCall chunks: how one encoded API-call observation (detect/observe
// observation_codec, ~350 bytes, at most ~4.5 KB) travels in 256-byte Event
// records. A record is split into consecutive EventKind::ApiCall events that
// a worker emits all at once into its own ring (all or none), so their event
// sequence numbers are consecutive; weir-control reassembles per worker
// (control/api_call_reassembler.h) and drops a record with a missing,
// repeated or out-of-order chunk.
//
// Layout of one chunk (only fields the control channel carries):
//   rule_id  = record number, per worker (wraps)
//   text[0]  = chunk index, text[1] = chunk count (1..kApiCallMaxChunks)
//   text[2..3] = whole record length, little endian
//   text[4..]  = this chunk's bytes of the record (kApiCallChunkPayload at most)
// Header-only and DPDK-free: weir-control parses chunks from ipc::Event
// fields without linking the dataplane.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "dataplane/events/event.h"

namespace weir::dp {

inline constexpr size_t kApiCallChunkHeader = 4;
inline constexpr size_t kApiCallChunkPayload = sizeof(Event{}.text) - kApiCallChunkHeader;  // 148
inline constexpr size_t kApiCallMaxChunks = 255;
inline constexpr size_t kApiCallMaxRecord = 65535;

/// Chunks needed for a record of `len` bytes (0 when it cannot be carried).
constexpr size_t api_call_chunk_count(size_t len) {
  if (len == 0 || len > kApiCallMaxRecord) return 0;
  const size_t n = (len + kApiCallChunkPayload - 1) / kApiCallChunkPayload;
  return n > kApiCallMaxChunks ? 0 : n;
}

/// Fills out[0..n) with the chunks of `record` (kind, rule_id, text; the
/// caller adds flow addresses and time). Returns n, or 0 when `record` is
/// empty, too large, or `max` is too small.
inline size_t split_api_call(std::span<const uint8_t> record, uint32_t record_no, Event* out, size_t max) {
  const size_t n = api_call_chunk_count(record.size());
  if (n == 0 || n > max) return 0;
  for (size_t i = 0; i < n; ++i) {
    Event& ev = out[i];
    ev.kind = EventKind::ApiCall;
    ev.severity = Severity::Info;
    ev.rule_id = record_no;
    const size_t off = i * kApiCallChunkPayload;
    const size_t len = record.size() - off < kApiCallChunkPayload ? record.size() - off : kApiCallChunkPayload;
    ev.text[0] = static_cast<char>(i);
    ev.text[1] = static_cast<char>(n);
    ev.text[2] = static_cast<char>(record.size() & 0xff);
    ev.text[3] = static_cast<char>(record.size() >> 8);
    std::memcpy(ev.text + kApiCallChunkHeader, record.data() + off, len);
    ev.text_len = static_cast<uint16_t>(kApiCallChunkHeader + len);
  }
  return n;
}

/// One chunk as read back from an event's rule_id and text.
struct ApiCallChunk {
  uint32_t record_no = 0;
  uint8_t index = 0;
  uint8_t count = 0;
  uint16_t record_len = 0;
  std::string_view payload;
};

/// False when the text cannot be a chunk: too short, index >= count, a
/// count that does not match the length, or a payload of the wrong size
/// for its position (every chunk but the last is full).
inline bool parse_api_call_chunk(uint32_t rule_id, std::string_view text, ApiCallChunk& out) {
  if (text.size() < kApiCallChunkHeader + 1) return false;
  out.record_no = rule_id;
  out.index = static_cast<uint8_t>(text[0]);
  out.count = static_cast<uint8_t>(text[1]);
  out.record_len = static_cast<uint16_t>(static_cast<uint8_t>(text[2]) | (static_cast<uint8_t>(text[3]) << 8));
  out.payload = text.substr(kApiCallChunkHeader);
  if (out.count == 0 || out.index >= out.count || api_call_chunk_count(out.record_len) != out.count) return false;
  const size_t off = size_t{out.index} * kApiCallChunkPayload;
  const size_t expect = out.record_len - off < kApiCallChunkPayload ? out.record_len - off : kApiCallChunkPayload;
  return out.payload.size() == expect;
}

}  // namespace weir::dp
