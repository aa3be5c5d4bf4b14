#include "parsers/field.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace weir::parse {
namespace {

TEST(ZoneName, EveryZoneRoundTripsThroughItsName) {
  std::set<std::string> seen;
  for (int i = 0; i < static_cast<int>(Zone::Count); ++i) {
    const auto z = static_cast<Zone>(i);
    const std::string name = zone_name(z);
    EXPECT_TRUE(seen.insert(name).second) << "duplicate name " << name;
    Zone back = Zone::Count;
    ASSERT_TRUE(zone_from_name(name, back)) << name;
    EXPECT_EQ(back, z);
  }
}

TEST(ZoneName, StableNamesUsedByRules) {
  EXPECT_STREQ(zone_name(Zone::QueryArg), "query_arg");
  EXPECT_STREQ(zone_name(Zone::BodyJson), "body_json");
  EXPECT_STREQ(zone_name(Zone::Header), "header");
  EXPECT_STREQ(zone_name(Zone::RespHeader), "resp_header");
  EXPECT_STREQ(zone_name(Zone::Count), "unknown");
}

TEST(ZoneName, UnknownNameIsRejected) {
  Zone z = Zone::Method;
  EXPECT_FALSE(zone_from_name("querystring", z));
  EXPECT_FALSE(zone_from_name("", z));
  EXPECT_EQ(z, Zone::Method);
}

}  // namespace
}  // namespace weir::parse
