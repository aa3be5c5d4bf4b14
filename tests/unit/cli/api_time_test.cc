#include "cli/api_time.h"

#include <gtest/gtest.h>

namespace weir::cli {
namespace {

TEST(ApiTime, ParsesKnownInstant) {
  EXPECT_EQ(parse_rfc3339_ms("1970-01-01T00:00:00.000Z"), 0);
  // date -u -d 2026-12-04T16:22:36Z +%s -> 1796401356
  EXPECT_EQ(parse_rfc3339_ms("2026-12-04T16:22:36.123Z"), 1796401356123LL);
  EXPECT_EQ(parse_rfc3339_ms("2026-12-04 16:22:36"), 1796401356000LL);
  EXPECT_EQ(parse_rfc3339_ms("2024-02-29T00:00:00Z"), 1709164800000LL);
}

TEST(ApiTime, RejectsMalformed) {
  for (const char* bad : {"", "2026-12-04", "2026-13-04T00:00:00Z", "2026-12-04T24:00:00Z",
                          "2026-12-04T16:22:36.Z", "2026-12-04T16:22:36Zjunk", "yesterday"}) {
    EXPECT_FALSE(parse_rfc3339_ms(bad).has_value()) << bad;
  }
}

TEST(ApiTime, FormatRoundTrips) {
  EXPECT_EQ(format_rfc3339_ms(1796401356123LL), "2026-12-04T16:22:36.123Z");
  EXPECT_EQ(format_rfc3339_ms(*parse_rfc3339_ms("2000-03-01T01:02:03.004Z")),
            "2000-03-01T01:02:03.004Z");
}

TEST(ApiTime, DisplayForm) {
  EXPECT_EQ(display_time("2026-12-04T16:22:36.123Z"), "2026-12-04 16:22:36");
  EXPECT_EQ(display_time("not a time"), "not a time");
}

}  // namespace
}  // namespace weir::cli
