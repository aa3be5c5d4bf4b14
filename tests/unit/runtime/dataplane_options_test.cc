#include "dataplane/runtime/dataplane_options.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace weir::dp {
namespace {

std::optional<std::string> parse(std::vector<std::string> args, DataplaneOptions& out) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return parse_dataplane_options(static_cast<int>(argv.size()), argv.data(), out);
}

TEST(DataplaneOptions, ConfigAndCheck) {
  DataplaneOptions o;
  EXPECT_FALSE(parse({"--config", "x.yaml", "--check-config"}, o).has_value());
  EXPECT_EQ(o.config_path, "x.yaml");
  EXPECT_TRUE(o.check_config);
}

TEST(DataplaneOptions, ReplayNeedsOutput) {
  DataplaneOptions o;
  auto err = parse({"--replay", "in.pcap"}, o);
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(err->find("--replay-out"), std::string::npos);
  DataplaneOptions ok;
  EXPECT_FALSE(parse({"--replay", "in.pcap", "--replay-out", "o.pcap", "--client-net", "198.18.0.0/24"}, ok));
  EXPECT_EQ(ok.client_net, "198.18.0.0/24");
}

TEST(DataplaneOptions, UnknownAndMissingValues) {
  DataplaneOptions o;
  EXPECT_EQ(*parse({"--bogus"}, o), "unknown option '--bogus'");
  EXPECT_TRUE(parse({"--config"}, o).has_value());
  EXPECT_TRUE(parse({"--client-net", "198.18.0.0/24"}, o).has_value());  // only with --replay
}

}  // namespace
}  // namespace weir::dp
