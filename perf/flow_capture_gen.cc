// weir-flow-capture-gen: writes the captures the perf harness replays through
// net_pcap (infinite_rx=1): N flows, one minimum-size packet per flow in each
// direction, client->server frames in <prefix>_c2s.pcap and server->client
// frames in <prefix>_s2c.pcap (one file per port of the pair).
//
// The mix is fixed by the flow index so every run is identical: 3 in 4 flows
// IPv4 and 1 in 4 IPv6, 2 in 3 TCP (ACK, no payload: mid-stream pickup) and
// 1 in 3 UDP, 1 in 8 behind an 802.1Q tag. Frames are 60 bytes where the
// headers allow (64 on the wire with the FCS), IPv6+TCP 74, tagged +4.
// Checksums are correct, so the decoder sees valid traffic.
//
// Written directly (no libpcap, no scapy): 1M flows take well under a second.
#include <arpa/inet.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Endpoint {
  bool ipv6 = false;
  uint8_t addr[16] = {};
  uint16_t port = 0;
};

struct FlowSpec {
  Endpoint client;
  Endpoint server;
  bool tcp = true;
  uint16_t vlan = 0;  // 0: untagged
};

constexpr uint8_t kClientMac[6] = {0x02, 0x00, 0xc6, 0x12, 0x00, 0x01};
constexpr uint8_t kServerMac[6] = {0x02, 0x00, 0xc6, 0x12, 0x00, 0x02};
constexpr size_t kMinFrame = 60;

FlowSpec flow_spec(uint32_t i) {
  FlowSpec f;
  f.tcp = (i % 3) != 0;
  f.vlan = (i % 8 == 0) ? static_cast<uint16_t>(1 + (i / 8) % 4094) : 0;
  f.client.port = static_cast<uint16_t>(1024 + (i >> 16));  // unique with the low 16 bits below
  f.server.port = f.tcp ? ((i & 1) ? 443 : 80) : 53;
  if (i % 4 == 3) {
    // 2001:2:0:1::<i> -> 2001:2:0:2::<1 + i % 16>
    f.client.ipv6 = f.server.ipv6 = true;
    const uint8_t prefix[6] = {0x20, 0x01, 0x00, 0x02, 0x00, 0x00};
    std::memcpy(f.client.addr, prefix, 6);
    std::memcpy(f.server.addr, prefix, 6);
    f.client.addr[7] = 1;
    f.server.addr[7] = 2;
    f.client.addr[14] = static_cast<uint8_t>(i >> 8);
    f.client.addr[15] = static_cast<uint8_t>(i);
    f.server.addr[15] = static_cast<uint8_t>(1 + i % 16);
  } else {
    // 198.18.<i>/16 -> 198.19.0.<1 + i % 16>
    const uint8_t c[4] = {198, 18, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
    const uint8_t s[4] = {198, 19, 0, static_cast<uint8_t>(1 + i % 16)};
    std::memcpy(f.client.addr, c, 4);
    std::memcpy(f.server.addr, s, 4);
  }
  return f;
}

uint32_t sum16(const uint8_t* p, size_t n, uint32_t acc = 0) {
  for (size_t k = 0; k + 1 < n; k += 2) acc += static_cast<uint32_t>(p[k] << 8 | p[k + 1]);
  if (n & 1) acc += static_cast<uint32_t>(p[n - 1] << 8);
  return acc;
}

uint16_t fold(uint32_t acc) {
  while (acc >> 16) acc = (acc & 0xffff) + (acc >> 16);
  return static_cast<uint16_t>(~acc & 0xffff);
}

void put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}

// Builds one frame from `src` to `dst`; returns its length.
size_t build_frame(const FlowSpec& f, bool from_client, uint32_t seq, uint8_t* out) {
  const Endpoint& src = from_client ? f.client : f.server;
  const Endpoint& dst = from_client ? f.server : f.client;
  std::memset(out, 0, 128);
  std::memcpy(out, from_client ? kServerMac : kClientMac, 6);
  std::memcpy(out + 6, from_client ? kClientMac : kServerMac, 6);
  size_t off = 12;
  if (f.vlan) {
    put16(out + off, 0x8100);
    put16(out + off + 2, f.vlan);
    off += 4;
  }
  put16(out + off, src.ipv6 ? 0x86dd : 0x0800);
  off += 2;
  const size_t l3 = off;
  const size_t ip_len = src.ipv6 ? 40 : 20;
  const size_t l4 = l3 + ip_len;
  size_t l4_len = f.tcp ? 20 : 8;
  // Fill up to the minimum frame with L4 payload rather than Ethernet padding.
  if (l4 + l4_len < kMinFrame) l4_len = kMinFrame - l4;
  const size_t frame_len = l4 + l4_len;
  const uint8_t proto = f.tcp ? 6 : 17;

  uint8_t* ip = out + l3;
  if (src.ipv6) {
    ip[0] = 0x60;
    put16(ip + 4, static_cast<uint16_t>(l4_len));
    ip[6] = proto;
    ip[7] = 64;
    std::memcpy(ip + 8, src.addr, 16);
    std::memcpy(ip + 24, dst.addr, 16);
  } else {
    ip[0] = 0x45;
    put16(ip + 2, static_cast<uint16_t>(20 + l4_len));
    put16(ip + 4, static_cast<uint16_t>(seq));
    ip[8] = 64;
    ip[9] = proto;
    std::memcpy(ip + 12, src.addr, 4);
    std::memcpy(ip + 16, dst.addr, 4);
    put16(ip + 10, fold(sum16(ip, 20)));
  }

  uint8_t* th = out + l4;
  put16(th, src.port);
  put16(th + 2, dst.port);
  if (f.tcp) {
    const uint32_t s = htonl(from_client ? 1000 + seq : 5000 + seq);
    const uint32_t a = htonl(from_client ? 5000 + seq : 1000 + seq);
    std::memcpy(th + 4, &s, 4);
    std::memcpy(th + 8, &a, 4);
    th[12] = 5 << 4;
    th[13] = 0x10;  // ACK
    put16(th + 14, 64240);
  } else {
    put16(th + 4, static_cast<uint16_t>(l4_len));
  }
  // Pseudo-header checksum.
  uint32_t acc = 0;
  const size_t alen = src.ipv6 ? 16 : 4;
  acc = sum16(src.addr, alen, acc);
  acc = sum16(dst.addr, alen, acc);
  acc += proto;
  acc += static_cast<uint32_t>(l4_len);
  uint16_t csum = fold(sum16(th, l4_len, acc));
  if (!f.tcp && csum == 0) csum = 0xffff;
  put16(th + (f.tcp ? 16 : 6), csum);
  return frame_len;
}

class PcapFile {
 public:
  explicit PcapFile(const std::string& path) : file_(std::fopen(path.c_str(), "wb")) {
    if (!file_) {
      std::perror(path.c_str());
      std::exit(1);
    }
    std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
    const uint32_t hdr[6] = {0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1};
    std::fwrite(hdr, sizeof(hdr), 1, file_);
  }
  ~PcapFile() { std::fclose(file_); }
  PcapFile(const PcapFile&) = delete;
  PcapFile& operator=(const PcapFile&) = delete;

  void write(const uint8_t* frame, size_t len, uint32_t usec) {
    const uint32_t rec[4] = {1700000000u + usec / 1000000u, usec % 1000000u, static_cast<uint32_t>(len),
                             static_cast<uint32_t>(len)};
    std::fwrite(rec, sizeof(rec), 1, file_);
    std::fwrite(frame, len, 1, file_);
  }

 private:
  std::FILE* file_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s FLOWS OUT_PREFIX   (writes OUT_PREFIX_c2s.pcap, OUT_PREFIX_s2c.pcap)\n",
                 argv[0]);
    return 2;
  }
  const long flows = std::strtol(argv[1], nullptr, 10);
  if (flows <= 0 || flows > (1L << 24)) {
    std::fprintf(stderr, "%s: FLOWS must be 1..16777216\n", argv[0]);
    return 2;
  }
  const std::string prefix = argv[2];
  PcapFile c2s(prefix + "_c2s.pcap");
  PcapFile s2c(prefix + "_s2c.pcap");
  uint8_t frame[128];
  size_t bytes = 0;
  for (uint32_t i = 0; i < static_cast<uint32_t>(flows); ++i) {
    const FlowSpec f = flow_spec(i);
    size_t n = build_frame(f, true, i, frame);
    c2s.write(frame, n, i);
    bytes += n;
    n = build_frame(f, false, i, frame);
    s2c.write(frame, n, i);
    bytes += n;
  }
  std::printf("%ld flows, %ld frames, average %.1f bytes\n", flows, 2 * flows,
              static_cast<double>(bytes) / static_cast<double>(2 * flows));
  return 0;
}
