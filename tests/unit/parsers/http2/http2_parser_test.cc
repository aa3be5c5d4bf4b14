#include "parsers/http2/http2_parser.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "h2_frame_builder.h"
#include "h2_harness.h"
#include "parsers/http1/http1_parser.h"
#include "parsers/http2/http2_settings.h"
#include "parsers/registry.h"

namespace weir::parse {
namespace {

using namespace testing;

// A small exchange: GET with query, two cookie headers; POST with a JSON
// body in two DATA frames (one padded) and a CONTINUATION; both answered.
struct Exchange {
  std::string client;
  std::string server;
};

Exchange small_exchange() {
  HpackEncoder c;
  HpackEncoder s;
  Exchange e;
  e.client = preface() + settings({{0x3, 100}}) + window_update(0, 1000);
  e.client += headers_frame(1, c.encode({{":method", "GET"},
                                         {":scheme", "https"},
                                         {":authority", "api.test"},
                                         {":path", "/users/42/orders?limit=5&sort=asc"},
                                         {"user-agent", "t"},
                                         {"cookie", "session=abc"},
                                         {"cookie", "theme=dark"}}),
                            true);
  const std::string block = c.encode({{":method", "POST"},
                                      {":scheme", "https"},
                                      {":authority", "api.test"},
                                      {":path", "/login"},
                                      {"content-type", "application/json"},
                                      {"content-length", "34"}});
  e.client += headers_frame(3, block.substr(0, 5), false, false, 0x0);
  e.client += continuation(3, block.substr(5), true);
  e.client += priority(3, 1);
  e.client += data(3, "{\"user\":\"admin\",", false);
  e.client += padded_data(3, "\"pass\":\"' or 1=1\"}", 7, true);
  e.server = settings({{0x3, 100}}) + settings_ack();
  e.server += headers_frame(1, s.encode({{":status", "200"}, {"content-type", "text/plain"}}), false);
  e.server += data(1, "hello");
  e.server += headers_frame(3, s.encode({{":status", "302"}, {"location", "/home"}}), true);
  return e;
}

TEST(Http2Parser, RequestModelMatchesHttp1) {
  const Exchange e = small_exchange();
  Http2Harness h;
  ASSERT_EQ(h.client(e.client).status, FeedStatus::Ok);
  const auto heads = h.sink.at(DecisionPoint::EndOfHeaders);
  ASSERT_EQ(heads.size(), 2u);
  const RecordedDecision& get = *heads[0];
  EXPECT_EQ(get.index, 0u);
  EXPECT_EQ(get.method, "GET");
  EXPECT_EQ(get.target, "/users/42/orders?limit=5&sort=asc");
  EXPECT_EQ(get.host, "api.test");
  EXPECT_EQ(get.value(Zone::Method), "GET");
  EXPECT_EQ(get.value(Zone::Path), "/users/42/orders");
  EXPECT_EQ(get.value(Zone::PathSegment, "1"), "42");
  EXPECT_EQ(get.value(Zone::QueryArg, "limit"), "5");
  EXPECT_EQ(get.value(Zone::Header, "user-agent"), "t");
  EXPECT_EQ(get.value(Zone::Cookie, "session"), "abc");
  EXPECT_EQ(get.value(Zone::Cookie, "theme"), "dark");
  // :authority is the header host (as HTTP/1's Host), the other
  // pseudo-headers are not header fields.
  EXPECT_EQ(get.value(Zone::Header, "host"), "api.test");
  EXPECT_EQ(get.count(Zone::Header), 4u);
  EXPECT_TRUE(get.findings.empty());

  const auto bodies = h.sink.at(DecisionPoint::EndOfBody);
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[0]->index, 0u);
  const RecordedDecision& post = *bodies[1];
  EXPECT_EQ(post.index, 1u);
  EXPECT_EQ(post.method, "POST");
  EXPECT_EQ(post.value(Zone::BodyJson, "user"), "admin");
  EXPECT_EQ(post.value(Zone::BodyJson, "pass"), "' or 1=1");
  EXPECT_EQ(post.fields[post.first_new].zone, Zone::BodyJson);
  EXPECT_TRUE(post.findings.empty());
}

// Rules aimed at the Host header see HTTP/2 requests: :authority is the
// field `header host`, once when a Host header agrees with it (RFC 9113
// 8.3.1), both values and a finding when they differ; at every decision.
TEST(Http2Parser, AuthorityIsTheHostHeaderField) {
  struct Case {
    HeaderList headers;
    std::vector<std::string> hosts;  // host header values, in order
    const char* txn_host;
    bool mismatch;
  };
  const HeaderList base = {{":method", "POST"}, {":scheme", "https"}, {":path", "/a"}};
  auto with = [&](HeaderList extra) {
    HeaderList l = base;
    l.insert(l.end(), extra.begin(), extra.end());
    return l;
  };
  const Case cases[] = {
      {with({{":authority", "api.test"}, {"x-a", "1"}}), {"api.test"}, "api.test", false},
      {with({{":authority", "api.test"}, {"host", "API.test"}}), {"API.test"}, "api.test", false},
      {with({{":authority", "a.test"}, {"x-a", "1"}, {"host", "b.test"}}), {"a.test", "b.test"}, "a.test",
       true},
      {with({{"host", "h.test"}}), {"h.test"}, "h.test", false},
      {with({{"x-a", "1"}}), {}, "", false},
  };
  for (const Case& c : cases) {
    HpackEncoder enc;
    Http2Harness h;
    ASSERT_EQ(h.client(preface() + settings() + headers_frame(1, enc.encode(c.headers), false) +
                       data(1, "x=1", true))
                  .status,
              FeedStatus::Ok);
    ASSERT_EQ(h.sink.decisions.size(), 2u);
    for (const RecordedDecision& d : h.sink.decisions) {
      std::vector<std::string> hosts;
      for (const RecordedField& f : d.fields) {
        if (f.zone == Zone::Header && f.name == "host") hosts.push_back(f.value);
      }
      EXPECT_EQ(hosts, c.hosts) << c.txn_host;
      EXPECT_EQ(d.host, c.txn_host);
    }
    EXPECT_EQ(h.sink.decisions[0].has_finding("http2.authority_host_mismatch"), c.mismatch) << c.txn_host;
  }
}

TEST(Http2Parser, ResponsesCarryStatusHeadersAndTheRequestIndex) {
  const Exchange e = small_exchange();
  Http2Harness h;
  ASSERT_EQ(h.client(e.client).status, FeedStatus::Ok);
  ASSERT_EQ(h.server(e.server).status, FeedStatus::Ok);
  const auto heads = h.sink.at(DecisionPoint::EndOfHeaders, Direction::Response);
  ASSERT_EQ(heads.size(), 2u);
  EXPECT_EQ(heads[0]->status, 200);
  EXPECT_EQ(heads[0]->method, "GET");
  EXPECT_EQ(heads[0]->value(Zone::Status), "200");
  EXPECT_EQ(heads[0]->value(Zone::RespHeader, "content-type"), "text/plain");
  EXPECT_EQ(heads[1]->index, 1u);
  EXPECT_EQ(heads[1]->method, "POST");
  EXPECT_EQ(heads[1]->value(Zone::RespHeader, "location"), "/home");
  const auto bodies = h.sink.at(DecisionPoint::EndOfBody, Direction::Response);
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[0]->value(Zone::RespBody), "hello");
  EXPECT_EQ(h.parser->open_streams(), 0u);  // both streams closed and freed
}

TEST(Http2Parser, DecisionsDoNotDependOnChunking) {
  const Exchange e = small_exchange();
  Http2Harness whole;
  ASSERT_EQ(whole.client(e.client).status, FeedStatus::Ok);
  ASSERT_EQ(whole.server(e.server).status, FeedStatus::Ok);
  ASSERT_EQ(whole.sink.decisions.size(), 8u);
  // Every split position of each direction into two pieces, then byte by byte.
  for (size_t cut = 1; cut < e.client.size(); ++cut) {
    Http2Harness h;
    ASSERT_EQ(h.client(e.client.substr(0, cut)).status, FeedStatus::Ok) << cut;
    ASSERT_EQ(h.client(e.client.substr(cut)).status, FeedStatus::Ok) << cut;
    ASSERT_EQ(h.server(e.server).status, FeedStatus::Ok);
    ASSERT_EQ(h.sink.decisions.size(), whole.sink.decisions.size()) << cut;
    for (size_t i = 0; i < h.sink.decisions.size(); ++i) {
      EXPECT_EQ(h.sink.decisions[i].fields, whole.sink.decisions[i].fields) << cut << " " << i;
      EXPECT_EQ(h.sink.decisions[i].point, whole.sink.decisions[i].point) << cut;
    }
  }
  for (size_t cut = 1; cut < e.server.size(); ++cut) {
    Http2Harness h;
    ASSERT_EQ(h.client(e.client).status, FeedStatus::Ok);
    ASSERT_EQ(h.server(e.server.substr(0, cut)).status, FeedStatus::Ok) << cut;
    ASSERT_EQ(h.server(e.server.substr(cut)).status, FeedStatus::Ok) << cut;
    ASSERT_EQ(h.sink.decisions.size(), whole.sink.decisions.size()) << cut;
    for (size_t i = 0; i < h.sink.decisions.size(); ++i) {
      EXPECT_EQ(h.sink.decisions[i].fields, whole.sink.decisions[i].fields) << cut << " " << i;
    }
  }
  Http2Harness bytewise;
  ASSERT_EQ(bytewise.client(e.client, 1).status, FeedStatus::Ok);
  ASSERT_EQ(bytewise.server(e.server, 1).status, FeedStatus::Ok);
  ASSERT_EQ(bytewise.sink.decisions.size(), whole.sink.decisions.size());
  for (size_t i = 0; i < bytewise.sink.decisions.size(); ++i) {
    EXPECT_EQ(bytewise.sink.decisions[i].fields, whole.sink.decisions[i].fields) << i;
  }
}

TEST(Http2Parser, BlockStopsTheConnection) {
  const Exchange e = small_exchange();
  Http2Harness h;
  h.sink.block_at = 0;  // EndOfHeaders of the GET
  const FeedResult r = h.client(e.client);
  EXPECT_EQ(r.status, FeedStatus::Blocked);
  EXPECT_LT(r.consumed, e.client.size());
  EXPECT_EQ(h.sink.decisions.size(), 1u);
  const FeedResult again = h.server(e.server);
  EXPECT_EQ(again.status, FeedStatus::Blocked);
  EXPECT_EQ(again.consumed, 0u);
}

TEST(Http2Parser, PrefaceIsRequiredUnlessStartedAfterIt) {
  Http2Harness h;
  const FeedResult r = h.client("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.status, FeedStatus::ParseError);
  EXPECT_EQ(r.error.name, "http2.bad_preface");

  HpackEncoder c;
  Http2Harness after(Http2Parser::Start::AfterPreface);
  const FeedResult ok =
      after.client(settings() + headers_frame(1, c.encode(get_request("/x")), true));
  EXPECT_EQ(ok.status, FeedStatus::Ok);
  EXPECT_EQ(after.sink.at(DecisionPoint::EndOfHeaders).size(), 1u);
}

TEST(Http2Parser, FirstFrameMustBeSettings) {
  HpackEncoder c;
  Http2Harness h;
  const FeedResult r = h.client(preface() + headers_frame(1, c.encode(get_request()), true));
  EXPECT_EQ(r.status, FeedStatus::ParseError);
  EXPECT_EQ(r.error.name, "http2.bad_preface");
}

// The client shrinks the table its decoder keeps; the server encoded its
// first response before it read that SETTINGS, and only ACKs it afterwards.
// The response decoder must keep the old size until that ACK: applied when
// first seen, nghttp2 demands a table size update the first block lacks.
TEST(Http2Parser, HeaderTableSizeAppliesWhenTheOtherSideAcks) {
  HpackEncoder c;
  HpackEncoder s;
  Http2Harness h;
  // Blocks are encoded in separate statements: HPACK order is wire order.
  const std::string a = c.encode(get_request("/a"));
  const std::string b = c.encode(get_request("/b"));
  ASSERT_EQ(h.client(preface() + settings({{0x1, 256}}) + headers_frame(1, a, true) +
                     headers_frame(3, b, true))
                .status,
            FeedStatus::Ok);
  EXPECT_EQ(h.parser->decoder_table_size(Direction::Response), 4096u);
  std::string server = settings();
  server += headers_frame(1, s.encode({{":status", "200"}, {"x-big", std::string(600, 'v')}}), true);
  ASSERT_EQ(h.server(server).status, FeedStatus::Ok);
  EXPECT_EQ(h.parser->decoder_table_size(Direction::Response), 4096u);
  s.change_table_size(256);
  const FeedResult r = h.server(settings_ack() +
                                headers_frame(3, s.encode({{":status", "204"}, {"x-b", "2"}}), true));
  EXPECT_EQ(r.status, FeedStatus::Ok) << r.error.name << " " << r.error.detail;
  EXPECT_EQ(h.parser->decoder_table_size(Direction::Response), 256u);
  const auto heads = h.sink.at(DecisionPoint::EndOfHeaders, Direction::Response);
  ASSERT_EQ(heads.size(), 2u);
  EXPECT_EQ(heads[0]->value(Zone::RespHeader, "x-big"), std::string(600, 'v'));
  EXPECT_EQ(heads[1]->status, 204);
}

TEST(Http2Parser, H2cUpgradeStartsWithStreamOneAndHttp2Settings) {
  // HTTP2-Settings: HEADER_TABLE_SIZE=8192, ENABLE_PUSH=0 (base64url).
  const std::string payload = std::string("\x00\x01\x00\x00\x20\x00\x00\x02\x00\x00\x00\x00", 12);
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string b64;
  for (size_t i = 0; i < payload.size(); i += 3) {
    const uint32_t v = (uint8_t(payload[i]) << 16) | (uint8_t(payload[i + 1]) << 8) | uint8_t(payload[i + 2]);
    for (int k = 3; k >= 0; --k) b64.push_back(kAlphabet[(v >> (6 * k)) & 63]);
  }
  Http2Harness h;
  std::string method = "POST";  // a view into the HTTP/1 head, which goes away
  h.parser->start_upgraded({.http2_settings = b64, .method = method, .request_index = 4});
  method.assign("XXXX");
  EXPECT_EQ(h.parser->decoder_table_size(Direction::Response), 8192u);
  HpackEncoder c;
  HpackEncoder s(8192);
  ASSERT_EQ(h.server(settings() + headers_frame(1, s.encode({{":status", "200"}}), false) +
                     data(1, "up"))
                .status,
            FeedStatus::Ok);
  ASSERT_EQ(h.client(preface() + settings() + settings_ack() +
                     headers_frame(3, c.encode(get_request("/next")), true))
                .status,
            FeedStatus::Ok);
  const auto resp = h.sink.at(DecisionPoint::EndOfBody, Direction::Response);
  ASSERT_EQ(resp.size(), 1u);
  EXPECT_EQ(resp[0]->index, 4u);
  EXPECT_EQ(resp[0]->method, "POST");
  EXPECT_EQ(resp[0]->value(Zone::RespBody), "up");
  const auto req = h.sink.at(DecisionPoint::EndOfHeaders);
  ASSERT_EQ(req.size(), 1u);
  EXPECT_EQ(req[0]->index, 5u);
  EXPECT_EQ(req[0]->target, "/next");

  Http2Harness bad;
  bad.parser->start_upgraded({.http2_settings = "!!"});
  EXPECT_EQ(bad.client(preface()).error.name, "http2.bad_http2_settings");
}

TEST(Http2Parser, TrailersAndInterimResponses) {
  HpackEncoder c;
  HpackEncoder s;
  Http2Harness h;
  const std::string head = c.encode({{":method", "POST"}, {":scheme", "http"},
                                     {":authority", "a"}, {":path", "/up"},
                                     {"expect", "100-continue"}});
  const std::string trailers = c.encode({{"x-checksum", "99"}});
  ASSERT_EQ(h.client(preface() + settings() + headers_frame(1, head, false) +
                     data(1, "abc", false) + headers_frame(1, trailers, true))
                .status,
            FeedStatus::Ok);
  const auto body = h.sink.at(DecisionPoint::EndOfBody);
  ASSERT_EQ(body.size(), 1u);
  EXPECT_EQ(body[0]->value(Zone::BodyRaw), "abc");
  EXPECT_EQ(body[0]->value(Zone::Header, "x-checksum"), "99");
  const std::string interim = s.encode({{":status", "100"}});
  const std::string final_head = s.encode({{":status", "201"}});
  ASSERT_EQ(h.server(settings() + headers_frame(1, interim, false) +
                     headers_frame(1, final_head, true))
                .status,
            FeedStatus::Ok);
  const auto heads = h.sink.at(DecisionPoint::EndOfHeaders, Direction::Response);
  ASSERT_EQ(heads.size(), 2u);
  EXPECT_EQ(heads[0]->status, 100);
  EXPECT_EQ(heads[1]->status, 201);
}

TEST(Http2Parser, PushPromiseBlocksAreDecodedToKeepHpackInSync) {
  HpackEncoder c;
  HpackEncoder s;
  Http2Harness h;
  ASSERT_EQ(h.client(preface() + settings() + headers_frame(1, c.encode(get_request()), true)).status,
            FeedStatus::Ok);
  // The promised request's header block enters the server encoder's table;
  // the response after it refers to that entry.
  const std::string promised = s.encode({{":method", "GET"}, {":scheme", "https"},
                                         {":authority", "example.test"}, {":path", "/style.css"},
                                         {"x-shared", "value-in-table"}});
  std::string server = settings();
  server += frame(0x5, 0x4, 1, u32(2) + promised);
  server += headers_frame(1, s.encode({{":status", "200"}, {"x-shared", "value-in-table"}}), true);
  server += headers_frame(2, s.encode({{":status", "200"}}), true);
  ASSERT_EQ(h.server(server).status, FeedStatus::Ok);
  const auto heads = h.sink.at(DecisionPoint::EndOfHeaders, Direction::Response);
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_EQ(heads[0]->value(Zone::RespHeader, "x-shared"), "value-in-table");
}

TEST(Http2Settings, DecodesHttp2SettingsHeader) {
  Http2Settings s;
  EXPECT_TRUE(decode_http2_settings_header("AAMAAABkAAQAoAAAAAIAAAAA", s));
  EXPECT_EQ(s.max_concurrent_streams, 100u);
  EXPECT_EQ(s.initial_window_size, 10485760u);
  EXPECT_EQ(s.enable_push, 0u);
  Http2Settings t;
  EXPECT_FALSE(decode_http2_settings_header("AAMAAABk*", t));
  EXPECT_FALSE(decode_http2_settings_header("AAMAAA", t));  // 4.5 bytes: not whole entries
  EXPECT_TRUE(decode_http2_settings_header("", t));
}

}  // namespace
}  // namespace weir::parse

namespace weir::parse {
namespace {

using namespace testing;

TEST(Http2Registry, Http2IsRegisteredAndBuildsInCallerStorage) {
  const ParserApi* api = find_parser("http2");
  ASSERT_NE(api, nullptr);
  ParserWorkspace ws({}, h2_test_sizes());
  std::vector<std::max_align_t> storage(api->state_size / sizeof(std::max_align_t) + 1);
  ASSERT_LE(api->state_align, alignof(std::max_align_t));
  Parser* p = api->make(storage.data(), ws);
  RecordingSink sink;
  HpackEncoder c;
  const std::string bytes = preface() + settings() + headers_frame(1, c.encode(get_request()), true);
  const FeedResult r = p->feed(chunk_of(bytes), sink);
  EXPECT_EQ(r.status, FeedStatus::Ok);
  EXPECT_EQ(r.decisions, 2u);
  destroy_parser(p);
  EXPECT_EQ(ws.heap().in_use(), 0u);
}

// The whole h2c upgrade as the dataplane runs it: HTTP/1 parses the Upgrade
// request (its sink sees HTTP2-Settings), the 101 makes the HTTP/1 parser
// return Upgraded/H2c on the response side, the HTTP/2 parser takes over.
TEST(Http2Registry, H2cUpgradeHandOffFromHttp1) {
  ParserWorkspace ws({}, h2_test_sizes());
  RecordingSink sink;
  Http1Parser http1(ws);
  const std::string request =
      "GET /feed HTTP/1.1\r\nHost: up.test\r\nConnection: Upgrade, HTTP2-Settings\r\n"
      "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n";
  ASSERT_EQ(http1.feed(chunk_of(request), sink).status, FeedStatus::Ok);
  const std::string settings_value = sink.decisions.at(0).value(Zone::Header, "http2-settings");
  const std::string response =
      "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n";
  HpackEncoder s;
  const std::string h2_server =
      settings() + headers_frame(1, s.encode({{":status", "200"}}), false) + data(1, "feed body");
  const std::string server_bytes = response + h2_server;
  const FeedResult up = http1.feed(chunk_of(server_bytes, Direction::Response), sink);
  ASSERT_EQ(up.status, FeedStatus::Upgraded);
  ASSERT_EQ(up.upgrade, UpgradeKind::H2c);
  ASSERT_EQ(up.consumed, response.size());
  auto storage = std::make_unique<std::max_align_t[]>(sizeof(Http2Parser) / sizeof(std::max_align_t) + 1);
  Parser* h2 = make_http2_upgrade_parser(
      storage.get(), ws, {.http2_settings = settings_value, .method = "GET", .request_index = 0});
  ASSERT_EQ(h2->feed(chunk_of(std::string_view(server_bytes).substr(up.consumed), Direction::Response), sink)
                .status,
            FeedStatus::Ok);
  HpackEncoder c;
  ASSERT_EQ(h2->feed(chunk_of(preface() + settings() + headers_frame(3, c.encode(get_request("/2")), true)),
                     sink)
                .status,
            FeedStatus::Ok);
  const auto resp = sink.at(DecisionPoint::EndOfBody, Direction::Response);
  ASSERT_EQ(resp.size(), 2u);  // the HTTP/1 101 and the HTTP/2 answer on stream 1
  EXPECT_EQ(resp[1]->status, 200);
  EXPECT_EQ(resp[1]->method, "GET");
  EXPECT_EQ(resp[1]->value(Zone::RespBody), "feed body");
  EXPECT_EQ(sink.at(DecisionPoint::EndOfHeaders).back()->index, 1u);
  destroy_parser(h2);
}

}  // namespace
}  // namespace weir::parse

namespace weir::parse {
namespace {

using namespace testing;

// The server resets a stream while the client's trailers are in flight: the
// trailers are decoded (their header enters the table) but not reported, and
// the next request that refers to that table entry still decodes.
TEST(Http2Parser, TrailersAfterTheServerResetKeepHpackInSync) {
  HpackEncoder c;
  Http2Harness h;
  const std::string head = c.encode(get_request("/upload"));
  ASSERT_EQ(h.client(preface() + settings() + headers_frame(1, head, false)).status, FeedStatus::Ok);
  ASSERT_EQ(h.server(settings() + rst_stream(1, 7)).status, FeedStatus::Ok);
  EXPECT_EQ(h.parser->open_streams(), 0u);
  const std::string trailers = c.encode({{"x-digest", "sha-256=abc"}});
  HeaderList next = get_request("/next");
  next.emplace_back("x-digest", "sha-256=abc");
  const std::string next_block = c.encode(next);
  ASSERT_EQ(h.client(data(1, "late", false) + headers_frame(1, trailers, true) +
                     headers_frame(3, next_block, true))
                .status,
            FeedStatus::Ok);
  const auto heads = h.sink.at(DecisionPoint::EndOfHeaders);
  ASSERT_EQ(heads.size(), 2u);
  EXPECT_EQ(heads[1]->target, "/next");
  EXPECT_EQ(heads[1]->value(Zone::Header, "x-digest"), "sha-256=abc");
  EXPECT_EQ(h.sink.at(DecisionPoint::EndOfBody).size(), 1u);  // only stream 3
}

}  // namespace
}  // namespace weir::parse
