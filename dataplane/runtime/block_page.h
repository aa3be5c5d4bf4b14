#pragma once
// The optional block page (`policy.block_response: page`, detect/RULES.md):
// when an HTTP/1 request is stopped at a decision point, the client gets a
// minimal "HTTP/1.1 403 Forbidden" naming the request id (the alert's event
// id, as `weirctl alerts` shows it) with Connection: close and FIN, instead
// of an RST; the server side is reset as always and never sees the request.
//
// The page segment is built from the RST frame the stream stage made for the
// client: same layer 2, addresses, ports and the exact sequence numbers the
// client expects (its RCV.NXT, and an ACK for everything it sent), so the
// page is accepted in order. Fixed buffers, no allocation (packet path).

#include <cstdint>

#include "dataplane/packet.h"
#include "dataplane/runtime/stream_stage.h"
#include "detect/policy/policy_config.h"
#include "parsers/transaction.h"

namespace weir::dp {

/// A decision asked for a page: set by the L7 inspector when it stops a
/// request, read by the worker when it sends the resets of that segment.
struct BlockPageRequest {
  bool wanted = false;
  uint64_t request_id = 0;  ///< the alert's event id (0: the alert was not emitted)
};

/// What a stopping decision asks for: a page only for an HTTP/1 request
/// (never inside WebSocket or HTTP/2) under `block_response: page`.
BlockPageRequest block_page_for(const detect::PolicyConfig& policy, const parse::Transaction* txn,
                                uint64_t request_id);

/// Largest page payload and frame.
inline constexpr uint32_t kMaxBlockPagePayload = 256;
inline constexpr uint32_t kMaxBlockPageFrame = kMaxResetFrameLen + kMaxBlockPagePayload;

/// The HTTP response bytes for `request_id` into `out`; returns the length.
uint32_t format_block_page(uint64_t request_id, char* out, uint32_t cap);

/// The page segment (ACK|PSH|FIN, the response as payload) built from `rst`,
/// the RST toward the client built from `pkt`. Returns the frame length, 0
/// when `cap` is too small or `rst` is not an RST of `pkt`'s layout.
uint32_t build_block_page_frame(const ResetFrame& rst, const Packet& pkt, uint64_t request_id, uint8_t* out,
                                uint32_t cap);

}  // namespace weir::dp
