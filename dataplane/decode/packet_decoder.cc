// decode_packet(): one pass over the headers, each length checked against the
// bytes that remain before it is read. Offsets are 16-bit, so a frame is
// decoded as at most its first 65535 bytes (no NIC delivers more in one mbuf).
// The code is in packet_decoder_inline.h, so the worker's loop can inline it.

#include "dataplane/decode/packet_decoder.h"

#include "dataplane/decode/packet_decoder_inline.h"

namespace weir::dp {
namespace decode_detail {

// The chain of extension headers after the fixed IPv6 header (whose fields
// decode_ipv6() stored); `next` is the first of them.
DecodeStatus decode_ipv6_extensions(const uint8_t* f, uint32_t off, uint32_t end, uint8_t next,
                                    Packet& out) {
  uint32_t p = off + 40;
  int count = 0;
  bool first_fragment = false;
  while (is_ipv6_extension(next)) {
    if (++count > kMaxIpv6ExtensionHeaders) return DecodeStatus::TooManyIpv6ExtensionHeaders;
    // RFC 8200 4.1: hop-by-hop only directly after the fixed header.
    if (next == kExtHopByHop && count != 1) return DecodeStatus::BadIpv6ExtensionHeader;
    if (end - p < 8) return DecodeStatus::BadIpv6ExtensionHeader;
    const uint8_t* e = f + p;
    uint32_t ext_len;
    if (next == kExtFragment) {
      if (out.frag_header_offset != 0) return DecodeStatus::BadIpv6ExtensionHeader;
      ext_len = 8;
      out.frag_header_offset = static_cast<uint16_t>(p);
      const uint16_t fo = be16(e + 2);
      const uint16_t frag_offset = static_cast<uint16_t>(fo & 0xfff8);
      const bool more = (fo & 1) != 0;
      if (frag_offset != 0 || more) {
        out.is_fragment = true;
        out.frag_offset = frag_offset;
        out.more_fragments = more;
        out.frag_id = be32(e + 4);
        if (frag_offset != 0) {  // upper-layer header is in the first fragment
          out.ip_proto = e[0];
          out.l3_header_len = static_cast<uint16_t>(p + 8 - off);
          return DecodeStatus::Ok;
        }
        first_fragment = true;
      }
    } else if (next == kExtAuth) {
      ext_len = (static_cast<uint32_t>(e[1]) + 2) * 4;
    } else {
      ext_len = (static_cast<uint32_t>(e[1]) + 1) * 8;
    }
    if (ext_len > end - p) return DecodeStatus::BadIpv6ExtensionHeader;
    next = e[0];
    p += ext_len;
  }
  out.ip_proto = next;
  out.l3_header_len = static_cast<uint16_t>(p - off);
  return decode_l4(f, p, end, first_fragment, out);
}

}  // namespace decode_detail

DecodeStatus decode_packet(const uint8_t* frame, uint32_t len, Packet& out) {
  return decode_packet_inline(frame, len, out);
}

const char* decode_status_name(DecodeStatus s) {
  switch (s) {
    case DecodeStatus::Ok: return "ok";
    case DecodeStatus::NotIp: return "not_ip";
    case DecodeStatus::TruncatedEthernet: return "truncated_ethernet";
    case DecodeStatus::TruncatedVlan: return "truncated_vlan";
    case DecodeStatus::TooManyVlanTags: return "too_many_vlan_tags";
    case DecodeStatus::TruncatedIpv4: return "truncated_ipv4";
    case DecodeStatus::BadIpv4Version: return "bad_ipv4_version";
    case DecodeStatus::BadIpv4HeaderLength: return "bad_ipv4_header_length";
    case DecodeStatus::Ipv4LengthTooShort: return "ipv4_length_too_short";
    case DecodeStatus::Ipv4LengthPastFrame: return "ipv4_length_past_frame";
    case DecodeStatus::BadIpv4Checksum: return "bad_ipv4_checksum";
    case DecodeStatus::TruncatedIpv6: return "truncated_ipv6";
    case DecodeStatus::BadIpv6Version: return "bad_ipv6_version";
    case DecodeStatus::Ipv6LengthPastFrame: return "ipv6_length_past_frame";
    case DecodeStatus::BadIpv6ExtensionHeader: return "bad_ipv6_extension_header";
    case DecodeStatus::TooManyIpv6ExtensionHeaders: return "too_many_ipv6_extension_headers";
    case DecodeStatus::TruncatedTcp: return "truncated_tcp";
    case DecodeStatus::BadTcpDataOffset: return "bad_tcp_data_offset";
    case DecodeStatus::TruncatedUdp: return "truncated_udp";
    case DecodeStatus::BadUdpLength: return "bad_udp_length";
    case DecodeStatus::TruncatedIcmp: return "truncated_icmp";
    case DecodeStatus::Count: break;
  }
  return "unknown";
}

}  // namespace weir::dp
