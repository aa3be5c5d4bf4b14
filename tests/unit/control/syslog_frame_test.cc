// RFC 5424 message layout, PRI, header clipping, SD escaping and RFC 6587
// octet counting.
#include "control/export/syslog_frame.h"

#include <gtest/gtest.h>

namespace weir::ctl {
namespace {

TEST(SyslogFrame, Rfc5424Layout) {
  SyslogHeader h;
  h.facility = 16;
  h.severity = 3;
  h.ts_ns = 1764865355101234567;  // 2025-12-04T16:22:35.101234Z
  h.hostname = "weir-1";
  h.app_name = "weir";
  h.procid = "42";
  h.msgid = "alert";
  h.structured_data = "[weir@32473 event_id=\"00000000000000aa\"]";
  EXPECT_EQ(syslog_message(h, "{\"a\":1}"),
            "<131>1 2025-12-04T16:22:35.101234Z weir-1 weir 42 alert [weir@32473 event_id=\"00000000000000aa\"] "
            "{\"a\":1}");
}

TEST(SyslogFrame, NilValuesAndClipping) {
  SyslogHeader h;
  h.ts_ns = 0;
  h.hostname = "";
  h.msgid = std::string(40, 'm');
  h.app_name = "we ir";
  const std::string m = syslog_message(h, "");
  EXPECT_EQ(m, "<134>1 1970-01-01T00:00:00.000000Z - we_ir - " + std::string(32, 'm') + " -");
}

TEST(SyslogFrame, OutOfRangeFacilityAndSeverityFallBack) {
  SyslogHeader h;
  h.facility = 99;
  h.severity = -1;
  EXPECT_EQ(syslog_message(h, "x").rfind("<134>1 ", 0), 0u);
}

TEST(SyslogFrame, SeverityMapping) {
  EXPECT_EQ(syslog_severity(0), 6);
  EXPECT_EQ(syslog_severity(1), 5);
  EXPECT_EQ(syslog_severity(2), 4);
  EXPECT_EQ(syslog_severity(3), 3);
  EXPECT_EQ(syslog_severity(4), 2);
}

TEST(SyslogFrame, SdParamEscaping) { EXPECT_EQ(sd_escape("a\"b\\c]d"), "a\\\"b\\\\c\\]d"); }

TEST(SyslogFrame, OctetCountingCountsBytes) {
  EXPECT_EQ(octet_counted("<13>1 - - - - - - hi"), "20 <13>1 - - - - - - hi");
  const std::string utf8 = "\xc3\xa9";  // two bytes, one character
  EXPECT_EQ(octet_counted(utf8), "2 " + utf8);
  EXPECT_EQ(octet_counted(""), "0 ");
}

}  // namespace
}  // namespace weir::ctl
