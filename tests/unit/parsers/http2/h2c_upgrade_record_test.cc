// H2cUpgradeRecord between the HTTP/1 parser and the HTTP/2 upgrade parser,
// as the dataplane chains them: the record sees every HTTP/1 decision, the
// 101 hands over, and the HTTP/2 parser starts from what the record kept.
#include "parsers/http2/h2c_upgrade_record.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "h2_frame_builder.h"
#include "h2_harness.h"
#include "parsers/http1/http1_parser.h"

namespace weir::parse {
namespace {

using namespace testing;

// Records like the dataplane's DecisionSink does, then records for the test.
class ObservingSink : public RecordingSink {
 public:
  SinkVerdict on_decision(const Transaction& txn) override {
    record.observe(txn);
    return RecordingSink::on_decision(txn);
  }
  H2cUpgradeRecord record;
};

// SETTINGS_HEADER_TABLE_SIZE = 1024 (00 01 00 00 04 00), base64url.
constexpr const char* kTable1024 = "AAEAAAQA";

std::string upgrade_request(std::string_view method, std::string_view settings_lines) {
  std::string r(method);
  r += " /feed HTTP/1.1\r\nHost: up.test\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n";
  r += settings_lines;
  if (method == "POST") r += "Content-Length: 0\r\n";
  return r + "\r\n";
}

constexpr const char* k101 = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n";

struct Chain {
  ParserWorkspace ws{{}, h2_test_sizes()};
  ObservingSink sink;
  Http1Parser http1{ws};
  std::unique_ptr<std::max_align_t[]> storage =
      std::make_unique<std::max_align_t[]>(sizeof(Http2Parser) / sizeof(std::max_align_t) + 1);
  Parser* h2 = nullptr;
  ~Chain() { destroy_parser(h2); }

  // HTTP/1 up to the 101; then the HTTP/2 parser from the record.
  void upgrade(const std::string& request) {
    ASSERT_EQ(http1.feed(chunk_of(request), sink).status, FeedStatus::Ok);
    ASSERT_TRUE(sink.record.requested());
    const FeedResult up = http1.feed(chunk_of(k101, Direction::Response), sink);
    ASSERT_EQ(up.status, FeedStatus::Upgraded);
    ASSERT_EQ(up.upgrade, UpgradeKind::H2c);
    h2 = make_http2_upgrade_parser(storage.get(), ws, sink.record.upgrade());
  }
};

TEST(H2cUpgradeRecord, KeepsMethodIndexAndDecodedSettings) {
  Chain c;
  ASSERT_EQ(c.http1.feed(chunk_of("GET /first HTTP/1.1\r\nHost: up.test\r\n\r\n"), c.sink).status, FeedStatus::Ok);
  ASSERT_EQ(c.http1.feed(chunk_of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", Direction::Response), c.sink).status,
            FeedStatus::Ok);
  c.upgrade(upgrade_request("POST", std::string("HTTP2-Settings: ") + kTable1024 + "\r\n"));
  ASSERT_NE(c.h2, nullptr);
  const H2cUpgrade u = c.sink.record.upgrade();
  EXPECT_EQ(u.method, "POST");
  EXPECT_EQ(u.request_index, 1u);
  ASSERT_NE(u.settings, nullptr);
  EXPECT_EQ(u.settings->header_table_size, 1024u);
  // The 101 acknowledged the client's settings: the server's encoder is bound at once.
  EXPECT_EQ(static_cast<Http2Parser*>(c.h2)->decoder_table_size(Direction::Response), 1024u);

  // The server answers stream 1 (the POST), its encoder shrunk to the client's
  // 1024 (a table size update opens the block); the client's next request is stream 3.
  HpackEncoder s;
  s.change_table_size(1024);
  ASSERT_EQ(c.h2->feed(chunk_of(settings() + headers_frame(1, s.encode({{":status", "201"}}), true),
                                Direction::Response),
                       c.sink)
                .status,
            FeedStatus::Ok);
  HpackEncoder cl;
  ASSERT_EQ(c.h2->feed(chunk_of(preface() + settings() + headers_frame(3, cl.encode(get_request("/next")), true)),
                       c.sink)
                .status,
            FeedStatus::Ok);
  const auto resp = c.sink.at(DecisionPoint::EndOfHeaders, Direction::Response);
  ASSERT_FALSE(resp.empty());
  EXPECT_EQ(resp.back()->status, 201);
  EXPECT_EQ(resp.back()->method, "POST");
  const auto reqs = c.sink.at(DecisionPoint::EndOfHeaders);
  EXPECT_EQ(reqs.back()->target, "/next");
  EXPECT_EQ(reqs.back()->index, 2u);
}

TEST(H2cUpgradeRecord, RefusedUpgradeIsForgottenAndALaterOneKept) {
  ParserWorkspace ws({}, h2_test_sizes());
  ObservingSink sink;
  Http1Parser http1(ws);
  ASSERT_EQ(http1.feed(chunk_of(upgrade_request("GET", "HTTP2-Settings: AAMAAABk\r\n")), sink).status,
            FeedStatus::Ok);
  EXPECT_TRUE(sink.record.requested());
  ASSERT_EQ(http1.feed(chunk_of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", Direction::Response), sink).status,
            FeedStatus::Ok);
  EXPECT_FALSE(sink.record.requested());  // the server stays on HTTP/1
  ASSERT_EQ(http1.feed(chunk_of(upgrade_request("GET", std::string("HTTP2-Settings: ") + kTable1024 + "\r\n")), sink)
                .status,
            FeedStatus::Ok);
  ASSERT_TRUE(sink.record.requested());
  EXPECT_EQ(sink.record.upgrade().request_index, 1u);
  EXPECT_EQ(sink.record.upgrade().settings->header_table_size, 1024u);
}

TEST(H2cUpgradeRecord, NoUpgradeNoRecord) {
  ParserWorkspace ws({}, h2_test_sizes());
  ObservingSink sink;
  Http1Parser http1(ws);
  ASSERT_EQ(http1.feed(chunk_of("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket, h2c\r\n"
                                "HTTP2-Settings: AAMAAABk\r\n\r\n"),
                       sink)
                .status,
            FeedStatus::Ok);
  EXPECT_FALSE(sink.record.requested());  // the first protocol decides, as HTTP/1 reads it
}

TEST(H2cUpgradeRecord, RepeatedOrInvalidSettingsFailTheFirstFeed) {
  for (const char* lines : {"HTTP2-Settings: AAMAAABk\r\nHTTP2-Settings: AAMAAABk\r\n", "HTTP2-Settings: AA*A\r\n"}) {
    Chain c;
    c.upgrade(upgrade_request("GET", lines));
    ASSERT_NE(c.h2, nullptr);
    EXPECT_TRUE(c.sink.record.upgrade().settings_invalid);
    const FeedResult r = c.h2->feed(chunk_of(settings(), Direction::Response), c.sink);
    EXPECT_EQ(r.status, FeedStatus::ParseError) << lines;
    EXPECT_EQ(r.error.name, "http2.bad_http2_settings");
  }
}

}  // namespace
}  // namespace weir::parse
