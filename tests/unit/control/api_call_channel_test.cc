// ApiCall chunks over the real control channel: a worker ring's chunk groups
// (interleaved with alerts) reach weir-control's inventory and never its
// alert store; observations raised while weir-control is down are spooled
// and ingested once when it comes back; a group missing a chunk is dropped
// and counted. The dataplane end is the real ControlLink (DPDK rings).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "dataplane/events/api_call_chunks.h"
#include "dataplane/events/control_link.h"
#include "detect/observe/http_exchange_observer.h"
#include "detect/observe/observation_codec.h"
#include "tests/unit/control/control_link_harness.h"
#include "tests/unit/control/control_test_util.h"

namespace weir {
namespace {

using ctl::testing_util::mono_ns;
using ctl::testing_util::pump;
using ctl::testing_util::QuietRuntime;
using ctl::testing_util::RunningControl;

// The chunk events of one observed exchange, as ObservationEmitter emits them.
std::vector<dp::Event> observation_chunks(const std::string& path, uint32_t record_no) {
  parse::ParserWorkspace ws;
  auto obs = std::make_unique<detect::ApiObservation>();
  detect::ObservationContext ctx;
  const std::string body = R"({"id":7,"card":"4111111111111111","note":"a fairly long note to need two chunks"})";
  const std::string resp = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n" + body;
  EXPECT_TRUE(detect::observe_http_exchange("GET " + path + " HTTP/1.1\r\nHost: shop.test\r\n\r\n", resp, 800, ctx,
                                            ws, *obs));
  std::vector<uint8_t> wire(detect::max_encoded_observation_size());
  wire.resize(detect::encode(*obs, wire));
  std::vector<dp::Event> evs(dp::kApiCallMaxChunks);
  evs.resize(dp::split_api_call(wire, record_no, evs.data(), evs.size()));
  EXPECT_GE(evs.size(), 2u);
  return evs;
}

class ApiCallChannel : public testing::Test {
 protected:
  std::unique_ptr<dp::ControlLink> make_link(const std::string& dir) {
    return ctl::testing_util::create_link(ctl::testing_util::link_options(dir), rt_);
  }
  static void emit(dp::EventRing& ring, const std::vector<dp::Event>& evs) {
    for (const auto& e : evs) ASSERT_TRUE(ring.try_emit(e));
  }
  static dp::Event alert() {
    dp::Event ev;
    ev.kind = dp::EventKind::Alert;
    ev.severity = dp::Severity::High;
    ev.rule_id = 942100;
    ev.set_class("sqli");
    ev.set_text("id=1' OR 1=1");
    return ev;
  }
  static size_t stored_api_calls(RunningControl& rc) {
    size_t n = 0;
    for (const auto& a : rc.cp->store().list_alerts({.after_id = 0, .limit = 100000}))
      n += a.kind == static_cast<int>(dp::EventKind::ApiCall);
    return n;
  }
  QuietRuntime rt_;
};

TEST_F(ApiCallChannel, ChunksFeedTheInventoryNotTheAlertStore) {
  RunningControl rc;
  auto link = make_link(rc.dir);
  ASSERT_TRUE(pump(*link, [&] { return link->stats().connected; }));
  emit(link->worker_ring(0), observation_chunks("/api/v1/orders/1001", 0));
  ASSERT_TRUE(link->worker_ring(0).try_emit(alert()));
  emit(link->worker_ring(1), observation_chunks("/api/v1/orders/1002", 0));
  emit(link->worker_ring(0), observation_chunks("/api/v1/orders/1003", 1));
  // The status counters follow each batch's ingest.
  ASSERT_TRUE(pump(*link, [&] { return rc.cp->dataplane().status().api_calls_ingested == 3; }))
      << rc.cp->inventory().observations();
  EXPECT_EQ(rc.cp->inventory().observations(), 3u);
  const auto eps = rc.cp->inventory().endpoints();
  ASSERT_EQ(eps.size(), 1u);
  EXPECT_EQ(eps[0].path_template, "/api/v1/orders/{id}");
  EXPECT_EQ(eps[0].calls, 3u);
  EXPECT_EQ(stored_api_calls(rc), 0u);
  const auto st = rc.cp->dataplane().status();
  EXPECT_EQ(st.api_calls_ingested, 3u);
  EXPECT_EQ(st.api_calls_dropped, 0u);
  const auto r = rc.call("GET", "/v1/status");
  EXPECT_EQ(r.body["dataplane"]["api_calls"]["ingested"], 3);
  // The sqli alert is stored (and the inventory's own change alerts).
  bool sqli = false;
  for (const auto& a : rc.cp->store().list_alerts({.after_id = 0, .limit = 1000})) sqli |= a.class_name == "sqli";
  EXPECT_TRUE(sqli);
}

TEST_F(ApiCallChannel, SpooledWhileControlIsDownIngestedOnce) {
  std::string dir;
  std::unique_ptr<dp::ControlLink> link;
  {
    RunningControl first;
    dir = first.dir;
    link = make_link(dir);
    ASSERT_TRUE(pump(*link, [&] { return link->stats().connected; }));
  }  // weir-control goes away
  for (uint32_t i = 0; i < 50; ++i) {
    emit(link->worker_ring(i % 2), observation_chunks("/api/v1/users/" + std::to_string(i), i / 2));
    if (i % 10 == 0) link->poll(mono_ns());
  }
  // One group loses its middle chunk (as a full spool would cut it).
  auto cut = observation_chunks("/api/v1/users/999", 25);
  cut.erase(cut.begin() + 1);
  emit(link->worker_ring(0), cut);
  // A record still open at the end is not known to be broken until the next
  // one of its worker starts.
  emit(link->worker_ring(0), observation_chunks("/api/v1/users/1000", 26));
  ASSERT_TRUE(pump(*link, [&] { return link->stats().spool_pending > 0 && !link->stats().connected; }));

  RunningControl second(ctl::HttpLimits{}, dir);
  ASSERT_TRUE(pump(*link, [&] { return second.cp->dataplane().status().api_calls_ingested == 51 &&
                                       link->stats().spool_pending == 0; }, 10000))
      << second.cp->dataplane().status().api_calls_ingested;
  const auto eps = second.cp->inventory().endpoints();
  uint64_t calls = 0;
  for (const auto& e : second.cp->inventory().endpoints()) calls += e.calls;
  EXPECT_EQ(calls, 51u);
  EXPECT_EQ(second.cp->dataplane().status().api_calls_dropped, 1u);
  EXPECT_EQ(stored_api_calls(second), 0u);
}

}  // namespace
}  // namespace weir
