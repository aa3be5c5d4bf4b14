#pragma once
// decode: Ethernet, 802.1Q, 802.1ad/QinQ, IPv4 (options), IPv6 (extension
// headers), TCP, UDP, ICMP/ICMPv6 into a Packet. Never reads past `len`; every
// malformed case has a named reason, counted by the worker and handled by
// config (dataplane.malformed).

#include <cstdint>

#include "dataplane/packet.h"

namespace weir::dp {

enum class DecodeStatus : uint8_t {
  Ok = 0,        ///< IP packet decoded (L4 may be None for non-first fragments)
  NotIp,         ///< valid L2, not IPv4/IPv6 (ARP, LLDP, LACP, STP ...): bridged per non_ip policy
  // Malformed reasons; keep in sync with decode_status_name().
  TruncatedEthernet,
  TruncatedVlan,
  TooManyVlanTags,       ///< more than two tags
  TruncatedIpv4,
  BadIpv4Version,
  BadIpv4HeaderLength,   ///< IHL < 5 or past the frame
  Ipv4LengthTooShort,    ///< total length < header length
  Ipv4LengthPastFrame,   ///< total length larger than the frame holds
  BadIpv4Checksum,
  TruncatedIpv6,
  BadIpv6Version,
  Ipv6LengthPastFrame,
  BadIpv6ExtensionHeader,  ///< truncated or past the payload
  TooManyIpv6ExtensionHeaders,
  TruncatedTcp,
  BadTcpDataOffset,
  TruncatedUdp,
  BadUdpLength,
  TruncatedIcmp,
  Count
};

inline constexpr bool is_malformed(DecodeStatus s) { return s > DecodeStatus::NotIp; }

/// Decodes `len` bytes at `frame` into `out` (all fields reset first).
DecodeStatus decode_packet(const uint8_t* frame, uint32_t len, Packet& out);

/// Stable snake_case name used in counters and telemetry ("truncated_ipv4").
const char* decode_status_name(DecodeStatus s);

}  // namespace weir::dp
