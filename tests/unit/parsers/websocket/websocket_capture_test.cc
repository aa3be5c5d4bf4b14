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

// What the dataplane keeps from the handshake decisions (views die when
// on_decision returns, so it copies).
struct Handshake {
  std::string path, host, extensions;
};

Handshake handshake_from(const testing::RecordingSink& sink) {
  Handshake h;
  for (const auto& d : sink.decisions) {
    if (d.direction == Direction::Request && d.point == DecisionPoint::EndOfHeaders) {
      h.path = d.target;
      h.host = d.host;
    }
    if (d.direction == Direction::Response) {
      const std::string ext = d.value(Zone::RespHeader, "sec-websocket-extensions");
      if (ext != "<none>") h.extensions = ext;
    }
  }
  return h;
}

TEST(WebSocketCapture, RealPeersThroughTheUpgrade) {
  const std::string client = read_capture("ws_client.bin");
  const std::string server = read_capture("ws_server.bin");
  ASSERT_GT(client.size(), 100u) << "capture missing (WEIR_SOURCE_ROOT?)";
  const size_t client_head = head_end(client);
  const size_t server_head = head_end(server);
  ASSERT_NE(client_head, std::string::npos);
  ASSERT_NE(server_head, std::string::npos);

  testing::Http1Harness http;
  ASSERT_EQ(http.feed(client.substr(0, client_head)).status, FeedStatus::Ok);
  const FeedResult up = http.feed(server.substr(0, server_head), Direction::Response);
  ASSERT_EQ(up.status, FeedStatus::Upgraded);
  ASSERT_EQ(up.upgrade, UpgradeKind::WebSocket);
  const Handshake hs = handshake_from(http.sink);
  EXPECT_EQ(hs.path, "/chat/v1?room=lobby");
  EXPECT_NE(hs.extensions.find("permessage-deflate"), std::string::npos);

  for (size_t step : {0u, 1u, 100u}) {
    ParserWorkspace ws(ParseLimits{}, testing::ws_test_sizes());
    WebSocketParser parser(ws, WebSocketHandshake{.path = hs.path, .host = hs.host,
                                                  .extensions = hs.extensions});
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
