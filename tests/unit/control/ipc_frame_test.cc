// Framing of the control channel: round trips, partial delivery, limits.
#include "control/ipc/frame.h"

#include <gtest/gtest.h>

#include <random>

namespace weir::ipc {
namespace {

Envelope make_config(uint64_t seq, const std::string& yaml) {
  Envelope env;
  env.set_seq(seq);
  env.mutable_config()->set_yaml(yaml);
  env.mutable_config()->set_generation(seq * 10);
  return env;
}

TEST(IpcFrame, RoundTripSeveralFramesFedByteByByte) {
  std::string wire;
  ASSERT_TRUE(append_frame(make_config(1, "a: 1\n"), wire));
  ASSERT_TRUE(append_frame(make_config(2, std::string(100000, 'x')), wire));
  Envelope hello;
  hello.set_seq(3);
  hello.mutable_hello()->set_version(kProtocolVersion);
  hello.mutable_hello()->set_boot_id(77);
  ASSERT_TRUE(append_frame(hello, wire));

  FrameReader reader;
  std::vector<Envelope> got;
  Envelope env;
  for (char c : wire) {
    reader.feed(&c, 1);
    FrameStatus st;
    while ((st = reader.next(env)) == FrameStatus::Ok) got.push_back(env);
    ASSERT_EQ(st, FrameStatus::NeedMore);
  }
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].config().yaml(), "a: 1\n");
  EXPECT_EQ(got[0].config().generation(), 10u);
  EXPECT_EQ(got[1].config().yaml().size(), 100000u);
  EXPECT_EQ(got[2].hello().boot_id(), 77u);
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(IpcFrame, LengthIsLittleEndianPrefix) {
  std::string wire;
  ASSERT_TRUE(append_frame(make_config(1, "abc"), wire));
  const uint32_t len = static_cast<uint8_t>(wire[0]) | (static_cast<uint8_t>(wire[1]) << 8) |
                       (static_cast<uint8_t>(wire[2]) << 16) |
                       (static_cast<uint32_t>(static_cast<uint8_t>(wire[3])) << 24);
  EXPECT_EQ(len + 4, wire.size());
}

TEST(IpcFrame, OversizedLengthIsRefused) {
  const char header[4] = {0, 0, 0, 0x7f};  // ~2 GiB
  FrameReader reader;
  reader.feed(header, 4);
  Envelope env;
  EXPECT_EQ(reader.next(env), FrameStatus::TooLarge);
}

TEST(IpcFrame, GarbageBodyIsMalformed) {
  const char frame[] = {5, 0, 0, 0, '\xff', '\xff', '\xff', '\xff', '\xff'};
  FrameReader reader;
  reader.feed(frame, sizeof frame);
  Envelope env;
  EXPECT_EQ(reader.next(env), FrameStatus::Malformed);
}

TEST(IpcFrame, TooLargeEnvelopeIsNotAppended) {
  Envelope env = make_config(1, std::string(kMaxFrame + 1, 'y'));
  std::string wire = "keep";
  EXPECT_FALSE(append_frame(env, wire));
  EXPECT_EQ(wire, "keep");
}

TEST(IpcFrame, RandomBytesNeverCrashAndEndInADefinedState) {
  std::mt19937 rng(7);
  int ok = 0, errors = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string bytes(rng() % 64, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() % 256);
    // Small lengths so some random frames complete and parse.
    if (bytes.size() >= 4) bytes[2] = bytes[3] = 0;
    FrameReader reader;
    reader.feed(bytes.data(), bytes.size());
    Envelope env;
    FrameStatus st;
    while ((st = reader.next(env)) == FrameStatus::Ok) ++ok;
    if (st != FrameStatus::NeedMore) ++errors;
    EXPECT_LE(reader.buffered(), bytes.size());
  }
  EXPECT_GT(errors, 0);
  EXPECT_GT(ok, 0);
}

}  // namespace
}  // namespace weir::ipc
