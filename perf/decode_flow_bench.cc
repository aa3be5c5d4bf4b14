// decode_flow_bench: ns/packet of the decode and flow stages on a traffic mix,
// the way a worker runs them (bursts of 32: decode + key + hash + bucket
// prefetch; lookup; on_packet),
// without DPDK. Prints one line per stage and the flow table's bytes per flow.
// "frame key + flow" is the worker's path: plain frames keyed straight from
// their bytes (frame_flow_key), the rest decoded; "decode + flow" decodes
// every frame into a Packet first (the worker before the fast path).
//
// Usage: decode_flow_bench [flows (default 100000)] [packets (default 20000000)]
//        decode_flow_bench --pcap PREFIX [packets]
// DECODE_FLOW_BENCH_ONLY=key-flow or =decode-flow runs only that stage (for
// callgrind: instructions per packet = total / packets, minus the set-up).
// With --pcap the frames are bridge_bench's captures (PREFIX_c2s.pcap and
// PREFIX_s2c.pcap from weir-flow-capture-gen, e.g. perf/out/flows_10000),
// replayed in alternating bursts from the two files as the worker polls the
// two ports of a pair: the decode + flow work of bridge_bench's pcap runs
// without the PMD, repeatable under callgrind.

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <tuple>
#include <vector>

#include "dataplane/decode/packet_decoder.h"
#include "dataplane/flow/flow_key.h"
#include "dataplane/flow/flow_table.h"
#include "dataplane/flow/frame_flow_key.h"
#include "tests/unit/dataplane/frame_builder.h"

namespace {

using namespace weir::dp;
using test::FrameBuilder;

// The mix: 60% IPv4 TCP, 10% VLAN IPv4 TCP, 15% IPv6 TCP, 10% IPv4 UDP,
// 5% IPv4 TCP with IP options; payload sizes 0..1400.
std::vector<uint8_t> make_frame(uint32_t flow, uint32_t n) {
  const uint16_t cport = static_cast<uint16_t>(1024 + flow % 60000);
  const std::string c4 = "198.18." + std::to_string((flow / 60000) % 256) + "." + std::to_string(1 + flow % 250);
  const std::string s4 = "198.19.0." + std::to_string(1 + flow % 7);
  const std::string c6 = "2001:2::" + std::to_string(flow % 9999 + 1) + ":" + std::to_string(flow / 9999 + 1);
  const size_t payload = (n * 7919u) % 3 == 0 ? 0 : (n * 104729u) % 1400;
  const bool reply = (n & 1) != 0;
  const uint8_t flags = tcp_flag::kAck | (payload ? tcp_flag::kPsh : 0);
  FrameBuilder b;
  b.eth();
  const uint32_t kind = flow % 20;
  if (kind < 12) {
    b.type(0x0800);
    reply ? b.ipv4(s4, c4, 6).tcp(443, cport, flags) : b.ipv4(c4, s4, 6).tcp(cport, 443, flags);
  } else if (kind < 14) {
    b.vlan(0x8100, 100).type(0x0800);
    reply ? b.ipv4(s4, c4, 6).tcp(80, cport, flags) : b.ipv4(c4, s4, 6).tcp(cport, 80, flags);
  } else if (kind < 17) {
    b.type(0x86dd);
    reply ? b.ipv6("2001:2::1", c6, 6).tcp(443, cport, flags, 1, 1, 65535, 12)
          : b.ipv6(c6, "2001:2::1", 6).tcp(cport, 443, flags, 1, 1, 65535, 12);
  } else if (kind < 19) {
    b.type(0x0800);
    reply ? b.ipv4(s4, c4, 17).udp(53, cport) : b.ipv4(c4, s4, 17).udp(cport, 53);
  } else {
    b.type(0x0800);
    const std::vector<uint8_t> opts = {0x94, 0x04, 0, 0};
    reply ? b.ipv4(s4, c4, 6, opts).tcp(443, cport, flags) : b.ipv4(c4, s4, 6, opts).tcp(cport, 443, flags);
  }
  b.payload(payload);
  if (b.size() < 60) b.pad(60 - b.size());
  return b.build();
}

// Frames of a classic little-endian pcap file (as weir-flow-capture-gen writes).
std::vector<std::vector<uint8_t>> read_pcap(const std::string& path) {
  std::vector<std::vector<uint8_t>> frames;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    std::perror(path.c_str());
    std::exit(1);
  }
  uint32_t hdr[6];
  if (std::fread(hdr, sizeof(hdr), 1, f) != 1 || hdr[0] != 0xa1b2c3d4) {
    std::fprintf(stderr, "%s: not a little-endian pcap file\n", path.c_str());
    std::exit(1);
  }
  uint32_t rec[4];
  while (std::fread(rec, sizeof(rec), 1, f) == 1) {
    std::vector<uint8_t> frame(rec[2]);
    if (rec[2] > 65535 || std::fread(frame.data(), 1, frame.size(), f) != frame.size()) break;
    frames.push_back(std::move(frame));
  }
  std::fclose(f);
  return frames;
}

// Thread CPU time, so that a loaded machine (time slices lost to other
// processes) does not inflate the result; caches are still shared.
uint64_t cpu_ns() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}
double ns_per(uint64_t t0, uint64_t n) { return static_cast<double>(cpu_ns() - t0) / static_cast<double>(n); }

}  // namespace

int main(int argc, char** argv) {
  const bool pcap = argc > 2 && std::strcmp(argv[1], "--pcap") == 0;
  constexpr uint32_t kBurst = 32;
  constexpr uint64_t kAhead = 8;  // frames prefetched ahead in the per-packet loops

  std::vector<std::vector<uint8_t>> frames;
  uint32_t flows = 0;
  uint64_t packets = 20000000;
  if (pcap) {
    // Bursts of 32 from each port in turn, as the worker polls a pair.
    const auto c2s = read_pcap(std::string(argv[2]) + "_c2s.pcap");
    const auto s2c = read_pcap(std::string(argv[2]) + "_s2c.pcap");
    if (c2s.empty() || c2s.size() != s2c.size()) {
      std::fprintf(stderr, "%s: captures empty or of different lengths\n", argv[2]);
      return 1;
    }
    for (size_t i = 0; i < c2s.size(); i += kBurst) {
      for (size_t k = i; k < i + kBurst && k < c2s.size(); ++k) frames.push_back(c2s[k]);
      for (size_t k = i; k < i + kBurst && k < s2c.size(); ++k) frames.push_back(s2c[k]);
    }
    flows = static_cast<uint32_t>(c2s.size());
    if (argc > 3) packets = std::strtoull(argv[3], nullptr, 10);
  } else {
    flows = argc > 1 ? static_cast<uint32_t>(std::strtoul(argv[1], nullptr, 10)) : 100000;
    if (argc > 2) packets = std::strtoull(argv[2], nullptr, 10);
    constexpr uint32_t kFrames = 1 << 18;  // distinct frames, more than the caches hold
    frames.reserve(kFrames);
    for (uint32_t i = 0; i < kFrames; ++i) {
      // Spread the frames over the flows in a scattered order.
      const uint32_t flow = static_cast<uint32_t>((uint64_t{i} * 2654435761u) % flows);
      frames.push_back(make_frame(flow, i));
    }
  }
  const size_t n_frames = frames.size();
  uint64_t bytes = 0;
  for (const auto& f : frames) bytes += f.size();
  std::printf("mix: %zu frames, %u flows, mean frame %.0f B%s\n", n_frames, flows,
              static_cast<double>(bytes) / static_cast<double>(n_frames), pcap ? " (captures)" : "");
  // Frame n of the endless replay (n counts up from 0 in every loop below);
  // n % n_frames by multiplication (Lemire's fastmod), a division per packet
  // would cost more than what is measured.
  const uint64_t fastmod_m = ~uint64_t{0} / n_frames + 1;
  auto frame = [&](uint64_t n) -> const std::vector<uint8_t>& {
    const uint64_t low = fastmod_m * static_cast<uint32_t>(n);
    return frames[static_cast<size_t>((static_cast<unsigned __int128>(low) * n_frames) >> 64)];
  };

  Packet burst[kBurst];
  FlowKey keys[kBurst];
  bool lo[kBurst];
  uint32_t hashes[kBurst];
  uint64_t ok = 0;

  const char* only = std::getenv("DECODE_FLOW_BENCH_ONLY");
  // Hot: 256 frames that stay in L1/L2. Cold: all frames, each prefetched a
  // few packets ahead as the worker prefetches mbuf data.
  uint64_t t0 = cpu_ns();
  if (only == nullptr) {
    for (uint64_t n = 0; n < packets; ++n) {
      const auto& f = frame(n & 255);
      ok += decode_packet(f.data(), static_cast<uint32_t>(f.size()), burst[n & (kBurst - 1)]) ==
            DecodeStatus::Ok;
    }
    std::printf("decode (hot frames):          %6.1f ns/packet (%lu ok)\n", ns_per(t0, packets), ok);
    ok = 0;
    t0 = cpu_ns();
    for (uint64_t n = 0; n < packets; ++n) {
      __builtin_prefetch(frame(n + kAhead).data());  // as the worker does with mbufs
      const auto& f = frame(n);
      ok += decode_packet(f.data(), static_cast<uint32_t>(f.size()), burst[n & (kBurst - 1)]) ==
            DecodeStatus::Ok;
    }
    std::printf("decode (cold, prefetched):    %6.1f ns/packet (%lu ok)\n", ns_per(t0, packets), ok);

    uint32_t mix = 0;
    t0 = cpu_ns();
    for (uint64_t n = 0; n < packets; ++n) {
      __builtin_prefetch(frame(n + kAhead).data());
      const auto& f = frame(n);
      Packet& p = burst[n & (kBurst - 1)];
      decode_packet(f.data(), static_cast<uint32_t>(f.size()), p);
      bool src_is_lo;
      FlowKey k;
      mix += make_flow_key_hashed(p, k, src_is_lo);
    }
    std::printf("decode + key + hash (cold):   %6.1f ns/packet (%08x)\n", ns_per(t0, packets), mix);
  }

  // Decoded once for the flow-only runs.
  std::vector<FlowKey> all_keys(n_frames);
  std::vector<uint32_t> all_hashes(n_frames);
  std::vector<uint8_t> all_lo(n_frames), all_flags(n_frames);
  std::vector<uint16_t> all_payload(n_frames);
  for (size_t i = 0; i < n_frames; ++i) {
    Packet p;
    decode_packet(frames[i].data(), static_cast<uint32_t>(frames[i].size()), p);
    bool src_is_lo;
    all_hashes[i] = make_flow_key_hashed(p, all_keys[i], src_is_lo);
    all_lo[i] = src_is_lo;
    all_flags[i] = p.tcp_flags;
    all_payload[i] = p.payload_len;
  }

  // The flow stage over a fresh table, as a worker runs it in bursts of 32:
  // stage 1 hashes and prefetches buckets; stage 2 looks each flow up,
  // creates it when not found and updates it. With `decode`, stage 1 also
  // decodes the (cold) frames. The table is sized as bridge_bench sizes the
  // dataplane's.
  uint32_t capacity = 262144;
  while (capacity < flows + flows / 4) capacity *= 2;
  enum class Mode { Flow, Decode, FrameKey };
  auto run_flows = [&](Mode mode, const char* label) {
    const bool decode = mode != Mode::Flow;
    const uint64_t hz = 1'000'000'000;  // the fake TSC counts nanoseconds
    weir::config::FlowConfig cfg;
    FlowTable table(capacity, make_flow_timeouts(cfg, hz), hz);
    uint64_t now = 1'000'000'000;
    const uint64_t start = cpu_ns();
    for (uint64_t n = 0; n < packets; n += kBurst) {
      if (decode) {
        for (uint32_t i = 0; i < kBurst; ++i) __builtin_prefetch(frame(n + i).data());
        for (uint32_t i = 0; i < kBurst; ++i) {
          const auto& f = frame(n + i);
          FrameFlowFields ff;
          if (mode == Mode::FrameKey &&
              frame_flow_key(f.data(), static_cast<uint32_t>(f.size()), 0, keys[i], hashes[i], lo[i], ff)) {
            burst[i].tcp_flags = ff.tcp_flags;
            burst[i].payload_len = ff.payload_len;
          } else {
            decode_packet(f.data(), static_cast<uint32_t>(f.size()), burst[i]);
            hashes[i] = make_flow_key_hashed(burst[i], keys[i], lo[i]);
            if (!burst[i].is_tcp()) burst[i].tcp_flags = 0;
          }
          table.prefetch(hashes[i]);
        }
      } else {
        for (uint32_t i = 0; i < kBurst; ++i) {
          const size_t j = static_cast<size_t>(&frame(n + i) - frames.data());
          keys[i] = all_keys[j];
          hashes[i] = all_hashes[j];
          lo[i] = all_lo[j];
          burst[i].tcp_flags = all_flags[j];
          burst[i].payload_len = all_payload[j];
          table.prefetch(hashes[i]);
        }
      }
      for (uint32_t i = 0; i < kBurst; ++i) {
        Flow* fl = table.find(keys[i], hashes[i]);
        bool created = false;
        if (fl == nullptr) fl = table.find_or_create(keys[i], hashes[i], lo[i], now, created);
        table.on_packet(*fl, fl->from_initiator(lo[i]), burst[i].tcp_flags, burst[i].payload_len, now);
      }
      now += 3200;  // 10 Mpps
      if (n % (kBurst * 1024) == 0) table.expire(now, 256);
    }
    const double full = ns_per(start, packets);
    const FlowTableStats& s = table.stats();
    std::printf("%s%6.1f ns/packet (%.1f Mpps/core)\n", label, full, 1000.0 / full);
    return std::make_tuple(s, table.bytes_per_flow(), table.capacity());
  };
  if (only != nullptr) {
    const bool key_flow = std::strcmp(only, "key-flow") == 0;
    run_flows(key_flow ? Mode::FrameKey : Mode::Decode,
              key_flow ? "frame key + flow (cold, burst 32):" : "decode + flow (cold, burst 32):   ");
    return 0;
  }
  run_flows(Mode::Flow, "flow stage only (burst 32):        ");
  run_flows(Mode::Decode, "decode + flow (cold, burst 32):    ");
  const auto [s, bpf, cap] = run_flows(Mode::FrameKey, "frame key + flow (cold, burst 32): ");
  std::printf("flows: active %lu created %lu evicted %lu expired %lu; %zu bytes per flow "
              "(capacity %u, sizeof(Flow) %zu)\n",
              s.active, s.created, s.evicted, s.expired, bpf, cap, sizeof(Flow));
  return 0;
}
