// weirctl inspect routes a corpus request by what is on the wire, as the
// dataplane does: an HTTP/2 connection (raw_b64 starting with the preface)
// goes to the HTTP/2 parser, a WebSocket record (ws_messages /
// ws_frames_b64) is answered with a 101 and its frames go to the WebSocket
// parser. Without that routing the attacks below pass unseen (the HTTP/1
// parser stops at the preface; the messages are never parsed).

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cli/weirctl_app.h"
#include "tests/unit/cli/inspect_workdir.h"

namespace weir::cli {
namespace {

namespace fs = std::filesystem;

const char* kRules = R"(rules:
  - id: "t-union"
    message: "UNION SELECT"
    class: sqli
    severity: critical
    zones: [any]
    transforms: [url_decode]
    flags: [caseless]
    patterns: ["union\\s+select"]
policy:
  mode: block
  threshold: 5
  lexical:
    sqli: {enabled: false}
    xss: {enabled: false}
)";

std::string base64(const std::string& in) {
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += {a[v >> 18], a[(v >> 12) & 63], a[(v >> 6) & 63], a[v & 63]};
  }
  if (i + 1 == in.size()) {
    const uint32_t v = uint8_t(in[i]) << 16;
    out += {a[v >> 18], a[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += {a[v >> 18], a[(v >> 12) & 63], a[(v >> 6) & 63], '='};
  }
  return out;
}

std::string h2_frame(uint8_t type, uint8_t flags, uint32_t stream, const std::string& payload) {
  std::string f;
  f += char(payload.size() >> 16);
  f += char(payload.size() >> 8);
  f += char(payload.size());
  f += char(type);
  f += char(flags);
  f += char(stream >> 24);
  f += char(stream >> 16);
  f += char(stream >> 8);
  f += char(stream);
  return f + payload;
}

// HPACK literal without indexing, new name (RFC 7541 6.2.2); values < 127 bytes.
std::string hpack_literal(const std::string& name, const std::string& value) {
  return std::string(1, '\0') + char(name.size()) + name + char(value.size()) + value;
}

// An h2c prior-knowledge connection with one GET on stream 1.
std::string h2_get(const std::string& path) {
  std::string block = hpack_literal(":method", "GET") + hpack_literal(":scheme", "http") +
                      hpack_literal(":authority", "h") + hpack_literal(":path", path) +
                      hpack_literal("user-agent", "curl/8.5.0");
  return std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") + h2_frame(0x4, 0, 0, "") +
         h2_frame(0x1, 0x5 /* END_STREAM | END_HEADERS */, 1, block);
}

std::string ws_frame(const std::string& payload, uint8_t opcode, bool fin) {
  const uint8_t mask[4] = {1, 2, 3, 4};
  std::string f;
  f += char((fin ? 0x80 : 0) | opcode);
  f += char(0x80 | payload.size());  // < 126 here
  for (uint8_t m : mask) f += char(m);
  for (size_t i = 0; i < payload.size(); ++i) f += char(payload[i] ^ mask[i % 4]);
  return f;
}

const char* kUpgrade =
    R"("method":"GET","uri":"/ws/chat","headers":[["Host","h"],["Upgrade","websocket"],["Connection","Upgrade"],)"
    R"(["Sec-WebSocket-Key","dGhlIHNhbXBsZSBub25jZQ=="],["Sec-WebSocket-Version","13"]])";

class OfflineProtocols : public InspectWorkdir {
 protected:
  OfflineProtocols() : InspectWorkdir(kRules) {}

  // Runs the corpus and returns the verdict line per id.
  std::map<std::string, nlohmann::json> verdicts(const std::string& corpus) {
    const RunResult r = inspect_cli({"--corpus", write("c.jsonl", corpus), "--output", path("v.jsonl")});
    EXPECT_EQ(r.code, 0) << r.err;
    std::map<std::string, nlohmann::json> by_id;
    std::ifstream in(dir_ + "/v.jsonl");
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line);
      by_id[j["id"].get<std::string>()] = j;
    }
    return by_id;
  }

  static bool has_zone(const nlohmann::json& v, const std::string& zone) {
    for (const auto& f : v["findings"]) {
      if (f["zone"] == zone && f["rule"] == "t-union") return true;
    }
    return false;
  }
};

TEST_F(OfflineProtocols, Http2ConnectionGoesToTheHttp2Parser) {
  const std::string corpus =
      R"({"id":"h2a","version":"2","raw_b64":")" + base64(h2_get("/s?q=1%20UNION%20SELECT%20pw")) +
      "\"}\n" + R"({"id":"h2b","version":"2","raw_b64":")" + base64(h2_get("/s?q=shoes")) + "\"}\n";
  auto v = verdicts(corpus);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_TRUE(v["h2a"]["blocked"].get<bool>()) << v["h2a"].dump();
  EXPECT_TRUE(has_zone(v["h2a"], "query_arg")) << v["h2a"].dump();
  EXPECT_FALSE(v["h2a"].contains("parse_error")) << v["h2a"].dump();
  EXPECT_FALSE(v["h2b"]["blocked"].get<bool>()) << v["h2b"].dump();
  EXPECT_FALSE(v["h2b"].contains("parse_error")) << v["h2b"].dump();
}

TEST_F(OfflineProtocols, WebSocketMessagesAfterTheUpgrade) {
  const std::string frames = ws_frame("{\"note\":\"1 uni", 0x1, false) + ws_frame("on select pw\"}", 0x0, true);
  const std::string corpus =
      std::string(R"({"id":"ws1",)") + kUpgrade + R"(,"ws_messages":["hello","{\"text\":\"1 UNION SELECT pw\"}"]})" + "\n" +
      R"({"id":"ws2",)" + kUpgrade + R"(,"ws_frames_b64":")" + base64(frames) + "\"}\n" +
      R"({"id":"ws3",)" + kUpgrade + R"(,"ws_messages":["{\"text\":\"union station at 5\"}"]})" + "\n" +
      // Not an upgrade: no server switches, the frames are never WebSocket.
      R"({"id":"ws4","method":"GET","uri":"/ws","headers":[["Host","h"]],"ws_messages":["1 union select 2"]})" + "\n";
  auto v = verdicts(corpus);
  ASSERT_EQ(v.size(), 4u);
  EXPECT_TRUE(v["ws1"]["blocked"].get<bool>()) << v["ws1"].dump();
  EXPECT_TRUE(has_zone(v["ws1"], "ws_message")) << v["ws1"].dump();
  // A message fragmented over two frames is one message to the rules.
  EXPECT_TRUE(v["ws2"]["blocked"].get<bool>()) << v["ws2"].dump();
  EXPECT_TRUE(has_zone(v["ws2"], "ws_message")) << v["ws2"].dump();
  EXPECT_FALSE(v["ws3"]["blocked"].get<bool>()) << v["ws3"].dump();
  EXPECT_FALSE(v["ws4"]["blocked"].get<bool>()) << v["ws4"].dump();
  EXPECT_EQ(v["ws4"]["parse_error"], "corpus.no_websocket_upgrade") << v["ws4"].dump();
}

}  // namespace
}  // namespace weir::cli
