// The JSON inside Socket.IO packets and STOMP frames (what the WebSocket
// parser flattens into ws_message fields by path), and what is not an
// envelope.

#include "parsers/websocket/ws_message_envelope.h"

#include <gtest/gtest.h>

#include <string>

namespace weir::parse {
namespace {

TEST(WsMessageEnvelope, SocketIoPackets) {
  EXPECT_EQ(find_ws_envelope(R"(42["chat message",{"msg":"hi"}])").json, R"(["chat message",{"msg":"hi"}])");
  EXPECT_EQ(find_ws_envelope(R"(42/admin,17["cmd",{"a":1}])").json, R"(["cmd",{"a":1}])");
  EXPECT_EQ(find_ws_envelope(R"(451-["upload",{"_placeholder":true,"num":0}])").json,
            R"(["upload",{"_placeholder":true,"num":0}])");
  EXPECT_EQ(find_ws_envelope(R"(40{"token":"x"})").json, R"({"token":"x"})");
  EXPECT_TRUE(find_ws_envelope(R"(42["a"])").head.empty());
  // Engine.IO pings and bare numbers carry no JSON.
  EXPECT_TRUE(find_ws_envelope("2").json.empty());
  EXPECT_TRUE(find_ws_envelope("40").json.empty());
  EXPECT_TRUE(find_ws_envelope("12345 apples").json.empty());
  EXPECT_TRUE(find_ws_envelope(R"(42/ns ["x"])").json.empty());
}

TEST(WsMessageEnvelope, StompFrames) {
  const std::string send = std::string("SEND\ndestination:/app/chat\ncontent-type:application/json\n\n{\"content\":\"x\"}") + '\0';
  const WsEnvelope e = find_ws_envelope(send);
  EXPECT_EQ(e.json, R"({"content":"x"})");
  EXPECT_EQ(e.head, "SEND\ndestination:/app/chat\ncontent-type:application/json\n\n");
  const std::string crlf = std::string("MESSAGE\r\ndestination:/topic/a\r\n\r\n[1,2]") + '\0' + "\n";
  EXPECT_EQ(find_ws_envelope(crlf).json, "[1,2]");
  // A STOMP frame with a text body, an unknown command, prose: no JSON.
  EXPECT_TRUE(find_ws_envelope(std::string("SEND\ndestination:/q\n\nhello") + '\0').json.empty());
  EXPECT_TRUE(find_ws_envelope("HELLO\n\n{\"a\":1}").json.empty());
  EXPECT_TRUE(find_ws_envelope("Thanks, see you at 5").json.empty());
  EXPECT_TRUE(find_ws_envelope("").json.empty());
}

}  // namespace
}  // namespace weir::parse
