// Every abuse finding with traffic that raises it and, where the line is a
// threshold, traffic just under it that does not.
#include <gtest/gtest.h>

#include "h2_frame_builder.h"
#include "h2_harness.h"

namespace weir::parse {
namespace {

using namespace testing;

std::string opening() { return preface() + settings(); }

TEST(Http2Abuse, ContinuationFlood) {
  HpackEncoder c;
  Http2Harness h;
  std::string bytes = opening() + headers_frame(1, c.encode(get_request()), false, false);
  for (int i = 0; i < 40; ++i) bytes += continuation(1, {}, false);
  const FeedResult r = h.client(bytes);
  EXPECT_EQ(r.status, FeedStatus::ParseError);
  EXPECT_EQ(r.error.name, "http2.continuation_flood");
  EXPECT_TRUE(h.sink.any_finding("http2.continuation_flood"));

  // A block split over a few CONTINUATION frames is fine.
  HpackEncoder c2;
  Http2Harness ok;
  const std::string block = c2.encode(get_request("/split"));
  std::string fine = opening() + headers_frame(1, block.substr(0, 2), true, false);
  for (size_t i = 2; i < block.size(); ++i) {
    fine += continuation(1, block.substr(i, 1), i + 1 == block.size());
  }
  EXPECT_EQ(ok.client(fine).status, FeedStatus::Ok);
  EXPECT_EQ(ok.sink.at(DecisionPoint::EndOfHeaders).at(0)->target, "/split");
}

std::string reset_pairs(HpackEncoder& c, int pairs) {
  std::string bytes = opening();
  for (int i = 0; i < pairs; ++i) {
    const uint32_t id = 1 + 2 * static_cast<uint32_t>(i);
    bytes += headers_frame(id, c.encode(get_request("/r")), true);
    bytes += rst_stream(id);
  }
  return bytes;
}

TEST(Http2Abuse, RapidReset) {
  HpackEncoder c;
  Http2Harness h;
  const FeedResult r = h.client(reset_pairs(c, 150));
  EXPECT_EQ(r.status, FeedStatus::ParseError);
  EXPECT_EQ(r.error.name, "http2.rapid_reset");

  HpackEncoder c2;
  Http2Harness ok;
  EXPECT_EQ(ok.client(reset_pairs(c2, 90)).status, FeedStatus::Ok);
  EXPECT_EQ(ok.parser->open_streams(), 0u);
}

TEST(Http2Abuse, ExcessiveStreamsOverTheServersLimit) {
  HpackEncoder c;
  Http2Harness h;
  ASSERT_EQ(h.server(settings({{0x3, 2}})).status, FeedStatus::Ok);
  std::string bytes = opening() + settings_ack();
  for (uint32_t id = 1; id <= 5; id += 2) bytes += headers_frame(id, c.encode(get_request()), false);
  const FeedResult r = h.client(bytes);
  EXPECT_EQ(r.status, FeedStatus::ParseError);
  EXPECT_EQ(r.error.name, "http2.excessive_streams");
  EXPECT_EQ(h.sink.at(DecisionPoint::EndOfHeaders).size(), 2u);
}

TEST(Http2Abuse, ExcessiveStreamsOverOurTable) {
  HpackEncoder c;
  Http2Limits limits;
  limits.max_streams = 8;
  Http2Harness h(Http2Parser::Start::ClientPreface, limits);
  std::string bytes = opening();
  for (uint32_t id = 1; id <= 17; id += 2) bytes += headers_frame(id, c.encode(get_request()), false);
  EXPECT_EQ(h.client(bytes).error.name, "http2.excessive_streams");
}

TEST(Http2Abuse, SettingsFlood) {
  Http2Harness h;
  std::string bytes = opening();
  for (int i = 0; i < 30; ++i) bytes += settings({{0x4, 65535}});
  const FeedResult r = h.client(bytes);
  EXPECT_EQ(r.status, FeedStatus::ParseError);
  EXPECT_EQ(r.error.name, "http2.settings_flood");
}

TEST(Http2Abuse, SettingsFloodEvenWhenAcked) {
  Http2Limits limits;
  limits.max_settings_frames = 20;
  Http2Harness h(Http2Parser::Start::ClientPreface, limits);
  ASSERT_EQ(h.server(settings()).status, FeedStatus::Ok);
  FeedResult r;
  ASSERT_EQ(h.client(opening()).status, FeedStatus::Ok);
  for (int i = 0; i < 25 && r.status == FeedStatus::Ok; ++i) {
    r = h.client(settings({{0x4, 65535}}));
    if (r.status == FeedStatus::Ok) {
      ASSERT_EQ(h.server(settings_ack()).status, FeedStatus::Ok);
    }
  }
  EXPECT_EQ(r.error.name, "http2.settings_flood");
}

TEST(Http2Abuse, PingFlood) {
  Http2Harness h;
  std::string bytes = opening();
  for (int i = 0; i < 120; ++i) bytes += ping();
  EXPECT_EQ(h.client(bytes).error.name, "http2.ping_flood");
  Http2Harness ok;
  std::string fine = opening();
  for (int i = 0; i < 50; ++i) fine += ping();
  EXPECT_EQ(ok.client(fine).status, FeedStatus::Ok);
}

TEST(Http2Abuse, HpackBomb) {
  // One 2000-byte header enters the table, then is referenced 20 times at a
  // byte each: 40 KB decoded from a tiny block.
  HpackEncoder c;
  Http2Harness h;
  HeaderList first = get_request();
  first.emplace_back("x-bomb", std::string(2000, 'b'));
  HeaderList bomb = get_request();
  for (int i = 0; i < 20; ++i) bomb.emplace_back("x-bomb", std::string(2000, 'b'));
  const std::string block = c.encode(first);
  const std::string small = c.encode(bomb);
  EXPECT_LT(small.size(), 64u);
  const FeedResult r = h.client(opening() + headers_frame(1, block, true) + headers_frame(3, small, true));
  EXPECT_EQ(r.status, FeedStatus::ParseError);
  EXPECT_EQ(r.error.name, "http2.hpack_bomb");
  EXPECT_EQ(h.sink.at(DecisionPoint::EndOfHeaders).size(), 1u);
}

TEST(Http2Abuse, InvalidHpackIsAConnectionError) {
  Http2Harness h;
  // 0xff...: an indexed field with an index far past both tables.
  const FeedResult r = h.client(opening() + headers_frame(1, "\xff\xff\xff\x7f", true));
  EXPECT_EQ(r.error.name, "http2.hpack_error");
}

struct PseudoCase {
  HeaderList headers;
  const char* finding;
};

TEST(Http2Abuse, InvalidPseudoHeaders) {
  const PseudoCase cases[] = {
      {{{":method", "GET"}, {":scheme", "https"}, {":authority", "a"}}, "http2.pseudo_header_missing"},
      {{{":method", "GET"}, {":method", "POST"}, {":scheme", "https"}, {":path", "/"}},
       "http2.pseudo_header_duplicate"},
      {{{":method", "GET"}, {":scheme", "https"}, {"x-a", "1"}, {":path", "/"}},
       "http2.pseudo_header_after_regular"},
      {{{":method", "GET"}, {":scheme", "https"}, {":path", "/"}, {":evil", "1"}},
       "http2.pseudo_header_unknown"},
      {{{":method", "GET"}, {":scheme", "https"}, {":path", ""}}, "http2.pseudo_header_missing"},
      {{{":method", "GET"}, {":scheme", "https"}, {":path", "/"}, {"X-Upper", "1"}},
       "http2.uppercase_header_name"},
      {{{":method", "GET"}, {":scheme", "https"}, {":path", "/"}, {"x-a", "v\r\nx-b: 2"}},
       "http2.invalid_header_value"},
      {{{":method", "GET"}, {":scheme", "https"}, {":path", "/"}, {":authority", "a.test"},
        {"host", "b.test"}},
       "http2.authority_host_mismatch"},
  };
  for (const PseudoCase& pc : cases) {
    HpackEncoder c;
    Http2Harness h;
    ASSERT_EQ(h.client(opening() + headers_frame(1, c.encode(pc.headers), true)).status,
              FeedStatus::Ok);
    const auto heads = h.sink.at(DecisionPoint::EndOfHeaders);
    ASSERT_EQ(heads.size(), 1u);
    EXPECT_TRUE(heads[0]->has_finding(pc.finding)) << pc.finding;
    // Reported once, at the head, not again at the end of the stream.
    EXPECT_TRUE(h.sink.at(DecisionPoint::EndOfBody).at(0)->findings.empty()) << pc.finding;
  }
  HpackEncoder c;
  Http2Harness clean;
  ASSERT_EQ(clean.client(opening() + headers_frame(1, c.encode(get_request()), true)).status,
            FeedStatus::Ok);
  EXPECT_TRUE(clean.sink.decisions.at(0).findings.empty());
}

// Header values are checked 16 bytes at a time: CR, LF and NUL are found at
// every position of values around that width, clean values pass.
TEST(Http2Abuse, InvalidHeaderValueAtEveryPosition) {
  for (size_t len = 1; len <= 40; ++len) {
    HpackEncoder c;
    Http2Harness h;
    std::string bytes = opening();
    uint32_t stream = 1;
    std::vector<bool> expect;
    for (const char bad : {'\r', '\n', '\0'}) {
      for (const size_t at : {size_t{0}, len / 2, len - 1}) {
        std::string value(len, 'v');
        value[at] = bad;
        HeaderList l = get_request();
        l.emplace_back("x-v", value);
        bytes += headers_frame(stream, c.encode(l), true);
        stream += 2;
        expect.push_back(true);
      }
    }
    HeaderList clean = get_request();
    clean.emplace_back("x-v", std::string(len, 'v'));
    bytes += headers_frame(stream, c.encode(clean), true);
    expect.push_back(false);
    ASSERT_EQ(h.client(bytes).status, FeedStatus::Ok);
    const auto heads = h.sink.at(DecisionPoint::EndOfHeaders);
    ASSERT_EQ(heads.size(), expect.size());
    for (size_t i = 0; i < expect.size(); ++i) {
      EXPECT_EQ(heads[i]->has_finding("http2.invalid_header_value"), expect[i]) << len << " " << i;
    }
  }
}

// The byte-level checks of a header list run once per header block, not at
// every decision of its stream (each gRPC message is one).
TEST(Http2Abuse, HeaderListsAreCheckedOncePerBlock) {
  HpackEncoder c;
  HpackEncoder s;
  Http2Harness h;
  auto message = [](std::string_view payload) {
    std::string m(1, '\0');
    const auto n = static_cast<uint32_t>(payload.size());
    for (int i = 3; i >= 0; --i) m.push_back(static_cast<char>(n >> (8 * i)));
    return m + std::string(payload);
  };
  std::string client = opening() +
                       headers_frame(1, c.encode({{":method", "POST"}, {":scheme", "http"},
                                                  {":authority", "grpc.test"}, {":path", "/s.S/M"},
                                                  {"content-type", "application/grpc"},
                                                  {"te", "trailers"}}),
                                     false);
  for (int i = 0; i < 10; ++i) client += data(1, message("\x0a\x03" "abc"), i == 9);
  ASSERT_EQ(h.client(client).status, FeedStatus::Ok);
  EXPECT_EQ(h.sink.decisions.size(), 12u);  // head, 10 messages, END_STREAM
  EXPECT_EQ(h.parser->header_lists_checked(), 1u);
  const std::string head = s.encode({{":status", "200"}, {"content-type", "application/grpc"}});
  const std::string trailers = s.encode({{"grpc-status", "0"}});
  std::string server = settings() + settings_ack() + headers_frame(1, head, false);
  for (int i = 0; i < 10; ++i) server += data(1, message("\x0a\x03xyz"), false);
  server += headers_frame(1, trailers, true);
  ASSERT_EQ(h.server(server).status, FeedStatus::Ok);
  EXPECT_EQ(h.sink.decisions.size(), 24u);
  EXPECT_EQ(h.parser->header_lists_checked(), 3u);  // + response head, trailers
}

TEST(Http2Abuse, PseudoHeadersInResponsesAndTrailers) {
  HpackEncoder c;
  HpackEncoder s;
  Http2Harness h;
  // Blocks are encoded in separate statements: HPACK order is wire order.
  const std::string head = c.encode(get_request());
  const std::string trailers = c.encode({{":path", "/smuggled"}});
  ASSERT_EQ(h.client(opening() + headers_frame(1, head, false) + headers_frame(1, trailers, true))
                .status,
            FeedStatus::Ok);
  EXPECT_TRUE(h.sink.at(DecisionPoint::EndOfBody).at(0)->has_finding("http2.pseudo_header_in_trailers"));
  ASSERT_EQ(h.server(settings() + headers_frame(1, s.encode({{"server", "x"}}), true)).status,
            FeedStatus::Ok);
  EXPECT_TRUE(h.sink.at(DecisionPoint::EndOfHeaders, Direction::Response)
                  .at(0)
                  ->has_finding("http2.pseudo_header_missing"));
}

TEST(Http2Abuse, ConnectionSpecificHeaders) {
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"connection", "keep-alive"},
           {"keep-alive", "timeout=5"},
           {"proxy-connection", "keep-alive"},
           {"transfer-encoding", "chunked"},
           {"upgrade", "websocket"},
           {"te", "gzip"}}) {
    HpackEncoder c;
    Http2Harness h;
    HeaderList list = get_request();
    list.emplace_back(name, value);
    ASSERT_EQ(h.client(opening() + headers_frame(1, c.encode(list), true)).status, FeedStatus::Ok);
    EXPECT_TRUE(h.sink.decisions.at(0).has_finding("http2.connection_specific_header")) << name;
  }
  HpackEncoder c;
  Http2Harness te;
  HeaderList list = get_request();
  list.emplace_back("te", "trailers");
  ASSERT_EQ(te.client(opening() + headers_frame(1, c.encode(list), true)).status, FeedStatus::Ok);
  EXPECT_TRUE(te.sink.decisions.at(0).findings.empty());
}

HeaderList post_with_length(const char* length) {
  return {{":method", "POST"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/p"},
          {"content-length", length}};
}

TEST(Http2Abuse, ContentLengthMismatch) {
  HpackEncoder c;
  Http2Harness shorter;
  ASSERT_EQ(shorter.client(opening() + headers_frame(1, c.encode(post_with_length("10")), false) +
                           data(1, "12345"))
                .status,
            FeedStatus::Ok);
  EXPECT_TRUE(shorter.sink.at(DecisionPoint::EndOfBody).at(0)->has_finding(
      "http2.content_length_mismatch"));

  HpackEncoder c2;
  Http2Harness longer;
  const FeedResult r = longer.client(opening() + headers_frame(1, c2.encode(post_with_length("3")), false) +
                                     data(1, "12345"));
  EXPECT_EQ(r.status, FeedStatus::ParseError);
  EXPECT_EQ(r.error.name, "http2.content_length_mismatch");

  HpackEncoder c3;
  Http2Harness exact;
  ASSERT_EQ(exact.client(opening() + headers_frame(1, c3.encode(post_with_length("5")), false) +
                         data(1, "12", false) + data(1, "345"))
                .status,
            FeedStatus::Ok);
  EXPECT_TRUE(exact.sink.at(DecisionPoint::EndOfBody).at(0)->findings.empty());

  HpackEncoder c4;
  Http2Harness invalid;
  ASSERT_EQ(invalid.client(opening() + headers_frame(1, c4.encode(post_with_length("5x")), false) +
                           data(1, "12345"))
                .status,
            FeedStatus::Ok);
  EXPECT_TRUE(invalid.sink.decisions.at(0).has_finding("http2.invalid_content_length"));
}

TEST(Http2Abuse, FrameSizeErrors) {
  HpackEncoder c;
  const std::string open = opening() + headers_frame(1, c.encode(get_request()), false);
  struct Case {
    std::string bytes;
    const char* name;
  };
  const Case cases[] = {
      {data(1, std::string(16385, 'x')), "http2.frame_size_error"},  // over the default max
      {frame(0x6, 0, 0, "1234567"), "http2.frame_size_error"},       // PING of 7
      {frame(0x3, 0, 1, "123"), "http2.frame_size_error"},           // RST_STREAM of 3
      {frame(0x8, 0, 0, "12345"), "http2.frame_size_error"},         // WINDOW_UPDATE of 5
      {frame(0x2, 0, 1, "1234"), "http2.frame_size_error"},          // PRIORITY of 4
      {frame(0x4, 0, 0, "12345"), "http2.frame_size_error"},         // SETTINGS not 6n
      {frame(0x4, 1, 0, "123456"), "http2.frame_size_error"},        // SETTINGS ACK with payload
      {frame(0x0, 0x8, 1, std::string(1, '\x09') + "abc"), "http2.bad_padding"},
      {frame(0x6, 0, 1, "12345678"), "http2.protocol_error"},        // PING on a stream
      {frame(0x0, 0, 0, "x"), "http2.protocol_error"},               // DATA on stream 0
      {data(7, "x"), "http2.protocol_error"},                        // DATA on an idle stream
      {window_update(0, 0), "http2.protocol_error"},
      {continuation(1, "", true), "http2.protocol_error"},
  };
  for (const Case& k : cases) {
    Http2Harness h;
    const FeedResult r = h.client(open + k.bytes);
    EXPECT_EQ(r.status, FeedStatus::ParseError) << k.name;
    EXPECT_EQ(r.error.name, k.name);
  }
  // A larger frame is fine once the receiver announced and the sender ACKed it.
  Http2Harness big;
  ASSERT_EQ(big.server(settings({{0x5, 32768}})).status, FeedStatus::Ok);
  EXPECT_EQ(big.client(open + settings_ack() + data(1, std::string(20000, 'x'))).status,
            FeedStatus::Ok);
}

TEST(Http2Abuse, InterleavedHeaderBlockIsAProtocolError) {
  HpackEncoder c;
  Http2Harness h;
  const FeedResult r = h.client(opening() + headers_frame(1, c.encode(get_request()), true, false) +
                                ping());
  EXPECT_EQ(r.error.name, "http2.protocol_error");
}

TEST(Http2Abuse, HeapExhaustionIsAResourceLimit) {
  Http2Limits limits;
  limits.heap_budget = 24 * 1024;
  HpackEncoder c;
  Http2Harness h(Http2Parser::Start::ClientPreface, limits);
  std::string bytes = opening();
  FeedResult r;
  HeaderList big = get_request();
  big.emplace_back("x-fill", std::string(6000, 'f'));
  for (uint32_t id = 1; id < 40 && r.status == FeedStatus::Ok; id += 2) {
    r = h.client((id == 1 ? bytes : std::string()) + headers_frame(id, c.encode(big), false));
  }
  EXPECT_EQ(r.status, FeedStatus::ResourceLimit);
  EXPECT_EQ(r.error.name, "parse.resource_limit");
  EXPECT_LE(h.parser->heap_used(), limits.heap_budget);
}

// Not Huffman-friendly: a value that stays about as long once encoded.
std::string noise(size_t n) {
  std::string v;
  uint32_t x = 7;
  while (v.size() < n) {
    x = x * 1103515245u + 12345u;
    v.push_back(static_cast<char>('!' + (x >> 16) % 90));
  }
  return v;
}

TEST(Http2Abuse, HeaderBlockBytesCap) {
  Http2Limits limits;
  limits.max_header_block_bytes = 1024;
  HeaderList big = get_request();
  big.emplace_back("x-data", noise(1500));
  // Three frames, well under max_continuations, but 1.5 KB compressed.
  HpackEncoder c;
  const std::string block = c.encode(big);
  ASSERT_GT(block.size(), 1024u);
  Http2Harness split(Http2Parser::Start::ClientPreface, limits);
  const size_t third = block.size() / 3;
  const FeedResult r = split.client(opening() + headers_frame(1, block.substr(0, third), true, false) +
                                    continuation(1, block.substr(third, third), false) +
                                    continuation(1, block.substr(2 * third), true));
  EXPECT_EQ(r.status, FeedStatus::ParseError);
  EXPECT_EQ(r.error.name, "http2.continuation_flood");
  // One HEADERS frame over the cap: the same.
  HpackEncoder c2;
  Http2Harness one(Http2Parser::Start::ClientPreface, limits);
  EXPECT_EQ(one.client(opening() + headers_frame(1, c2.encode(big), true)).error.name,
            "http2.continuation_flood");
  // Under it: decoded.
  HpackEncoder c3;
  Http2Harness ok(Http2Parser::Start::ClientPreface, limits);
  HeaderList fits = get_request();
  fits.emplace_back("x-data", noise(800));
  EXPECT_EQ(ok.client(opening() + headers_frame(1, c3.encode(fits), true)).status, FeedStatus::Ok);
  EXPECT_EQ(ok.sink.at(DecisionPoint::EndOfHeaders).size(), 1u);
}

TEST(Http2Abuse, HeaderTableSizeCapBoundsWhatAPeerMakesUsKeep) {
  Http2Limits limits;
  limits.max_header_table_size = 8192;
  Http2Harness h(Http2Parser::Start::ClientPreface, limits);
  // The client lets the server's encoder use 1 MiB; the server ACKs.
  HpackEncoder c;
  ASSERT_EQ(h.client(preface() + settings({{0x1, 1u << 20}}) +
                     headers_frame(1, c.encode(get_request("/a")), true))
                .status,
            FeedStatus::Ok);
  ASSERT_EQ(h.server(settings() + settings_ack()).status, FeedStatus::Ok);
  EXPECT_EQ(h.parser->decoder_table_size(Direction::Response), 8192u);
  // A server encoder that takes the 1 MiB is refused, not followed.
  HpackEncoder s(1u << 20);
  s.change_table_size(1u << 20);
  const FeedResult r = h.server(headers_frame(1, s.encode({{":status", "200"}}), true));
  EXPECT_EQ(r.status, FeedStatus::ParseError);
  EXPECT_EQ(r.error.name, "http2.hpack_error");
  // Up to the cap it is followed.
  Http2Harness ok(Http2Parser::Start::ClientPreface, limits);
  HpackEncoder c2;
  ASSERT_EQ(ok.client(preface() + settings({{0x1, 1u << 20}}) +
                      headers_frame(1, c2.encode(get_request("/a")), true))
                .status,
            FeedStatus::Ok);
  HpackEncoder s2(1u << 20);
  s2.change_table_size(8192);
  const std::string head = s2.encode({{":status", "200"}, {"x-big", std::string(6000, 'v')}});
  EXPECT_EQ(ok.server(settings() + settings_ack() + headers_frame(1, head, true)).status, FeedStatus::Ok);
  EXPECT_EQ(ok.sink.at(DecisionPoint::EndOfHeaders, Direction::Response).at(0)->value(Zone::RespHeader, "x-big"),
            std::string(6000, 'v'));
}

TEST(Http2Abuse, FloodCountersRestartEveryWindow) {
  Http2Limits limits;
  limits.flood_window_frames = 64;
  limits.max_ping_frames = 8;
  // 7 PINGs per 64 frames, for 10 windows: a chatty client, not a flood.
  Http2Harness ok(Http2Parser::Start::ClientPreface, limits);
  std::string steady = opening();
  for (int w = 0; w < 10; ++w) {
    for (int i = 0; i < 7; ++i) steady += ping();
    for (int i = 0; i < 57; ++i) steady += window_update(0, 1);
  }
  EXPECT_EQ(ok.client(steady).status, FeedStatus::Ok);
  // 9 in one window is.
  Http2Harness h(Http2Parser::Start::ClientPreface, limits);
  std::string burst = opening();
  for (int i = 0; i < 9; ++i) burst += ping();
  EXPECT_EQ(h.client(burst).error.name, "http2.ping_flood");
}

TEST(Http2Abuse, BodyPastMaxBodyInspectIsAPrefixAndAFinding) {
  ParseLimits limits;
  limits.max_body_inspect = 64;
  HpackEncoder c;
  Http2Harness h(Http2Parser::Start::ClientPreface, {}, limits);
  HeaderList post = get_request("/upload");
  post[0].second = "POST";
  post.emplace_back("content-type", "application/json");
  const std::string body = "{\"q\":\"" + std::string(200, 'x') + "\"}";
  ASSERT_EQ(h.client(opening() + headers_frame(1, c.encode(post), false) + data(1, body.substr(0, 100), false) +
                     data(1, body.substr(100)))
                .status,
            FeedStatus::Ok);
  const auto ends = h.sink.at(DecisionPoint::EndOfBody);
  ASSERT_EQ(ends.size(), 1u);
  EXPECT_TRUE(ends[0]->has_finding("http1.body_truncated"));
  EXPECT_EQ(ends[0]->value(Zone::BodyRaw), body.substr(0, 64));
}

TEST(Http2Abuse, FieldCapIsReported) {
  ParseLimits limits;
  limits.max_fields = 8;
  HpackEncoder c;
  Http2Harness h(Http2Parser::Start::ClientPreface, {}, limits);
  HeaderList many = get_request("/p?a=1&b=2&c=3");
  for (int i = 0; i < 20; ++i) many.emplace_back("x-h" + std::to_string(i), "v");
  ASSERT_EQ(h.client(opening() + headers_frame(1, c.encode(many), true)).status, FeedStatus::Ok);
  const auto heads = h.sink.at(DecisionPoint::EndOfHeaders);
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_TRUE(heads[0]->has_finding("parse.field_cap"));
  EXPECT_LE(heads[0]->fields.size(), 8u);
}

}  // namespace
}  // namespace weir::parse
