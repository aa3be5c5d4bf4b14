#include "parsers/websocket/websocket_extensions.h"

#include <gtest/gtest.h>

#include "parsers/websocket/utf8_validator.h"

namespace weir::parse {
namespace {

TEST(WebSocketExtensions, PermessageDeflateParameters) {
  WebSocketDeflate d;
  EXPECT_EQ(parse_websocket_extensions("", d), ExtensionsStatus::Ok);
  EXPECT_FALSE(d.enabled);
  EXPECT_EQ(parse_websocket_extensions(
                "permessage-deflate; client_max_window_bits=10; server_no_context_takeover; "
                "server_max_window_bits=\"12\"",
                d),
            ExtensionsStatus::Ok);
  EXPECT_TRUE(d.enabled);
  EXPECT_TRUE(d.server_no_context_takeover);
  EXPECT_FALSE(d.client_no_context_takeover);
  EXPECT_EQ(d.client_max_window_bits, 10);
  EXPECT_EQ(d.server_max_window_bits, 12);
  EXPECT_EQ(parse_websocket_extensions("Permessage-Deflate;client_no_context_takeover", d),
            ExtensionsStatus::Ok);
  EXPECT_TRUE(d.client_no_context_takeover);
}

TEST(WebSocketExtensions, BadAndUnknownExtensions) {
  WebSocketDeflate d;
  EXPECT_EQ(parse_websocket_extensions("permessage-deflate; server_max_window_bits=7", d),
            ExtensionsStatus::BadParameters);
  EXPECT_EQ(parse_websocket_extensions("permessage-deflate; client_max_window_bits", d),
            ExtensionsStatus::BadParameters);
  EXPECT_EQ(parse_websocket_extensions("permessage-deflate; x=1", d), ExtensionsStatus::BadParameters);
  EXPECT_EQ(parse_websocket_extensions("permessage-deflate, permessage-deflate", d),
            ExtensionsStatus::BadParameters);
  EXPECT_EQ(parse_websocket_extensions("permessage-deflate; server_no_context_takeover=1", d),
            ExtensionsStatus::BadParameters);
  EXPECT_EQ(parse_websocket_extensions("x-webkit-deflate-frame", d), ExtensionsStatus::UnknownExtension);
}

TEST(Utf8Validator, AcceptsWellFormedAndRejectsTheRest) {
  auto check = [](std::string_view s) {
    Utf8Validator v;
    v.feed(reinterpret_cast<const uint8_t*>(s.data()), s.size());
    return v.complete();
  };
  EXPECT_TRUE(check("plain ascii"));
  EXPECT_TRUE(check("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf"));
  EXPECT_FALSE(check("\xc0\xaf"));          // overlong
  EXPECT_FALSE(check("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(check("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(check("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(check("\xf5\x80\x80\x80"));
  EXPECT_FALSE(check("\x80"));
  EXPECT_FALSE(check("\xe2\x82"));          // cut
  Utf8Validator split;
  split.feed(reinterpret_cast<const uint8_t*>("\xf0\x9f"), 2);
  EXPECT_TRUE(split.valid());
  EXPECT_FALSE(split.complete());
  split.feed(reinterpret_cast<const uint8_t*>("\x98\x80"), 2);
  EXPECT_TRUE(split.complete());
}

}  // namespace
}  // namespace weir::parse
