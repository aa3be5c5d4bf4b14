// A conversation recorded from real peers (python3-websockets on loopback,
// tests/data/websocket/capture_websocket.py): HTTP/1 parses the handshake
// until Upgraded(WebSocket), the handshake's path, Host and negotiated
// Sec-WebSocket-Extensions build the WebSocketParser, which then reads the
// real frames (masked client frames, permessage-deflate with context
// takeover and 12-bit windows, fragments, ping/pong, close).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "../http1_harness.h"
#include "parsers/websocket/websocket_handshake.h"
#include "parsers/websocket/websocket_parser.h"
#include "ws_frames.h"

namespace weir::parse {
namespace {

std::string read_capture(const char* name) {
  const char* root = std::getenv("WEIR_SOURCE_ROOT");
  const std::string path = std::string(root != nullptr ? root : ".") + "/tests/data/websocket/" + name;
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t head_end(const std::string& s) {
  const size_t p = s.find("\r\n\r\n");
  return p == std::string::npos ? std::string::npos : p + 4;
}

// The dataplane's side of the hand-off: every HTTP/1 decision goes through
// a WebSocketHandshakeRecord, which copies what the parser will need.
class HandshakeSink : public testing::RecordingSink {
 public:
  SinkVerdict on_decision(const Transaction& txn) override {
    record.observe(txn);
    return RecordingSink::on_decision(txn);
  }
  WebSocketHandshakeRecord record;
};

TEST(WebSocketCapture, RealPeersThroughTheUpgrade) {
  const std::string client = read_capture("ws_client.bin");
  const std::string server = read_capture("ws_server.bin");
  ASSERT_GT(client.size(), 100u) << "capture missing (WEIR_SOURCE_ROOT?)";
  const size_t client_head = head_end(client);
  const size_t server_head = head_end(server);
  ASSERT_NE(client_head, std::string::npos);
  ASSERT_NE(server_head, std::string::npos);

  ParserWorkspace http_ws(ParseLimits{}, testing::test_sizes());
  Http1Parser http(http_ws);
  HandshakeSink http_sink;
  std::string head = client.substr(0, client_head);
  ASSERT_EQ(http.feed(testing::chunk_of(head), http_sink).status, FeedStatus::Ok);
  EXPECT_TRUE(http_sink.record.requested());
  head = server.substr(0, server_head);
  const FeedResult up = http.feed(testing::chunk_of(head, Direction::Response), http_sink);
  ASSERT_EQ(up.status, FeedStatus::Upgraded);
  ASSERT_EQ(up.upgrade, UpgradeKind::WebSocket);
  head.assign(head.size(), '#');  // the record holds copies, not views
  const WebSocketHandshake hs = http_sink.record.handshake();
  EXPECT_EQ(hs.path, "/chat/v1?room=lobby");
  EXPECT_EQ(hs.host.substr(0, 10), "127.0.0.1:");
  EXPECT_EQ(hs.extensions, "permessage-deflate; server_max_window_bits=12; client_max_window_bits=12");

  for (size_t step : {0u, 1u, 100u}) {
    ParserWorkspace ws(ParseLimits{}, testing::ws_test_sizes());
    WebSocketParser parser(ws, hs);
    EXPECT_TRUE(parser.deflate().enabled);
    EXPECT_EQ(parser.deflate().client_max_window_bits, 12);
    testing::RecordingSink sink;
    auto feed_all = [&](const std::string& bytes, Direction dir) {
      for (size_t pos = 0; pos < bytes.size();) {
        const size_t n = step == 0 ? bytes.size() - pos : std::min(step, bytes.size() - pos);
        std::string piece = bytes.substr(pos, n);
        const FeedResult r = parser.feed(testing::chunk_of(piece, dir), sink);
        ASSERT_EQ(r.status, FeedStatus::Ok) << r.error.name;
        pos += n;
      }
    };
    feed_all(client.substr(client_head), Direction::Request);
    feed_all(server.substr(server_head), Direction::Response);

    const auto requests = sink.at(DecisionPoint::EndOfMessage, Direction::Request);
    const auto responses = sink.at(DecisionPoint::EndOfMessage, Direction::Response);
    ASSERT_EQ(requests.size(), 5u) << step;
    ASSERT_EQ(responses.size(), 5u) << step;
    EXPECT_EQ(requests[0]->target, "/chat/v1?room=lobby");
    EXPECT_EQ(requests[0]->value(Zone::WsMessage, "filter.user"), "1' OR '1'='1");
    EXPECT_EQ(requests[1]->value(Zone::WsMessage), "fragmented message");
    EXPECT_EQ(requests[2]->value(Zone::WsMessage), std::string("\x00\x01" "binary\xff", 9));
    EXPECT_EQ(requests[3]->value(Zone::WsMessage),
              "plain text with unicode \xe2\x82\xac and <script>alert(1)</script>");
    EXPECT_EQ(requests[4]->value(Zone::WsMessage), std::string(64 * 1024, 'A'));
    EXPECT_TRUE(requests[4]->has_finding("ws.message_truncated"));
    for (int i = 0; i < 4; ++i) {
      EXPECT_TRUE(requests[i]->findings.empty()) << i << " " << requests[i]->findings.front();
      EXPECT_EQ(responses[i]->fields, requests[i]->fields) << i;  // the server echoes
    }
    // Ping, pong and a clean close (1000) decide nothing more.
    EXPECT_EQ(sink.decisions.size(), 10u);
  }
}

}  // namespace
}  // namespace weir::parse

namespace weir::parse {
namespace {

TEST(WebSocketHandshakeRecord, KeepsOnlyTheUpgradeAndThe101) {
  ParserWorkspace ws(ParseLimits{}, testing::test_sizes());
  Http1Parser http(ws);
  HandshakeSink sink;
  const std::string requests =
      "GET /plain HTTP/1.1\r\nHost: a\r\n\r\n"
      "GET /ws HTTP/1.1\r\nHost: b\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\n\r\n";
  ASSERT_EQ(http.feed(testing::chunk_of(requests), sink).status, FeedStatus::Ok);
  EXPECT_TRUE(sink.record.requested());
  // The response to the first request carries the header but is no 101.
  const std::string responses =
      "HTTP/1.1 200 OK\r\nSec-WebSocket-Extensions: bogus\r\nContent-Length: 0\r\n\r\n"
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Extensions: permessage-deflate\r\n"
      "Sec-WebSocket-Extensions: client_no_context_takeover\r\n\r\n";
  const FeedResult r = http.feed(testing::chunk_of(responses, Direction::Response), sink);
  ASSERT_EQ(r.status, FeedStatus::Upgraded);
  const WebSocketHandshake hs = sink.record.handshake();
  EXPECT_EQ(hs.path, "/ws");
  EXPECT_EQ(hs.host, "b");
  EXPECT_EQ(hs.extensions, "permessage-deflate,client_no_context_takeover");
  EXPECT_FALSE(sink.record.extensions_cut());
  sink.record.clear();
  EXPECT_FALSE(sink.record.requested());
  EXPECT_TRUE(sink.record.handshake().path.empty());
}

TEST(WebSocketHandshakeRecord, FixedBuffersCutLongValuesAndSaySo) {
  ParserWorkspace ws(ParseLimits{}, testing::test_sizes());
  Http1Parser http(ws);
  HandshakeSink sink;
  const std::string path = "/ws?token=" + std::string(400, 't');
  const std::string host = std::string(200, 'h') + ".example";
  ASSERT_EQ(http.feed(testing::chunk_of("GET " + path + " HTTP/1.1\r\nHost: " + host +
                                        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"),
                      sink)
                .status,
            FeedStatus::Ok);
  std::string ext = "permessage-deflate";
  while (ext.size() <= WebSocketHandshakeRecord::kMaxExtensions) ext += "; x-param-" + std::to_string(ext.size());
  const FeedResult r = http.feed(
      testing::chunk_of("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Extensions: " + ext + "\r\n\r\n",
                        Direction::Response),
      sink);
  ASSERT_EQ(r.status, FeedStatus::Upgraded);
  const WebSocketHandshake hs = sink.record.handshake();
  EXPECT_EQ(hs.path, path.substr(0, WebSocketHandshakeRecord::kMaxPath));
  EXPECT_EQ(hs.host, host.substr(0, WebSocketHandshakeRecord::kMaxHost));
  EXPECT_TRUE(sink.record.extensions_cut());
  EXPECT_LE(hs.extensions.size(), WebSocketHandshakeRecord::kMaxExtensions);
  // The parser built from the cut record says it cannot read the extensions.
  WebSocketParser parser(ws, hs);
  testing::RecordingSink rec;
  ASSERT_EQ(parser.feed(testing::chunk_of(testing::frame("hi")), rec).status, FeedStatus::Ok);
  ASSERT_EQ(rec.decisions.size(), 1u);
  EXPECT_TRUE(rec.decisions[0].has_finding("ws.bad_extension"));
  EXPECT_EQ(rec.decisions[0].target, path.substr(0, WebSocketParser::kMaxChannel));
}

}  // namespace
}  // namespace weir::parse
