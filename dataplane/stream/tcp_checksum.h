#pragma once
// Internet checksums (RFC 1071) for the stream stage: verifying a TCP
// segment's checksum when the NIC did not (so the caller can classify a
// bad-checksum decoy, SegmentHints::bad_checksum) and filling the IPv4 and
// TCP checksums of the RSTs Weir crafts.

#include <cstddef>
#include <cstdint>

#include "dataplane/packet.h"

namespace weir::dp {

/// Adds `len` bytes to a running one's-complement sum (big-endian words; an
/// odd trailing byte is padded with zero).
uint32_t checksum_add(uint32_t sum, const uint8_t* data, size_t len);
/// Folds a running sum and complements it: the value to store in a header.
uint16_t checksum_finish(uint32_t sum);

/// Pseudo-header sum (RFC 793 / RFC 8200 8.1) for an upper-layer segment of
/// `l4_len` bytes with protocol `proto` between `src` and `dst` (IPv4-mapped
/// addresses are summed as IPv4 when `ipv4`).
uint32_t pseudo_header_sum(bool ipv4, const IpAddress& src, const IpAddress& dst, uint8_t proto,
                           uint32_t l4_len);

/// True when the TCP checksum of `pkt` (a decoded TCP packet) verifies.
bool tcp_checksum_ok(const Packet& pkt);

}  // namespace weir::dp
