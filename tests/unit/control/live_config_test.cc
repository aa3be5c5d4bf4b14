// LiveConfig and ControlPlane config handling: a broken config is refused
// with the exact format_error text and the old one stays; diff; apply
// persists and bumps the generation; every change and refusal is audited.
#include "control/live_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "control/control_plane.h"

namespace weir::ctl {
namespace {

std::string temp_dir() {
  char dir[] = "/tmp/weir_cfg_XXXXXX";
  EXPECT_NE(mkdtemp(dir), nullptr);
  return dir;
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? s : s.replace(at, from.size(), to);
}

const std::string& base_yaml() { return config::embedded_default_config(); }

TEST(LiveConfig, StartsFromTheEmbeddedDefault) {
  LiveConfig live(temp_dir(), "");
  EXPECT_EQ(live.current().generation, 1u);
  EXPECT_EQ(live.current().source, "<embedded>");
  EXPECT_EQ(live.current().yaml, base_yaml());
}

TEST(LiveConfig, BrokenConfigIsRefusedWithTheExactErrorAndTheOldOneStays) {
  LiveConfig live(temp_dir(), "");
  const std::string bad = replace(base_yaml(), "burst: 32", "burst: banana");
  std::string expected;
  try {
    config::parse_config(bad, "bad.yaml");
    FAIL() << "the broken config parsed";
  } catch (const config::ConfigError& e) {
    expected = config::format_error(e);
  }
  const ConfigApplyResult r = live.apply(bad, "bad.yaml", 5);
  EXPECT_FALSE(r.check.ok);
  EXPECT_FALSE(r.applied);
  EXPECT_EQ(r.check.message, expected);
  EXPECT_EQ(r.check.key, "dataplane.burst");
  EXPECT_GT(r.check.line, 0);
  EXPECT_EQ(live.current().generation, 1u);
  EXPECT_EQ(live.current().yaml, base_yaml());
  EXPECT_EQ(live.parsed().dataplane.burst, 32u);
}

TEST(LiveConfig, DiffShowsWhatWouldChangeWithoutApplying) {
  LiveConfig live(temp_dir(), "");
  const std::string next = replace(base_yaml(), "burst: 32", "burst: 64");
  ConfigCheck c;
  auto d = live.diff(next, "next.yaml", c);
  ASSERT_TRUE(d);
  EXPECT_NE(d->find("-  burst: 32\n+  burst: 64\n"), std::string::npos) << *d;
  EXPECT_NE(d->find("+++ next.yaml\n"), std::string::npos);
  EXPECT_EQ(live.current().generation, 1u);
  EXPECT_FALSE(live.diff(replace(base_yaml(), "burst: 32", "burst: x"), "b.yaml", c));
  EXPECT_FALSE(c.ok);
}

TEST(LiveConfig, ApplyPersistsAndTheNextStartLoadsIt) {
  const std::string dir = temp_dir();
  const std::string next = replace(base_yaml(), "burst: 32", "burst: 64");
  {
    LiveConfig live(dir, "");
    const ConfigApplyResult r = live.apply(next, "next.yaml", 1234);
    EXPECT_TRUE(r.applied);
    EXPECT_EQ(r.generation, 2u);
    EXPECT_EQ(live.parsed().dataplane.burst, 64u);
    const ConfigApplyResult again = live.apply(next, "next.yaml", 1235);
    EXPECT_FALSE(again.applied);
    EXPECT_FALSE(again.changed);
    EXPECT_EQ(again.generation, 2u);
  }
  LiveConfig restarted(dir, "");
  EXPECT_EQ(restarted.current().generation, 2u);
  EXPECT_EQ(restarted.current().source, "next.yaml");
  EXPECT_EQ(restarted.current().applied_ns, 1234);
  EXPECT_EQ(restarted.parsed().dataplane.burst, 64u);
}

TEST(LiveConfig, RelativeProtosetPathsResolveAgainstTheStartupConfigsFolder) {
  // An empty file is a valid (empty) FileDescriptorSet.
  const std::string dir = temp_dir();
  std::ofstream(dir + "/empty.protoset");
  const std::string yaml = base_yaml() + "\nparsers:\n  grpc:\n    protosets: [empty.protoset]\n";
  std::ofstream(dir + "/weir.yaml") << yaml;
  const std::string state = dir + "/state";
  {
    LiveConfig live(state, dir + "/weir.yaml");
    ASSERT_NE(live.parsed().parsers.protoset_names, nullptr);
    // weirctl names its own file (another folder, or a relative path of its own).
    EXPECT_TRUE(live.check(yaml, "/elsewhere/weir.yaml").ok) << live.check(yaml, "/elsewhere/weir.yaml").message;
    const std::string next = replace(yaml, "burst: 32", "burst: 64");
    EXPECT_TRUE(live.apply(next, "configs/next.yaml", 1).applied);
  }
  // Restarted from live.yaml in the state folder: still the startup config's folder.
  LiveConfig restarted(state, dir + "/weir.yaml");
  EXPECT_EQ(restarted.parsed().dataplane.burst, 64u);
  EXPECT_NE(restarted.parsed().parsers.protoset_names, nullptr);
}

TEST(LiveConfig, InvalidStartupFileIsALoudError) {
  const std::string dir = temp_dir();
  const std::string path = dir + "/weir.yaml";
  std::ofstream(path) << replace(base_yaml(), "burst: 32", "burst: -1");
  EXPECT_THROW(LiveConfig(dir + "/state", path), config::ConfigError);
  EXPECT_THROW(LiveConfig(dir + "/state", dir + "/missing.yaml"), config::ConfigError);
}

TEST(ControlPlaneConfig, ChangesAndRefusalsAreAuditedWithWhoAndDiff) {
  const std::string dir = temp_dir();
  ControlOptions opts;
  opts.state_dir = dir + "/state";
  opts.dataplane_socket = dir + "/dp.sock";
  ControlPlane cp(opts);
  const Caller ops{1000, "ops"};
  bool pushed = true;
  auto r = cp.apply_config(replace(base_yaml(), "burst: 32", "burst: 16"), "a.yaml", "smaller bursts", ops, pushed);
  EXPECT_TRUE(r.applied);
  EXPECT_FALSE(pushed);  // no dataplane connected
  r = cp.apply_config(replace(base_yaml(), "burst: 32", "burst: nope"), "b.yaml", "", ops, pushed);
  EXPECT_FALSE(r.check.ok);
  auto log = cp.store().list_audit(0, -1, 10);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].action, "config_apply");
  EXPECT_EQ(log[0].uid, 1000);
  EXPECT_EQ(log[0].user, "ops");
  EXPECT_EQ(log[0].target, "generation 2");
  EXPECT_EQ(log[0].detail, "smaller bursts");
  EXPECT_NE(log[0].diff.find("-  burst: 32\n+  burst: 16\n"), std::string::npos);
  EXPECT_GT(log[0].at_ns, 0);
  EXPECT_EQ(log[1].action, "config_refused");
  EXPECT_EQ(log[1].detail, r.check.message);
  EXPECT_EQ(cp.config().current().generation, 2u);
}

TEST(ControlPlaneBlocks, TtlExpiryRemovesAndAuditsTheBlock) {
  const std::string dir = temp_dir();
  ControlOptions opts;
  opts.state_dir = dir + "/state";
  opts.dataplane_socket = dir + "/dp.sock";
  ControlPlane cp(opts);
  bool existed = true;
  const BlockRecord b = cp.add_block("198.18.0.0/24", 10, "scan", {0, "root"}, existed);
  EXPECT_FALSE(existed);
  cp.add_block("2001:2::/64", 0, "", {0, "root"}, existed);
  cp.maintain(b.created_ns + 9LL * 1000000000, false);
  EXPECT_EQ(cp.store().list_blocks().size(), 2u);
  cp.maintain(b.created_ns + 10LL * 1000000000, false);
  auto left = cp.store().list_blocks();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].cidr, "2001:2::/64");
  auto log = cp.store().list_audit(-1, -1, 1);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "block_expired");
  EXPECT_EQ(log[0].target, "198.18.0.0/24");
  EXPECT_EQ(cp.mode(), Mode::Monitor);
  EXPECT_EQ(cp.set_mode(Mode::Block, {0, "root"}), Mode::Monitor);
  EXPECT_EQ(cp.mode(), Mode::Block);
}

}  // namespace
}  // namespace weir::ctl
