// The 403 block page segment; see block_page.h.

#include "dataplane/runtime/block_page.h"

#include <cstdio>
#include <cstring>

#include "dataplane/stream/tcp_checksum.h"

namespace weir::dp {

namespace {

inline void put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}

}  // namespace

BlockPageRequest block_page_for(const detect::PolicyConfig& policy, const parse::Transaction* txn,
                                uint64_t request_id) {
  BlockPageRequest r;
  r.wanted = policy.block_response == detect::BlockResponse::Page && txn != nullptr &&
             txn->protocol == parse::Protocol::Http1 && txn->direction == parse::Direction::Request;
  r.request_id = request_id;
  return r;
}

uint32_t format_block_page(uint64_t request_id, char* out, uint32_t cap) {
  char body[96];
  const int blen = std::snprintf(body, sizeof body, "Request blocked by Weir.\r\nRequest id: %016llx\r\n",
                                 static_cast<unsigned long long>(request_id));
  const int n = std::snprintf(out, cap,
                              "HTTP/1.1 403 Forbidden\r\n"
                              "Content-Type: text/plain\r\n"
                              "Content-Length: %d\r\n"
                              "X-Request-Id: %016llx\r\n"
                              "Connection: close\r\n"
                              "Cache-Control: no-store\r\n"
                              "\r\n%s",
                              blen, static_cast<unsigned long long>(request_id), body);
  return n > 0 && static_cast<uint32_t>(n) < cap ? static_cast<uint32_t>(n) : 0;
}

uint32_t build_block_page_frame(const ResetFrame& rst, const Packet& pkt, uint64_t request_id, uint8_t* out,
                                uint32_t cap) {
  const bool v4 = pkt.l3 == L3Kind::Ipv4;
  const uint32_t ip_len = v4 ? 20 : 40;
  const uint32_t head = pkt.l3_offset + ip_len + 20;
  if (!pkt.is_tcp() || rst.len < head || cap < head + kMaxBlockPagePayload) return 0;
  std::memcpy(out, rst.frame, head);
  uint8_t* ip = out + pkt.l3_offset;
  uint8_t* tcp = ip + ip_len;
  if ((tcp[13] & tcp_flag::kRst) == 0) return 0;
  const uint32_t payload = format_block_page(request_id, reinterpret_cast<char*>(tcp + 20), kMaxBlockPagePayload);
  if (payload == 0) return 0;

  tcp[13] = tcp_flag::kAck | tcp_flag::kPsh | tcp_flag::kFin;
  put16(tcp + 14, 0);  // no window: the client has nothing more to send us
  put16(tcp + 16, 0);
  // Addresses as the RST carries them (toward the client).
  const IpAddress& src = rst.toward_sender ? pkt.dst : pkt.src;
  const IpAddress& dst = rst.toward_sender ? pkt.src : pkt.dst;
  if (v4) {
    put16(ip + 2, static_cast<uint16_t>(ip_len + 20 + payload));
    put16(ip + 10, 0);
    put16(ip + 10, checksum_finish(checksum_add(0, ip, 20)));
  } else {
    put16(ip + 4, static_cast<uint16_t>(20 + payload));
  }
  const uint32_t sum = checksum_add(pseudo_header_sum(v4, src, dst, 6, 20 + payload), tcp, 20 + payload);
  put16(tcp + 16, checksum_finish(sum));
  const uint32_t len = head + payload;
  return len;  // always past the 60-byte Ethernet minimum (the payload alone is longer)
}

}  // namespace weir::dp
