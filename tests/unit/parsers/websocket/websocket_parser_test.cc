#include "parsers/websocket/websocket_parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "../noise_bytes.h"
#include "ws_frames.h"

namespace weir::parse {
namespace {

using testing::frame;
using testing::FrameSpec;
using testing::MessageDeflater;
using testing::server;
using testing::WsHarness;

constexpr const char* kDeflate = "permessage-deflate";

FrameSpec op(uint8_t opcode, bool fin = true) {
  FrameSpec f;
  f.opcode = opcode;
  f.fin = fin;
  return f;
}

FrameSpec compressed(uint8_t opcode = 0x1, bool fin = true) {
  FrameSpec f = op(opcode, fin);
  f.rsv = 0x40;
  return f;
}

std::string close_payload(uint16_t code, std::string_view reason = {}) {
  std::string p;
  p.push_back(static_cast<char>(code >> 8));
  p.push_back(static_cast<char>(code));
  p.append(reason);
  return p;
}

TEST(WebSocketParser, JsonMessageBecomesJsonPathFields) {
  WsHarness h;
  ASSERT_EQ(h.feed(frame(R"({"action":"say","msg":{"text":"<script>"}})")).status, FeedStatus::Ok);
  ASSERT_EQ(h.sink.decisions.size(), 1u);
  const auto& d = h.sink.decisions[0];
  EXPECT_EQ(d.point, DecisionPoint::EndOfMessage);
  EXPECT_EQ(d.target, "/chat?room=1");
  EXPECT_EQ(d.host, "example.test");
  EXPECT_EQ(d.value(Zone::WsMessage, "action"), "say");
  EXPECT_EQ(d.value(Zone::WsMessage, "msg.text"), "<script>");
  EXPECT_TRUE(d.findings.empty());
}

TEST(WebSocketParser, OtherMessagesAreOneRawField) {
  WsHarness h;
  ASSERT_EQ(h.feed(frame("hello ' or 1=1")).status, FeedStatus::Ok);
  ASSERT_EQ(h.feed(frame(std::string("\x00\x01\xff", 3), server(0x2)), Direction::Response).status,
            FeedStatus::Ok);
  ASSERT_EQ(h.sink.decisions.size(), 2u);
  EXPECT_EQ(h.sink.decisions[0].value(Zone::WsMessage), "hello ' or 1=1");
  EXPECT_EQ(h.sink.decisions[1].direction, Direction::Response);
  // Too short to be a binary blob: as sent (next test).
  EXPECT_EQ(h.sink.decisions[1].value(Zone::WsMessage), std::string("\x00\x01\xff", 3));
  EXPECT_TRUE(h.sink.decisions[1].findings.empty());
  // Message indices count per direction.
  ASSERT_EQ(h.feed(frame("second")).status, FeedStatus::Ok);
  EXPECT_EQ(h.sink.decisions[2].index, 1u);
}

TEST(WebSocketParser, BinaryMessagesAreInspectedByTheirStrings) {
  // A MessagePack map {"q": "<attack>", "img": <bin 200>}: its strings are
  // kept, runs of text between binary bytes with fewer than 12 ASCII bytes
  // that are no MessagePack string (";Ms\L" in the image) are not.
  const std::string attack = "1' OR '1'='1' --";
  std::string msg("\x82\xa1q", 3);
  msg += static_cast<char>(0xa0 | attack.size());
  msg += attack;
  msg += std::string("\xa3img\xc4\xc8;Ms\\L\x00\x01\x02", 14) + testing::noise_bytes(195);
  WsHarness h;
  ASSERT_EQ(h.feed(frame(msg, op(0x2))).status, FeedStatus::Ok);
  EXPECT_EQ(h.sink.decisions.at(0).value(Zone::WsMessage), attack);
  // Binary opcode, text bytes: one field as sent.
  ASSERT_EQ(h.feed(frame("subscribe ticker;Ms\\L", op(0x2))).status, FeedStatus::Ok);
  EXPECT_EQ(h.sink.decisions.at(1).value(Zone::WsMessage), "subscribe ticker;Ms\\L");
  // Text opcode: always as sent (a text message is UTF-8 or a finding).
  ASSERT_EQ(h.feed(frame(std::string("a\x01" "b\x02;Ms\\L", 9))).status, FeedStatus::Ok);
  EXPECT_EQ(h.sink.decisions.at(2).value(Zone::WsMessage), std::string("a\x01" "b\x02;Ms\\L", 9));
  // A short MessagePack string (an SSTI probe of 7 bytes) is kept too.
  std::string probe("\x82\xa1q\xa7{{7*7}}\xa3img\xc4\xc8", 18);
  probe += testing::noise_bytes(200);
  ASSERT_EQ(h.feed(frame(probe, op(0x2))).status, FeedStatus::Ok);
  EXPECT_EQ(h.sink.decisions.at(3).value(Zone::WsMessage), "{{7*7}}");
}

TEST(WebSocketParser, MaskingRules) {
  WsHarness h;
  FrameSpec unmasked;
  unmasked.mask = false;
  ASSERT_EQ(h.feed(frame("x", unmasked)).status, FeedStatus::Ok);
  EXPECT_TRUE(h.sink.decisions.at(0).has_finding("ws.unmasked_client_frame"));
  FrameSpec masked_server = server();
  masked_server.mask = true;
  ASSERT_EQ(h.feed(frame("y", masked_server), Direction::Response).status, FeedStatus::Ok);
  EXPECT_TRUE(h.sink.decisions.at(1).has_finding("ws.masked_server_frame"));
  EXPECT_EQ(h.sink.decisions.at(1).value(Zone::WsMessage), "y");  // unmasked for inspection
  ASSERT_EQ(h.feed(frame("z")).status, FeedStatus::Ok);
  EXPECT_TRUE(h.sink.decisions.at(2).findings.empty());
}

TEST(WebSocketParser, FragmentsWithInterleavedControlFramesAreOneMessage) {
  WsHarness h;
  const std::string stream = frame("{\"a\":", op(0x1, false)) + frame("ping!", op(0x9)) +
                             frame("\"1 uni", op(0x0, false)) + frame("pong", op(0xA)) +
                             frame("on select\"}", op(0x0));
  ASSERT_EQ(h.feed(stream).status, FeedStatus::Ok);
  ASSERT_EQ(h.sink.decisions.size(), 1u);
  EXPECT_EQ(h.sink.decisions[0].value(Zone::WsMessage, "a"), "1 union select");
  EXPECT_TRUE(h.sink.decisions[0].findings.empty());
}

TEST(WebSocketParser, ControlFrameRules) {
  WsHarness h;
  ASSERT_EQ(h.feed(frame(std::string(126, 'p'), op(0x9))).status, FeedStatus::Ok);
  ASSERT_EQ(h.sink.decisions.size(), 1u);  // a finding outside a message is shown at once
  EXPECT_TRUE(h.sink.decisions[0].has_finding("ws.control_too_long"));
  EXPECT_TRUE(h.sink.decisions[0].fields.empty());
  ASSERT_EQ(h.feed(frame("p", op(0x9, false))).status, FeedStatus::Ok);
  EXPECT_TRUE(h.sink.decisions.at(1).has_finding("ws.fragmented_control"));
  ASSERT_EQ(h.feed(frame("p", op(0x9))).status, FeedStatus::Ok);
  EXPECT_EQ(h.sink.decisions.size(), 2u);  // a valid ping decides nothing
  ASSERT_EQ(h.feed(frame("", op(0xB))).status, FeedStatus::Ok);
  EXPECT_TRUE(h.sink.decisions.at(2).has_finding("ws.reserved_opcode"));
}

TEST(WebSocketParser, CloseCodesAreValidated) {
  struct Case {
    std::string payload;
    const char* finding;  // nullptr: valid
  };
  for (const Case& c : {Case{close_payload(1000, "bye"), nullptr}, Case{close_payload(4999), nullptr},
                        Case{close_payload(1012), nullptr}, Case{"", nullptr},
                        Case{close_payload(1005), "ws.bad_close_code"},
                        Case{close_payload(999), "ws.bad_close_code"},
                        Case{close_payload(2000), "ws.bad_close_code"},
                        Case{close_payload(5000), "ws.bad_close_code"},
                        Case{"\x03", "ws.bad_close_payload"},
                        Case{close_payload(1000, "\xc3\x28"), "ws.invalid_utf8"}}) {
    WsHarness h;
    ASSERT_EQ(h.feed(frame(c.payload, op(0x8))).status, FeedStatus::Ok);
    if (c.finding == nullptr) {
      EXPECT_TRUE(h.sink.decisions.empty()) << c.payload.size();
    } else {
      ASSERT_EQ(h.sink.decisions.size(), 1u) << c.finding;
      EXPECT_TRUE(h.sink.decisions[0].has_finding(c.finding)) << c.finding;
    }
  }
}

TEST(WebSocketParser, DataAfterCloseIsReported) {
  WsHarness h;
  ASSERT_EQ(h.feed(frame(close_payload(1000), op(0x8)) + frame("late")).status, FeedStatus::Ok);
  ASSERT_EQ(h.sink.decisions.size(), 1u);
  EXPECT_TRUE(h.sink.decisions[0].has_finding("ws.data_after_close"));
  EXPECT_EQ(h.sink.decisions[0].value(Zone::WsMessage), "late");
}

TEST(WebSocketParser, RsvBitsNeedAnExtension) {
  WsHarness plain;
  ASSERT_EQ(plain.feed(frame("x", compressed())).status, FeedStatus::Ok);
  EXPECT_TRUE(plain.sink.decisions.at(0).has_finding("ws.rsv_bits"));
  EXPECT_EQ(plain.sink.decisions.at(0).value(Zone::WsMessage), "x");  // not inflated

  WsHarness deflate(kDeflate);
  FrameSpec rsv2;
  rsv2.rsv = 0x20;
  ASSERT_EQ(deflate.feed(frame("x", rsv2)).status, FeedStatus::Ok);
  EXPECT_TRUE(deflate.sink.decisions.at(0).has_finding("ws.rsv_bits"));
  MessageDeflater z;
  const std::string data = z.compress("hello");
  FrameSpec cont = compressed(0x0);
  ASSERT_EQ(deflate.feed(frame(data.substr(0, 2), compressed(0x1, false)) + frame(data.substr(2), cont)).status,
            FeedStatus::Ok);
  EXPECT_TRUE(deflate.sink.decisions.at(1).has_finding("ws.rsv_bits"));
  FrameSpec ping = compressed(0x9);
  ASSERT_EQ(deflate.feed(frame("p", ping)).status, FeedStatus::Ok);
  EXPECT_TRUE(deflate.sink.decisions.at(2).has_finding("ws.rsv_bits"));

  // An extension we do not know may use RSV bits: not a finding, but said once.
  WsHarness unknown("x-webkit-deflate-frame");
  ASSERT_EQ(unknown.feed(frame("x", compressed())).status, FeedStatus::Ok);
  EXPECT_FALSE(unknown.sink.decisions.at(0).has_finding("ws.rsv_bits"));
  EXPECT_TRUE(unknown.sink.decisions.at(0).has_finding("ws.unknown_extension"));
}

TEST(WebSocketParser, ExtensionsWeCannotReadAreReportedOnce) {
  WsHarness h("permessage-deflate; server_max_window_bits=99");
  ASSERT_EQ(h.feed(frame("a") + frame("b")).status, FeedStatus::Ok);
  EXPECT_TRUE(h.sink.decisions.at(0).has_finding("ws.bad_extension"));
  EXPECT_FALSE(h.sink.decisions.at(1).has_finding("ws.bad_extension"));
}

TEST(WebSocketParser, EveryDistinctFindingOfAMessageIsShown) {
  // Eleven distinct findings pending on one side before a decision: none may
  // be lost (a pending list of 8 dropped ws.interleaved_message).
  ParseLimits limits;
  limits.max_ws_message_bytes = 4;
  WsHarness h({}, limits);
  FrameSpec bad = op(0x1);
  bad.mask = false;                // ws.unmasked_client_frame
  bad.rsv = 0x20;                  // ws.rsv_bits
  bad.length_form = 16;            // ws.non_minimal_length
  const std::string stream =
      frame(close_payload(1000), op(0x8)) +                       // then ws.data_after_close
      frame("ab", op(0x1, false)) +                               // a message in progress
      frame("p", op(0x9, false)) +                                // ws.fragmented_control
      frame("", op(0xB)) +                                        // ws.reserved_opcode
      frame(close_payload(999), op(0x8)) +                        // ws.bad_close_code
      frame(std::string(130, 'p'), op(0x9)) +                     // ws.control_too_long
      frame("\xc0\xaf <script>", bad);                            // interleaved, invalid UTF-8, too large
  ASSERT_EQ(h.feed(stream).status, FeedStatus::Ok);
  std::set<std::string> seen;
  for (const auto& d : h.sink.decisions) seen.insert(d.findings.begin(), d.findings.end());
  for (const char* f : {"ws.data_after_close", "ws.fragmented_control", "ws.reserved_opcode", "ws.bad_close_code",
                        "ws.control_too_long", "ws.interleaved_message", "ws.unmasked_client_frame",
                        "ws.rsv_bits", "ws.non_minimal_length", "ws.invalid_utf8", "ws.message_too_large"}) {
    EXPECT_TRUE(seen.count(f)) << f;
  }
}

TEST(WebSocketParser, EachFindingNameOncePerDecision) {
  // RSV1 and RSV2 on a connection without extensions, in two frames of one
  // message: two reasons, one ws.rsv_bits; the next message starts clean.
  WsHarness h;
  FrameSpec first = op(0x1, false);
  first.rsv = 0x40;
  FrameSpec second = op(0x0);
  second.rsv = 0x20;
  ASSERT_EQ(h.feed(frame("a", first) + frame("b", second) + frame("c")).status, FeedStatus::Ok);
  ASSERT_EQ(h.sink.decisions.size(), 2u);
  const auto& f = h.sink.decisions[0].findings;
  EXPECT_EQ(std::count(f.begin(), f.end(), "ws.rsv_bits"), 1);
  EXPECT_TRUE(h.sink.decisions[1].findings.empty());
}

TEST(WebSocketParser, FitsAFlowSlot) {
  // Per-flow state lives in the flow's parser slot; buffers are borrowed.
  // Pending findings are one bit per kind (1232 bytes; a list of 8 stored
  // findings per side made it 1872).
  EXPECT_LE(sizeof(WebSocketParser), 1280u);
}

TEST(WebSocketParser, PermessageDeflateWithContextTakeover) {
  WsHarness h(kDeflate);
  MessageDeflater client;  // keeps its window across messages
  MessageDeflater srv;
  const std::string msg = R"({"cmd":"exec","arg":"cat /etc/passwd"})";
  std::string stream;
  for (int i = 0; i < 3; ++i) stream += frame(client.compress(msg), compressed());
  ASSERT_EQ(h.feed(stream).status, FeedStatus::Ok);
  ASSERT_EQ(h.feed(frame(srv.compress("reply text"), [] {
                      FrameSpec f = server();
                      f.rsv = 0x40;
                      return f;
                    }()),
                   Direction::Response)
                .status,
            FeedStatus::Ok);
  ASSERT_EQ(h.sink.decisions.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(h.sink.decisions[i].value(Zone::WsMessage, "arg"), "cat /etc/passwd") << i;
    EXPECT_TRUE(h.sink.decisions[i].findings.empty()) << i;
  }
  EXPECT_EQ(h.sink.decisions[3].value(Zone::WsMessage), "reply text");
  // Later messages really used the window: they are shorter than the first.
  MessageDeflater again;
  const size_t first = again.compress(msg).size();
  EXPECT_LT(again.compress(msg).size(), first);
}

TEST(WebSocketParser, NoContextTakeoverResetsBetweenMessages) {
  const std::string msg = "repeat repeat repeat";
  {
    WsHarness h("permessage-deflate; client_no_context_takeover");
    EXPECT_TRUE(h.parser->deflate().client_no_context_takeover);
    MessageDeflater fresh(/*takeover=*/false);
    const std::string m1 = fresh.compress(msg);
    const std::string m2 = fresh.compress(msg);
    ASSERT_EQ(h.feed(frame(m1, compressed()) + frame(m2, compressed())).status, FeedStatus::Ok);
    ASSERT_EQ(h.sink.decisions.size(), 2u);
    EXPECT_EQ(h.sink.decisions[1].value(Zone::WsMessage), msg);
  }
  {
    // The negotiation says "no takeover" but the client keeps its window:
    // the second message refers to bytes the parser (like the server) dropped.
    WsHarness h("permessage-deflate; client_no_context_takeover");
    MessageDeflater keeps(/*takeover=*/true);
    const std::string first = keeps.compress(msg);
    const std::string second = keeps.compress(msg);
    const FeedResult r = h.feed(frame(first, compressed()) + frame(second, compressed()));
    EXPECT_EQ(r.status, FeedStatus::ParseError);
    EXPECT_EQ(r.error.name, "ws.inflate_error");
    EXPECT_EQ(r.consumed, frame(first, compressed()).size());
  }
}

TEST(WebSocketParser, OversizedMessagesAreFindingsWithThePrefixInspected) {
  ParseLimits limits;
  limits.max_body_inspect = 1024;
  limits.max_ws_message_bytes = 4096;
  WsHarness h({}, limits);
  const std::string big = "<script>" + std::string(5000, 'a');
  ASSERT_EQ(h.feed(frame(big)).status, FeedStatus::Ok);
  const auto& d = h.sink.decisions.at(0);
  EXPECT_TRUE(d.has_finding("ws.message_too_large"));
  EXPECT_EQ(d.value(Zone::WsMessage), big.substr(0, 1024));
  const std::string medium = "{\"k\":\"" + std::string(2000, 'b') + "\"}";
  ASSERT_EQ(h.feed(frame(medium)).status, FeedStatus::Ok);
  EXPECT_TRUE(h.sink.decisions.at(1).has_finding("ws.message_truncated"));
  EXPECT_FALSE(h.sink.decisions.at(1).has_finding("ws.message_too_large"));
  EXPECT_EQ(h.sink.decisions.at(1).value(Zone::WsMessage), medium.substr(0, 1024));
}

TEST(WebSocketParser, JsonMessagesObeyTheDepthAndFieldCaps) {
  ParseLimits limits;
  limits.max_json_depth = 4;
  limits.max_json_fields = 8;
  WsHarness h({}, limits);
  std::string wide = "{";
  for (int i = 0; i < 20; ++i) wide += (i > 0 ? ",\"k" : "\"k") + std::to_string(i) + "\":\"v\"";
  wide += ",\"last\":\"<svg onload=x>\"}";
  ASSERT_EQ(h.feed(frame(wide)).status, FeedStatus::Ok);
  const auto& w = h.sink.decisions.at(0);
  EXPECT_TRUE(w.has_finding("json.field_cap"));
  EXPECT_LE(w.fields.size(), 9u);
  EXPECT_EQ(w.value(Zone::WsMessage), wide);  // the whole message raw: nothing escapes
  const std::string deep = R"({"a":{"b":{"c":{"d":{"e":{"f":"' or 1=1--"}}}}}})";
  ASSERT_EQ(h.feed(frame(deep)).status, FeedStatus::Ok);
  const auto& d = h.sink.decisions.at(1);
  EXPECT_TRUE(d.has_finding("json.depth_cap"));
  bool seen = false;
  for (const auto& f : d.fields) seen = seen || f.value.find("' or 1=1--") != std::string::npos;
  EXPECT_TRUE(seen);
  // Within the caps: paths, no findings.
  ASSERT_EQ(h.feed(frame(R"({"a":{"b":"c"}})")).status, FeedStatus::Ok);
  EXPECT_TRUE(h.sink.decisions.at(2).findings.empty());
  EXPECT_EQ(h.sink.decisions.at(2).value(Zone::WsMessage, "a.b"), "c");
}

TEST(WebSocketParser, TextMustBeUtf8AcrossFragments) {
  WsHarness h;
  // U+20AC split between two fragments: valid.
  ASSERT_EQ(h.feed(frame("\xe2\x82", op(0x1, false)) + frame("\xac", op(0x0))).status, FeedStatus::Ok);
  EXPECT_FALSE(h.sink.decisions.at(0).has_finding("ws.invalid_utf8"));
  ASSERT_EQ(h.feed(frame("\xc0\xaf")).status, FeedStatus::Ok);  // overlong '/'
  EXPECT_TRUE(h.sink.decisions.at(1).has_finding("ws.invalid_utf8"));
  ASSERT_EQ(h.feed(frame("\xe2\x82")).status, FeedStatus::Ok);  // cut sequence
  EXPECT_TRUE(h.sink.decisions.at(2).has_finding("ws.invalid_utf8"));
  FrameSpec binary = op(0x2);
  ASSERT_EQ(h.feed(frame("\xc0\xaf", binary)).status, FeedStatus::Ok);
  EXPECT_FALSE(h.sink.decisions.at(3).has_finding("ws.invalid_utf8"));
}

TEST(WebSocketParser, CompressedBombIsCutAndLosesTheContext) {
  ParseLimits limits;
  limits.decode_ratio_floor = 64 * 1024;
  limits.max_decode_ratio = 100;
  WsHarness h(kDeflate, limits);
  MessageDeflater z(true, 9);
  const std::string bomb = z.compress(std::string(8 << 20, '0'));
  ASSERT_EQ(h.feed(frame(bomb, compressed())).status, FeedStatus::Ok);
  EXPECT_TRUE(h.sink.decisions.at(0).has_finding("ws.bomb"));
  EXPECT_EQ(h.sink.decisions.at(0).value(Zone::WsMessage).substr(0, 4), "0000");
  const FeedResult r = h.feed(frame(z.compress("next"), compressed()));
  EXPECT_EQ(r.status, FeedStatus::ParseError);
  EXPECT_EQ(r.error.name, "ws.inflate_lost");
  // Without context takeover the next message is readable again.
  WsHarness fresh("permessage-deflate; client_no_context_takeover", limits);
  MessageDeflater y(false, 9);
  const std::string big = y.compress(std::string(8 << 20, '0'));
  const std::string next = y.compress("next");
  ASSERT_EQ(fresh.feed(frame(big, compressed()) + frame(next, compressed())).status, FeedStatus::Ok);
  EXPECT_TRUE(fresh.sink.decisions.at(0).has_finding("ws.bomb"));
  EXPECT_EQ(fresh.sink.decisions.at(1).value(Zone::WsMessage), "next");
}

TEST(WebSocketParser, LengthEncodings) {
  WsHarness h;
  FrameSpec long16;
  long16.length_form = 16;
  FrameSpec long64;
  long64.length_form = 64;
  ASSERT_EQ(h.feed(frame("short", long16) + frame("short", long64)).status, FeedStatus::Ok);
  EXPECT_TRUE(h.sink.decisions.at(0).has_finding("ws.non_minimal_length"));
  EXPECT_TRUE(h.sink.decisions.at(1).has_finding("ws.non_minimal_length"));
  const std::string big(70000, 'x');
  ASSERT_EQ(h.feed(frame(big)).status, FeedStatus::Ok);
  EXPECT_FALSE(h.sink.decisions.at(2).has_finding("ws.non_minimal_length"));

  WsHarness bad;
  std::string f = frame("x", long64);
  f[2] = static_cast<char>(0x80);
  const FeedResult r = bad.feed(frame("ok") + f);
  EXPECT_EQ(r.status, FeedStatus::ParseError);
  EXPECT_EQ(r.error.name, "ws.bad_length");
  EXPECT_EQ(r.consumed, frame("ok").size());
  EXPECT_EQ(bad.sink.decisions.back().point, DecisionPoint::ParseError);
  EXPECT_EQ(bad.feed(frame("more")).status, FeedStatus::ParseError);
}

TEST(WebSocketParser, MessageSequenceViolations) {
  WsHarness h;
  ASSERT_EQ(h.feed(frame("orphan", op(0x0))).status, FeedStatus::Ok);
  EXPECT_TRUE(h.sink.decisions.at(0).has_finding("ws.unexpected_continuation"));
  EXPECT_EQ(h.sink.decisions.at(0).value(Zone::WsMessage), "orphan");
  ASSERT_EQ(h.feed(frame("first", op(0x1, false)) + frame("second")).status, FeedStatus::Ok);
  ASSERT_EQ(h.sink.decisions.size(), 3u);
  EXPECT_TRUE(h.sink.decisions[1].has_finding("ws.interleaved_message"));
  EXPECT_EQ(h.sink.decisions[1].value(Zone::WsMessage), "first");
  EXPECT_EQ(h.sink.decisions[2].value(Zone::WsMessage), "second");
  ASSERT_EQ(h.feed(frame("r", op(0x3))).status, FeedStatus::Ok);
  EXPECT_TRUE(h.sink.decisions.at(3).has_finding("ws.reserved_opcode"));
}

TEST(WebSocketParser, BlockStopsAtTheMessage) {
  WsHarness h;
  h.sink.block_at = 0;
  const std::string first = frame("attack");
  const FeedResult r = h.feed(first + frame("next"));
  EXPECT_EQ(r.status, FeedStatus::Blocked);
  EXPECT_EQ(r.consumed, first.size());
  EXPECT_EQ(h.sink.decisions.size(), 1u);
  EXPECT_EQ(h.feed(frame("x")).status, FeedStatus::Blocked);
}

TEST(WebSocketParser, NoBufferIsAResourceLimit) {
  testing::WsHarness h({}, {}, [] {
    WorkspaceSizes s = testing::ws_test_sizes();
    s.body_slabs = 0;
    return s;
  }());
  const FeedResult r = h.feed(frame("x"));
  EXPECT_EQ(r.status, FeedStatus::ResourceLimit);
  EXPECT_EQ(r.error.name, "parse.resource_limit");
}

TEST(WebSocketParser, DecisionsDoNotDependOnChunking) {
  MessageDeflater client;
  MessageDeflater srv(false);
  FrameSpec srv_compressed = server();
  srv_compressed.rsv = 0x40;
  // Compressed in message order (operands of + are evaluated in any order).
  const std::string c1 = client.compress(R"({"q":"1' or '1'='1"})");
  const std::string c2 = client.compress("again {\"q\":1}");
  const std::string requests =
      frame(c1, compressed()) +
      frame("frag", op(0x1, false)) + frame("ping", op(0x9)) + frame("ment\xe2\x82", op(0x0, false)) +
      frame("\xac", op(0x0)) + frame(c2, compressed(0x1, false)) +
      frame("", op(0x0)) + frame(std::string(300, 'L')) + frame(close_payload(1006), op(0x8));
  const std::string responses = frame(srv.compress("[1,2,3]"), srv_compressed) + frame("plain", server());

  WsHarness whole(kDeflate);
  ASSERT_EQ(whole.feed(requests).status, FeedStatus::Ok);
  ASSERT_EQ(whole.feed(responses, Direction::Response).status, FeedStatus::Ok);
  ASSERT_EQ(whole.sink.decisions.size(), 7u);
  EXPECT_EQ(whole.sink.decisions[0].value(Zone::WsMessage, "q"), "1' or '1'='1");
  EXPECT_EQ(whole.sink.decisions[1].value(Zone::WsMessage), "fragment\xe2\x82\xac");
  EXPECT_EQ(whole.sink.decisions[2].value(Zone::WsMessage), "again {\"q\":1}");
  EXPECT_TRUE(whole.sink.decisions[4].has_finding("ws.bad_close_code"));
  EXPECT_EQ(whole.sink.decisions[5].value(Zone::WsMessage, "[1]"), "2");

  auto same = [&](const WsHarness& h, const std::string& what) {
    ASSERT_EQ(h.sink.decisions.size(), whole.sink.decisions.size()) << what;
    for (size_t i = 0; i < h.sink.decisions.size(); ++i) {
      EXPECT_EQ(h.sink.decisions[i].fields, whole.sink.decisions[i].fields) << what << " #" << i;
      EXPECT_EQ(h.sink.decisions[i].findings, whole.sink.decisions[i].findings) << what << " #" << i;
    }
  };
  for (size_t step : {1u, 2u, 3u, 5u, 7u, 64u}) {
    WsHarness h(kDeflate);
    ASSERT_EQ(h.feed(requests, Direction::Request, step).status, FeedStatus::Ok);
    ASSERT_EQ(h.feed(responses, Direction::Response, step).status, FeedStatus::Ok);
    same(h, "step " + std::to_string(step));
  }
  for (size_t cut = 1; cut < requests.size(); ++cut) {
    WsHarness h(kDeflate);
    ASSERT_EQ(h.feed(requests.substr(0, cut)).status, FeedStatus::Ok);
    ASSERT_EQ(h.feed(requests.substr(cut)).status, FeedStatus::Ok);
    ASSERT_EQ(h.feed(responses, Direction::Response).status, FeedStatus::Ok);
    same(h, "cut " + std::to_string(cut));
  }
}

}  // namespace
}  // namespace weir::parse
