// API discovery on the worker: traffic through an L7Inspector with
// observations enabled comes out of the worker's EventRing as ApiCall chunk
// groups, which weir-control's reassembler and the codec turn back into
// ApiObservations (HTTP/1 REST with sensitive data, pipelining, gRPC over
// HTTP/2 from a real grpcio capture, WebSocket handshake and messages), and
// the budget, the in-flight pool and the ring's room are honoured (counted,
// all-or-nothing). Needs rte_ring: a minimal EAL (eal_test_main.cc).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "control/api_call_reassembler.h"
#include "dataplane/events/event_ring.h"
#include "dataplane/runtime/l7_inspector.h"
#include "detect/observe/observation_codec.h"
#include "detect/sensitive/sensitive_class.h"
#include "parsers/http2/http2_frame.h"

namespace weir::dp {
namespace {

constexpr uint64_t kHz = 1000000000ull;  // "TSC" in ns

struct Lab {
  std::unique_ptr<EventRing> ring;
  L7Inspector l7{64, 16, parse::ParseLimits{}, parse::WorkspaceSizes{}};
  Flow flow;
  uint64_t offset[2] = {0, 0};
  uint64_t now = 1000 * kHz;

  explicit Lab(unsigned ring_capacity = 1024, uint32_t in_flight = 8, bool enabled = true, uint32_t rate = 50,
               uint32_t burst = 100) {
    static uint32_t boot = 1;
    std::string err;
    ring = EventRing::create(0, boot++, ring_capacity, -1, err);
    EXPECT_NE(ring, nullptr) << err;
    l7.enable_observations(in_flight, kHz);
    l7.configure_observations(enabled, rate, burst);
    flow.key.proto = 6;
    flow.key.lo_addr[15] = 1;
    flow.key.hi_addr[15] = 2;
    flow.key.lo_port = 40000;
    flow.key.hi_port = 80;
    flow.initiator_is_lo = true;
  }

  SinkVerdict send(parse::Direction dir, std::string_view bytes, uint64_t advance_us = 0) {
    now += advance_us * 1000;
    l7.set_clock(now, 0, 1);
    l7.begin(flow, 3, ring.get(), false);
    const int d = dir == parse::Direction::Request ? 0 : 1;
    parse::StreamChunk c{dir, {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, false};
    const SinkVerdict v = l7.on_chunk(c, offset[d]);
    offset[d] += bytes.size();
    return v;
  }
  SinkVerdict req(std::string_view b, uint64_t us = 0) { return send(parse::Direction::Request, b, us); }
  SinkVerdict resp(std::string_view b, uint64_t us = 0) { return send(parse::Direction::Response, b, us); }

  /// Everything in the ring, as weir-control would decode it.
  std::vector<std::unique_ptr<detect::ApiObservation>> drain(size_t* events = nullptr) {
    std::vector<Event> evs(4096);
    const unsigned n = ring->drain(evs.data(), static_cast<unsigned>(evs.size()));
    if (events) *events = n;
    std::vector<std::unique_ptr<detect::ApiObservation>> out;
    std::vector<uint8_t> rec;
    for (unsigned i = 0; i < n; ++i) {
      EXPECT_EQ(evs[i].kind, EventKind::ApiCall);
      if (!reassembler.add(evs[i].id, evs[i].sequence, evs[i].rule_id, evs[i].text_view(), rec)) continue;
      auto obs = std::make_unique<detect::ApiObservation>();
      EXPECT_EQ(detect::decode(rec, *obs), detect::DecodeStatus::Ok);
      out.push_back(std::move(obs));
    }
    return out;
  }
  const ObservationStats& stats() const { return l7.observations()->stats(); }

  ctl::ApiCallReassembler reassembler;
};

std::string http_response(int status, std::string_view body, std::string_view type = "application/json") {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + std::string(type) +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

TEST(ObservationEmitter, Http1RequestAndResponseBecomeOneRecord) {
  Lab lab;
  const std::string body = R"({"name":"Ann","qty":3})";
  lab.req("POST /api/v1/users/42/orders?debug=1 HTTP/1.1\r\nHost: Shop.Example:8080\r\n"
          "Authorization: Bearer abc\r\nContent-Type: application/json\r\nContent-Length: " +
          std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_TRUE(lab.drain().empty()) << "nothing before the response";
  EXPECT_EQ(lab.l7.observations()->in_flight(), 1u);
  lab.resp(http_response(201, R"({"id":7,"card":"4111111111111111","email":"ann@example.org"})"), 2500);
  size_t events = 0;
  auto obs = lab.drain(&events);
  ASSERT_EQ(obs.size(), 1u);
  EXPECT_GE(events, 2u) << "a record larger than one event travels as several chunks";
  const detect::ApiObservation& o = *obs[0];
  EXPECT_EQ(o.method.view(), "POST");
  EXPECT_EQ(o.host.view(), "shop.example");
  EXPECT_EQ(o.path.view(), "/api/v1/users/42/orders");
  EXPECT_EQ(o.status, 201);
  EXPECT_EQ(o.latency_us, 2500u);
  EXPECT_EQ(o.port_in, 0);
  EXPECT_EQ(o.port_out, 1);
  EXPECT_EQ(o.protocol, detect::ApiProtocol::Rest);
  EXPECT_NE(o.response_sensitive & detect::sensitive_bit(detect::SensitiveClass::Pan), 0);
  EXPECT_NE(o.response_sensitive & detect::sensitive_bit(detect::SensitiveClass::Email), 0);
  bool qty = false;
  for (uint16_t i = 0; i < o.param_count; ++i)
    qty |= o.params[i].name.view() == "qty" && o.params[i].type == detect::ValueType::Integer;
  EXPECT_TRUE(qty);
  EXPECT_EQ(lab.stats().emitted, 1u);
  EXPECT_EQ(lab.stats().chunks, events);
  EXPECT_EQ(lab.l7.observations()->in_flight(), 0u);
}

TEST(ObservationEmitter, CustomDetectorsFromTheConfigRunOnTheWorker) {
  Lab lab;
  std::string err;
  ASSERT_TRUE(lab.l7.use_custom_detectors({{"employee_id", "EMP-[0-9]{6}", {}}, {"loyalty", "", {"club_card"}}}, err))
      << err;
  const std::string body = R"({"owner":"EMP-123456","club_card":"x"})";
  lab.req("POST /staff HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: " +
          std::to_string(body.size()) + "\r\n\r\n" + body);
  lab.resp(http_response(200, "{}"));
  auto obs = lab.drain();
  ASSERT_EQ(obs.size(), 1u);
  EXPECT_EQ(obs[0]->custom_detectors, 3u) << "both detectors, by their config index";
  EXPECT_NE(obs[0]->request_sensitive & detect::sensitive_bit(detect::SensitiveClass::Custom), 0u);
}

TEST(ObservationEmitter, PipelinedRequestsMatchTheirResponses) {
  Lab lab;
  lab.req("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n");
  lab.resp(http_response(200, "{}") + http_response(404, "{}"), 10);
  auto obs = lab.drain();
  ASSERT_EQ(obs.size(), 2u);
  EXPECT_EQ(obs[0]->path.view(), "/a");
  EXPECT_EQ(obs[0]->status, 200);
  EXPECT_EQ(obs[1]->path.view(), "/b");
  EXPECT_EQ(obs[1]->status, 404);
}

TEST(ObservationEmitter, DisabledEmitsNothing) {
  Lab lab(1024, 8, false);
  lab.req("GET /a HTTP/1.1\r\nHost: h\r\n\r\n");
  lab.resp(http_response(200, "{}"));
  size_t events = 0;
  EXPECT_TRUE(lab.drain(&events).empty());
  EXPECT_EQ(events, 0u);
  EXPECT_EQ(lab.stats().requests, 0u);
}

TEST(ObservationEmitter, BudgetPerEndpoint) {
  Lab lab(4096, 8, true, 1, 3);  // 3 at once, then 1/s
  for (int i = 0; i < 10; ++i) {
    lab.req("GET /users/" + std::to_string(i) + " HTTP/1.1\r\nHost: h\r\n\r\n");
    lab.resp(http_response(200, "{}"));
  }
  lab.req("GET /other HTTP/1.1\r\nHost: h\r\n\r\n");  // another endpoint has its own budget
  lab.resp(http_response(200, "{}"));
  EXPECT_EQ(lab.drain().size(), 4u);
  EXPECT_EQ(lab.stats().sampled_out, 7u);
  lab.req("GET /users/99 HTTP/1.1\r\nHost: h\r\n\r\n", 1100000);  // 1.1 s later: one more token
  lab.resp(http_response(200, "{}"));
  EXPECT_EQ(lab.drain().size(), 1u);
}

TEST(ObservationEmitter, FullPoolSkipsAndCounts) {
  Lab lab(1024, 1);
  lab.req("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(lab.stats().pool_full, 1u);
  lab.resp(http_response(200, "{}") + http_response(200, "{}"));
  auto obs = lab.drain();
  ASSERT_EQ(obs.size(), 1u);
  EXPECT_EQ(obs[0]->path.view(), "/a");
}

TEST(ObservationEmitter, RingWithoutRoomDropsTheWholeRecord) {
  // 4 events of room; each record here needs 2 or more: the second never
  // goes in partly.
  Lab lab(4);
  const std::string big = R"({"a_long_parameter_name_one":1,"a_long_parameter_name_two":2,"a_long_parameter_name_three":3})";
  for (int i = 0; i < 3; ++i) {
    lab.req("POST /p" + std::to_string(i) + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
            "Content-Length: " + std::to_string(big.size()) + "\r\n\r\n" + big);
    lab.resp(http_response(200, "{}"));
  }
  size_t events = 0;
  auto obs = lab.drain(&events);
  EXPECT_EQ(obs.size(), lab.stats().emitted);
  EXPECT_GE(lab.stats().ring_full, 1u);
  EXPECT_EQ(lab.stats().emitted + lab.stats().ring_full, 3u);
  EXPECT_EQ(events, lab.stats().chunks);
  EXPECT_EQ(lab.reassembler.stats().dropped, 0u) << "no record was cut";
  EXPECT_EQ(lab.ring->overflow(), 0u) << "the ring never refused a chunk";
}

TEST(ObservationEmitter, FlowEndForgetsInFlightRequests) {
  Lab lab;
  lab.req("GET /a HTTP/1.1\r\nHost: h\r\n\r\n");
  lab.l7.release(3);
  EXPECT_EQ(lab.stats().unanswered, 1u);
  EXPECT_EQ(lab.l7.observations()->in_flight(), 0u);
}

TEST(ObservationEmitter, WebSocketHandshakeAndClientMessages) {
  Lab lab;
  lab.req("GET /ws/prices HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  lab.resp("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", 300);
  // A masked client text frame.
  const std::string msg = R"({"symbol":"WEIR","depth":5})";
  std::string frame = {static_cast<char>(0x81), static_cast<char>(0x80 | msg.size()), 1, 2, 3, 4};
  for (size_t i = 0; i < msg.size(); ++i) frame.push_back(static_cast<char>(msg[i] ^ (i % 4 + 1)));
  lab.req(frame);
  lab.resp(std::string{static_cast<char>(0x81), 2} + "{}");  // server message: not an observation
  auto obs = lab.drain();
  ASSERT_EQ(obs.size(), 2u);
  EXPECT_EQ(obs[0]->protocol, detect::ApiProtocol::WebSocket);
  EXPECT_EQ(obs[0]->operation.view(), "prices");
  EXPECT_EQ(obs[0]->status, 101);
  EXPECT_EQ(obs[0]->latency_us, 300u);
  EXPECT_EQ(obs[1]->protocol, detect::ApiProtocol::WebSocket);
  EXPECT_EQ(obs[1]->method.view(), "GET");
  EXPECT_EQ(obs[1]->path.view(), "/ws/prices");
  EXPECT_EQ(obs[1]->operation.view(), "prices");
}

std::string h2_frame(uint8_t type, uint8_t flags, uint32_t stream, std::string_view payload) {
  std::string f = {static_cast<char>(payload.size() >> 16), static_cast<char>(payload.size() >> 8),
                   static_cast<char>(payload.size()), static_cast<char>(type), static_cast<char>(flags),
                   static_cast<char>(stream >> 24), static_cast<char>(stream >> 16), static_cast<char>(stream >> 8),
                   static_cast<char>(stream)};
  return f + std::string(payload);
}

TEST(ObservationEmitter, H2cBy101IsAnsweredByStreamOne) {
  Lab lab;
  lab.req("GET /api/v1/users/7 HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
          "HTTP2-Settings: AAMAAABk\r\n\r\n");
  const std::string json = R"({"id":7,"email":"ann@example.org"})";
  lab.resp("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n" +
               h2_frame(0x4, 0, 0, "") + h2_frame(0x1, 0x4, 1, "\x88") + h2_frame(0x0, 0x1, 1, json),
           700);
  lab.req(std::string(parse::kHttp2ClientPreface) + h2_frame(0x4, 0, 0, ""));
  EXPECT_EQ(lab.l7.stats().http2_flows, 1u);
  auto obs = lab.drain();
  ASSERT_EQ(obs.size(), 1u) << "the upgraded request once, with its HTTP/2 answer; decisions "
                            << lab.l7.stats().decisions << ", parse errors " << lab.l7.stats().parse_errors
                            << ", in flight " << lab.l7.observations()->in_flight() << ", unanswered "
                            << lab.stats().unanswered << ", upgrades unparsed " << lab.l7.stats().upgrades_unparsed;
  EXPECT_EQ(obs[0]->path.view(), "/api/v1/users/7");
  EXPECT_EQ(obs[0]->status, 200);
  EXPECT_EQ(obs[0]->latency_us, 700u);
  EXPECT_EQ(lab.l7.observations()->in_flight(), 0u);
}

struct Record {
  parse::Direction dir;
  std::string bytes;
};

std::vector<Record> load_capture(const char* name) {
  std::ifstream in(std::string(WEIR_H2_CAPTURES) + "/" + name, std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<Record> out;
  for (size_t i = 0; i + 5 <= all.size();) {
    const auto* p = reinterpret_cast<const uint8_t*>(all.data() + i);
    const uint32_t n = (uint32_t{p[1]} << 24) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 8) | p[4];
    out.push_back({p[0] == 0 ? parse::Direction::Request : parse::Direction::Response, all.substr(i + 5, n)});
    i += 5 + n;
  }
  return out;
}

TEST(ObservationEmitter, GrpcOverHttp2FromARealCapture) {
  Lab lab;
  const auto records = load_capture("grpcio_unary_and_bidi.bin");
  ASSERT_FALSE(records.empty());
  for (const Record& r : records) lab.send(r.dir, r.bytes, 100);
  EXPECT_EQ(lab.l7.stats().http2_flows, 1u);
  auto obs = lab.drain();
  ASSERT_EQ(obs.size(), 2u);
  EXPECT_EQ(obs[0]->protocol, detect::ApiProtocol::Grpc);
  EXPECT_EQ(obs[0]->method.view(), "POST");
  EXPECT_EQ(obs[0]->path.view(), "/shop.v1.Cart/AddItem");
  EXPECT_EQ(obs[0]->operation.view(), "shop.v1.Cart/AddItem");
  EXPECT_EQ(obs[0]->status, 200);
  EXPECT_EQ(obs[1]->operation.view(), "shop.v1.Cart/Stream");
  EXPECT_EQ(lab.stats().unanswered, 0u);
}

}  // namespace
}  // namespace weir::dp
