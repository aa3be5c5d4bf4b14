// The `discovery:` section: sampling, custom detectors (regex compiled with
// Hyperscan at load), declared flows, and its FILE:LINE: KEY: WHAT errors.
#include <gtest/gtest.h>

#include "config/weir_config.h"
#include "tests/unit/config/section_test_config.h"

namespace weir::config {
namespace {

TEST(DiscoverySection, DefaultsAndFullSection) {
  EXPECT_TRUE(parse_config(kPairs, "w.yaml").discovery.enabled);
  EXPECT_EQ(parse_config(kPairs, "w.yaml").discovery.sample_rate_per_s, 50u);
  const Config c = parse_config(kPairs +
                                    "discovery:\n"
                                    "  enabled: false\n"
                                    "  sample_rate_per_s: 10\n"
                                    "  sample_burst: 20\n"
                                    "  custom_detectors:\n"
                                    "    - name: employee_id\n"
                                    "      regex: 'EMP-[0-9]{6}'\n"
                                    "    - name: loyalty\n"
                                    "      keys: [loyaltyNumber, club_card]\n"
                                    "  flows:\n"
                                    "    - name: checkout\n"
                                    "      steps: ['shop POST /cart', 'shop POST /checkout', 'shop POST /pay']\n",
                                "w.yaml");
  EXPECT_FALSE(c.discovery.enabled);
  EXPECT_EQ(c.discovery.sample_rate_per_s, 10u);
  EXPECT_EQ(c.discovery.sample_burst, 20u);
  ASSERT_EQ(c.discovery.custom_detectors.size(), 2u);
  EXPECT_EQ(c.discovery.custom_detectors[0].regex, "EMP-[0-9]{6}");
  EXPECT_EQ(c.discovery.custom_detectors[1].keys, (std::vector<std::string>{"loyaltyNumber", "club_card"}));
  ASSERT_EQ(c.discovery.flows.size(), 1u);
  EXPECT_EQ(c.discovery.flows[0].steps.size(), 3u);
}

TEST(DiscoverySection, Errors) {
  EXPECT_EQ(error_of("discovery:\n  custom_detectors:\n    - name: bad\n      regex: '(unclosed'\n"),
            "w.yaml:8: discovery.custom_detectors[0].regex: regex does not compile: Missing close parenthesis for "
            "group started at index 0.");
  EXPECT_NE(error_of("discovery:\n  custom_detectors:\n    - name: x\n").find("needs 'regex' or 'keys'"),
            std::string::npos);
  EXPECT_NE(error_of("discovery:\n  flows:\n    - name: f\n      steps: ['a GET /']\n").find("at least two steps"),
            std::string::npos);
  EXPECT_NE(error_of("discovery:\n  sampel_rate: 3\n").find("sampel_rate"), std::string::npos);
  EXPECT_NE(error_of("discovery:\n  flows:\n    - {name: f, steps: [a, b]}\n    - {name: f, steps: [a, b]}\n")
                .find("duplicate flow name"),
            std::string::npos);
}

}  // namespace
}  // namespace weir::config
