// A stand-in dataplane for weir-control end-to-end tests without ports: the
// real ControlLink and EventRings on a minimal EAL, no packets. It polls the
// link like the main lcore does, emits a steady trickle of alert events
// through worker ring 0 (--rate per second), raises 1,000 test events on
// SIGUSR1 (through the main lcore's ring, as the must-show test asks), and
// writes its counters as JSON to --stats every 100 ms. SIGTERM stops it.
//
// usage: weir-dp-link-driver --socket S --spool F --stats FILE [--rate N]

#include <getopt.h>
#include <rte_eal.h>
#include <signal.h>
#include <time.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "dataplane/events/control_link.h"

namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_raise{0};

uint64_t mono_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

struct Runtime : weir::dp::CommandHandler, weir::dp::CounterSource {
  uint64_t configs = 0, blocks = 0, unblocks = 0, modes = 0, generation = 0;
  bool block_mode = false;
  weir::dp::CommandResult on_config(const std::string&, uint64_t gen) override {
    ++configs;
    generation = gen;
    return {};
  }
  weir::dp::CommandResult on_block(const weir::config::Cidr&, uint32_t) override {
    ++blocks;
    return {};
  }
  weir::dp::CommandResult on_unblock(const weir::config::Cidr&) override {
    ++unblocks;
    return {};
  }
  weir::dp::CommandResult on_mode(bool block) override {
    ++modes;
    block_mode = block;
    return {};
  }
  weir::dp::CommandResult on_reload_rules() override { return {false, "the stand-in dataplane has no rules"}; }
  void on_flow_query(const weir::dp::FlowQuery&, weir::dp::FlowQueryReply& reply) override {
    reply.total_flows = 0;
  }
  void snapshot(std::vector<std::pair<std::string, uint64_t>>& out) override {
    out.emplace_back("driver.configs", configs);
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string socket_path, spool, stats_path;
  unsigned rate = 0;
  static const option kLong[] = {{"socket", required_argument, nullptr, 's'},
                                 {"spool", required_argument, nullptr, 'p'},
                                 {"stats", required_argument, nullptr, 't'},
                                 {"rate", required_argument, nullptr, 'r'},
                                 {nullptr, 0, nullptr, 0}};
  int c;
  while ((c = getopt_long(argc, argv, "", kLong, nullptr)) != -1) {
    switch (c) {
      case 's': socket_path = optarg; break;
      case 'p': spool = optarg; break;
      case 't': stats_path = optarg; break;
      case 'r': rate = static_cast<unsigned>(std::strtoul(optarg, nullptr, 10)); break;
      default: return 2;
    }
  }
  if (socket_path.empty() || spool.empty() || stats_path.empty()) {
    std::fprintf(stderr, "usage: weir-dp-link-driver --socket S --spool F --stats FILE [--rate N]\n");
    return 2;
  }
  char prog[] = "driver", a1[] = "--no-huge", a2[] = "--no-pci", a3[] = "-m", a4[] = "64",
       a5[] = "--no-shconf", a6[] = "--log-level=error", a7[] = "-l", a8[] = "0";
  char* eal_argv[] = {prog, a1, a2, a3, a4, a5, a6, a7, a8};
  if (rte_eal_init(9, eal_argv) < 0) return 1;

  signal(SIGTERM, [](int) { g_stop = true; });
  signal(SIGINT, [](int) { g_stop = true; });
  signal(SIGUSR1, [](int) { g_raise.fetch_add(1); });
  signal(SIGPIPE, SIG_IGN);

  Runtime rt;
  weir::dp::ControlLinkOptions o;
  o.control.socket = socket_path;
  o.control.spool = spool;
  o.control.spool_max_mb = 16;
  o.workers = 1;
  o.instance_id = "dp-link-driver";
  std::string err;
  auto link = weir::dp::ControlLink::create(o, rt, rt, err);
  if (!link) {
    std::fprintf(stderr, "driver: %s\n", err.c_str());
    return 1;
  }
  uint64_t emitted = 0, raised = 0;
  const uint64_t start = mono_ns();
  uint64_t next_stats = 0;
  while (!g_stop) {
    const uint64_t now = mono_ns();
    if (int n = g_raise.exchange(0); n > 0) {
      link->raise_test_events(1000u * static_cast<uint32_t>(n));
      raised += 1000u * static_cast<uint64_t>(n);
    }
    // The trickle: as many alerts as the rate says by now.
    const uint64_t due = rate * (now - start) / 1000000000ull;
    while (emitted < due) {
      weir::dp::Event ev;
      ev.kind = weir::dp::EventKind::Alert;
      ev.severity = weir::dp::Severity::Medium;
      ev.rule_id = static_cast<uint32_t>(emitted);
      ev.set_class("trickle");
      if (!link->worker_ring(0).try_emit(ev)) break;
      ++emitted;
    }
    link->poll(now);
    if (now >= next_stats) {
      next_stats = now + 100000000ull;
      const auto& s = link->stats();
      const std::string tmp = stats_path + ".tmp";
      if (FILE* f = std::fopen(tmp.c_str(), "w")) {
        std::fprintf(f,
                     "{\"connected\": %s, \"emitted\": %llu, \"raised\": %llu, \"acked\": %llu, "
                     "\"spool_pending\": %llu, \"spool_dropped\": %llu, \"ring_overflow\": %llu, "
                     "\"connects\": %llu, \"configs\": %llu, \"generation\": %llu, \"blocks\": %llu, "
                     "\"block_mode\": %s}\n",
                     s.connected ? "true" : "false", static_cast<unsigned long long>(emitted),
                     static_cast<unsigned long long>(raised), static_cast<unsigned long long>(s.events_acked),
                     static_cast<unsigned long long>(s.spool_pending),
                     static_cast<unsigned long long>(s.spool_dropped),
                     static_cast<unsigned long long>(s.ring_overflow), static_cast<unsigned long long>(s.connects),
                     static_cast<unsigned long long>(rt.configs), static_cast<unsigned long long>(rt.generation),
                     static_cast<unsigned long long>(rt.blocks), rt.block_mode ? "true" : "false");
        std::fclose(f);
        std::rename(tmp.c_str(), stats_path.c_str());
      }
    }
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  link.reset();  // rings -> spool
  rte_eal_cleanup();
  return 0;
}
