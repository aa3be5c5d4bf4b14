// The JSON Lines corpus reader: every key of the format, and errors that
// name file, line and key.

#include "cli/corpus_reader.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace weir::cli {
namespace {

CorpusRequest line(const std::string& text) { return parse_corpus_line(text, "c.jsonl", 7); }

std::string error_of(const std::string& text) {
  try {
    read_corpus_text(text, "c.jsonl");
  } catch (const CorpusError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(CorpusReader, StructuredKeys) {
  const auto r = line(
      R"({"id":"sqli-0007","method":"POST","uri":"/api/v1/orders?sort=desc",)"
      R"("headers":[["Host","shop.example"],["Content-Type","application/json"]],)"
      R"("body":"{\"coupon\":\"x' OR '1'='1\"}","label":"attack","class":"sqli","note":"ignored"})");
  EXPECT_EQ(r.id, "sqli-0007");
  EXPECT_EQ(r.label, CorpusLabel::Attack);
  EXPECT_EQ(r.attack_class, "sqli");
  EXPECT_EQ(r.line, 7u);
  EXPECT_EQ(r.raw,
            "POST /api/v1/orders?sort=desc HTTP/1.1\r\nHost: shop.example\r\n"
            "Content-Type: application/json\r\nContent-Length: 25\r\n\r\n"
            "{\"coupon\":\"x' OR '1'='1\"}");
}

TEST(CorpusReader, OptionalKeysDefault) {
  const auto r = line(R"({"id":"b1","method":"GET","uri":"/"})");
  EXPECT_EQ(r.label, CorpusLabel::None);
  EXPECT_EQ(r.attack_class, "");
  EXPECT_EQ(r.raw, "GET / HTTP/1.1\r\n\r\n");
  EXPECT_EQ(line(R"({"id":"b","method":"GET","uri":"/","label":"benign","version":"1.0"})").raw,
            "GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(line(R"({"id":"b","method":"GET","uri":"/","label":"benign"})").label, CorpusLabel::Benign);
}

TEST(CorpusReader, Base64KeysOverrideTheirTextForms) {
  // uri_b64 "/a\xff" and body_b64 "\x00\x01\xfe" are not valid UTF-8 text.
  const auto r = line(R"({"id":"x","method":"PUT","uri":"/ignored","uri_b64":"L2H/",)"
                      R"("body":"ignored","body_b64":"AAH+","headers":[["Host","h"]]})");
  EXPECT_EQ(r.raw, std::string("PUT /a\xff HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n") +
                       std::string("\x00\x01\xfe", 3));
}

TEST(CorpusReader, RawOverridesEverything) {
  // "GET /r HTTP/1.1\r\nHost: h\r\n\r\n"
  const auto r = line(R"({"id":"smuggle-1","method":"POST","uri":"/x","body":"b",)"
                      R"("raw_b64":"R0VUIC9yIEhUVFAvMS4xDQpIb3N0OiBoDQoNCg==","label":"attack"})");
  EXPECT_EQ(r.raw, "GET /r HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(r.label, CorpusLabel::Attack);
  // With raw_b64 nothing else is required.
  EXPECT_EQ(line(R"({"id":"r2","raw_b64":"R0VUIC9yIEhUVFAvMS4xDQpIb3N0OiBoDQoNCg=="})").raw,
            "GET /r HTTP/1.1\r\nHost: h\r\n\r\n");
}

TEST(CorpusReader, FileSkipsBlankLinesAndCrLfAndCountsLines) {
  const auto rs = read_corpus_text(
      "{\"id\":\"a\",\"method\":\"GET\",\"uri\":\"/a\"}\r\n\n  \n{\"id\":\"b\",\"method\":\"GET\",\"uri\":\"/b\"}",
      "c.jsonl");
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].id, "a");
  EXPECT_EQ(rs[0].line, 1u);
  EXPECT_EQ(rs[1].id, "b");
  EXPECT_EQ(rs[1].line, 4u);
}

TEST(CorpusReader, ErrorsNameFileLineAndKey) {
  const std::string ok = "{\"id\":\"a\",\"method\":\"GET\",\"uri\":\"/\"}\n";
  EXPECT_EQ(error_of(ok + "{\"id\":\"b\",\"method\":\"GET\"}\n"),
            "c.jsonl:2: key 'uri': expected a non-empty string (or uri_b64, or raw_b64)");
  EXPECT_EQ(error_of(ok + "\n{\"method\":\"GET\",\"uri\":\"/\"}"),
            "c.jsonl:3: key 'id': expected a non-empty string (every request needs one)");
  EXPECT_EQ(error_of(ok + ok), "c.jsonl:2: key 'id': expected a unique id, \"a\" is already used on line 1");
  EXPECT_EQ(error_of("[1,2]"), "c.jsonl:1: expected a JSON object, got an array");
  EXPECT_EQ(error_of("{\"id\":\"a\",\"uri\":\"/\"}"),
            "c.jsonl:1: key 'method': expected a non-empty string (or raw_b64)");
  EXPECT_EQ(error_of("{\"id\":7,\"method\":\"GET\",\"uri\":\"/\"}"),
            "c.jsonl:1: key 'id': expected a string, got a number");
  EXPECT_EQ(error_of("{\"id\":\"a\",\"method\":\"GET\",\"uri\":\"/\",\"label\":\"evil\"}"),
            "c.jsonl:1: key 'label': expected \"attack\" or \"benign\", got \"evil\"");
  EXPECT_EQ(error_of("{\"id\":\"a\",\"method\":\"GET\",\"uri\":\"/\",\"headers\":{\"Host\":\"h\"}}"),
            "c.jsonl:1: key 'headers': expected an array of [name, value] string pairs, got an object");
  EXPECT_EQ(error_of("{\"id\":\"a\",\"method\":\"GET\",\"uri\":\"/\",\"headers\":[[\"Host\",\"h\"],[\"X\"]]}"),
            "c.jsonl:1: key 'headers': expected an array of [name, value] string pairs (entry 1 is not)");
  EXPECT_EQ(error_of("{\"id\":\"a\",\"method\":\"GET\",\"uri\":\"/\",\"headers\":[[\"\",\"h\"]]}"),
            "c.jsonl:1: key 'headers': expected a non-empty header name (entry 0)");
  EXPECT_EQ(error_of("{\"id\":\"a\",\"method\":\"GET\",\"uri\":\"/\",\"body\":5}"),
            "c.jsonl:1: key 'body': expected a string, got a number");
  EXPECT_EQ(error_of("{\"id\":\"a\",\"method\":\"GET\",\"uri\":\"/\",\"body_b64\":\"**\"}"),
            "c.jsonl:1: key 'body_b64': expected base64 (RFC 4648, standard alphabet): bad input at offset 0");
  EXPECT_EQ(error_of("{\"id\":\"a\",\"method\":\"GET\",\"uri_b64\":\"L2H\"}").rfind("c.jsonl:1: key 'uri_b64'", 0), 0u);
  EXPECT_EQ(error_of("{\"id\":\"a\",\"raw_b64\":\"\"}"), "c.jsonl:1: key 'raw_b64': expected a non-empty request");
  EXPECT_EQ(error_of("{\"id\":\"a\",\"method\":\"GET\",\"uri\":\"/\",\"version\":\"\"}"),
            "c.jsonl:1: key 'version': expected an HTTP version such as \"1.1\"");
  EXPECT_EQ(error_of("{\"id\":\"a\",\"method\":\"GET\",\"uri\":\"/\",\"class\":[]}"),
            "c.jsonl:1: key 'class': expected a string, got an array");
  // Malformed JSON keeps the parser's own position.
  const std::string bad = error_of(ok + "{\"id\":\"a\",");
  EXPECT_EQ(bad.rfind("c.jsonl:2: expected a JSON object (parse error at line 1, column 11", 0), 0u) << bad;
}

TEST(CorpusReader, MissingFileIsAnError) {
  try {
    read_corpus_file("/nonexistent/weir/corpus.jsonl");
    FAIL() << "no error";
  } catch (const CorpusError& e) {
    EXPECT_EQ(std::string(e.what()), "/nonexistent/weir/corpus.jsonl: cannot read: No such file or directory");
    EXPECT_EQ(e.line(), 0u);
  }
}

TEST(CorpusReader, FolderIsAnError) {
  try {
    read_corpus_file("/tmp");
    FAIL() << "no error";
  } catch (const CorpusError& e) {
    EXPECT_EQ(std::string(e.what()), "/tmp: cannot read: Is a directory");
  }
}

TEST(CorpusReader, ReadsAFile) {
  char path[] = "/tmp/weir-corpus-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  {
    std::ofstream f(path);
    f << "{\"id\":\"a\",\"method\":\"GET\",\"uri\":\"/a\",\"label\":\"benign\",\"class\":\"shop\"}\n";
  }
  const auto rs = read_corpus_file(path);
  std::remove(path);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].attack_class, "shop");
}

TEST(CorpusReader, WebSocketMessagesAreFramedAsABrowserSendsThem) {
  const auto r = line(R"({"id":"w","method":"GET","uri":"/ws","headers":[["Host","h"],["Upgrade","websocket"]],)"
                      R"("ws_messages":["hi","{}"],"ws_extensions":"permessage-deflate"})");
  EXPECT_TRUE(r.websocket);
  EXPECT_EQ(r.ws_extensions, "permessage-deflate");
  EXPECT_EQ(r.raw, "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n");
  // FIN + text, masked, length 2; mask 37 fa 21 3d then 37 fa 21 3e.
  const std::string want = std::string("\x81\x82\x37\xfa\x21\x3d", 6) + char('h' ^ 0x37) + char('i' ^ 0xfa) +
                           std::string("\x81\x82\x37\xfa\x21\x3e", 6) + char('{' ^ 0x37) + char('}' ^ 0xfa);
  EXPECT_EQ(r.ws_frames, want);
  EXPECT_FALSE(line(R"({"id":"n","method":"GET","uri":"/"})").websocket);
}

TEST(CorpusReader, WebSocketFramesOverrideMessages) {
  // "gQA=" is an empty unmasked text frame: taken as sent, not re-framed.
  const auto r = line(R"({"id":"w","method":"GET","uri":"/ws","ws_messages":["x"],"ws_frames_b64":"gQA="})");
  EXPECT_TRUE(r.websocket);
  EXPECT_EQ(r.ws_frames, std::string("\x81\x00", 2));
}

TEST(CorpusReader, WebSocketKeyErrors) {
  EXPECT_NE(error_of(R"({"id":"w","method":"GET","uri":"/","ws_messages":[]})").find("key 'ws_messages'"), std::string::npos);
  EXPECT_NE(error_of(R"({"id":"w","method":"GET","uri":"/","ws_messages":[1]})").find("strings only"), std::string::npos);
  EXPECT_NE(error_of(R"({"id":"w","method":"GET","uri":"/","ws_extensions":"permessage-deflate"})").find("key 'ws_extensions'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"id":"w","method":"GET","uri":"/","ws_frames_b64":"!!"})").find("key 'ws_frames_b64'"), std::string::npos);
}

}  // namespace
}  // namespace weir::cli
