// Business-flow mining from session transitions.
#include "control/inventory/flow_miner.h"

#include <gtest/gtest.h>

namespace weir::ctl {
namespace {

TEST(FlowMiner, FindsFrequentSequencesWithSupportAndConfidence) {
  const std::vector<Transition> t = {
      {"cart", "checkout", 10}, {"checkout", "pay", 8},  {"checkout", "cart", 2},
      {"login", "cart", 9},     {"browse", "browse", 50}, {"pay", "receipt", 1},  // too rare
      {"login", "profile", 1},
  };
  const auto flows = mine_flows(t, {3, 0.3, 6, 100});
  ASSERT_EQ(flows.size(), 1u);
  EXPECT_EQ(flows[0].steps, (std::vector<std::string>{"login", "cart", "checkout", "pay"}));
  EXPECT_EQ(flows[0].support, 8u);
  EXPECT_NEAR(flows[0].confidence, 0.9 * 1.0 * 0.8, 1e-9);
  EXPECT_EQ(flows[0].id, flow_id(flows[0].steps));
  EXPECT_EQ(flows[0].id.size(), 12u);
}

TEST(FlowMiner, ThresholdsAndCycles) {
  EXPECT_TRUE(mine_flows({{"a", "b", 2}}, {3, 0.3, 6, 100}).empty());
  EXPECT_TRUE(mine_flows({{"a", "b", 5}, {"a", "c", 50}}, {3, 0.3, 6, 100}).size() == 1);
  // A cycle terminates and yields paths.
  const auto cyc = mine_flows({{"a", "b", 5}, {"b", "a", 5}}, {3, 0.3, 6, 100});
  ASSERT_FALSE(cyc.empty());
  EXPECT_EQ(cyc[0].steps.size(), 2u);
  // Flow ids are stable and depend on the order of steps.
  EXPECT_EQ(flow_id({"a", "b"}), flow_id({"a", "b"}));
  EXPECT_NE(flow_id({"a", "b"}), flow_id({"b", "a"}));
}

}  // namespace
}  // namespace weir::ctl
