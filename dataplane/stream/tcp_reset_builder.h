#pragma once
// build_tcp_reset(): crafts the RST frame Weir sends to end a blocked flow.
// Layer 2 comes from a packet of the flow (MACs, 802.1Q / QinQ tags kept as
// they are, MACs swapped when the RST goes back to that packet's sender);
// IPv4 or IPv6 without options or extension headers; RST|ACK with the
// sequence number the receiver expects exactly (RFC 5961: TcpStream
// reset_numbers(), or the ACK number of a challenge ACK from that receiver).

#include <cstdint>

#include "dataplane/packet.h"

namespace weir::dp {

/// Who receives the RST, relative to the packet the frame is built from.
enum class ResetTarget : uint8_t {
  Sender,    ///< back to the packet's source (leaves on the port it came in on)
  Receiver,  ///< on to the packet's destination (leaves on the peer port)
};

/// Largest frame build_tcp_reset() writes: QinQ + IPv6 + TCP.
inline constexpr uint32_t kMaxResetFrameLen = 14 + 8 + 40 + 20;

/// Writes the RST into `out` (`cap` bytes) and returns its length (at least
/// 60: padded to the Ethernet minimum), or 0 when `pkt` is not decoded
/// IPv4/IPv6 TCP or `cap` is too small. `seq` is the target's RCV.NXT;
/// `ack` the next sequence number the target sends (ACK flag set with it).
uint32_t build_tcp_reset(const Packet& pkt, ResetTarget target, uint32_t seq, uint32_t ack,
                         uint8_t* out, uint32_t cap);

}  // namespace weir::dp
