#pragma once
// The dataplane end of the control channel in tests: a real ControlLink
// (DPDK rings) on a test's directory, the main-lcore loop that polls it, and
// a runtime that answers every command with success and counts nothing.

#include <gtest/gtest.h>
#include <time.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "dataplane/events/control_link.h"

namespace weir::ctl::testing_util {

inline uint64_t mono_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

/// Accepts every command and reports no counters; tests override what they watch.
struct QuietRuntime : dp::CommandHandler, dp::CounterSource {
  dp::CommandResult on_config(const std::string&, uint64_t) override { return {}; }
  dp::CommandResult on_block(const config::Cidr&, uint32_t) override { return {}; }
  dp::CommandResult on_unblock(const config::Cidr&) override { return {}; }
  dp::CommandResult on_mode(bool) override { return {}; }
  dp::CommandResult on_reload_rules() override { return {}; }
  void on_flow_query(const dp::FlowQuery&, dp::FlowQueryReply&) override {}
  void snapshot(std::vector<std::pair<std::string, uint64_t>>&) override {}
};

/// Two workers with 4096-event rings, talking to `dir`/dp.sock and spooling
/// up to 8 MB under `dir`/dp-spool while weir-control is away.
inline dp::ControlLinkOptions link_options(const std::string& dir) {
  dp::ControlLinkOptions o;
  o.control.socket = dir + "/dp.sock";
  o.control.spool = dir + "/dp-spool/spool.bin";
  o.control.spool_max_mb = 8;
  o.workers = 2;
  o.ring_size = 4096;
  return o;
}

template <typename Runtime>
std::unique_ptr<dp::ControlLink> create_link(const dp::ControlLinkOptions& o, Runtime& rt) {
  std::string err;
  auto link = dp::ControlLink::create(o, rt, rt, err);
  EXPECT_TRUE(link) << err;
  return link;
}

/// Runs the main-lcore loop until `done` or the timeout.
inline bool pump(dp::ControlLink& link, const std::function<bool()>& done, int timeout_ms = 5000) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < end) {
    link.poll(mono_ns());
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return false;
}

}  // namespace weir::ctl::testing_util
