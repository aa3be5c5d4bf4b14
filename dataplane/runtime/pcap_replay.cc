#include "dataplane/runtime/pcap_replay.h"

#include <pcap/pcap.h>
#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <unordered_map>

#include <rte_mbuf.h>

#include "dataplane/decode/packet_decoder.h"
#include "dataplane/flow/flow_key.h"
#include "dataplane/runtime/counter_snapshot.h"
#include "dataplane/runtime/worker.h"

namespace weir::dp {
namespace {

constexpr uint16_t kReplayClientPort = 0;
constexpr uint16_t kReplayServerPort = 1;

struct FlowKeyLess {
  bool operator()(const FlowKey& a, const FlowKey& b) const { return std::memcmp(&a, &b, sizeof(a)) < 0; }
};

class DirectionResolver {
 public:
  explicit DirectionResolver(std::optional<config::Cidr> client_net) : client_net_(client_net) {}

  Side side_of(const uint8_t* frame, uint32_t len) {
    Packet p;
    DecodeStatus st = decode_packet(frame, len, p);
    std::array<uint8_t, 6> src_mac{};
    if (len >= 12) std::memcpy(src_mac.data(), frame + 6, 6);
    if (st != DecodeStatus::Ok) {
      auto it = mac_side_.find(src_mac);
      return it != mac_side_.end() ? it->second : Side::Client;
    }
    Side side;
    if (client_net_) {
      side = client_net_->contains(p.src) ? Side::Client : Side::Server;
    } else {
      bool src_is_lo = true;
      FlowKey key = make_flow_key(p, src_is_lo);
      auto [it, inserted] = initiator_.emplace(key, p.src);
      side = it->second == p.src ? Side::Client : Side::Server;
    }
    mac_side_[src_mac] = side;
    return side;
  }

 private:
  std::optional<config::Cidr> client_net_;
  std::map<FlowKey, IpAddress, FlowKeyLess> initiator_;
  std::map<std::array<uint8_t, 6>, Side> mac_side_;
};

}  // namespace

int run_replay(DataplaneContext& ctx, const DataplaneOptions& opt, rte_mempool* pool) {
  std::optional<config::Cidr> client_net;
  if (!opt.client_net.empty()) {
    client_net = config::Cidr::parse(opt.client_net);
    if (!client_net) {
      std::fprintf(stderr, "weir-dataplane: --client-net: '%s' is not a CIDR\n", opt.client_net.c_str());
      return 2;
    }
  }
  char errbuf[PCAP_ERRBUF_SIZE];
  pcap_t* in = pcap_open_offline_with_tstamp_precision(opt.replay_in.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (in == nullptr) {
    std::fprintf(stderr, "weir-dataplane: cannot read %s: %s\n", opt.replay_in.c_str(), errbuf);
    return 1;
  }
  if (pcap_datalink(in) != DLT_EN10MB) {
    std::fprintf(stderr, "weir-dataplane: %s: link type %d is not Ethernet\n", opt.replay_in.c_str(), pcap_datalink(in));
    pcap_close(in);
    return 1;
  }
  pcap_t* dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 262144, PCAP_TSTAMP_PRECISION_NANO);
  pcap_dumper_t* out = pcap_dump_open(dead, opt.replay_out.c_str());
  if (out == nullptr) {
    std::fprintf(stderr, "weir-dataplane: cannot write %s: %s\n", opt.replay_out.c_str(), pcap_geterr(dead));
    pcap_close(in);
    pcap_close(dead);
    return 1;
  }

  // One pair of pretend ports; the worker forwards to a capture instead of a queue.
  ctx.pairs = std::vector<PortPair>(1);
  ctx.pairs[0].name = ctx.cfg->pairs.empty() ? "replay" : ctx.cfg->pairs[0].name;
  ctx.pairs[0].fail = ctx.cfg->pairs.empty() ? config::FailMode::Open : ctx.cfg->pairs[0].fail;
  ctx.pairs[0].port[0] = kReplayClientPort;
  ctx.pairs[0].port[1] = kReplayServerPort;
  ctx.port_map[kReplayClientPort] = PortMapEntry{0, Side::Client, true, kReplayServerPort};
  ctx.port_map[kReplayServerPort] = PortMapEntry{0, Side::Server, true, kReplayClientPort};
  ctx.n_workers = 1;
  ctx.workers.push_back(std::make_unique<Worker>(0, rte_lcore_id(), ctx));
  Worker& worker = *ctx.workers[0];
  std::string bind_err;
  if (!worker.bind_to_this_thread(bind_err)) {
    std::fprintf(stderr, "weir-dataplane: %s\n", bind_err.c_str());
    return 1;
  }
  if (!opt.replay_streams.empty()) {
    mkdir(opt.replay_streams.c_str(), 0755);
    worker.dump_streams_to(opt.replay_streams);
  }

  pcap_pkthdr out_hdr{};
  uint64_t written = 0;
  worker.set_frame_sink([&](uint16_t, rte_mbuf* m) {
    out_hdr.caplen = out_hdr.len = rte_pktmbuf_data_len(m);
    pcap_dump(reinterpret_cast<u_char*>(out), &out_hdr, rte_pktmbuf_mtod(m, const u_char*));
    ++written;
    rte_pktmbuf_free(m);
  });

  DirectionResolver directions(client_net);
  uint64_t read = 0, too_big_for_mbuf = 0;
  const uint32_t room = rte_pktmbuf_data_room_size(pool) - RTE_PKTMBUF_HEADROOM;
  pcap_pkthdr* hdr;
  const u_char* data;
  int rc;
  while ((rc = pcap_next_ex(in, &hdr, &data)) == 1) {
    ++read;
    uint64_t now = static_cast<uint64_t>(hdr->ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(hdr->ts.tv_usec);
    out_hdr.ts = hdr->ts;
    if (hdr->caplen > room) {
      // Larger than any frame the configured MTU allows: the live path drops these too.
      ++too_big_for_mbuf;
      continue;
    }
    rte_mbuf* m = rte_pktmbuf_alloc(pool);
    if (m == nullptr) {
      std::fprintf(stderr, "weir-dataplane: mbuf pool exhausted during replay\n");
      break;
    }
    std::memcpy(rte_pktmbuf_append(m, static_cast<uint16_t>(hdr->caplen)), data, hdr->caplen);
    Side side = directions.side_of(data, hdr->caplen);
    m->port = side == Side::Client ? kReplayClientPort : kReplayServerPort;
    worker.refresh_snapshots();
    worker.process_burst(&m, 1, now);
    worker.flush_tx(now);
    worker.expire_flows(now);
  }
  if (rc == -1) std::fprintf(stderr, "weir-dataplane: %s: %s\n", opt.replay_in.c_str(), pcap_geterr(in));
  pcap_dump_close(out);
  pcap_close(dead);
  pcap_close(in);

  NamedCounters counters = collect_counters(ctx);
  counters.emplace_back("replay_frames_read", read);
  counters.emplace_back("replay_frames_written", written);
  counters.emplace_back("oversize_dropped_before_decode", too_big_for_mbuf);
  std::string json = counters_to_json(counters);
  if (!opt.replay_stats.empty()) {
    std::ofstream f(opt.replay_stats);
    f << json << "\n";
    if (!f) {
      std::fprintf(stderr, "weir-dataplane: cannot write %s\n", opt.replay_stats.c_str());
      return 1;
    }
  }
  std::fprintf(stderr, "weir-dataplane: replay: %lu frames read, %lu forwarded\n", static_cast<unsigned long>(read),
               static_cast<unsigned long>(written));
  return rc == -1 ? 1 : 0;
}

}  // namespace weir::dp
