// API discovery on the worker's real path, in one run: an L7Inspector (HTTP/1
// parser, no rules) fed request/response pairs of one flow, with discovery
// off, on with the default budget (50/s, burst 100, per endpoint) and on for
// every request; "on" includes the in-flight pool, the encode, the split into
// ApiCall chunk events and their enqueue into a real EventRing (drained by
// this thread between pairs, as the main lcore would). Needs rte_ring: a
// minimal EAL (no hugepages, no PCI).
//
// Usage: observation_emitter_bench [pairs]   (default 200000)
#include <rte_cycles.h>
#include <rte_eal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "dataplane/events/event_ring.h"
#include "dataplane/runtime/l7_inspector.h"

namespace {

using Clock = std::chrono::steady_clock;
using weir::dp::Event;
using weir::dp::EventRing;
using weir::dp::L7Inspector;

std::string make_request(int i) {
  const std::string body =
      R"({"items":[{"sku":"A-1","qty":2},{"sku":"B-2","qty":1}],"note":"gift","email":"a@example.com"})";
  return "POST /api/v1/users/" + std::to_string(i % 1000) +
         "/orders?expand=true HTTP/1.1\r\nHost: shop.example\r\nUser-Agent: bench\r\nAccept: */*\r\n"
         "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnop\r\n"
         "Content-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

const std::string kResponse = [] {
  const std::string body =
      R"({"id":"550e8400-e29b-41d4-a716-446655440000","status":"created","total":12.5,"card":"4111111111111111","items":[{"sku":"A-1"},{"sku":"B-2"}]})";
  return "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}();

struct Result {
  double ns_per_pair = 0;
  uint64_t records = 0;
  uint64_t chunks = 0;
};

// One keep-alive flow; `rate` 0 = discovery off.
Result run(int pairs, bool enabled, uint32_t rate, uint32_t burst, const std::vector<std::string>& requests) {
  static uint32_t boot = 1;
  std::string err;
  auto ring = EventRing::create(0, boot++, 1024, -1, err);
  if (!ring) {
    std::fprintf(stderr, "ring: %s\n", err.c_str());
    std::exit(1);
  }
  L7Inspector l7(64, 16, weir::parse::ParseLimits{}, weir::parse::WorkspaceSizes{});
  l7.enable_observations(64, rte_get_tsc_hz());
  l7.configure_observations(enabled, rate, burst);
  weir::dp::Flow flow;
  flow.key.proto = 6;
  flow.key.lo_addr[15] = 1;
  flow.key.hi_addr[15] = 2;
  uint64_t off[2] = {0, 0};
  std::vector<Event> drained(1024);
  auto send = [&](weir::parse::Direction d, const std::string& s) {
    l7.set_clock(rte_rdtsc(), 0, 1);
    l7.begin(flow, 1, ring.get(), true);
    const int k = d == weir::parse::Direction::Request ? 0 : 1;
    weir::parse::StreamChunk c{d, {reinterpret_cast<const uint8_t*>(s.data()), s.size()}, false};
    l7.on_chunk(c, off[k]);
    off[k] += s.size();
  };
  const auto t0 = Clock::now();
  for (int i = 0; i < pairs; ++i) {
    send(weir::parse::Direction::Request, requests[static_cast<size_t>(i) % requests.size()]);
    send(weir::parse::Direction::Response, kResponse);
    if (ring->count() > 512) ring->drain(drained.data(), static_cast<unsigned>(drained.size()));
  }
  Result r;
  r.ns_per_pair = std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / pairs;
  if (const auto* o = l7.observations()) {
    r.records = o->stats().emitted;
    r.chunks = o->stats().chunks;
    if (o->stats().ring_full) std::fprintf(stderr, "ring full %llu times\n",
                                           static_cast<unsigned long long>(o->stats().ring_full));
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const int pairs = argc > 1 ? std::atoi(argv[1]) : 200000;
  char prog[] = "observation_emitter_bench", a1[] = "--no-huge", a2[] = "--no-pci", a3[] = "-m", a4[] = "64",
       a5[] = "--no-shconf", a6[] = "--log-level=error", a7[] = "-l", a8[] = "0";
  char* eal_argv[] = {prog, a1, a2, a3, a4, a5, a6, a7, a8};
  if (rte_eal_init(9, eal_argv) < 0) {
    std::fprintf(stderr, "rte_eal_init failed\n");
    return 1;
  }
  std::vector<std::string> requests;
  for (int i = 0; i < 1000; ++i) requests.push_back(make_request(i));
  run(pairs / 10, false, 0, 1, requests);  // warm-up
  const Result off = run(pairs, false, 0, 1, requests);
  const Result sampled = run(pairs, true, 50, 100, requests);
  const Result every = run(pairs, true, 1000000, 1000000, requests);
  std::printf("worker path (L7Inspector, HTTP/1, no rules), per request/response pair, %d pairs on one flow:\n", pairs);
  std::printf("  discovery off:                 %7.0f ns\n", off.ns_per_pair);
  std::printf("  discovery on, 50/s burst 100:  %7.0f ns  (+%.0f ns; %llu records)\n", sampled.ns_per_pair,
              sampled.ns_per_pair - off.ns_per_pair, static_cast<unsigned long long>(sampled.records));
  std::printf("  discovery on, every request:   %7.0f ns  (+%.0f ns; %.1f chunk events/record)\n", every.ns_per_pair,
              every.ns_per_pair - off.ns_per_pair,
              every.records ? static_cast<double>(every.chunks) / static_cast<double>(every.records) : 0.0);
  rte_eal_cleanup();
  return 0;
}
