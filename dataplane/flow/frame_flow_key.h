#pragma once
// frame_flow_key(): the flow key, its hash and the few fields the flow stage
// needs, straight from the bytes of a *plain* frame, without building a
// Packet. Plain: Ethernet, at most one VLAN tag, IPv4 without options (valid
// checksum, not a fragment) or IPv6 without extension headers, carrying a
// well-formed TCP or UDP header. For such a frame decode_packet() returns Ok
// and make_flow_key_hashed() gives exactly this key, hash and direction
// (tests/unit/dataplane/frame_flow_key_test.cc checks it frame by frame, and
// the decoder's fuzz target on every input). Anything else returns false and
// the caller decodes the whole frame.
//
// Why: the worker's burst loop needs the Packet only for flows it inspects or
// creates; a packet of a known flow out of scope needs the key, the TCP flags
// and the payload length. Decoding every field into a Packet (reset, ~30 byte
// and word stores that alias every member the loop reloads afterwards) was
// half of the loop's instructions (perf/README.md, Bridging).

#include <cstdint>
#include <cstring>

#include "dataplane/decode/packet_decoder_inline.h"
#include "dataplane/flow/flow_key.h"

namespace weir::dp {

/// What the flow stage reads of a packet besides its key.
struct FrameFlowFields {
  uint16_t l3_offset;    ///< Packet::l3_offset (14, or 18 with a VLAN tag)
  uint16_t payload_len;  ///< Packet::payload_len
  uint8_t tcp_flags;     ///< Packet::tcp_flags for TCP, 0 for UDP
  bool is_tcp;
};

namespace frame_flow_key_detail {

// TCP or UDP header at `t` with `avail` bytes to the IP end: checks it and
// fills `fields`; returns the ports (source << 16 | destination), or -1 when
// the frame is not plain. Inlined into each address family's branch.
[[gnu::always_inline]] inline int64_t l4_fields(const uint8_t* t, uint32_t avail, uint8_t proto, uint32_t off,
                                                FrameFlowFields& fields) {
  using decode_detail::be16;
  if (proto == 6) {
    if (avail < 20) return -1;
    const uint32_t hl = static_cast<uint32_t>(t[12] >> 4) * 4;
    if (hl < 20 || hl > avail) return -1;
    fields.payload_len = static_cast<uint16_t>(avail - hl);
    fields.tcp_flags = t[13];
    fields.is_tcp = true;
  } else if (proto == 17) {
    if (avail < 8) return -1;
    const uint32_t ulen = be16(t + 4);
    if (ulen < 8 || ulen > avail) return -1;
    fields.payload_len = static_cast<uint16_t>(ulen - 8);
    fields.tcp_flags = 0;
    fields.is_tcp = false;
  } else {
    return -1;
  }
  fields.l3_offset = static_cast<uint16_t>(off);
  return decode_detail::be32(t);  // source and destination port, one load
}

}  // namespace frame_flow_key_detail

/// For a plain frame (see above): fills `key` (pair `pair`), `src_is_lo`,
/// `fields`, returns true and puts the hash in `hash`. Otherwise false, with
/// the outputs unspecified. Reads no byte at or past `len`.
[[gnu::always_inline]] inline bool frame_flow_key(const uint8_t* f, uint32_t len, uint8_t pair,
                                                  FlowKey& key, uint32_t& hash, bool& src_is_lo,
                                                  FrameFlowFields& fields) {
  using decode_detail::be16;
  if (len < 14 + 20 || len > 0xffff) return false;
  uint32_t off = 14;
  uint16_t type = be16(f + 12);
  uint64_t tags = 0;
  if (type != 0x0800 && type != 0x86dd) {  // untagged IP first: one or two compares
    if (type != 0x8100 && type != 0x88a8 && type != 0x9100) return false;
    tags = uint64_t{static_cast<uint16_t>(be16(f + 14) & 0x0fff)} << 32;
    type = be16(f + 16);
    off = 18;
  }
  const uint8_t* h = f + off;
  if (type == 0x0800) {
    // Version 4 and IHL 5 in one byte; total length within the frame; not a
    // fragment (MF clear, offset 0; DF may be set); header checksum.
    if (len - off < 20 || h[0] != 0x45) return false;
    const uint32_t total = be16(h + 2);
    if (total < 20 || total > len - off) return false;
    if ((be16(h + 6) & 0x3fff) != 0) return false;
    if (!decode_detail::ipv4_checksum_ok(h, 20)) return false;
    const uint8_t proto = h[9];
    const int64_t ports = frame_flow_key_detail::l4_fields(h + 20, total - 20, proto, off, fields);
    if (ports < 0) return false;
    uint32_t sa, da;
    std::memcpy(&sa, h + 12, 4);
    std::memcpy(&da, h + 16, 4);
    hash = flow_key_detail::key_from_ipv4(sa, da, static_cast<uint64_t>(ports) >> 16, ports & 0xffff, tags,
                                          uint64_t{proto} | uint64_t{pair} << 8, key, src_is_lo);
    return true;
  }
  if (type == 0x86dd) {
    if (len - off < 40 || (h[0] >> 4) != 6) return false;
    const uint32_t plen = be16(h + 4);
    if (plen > len - off - 40) return false;
    // Extension headers (not TCP/UDP in Next Header) are left to decode_packet().
    const uint8_t proto = h[6];
    const int64_t ports = frame_flow_key_detail::l4_fields(h + 40, plen, proto, off, fields);
    if (ports < 0) return false;
    uint64_t s0, s1, d0, d1;
    std::memcpy(&s0, h + 8, 8);
    std::memcpy(&s1, h + 16, 8);
    std::memcpy(&d0, h + 24, 8);
    std::memcpy(&d1, h + 32, 8);
    hash = flow_key_detail::key_from_words(s0, s1, d0, d1, static_cast<uint64_t>(ports) >> 16, ports & 0xffff,
                                           tags, uint64_t{proto} | uint64_t{pair} << 8, key, src_is_lo);
    return true;
  }
  return false;
}

}  // namespace weir::dp
