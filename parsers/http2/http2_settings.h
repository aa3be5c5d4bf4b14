#pragma once
// What one side of an HTTP/2 connection announced in SETTINGS, and when it
// takes effect. A passive observer is not an endpoint: a side's SETTINGS bind
// the other side only once that side ACKs them, so each side keeps the values
// in force (acked) and a queue of announced frames waiting for their ACK.
// Applying a smaller SETTINGS_HEADER_TABLE_SIZE before the ACK would break
// the next header block the other side encoded under the old size.

#include <cstdint>
#include <string_view>

namespace weir::parse {

struct Http2Settings {
  uint32_t header_table_size = 4096;
  uint32_t enable_push = 1;
  uint32_t max_concurrent_streams = UINT32_MAX;
  uint32_t initial_window_size = 65535;
  uint32_t max_frame_size = 16384;
  uint32_t max_header_list_size = UINT32_MAX;
};

/// Applies one SETTINGS entry; false when the value is invalid (RFC 9113
/// 6.5.2: ENABLE_PUSH > 1, INITIAL_WINDOW_SIZE > 2^31-1, MAX_FRAME_SIZE out
/// of [2^14, 2^24-1]). Unknown identifiers are ignored.
bool apply_setting(Http2Settings& s, uint16_t id, uint32_t value);

/// SETTINGS frames of one side that the other side has not ACKed yet.
class PendingSettings {
 public:
  static constexpr uint32_t kCapacity = 16;

  /// Queues the values after one SETTINGS frame; false when full.
  bool push(const Http2Settings& s);
  /// The oldest queued frame's values (the ACK that just arrived is for it).
  bool pop(Http2Settings& out);
  uint32_t size() const { return count_; }
  /// The values of the newest queued frame, or `acked` when none.
  const Http2Settings& latest(const Http2Settings& acked) const;

 private:
  Http2Settings queue_[kCapacity];
  uint32_t head_ = 0;
  uint32_t count_ = 0;
};

/// Decodes an HTTP2-Settings header value (token68: base64url of a SETTINGS
/// payload, RFC 7540 3.2.1) onto `out`; false when it is not one.
bool decode_http2_settings_header(std::string_view value, Http2Settings& out);

}  // namespace weir::parse
