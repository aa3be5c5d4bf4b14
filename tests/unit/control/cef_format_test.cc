// CEF rendering: header and extension escaping, severity mapping, and a
// whole alert line whose traffic text needs every escape.
#include "control/export/cef_format.h"

#include <gtest/gtest.h>

namespace weir::ctl {
namespace {

TEST(CefFormat, HeaderEscapesPipeAndBackslashOnly) {
  EXPECT_EQ(cef_escape_header("a|b\\c=d"), "a\\|b\\\\c=d");
  EXPECT_EQ(cef_escape_header("two\nlines\r"), "two lines ");
}

TEST(CefFormat, ExtensionEscapesEqualsBackslashAndLineBreaks) {
  EXPECT_EQ(cef_escape_extension("a=b"), "a\\=b");
  EXPECT_EQ(cef_escape_extension("c:\\x"), "c:\\\\x");
  EXPECT_EQ(cef_escape_extension("l1\nl2\rl3"), "l1\\nl2\\rl3");
  // A pipe needs no escape in the extension (CEF spec).
  EXPECT_EQ(cef_escape_extension("a|b"), "a|b");
}

TEST(CefFormat, SeverityScale) {
  EXPECT_EQ(cef_severity(0), 1);
  EXPECT_EQ(cef_severity(2), 5);
  EXPECT_EQ(cef_severity(3), 8);
  EXPECT_EQ(cef_severity(4), 10);
  EXPECT_EQ(cef_severity(9), 10);
  EXPECT_EQ(cef_severity(-1), 0);
}

TEST(CefFormat, AlertLine) {
  AlertRecord a;
  a.event_id = 0x5f3c9a0e00010000ull;
  a.ts_ns = 1764865355101000000;
  a.kind = 1;
  a.severity = 3;
  a.rule_id = 942100;
  a.class_name = "sqli|x";
  a.zone = "query_arg";
  a.proto = 6;
  a.client = "198.18.0.10";
  a.client_port = 40000;
  a.server = "198.19.0.20";
  a.server_port = 80;
  a.text = "id=1' OR a\\b\nx";
  const std::string line = alert_to_cef(a);
  EXPECT_EQ(line.rfind("CEF:0|Weir|weir-control|0.1.0|942100|sqli\\|x in query_arg|8|rt=1764865355101 ", 0), 0u)
      << line;
  EXPECT_NE(line.find(" externalId=5f3c9a0e00010000 "), std::string::npos);
  EXPECT_NE(line.find(" src=198.18.0.10 spt=40000 dst=198.19.0.20 dpt=80 "), std::string::npos);
  EXPECT_NE(line.find(" cs1=sqli|x "), std::string::npos);
  EXPECT_NE(line.find(" msg=id\\=1' OR a\\\\b\\nx"), std::string::npos);
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(CefFormat, EmptyFieldsAreLeftOut) {
  AlertRecord a;
  a.kind = 4;
  const std::string line = alert_to_cef(a);
  EXPECT_EQ(line.find("src="), std::string::npos);
  EXPECT_EQ(line.find("msg="), std::string::npos);
  EXPECT_NE(line.find("|test|test|1|"), std::string::npos) << line;
}

}  // namespace
}  // namespace weir::ctl
