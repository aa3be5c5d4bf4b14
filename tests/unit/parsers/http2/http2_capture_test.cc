// Replays traffic of real peers (nghttp against nginx, h2c with prior
// knowledge) through the parser, whole and byte by byte, and through the
// HTTP/1 parser's hand-off (it consumes the preface, then HTTP/2 goes on).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "h2_harness.h"
#include "parsers/http1/http1_parser.h"
#include "parsers/protocol_sniff.h"

namespace weir::parse {
namespace {

using namespace testing;

struct Record {
  Direction dir;
  std::string bytes;
};

std::vector<Record> load(const char* name) {
  std::ifstream in(std::string(WEIR_H2_CAPTURES) + "/" + name, std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<Record> out;
  for (size_t i = 0; i + 5 <= all.size();) {
    const auto* p = reinterpret_cast<const uint8_t*>(all.data() + i);
    const uint32_t n = (uint32_t{p[1]} << 24) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 8) | p[4];
    out.push_back({p[0] == 0 ? Direction::Request : Direction::Response, all.substr(i + 5, n)});
    i += 5 + n;
  }
  return out;
}

void expect_nginx_exchange(const RecordingSink& sink) {
  const auto req = sink.at(DecisionPoint::EndOfBody);
  ASSERT_EQ(req.size(), 2u);
  EXPECT_EQ(req[0]->method, "POST");
  EXPECT_EQ(req[0]->target, "/api/login?next=/home");
  EXPECT_EQ(req[0]->host, "127.0.0.1:18082");
  EXPECT_EQ(req[0]->value(Zone::QueryArg, "next"), "/home");
  EXPECT_EQ(req[0]->value(Zone::Cookie, "a"), "1");
  EXPECT_EQ(req[0]->value(Zone::Cookie, "b"), "2");
  EXPECT_EQ(req[0]->value(Zone::BodyJson, "user"), "admin");
  EXPECT_EQ(req[0]->value(Zone::BodyJson, "pass"), "x' or 1=1");
  EXPECT_EQ(req[1]->method, "POST");  // nghttp -d posts to every URI
  EXPECT_EQ(req[1]->value(Zone::BodyJson, "user"), "admin");
  EXPECT_EQ(req[1]->value(Zone::Path), "/index.html");
  const auto resp = sink.at(DecisionPoint::EndOfBody, Direction::Response);
  ASSERT_EQ(resp.size(), 2u);
  EXPECT_EQ(resp[0]->status, 200);
  EXPECT_EQ(resp[0]->value(Zone::RespBody), "{\"ok\":true}");
  EXPECT_EQ(resp[1]->status, 405);  // nginx refuses POST to a static file
  EXPECT_NE(resp[1]->value(Zone::RespBody).find("405 Not Allowed"), std::string::npos);
  EXPECT_EQ(resp[1]->value(Zone::RespHeader, "server").substr(0, 5), "nginx");
  for (const auto& d : sink.decisions) EXPECT_TRUE(d.findings.empty()) << d.findings.at(0);
}

TEST(Http2Capture, NghttpAgainstNginx) {
  const auto records = load("nghttp_nginx_prior_knowledge.bin");
  ASSERT_GE(records.size(), 3u);
  const std::string& first = records[0].bytes;
  EXPECT_EQ(sniff_client_protocol({reinterpret_cast<const uint8_t*>(first.data()), first.size()}),
            SniffResult::Http2);
  for (size_t step : {size_t{0}, size_t{1}, size_t{7}}) {
    Http2Harness h;
    for (const Record& r : records) ASSERT_EQ(h.feed(r.bytes, r.dir, step).status, FeedStatus::Ok);
    expect_nginx_exchange(h.sink);
    EXPECT_EQ(h.parser->open_streams(), 0u);
  }
}

TEST(Http2Capture, HandOffFromHttp1AfterThePreface) {
  const auto records = load("nghttp_nginx_prior_knowledge.bin");
  ParserWorkspace ws({}, h2_test_sizes());
  RecordingSink sink;
  Http1Parser http1(ws);
  const std::string& first = records[0].bytes;
  const FeedResult r = http1.feed(chunk_of(first), sink);
  ASSERT_EQ(r.status, FeedStatus::Upgraded);
  ASSERT_EQ(r.upgrade, UpgradeKind::H2c);
  ASSERT_EQ(r.consumed, 24u);
  alignas(Http2Parser) static unsigned char storage[sizeof(Http2Parser)];
  Parser* h2 = make_http2_parser_after_preface(storage, ws);
  ASSERT_EQ(h2->feed(chunk_of(std::string_view(first).substr(r.consumed)), sink).status,
            FeedStatus::Ok);
  for (size_t i = 1; i < records.size(); ++i) {
    ASSERT_EQ(h2->feed(chunk_of(records[i].bytes, records[i].dir), sink).status, FeedStatus::Ok);
  }
  expect_nginx_exchange(sink);
  destroy_parser(h2);
  EXPECT_EQ(ws.heap().in_use(), 0u);  // the parser gave every block back
}

}  // namespace
}  // namespace weir::parse
