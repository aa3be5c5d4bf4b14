#include "cli/text_table.h"

#include <gtest/gtest.h>

namespace weir::cli {
namespace {

TEST(TextTable, AlignsColumnsAndTrimsTrailingSpace) {
  Table table({"NAME", "COUNT"});
  table.set_align(1, Align::Right);
  table.add_row({"rx_packets", "5"});
  table.add_row({"drop", "12345"});
  EXPECT_EQ(table.render(),
            "NAME        COUNT\n"
            "rx_packets      5\n"
            "drop        12345\n");
}

TEST(TextTable, MissingCellsAreEmpty) {
  Table table({"A", "B", "C"});
  table.add_row({"x"});
  EXPECT_EQ(table.render(), "A  B  C\nx\n");
  EXPECT_EQ(table.row_count(), 1u);
}

TEST(TextTable, WidthCountsCodePointsNotBytes) {
  Table table({"K", "V"});
  table.add_row({"h\xc3\xa9", "1"});  // "hé": 3 bytes, 2 columns
  table.add_row({"abc", "2"});
  EXPECT_EQ(table.render(), "K    V\nh\xc3\xa9   1\nabc  2\n");
}

TEST(TextTable, EscapesControlCharacters) {
  EXPECT_EQ(sanitize_cell("a\x1b[31mred"), "a\\x1b[31mred");
  EXPECT_EQ(sanitize_cell("line1\nline2\t\r"), "line1\\nline2\\t\\r");
  EXPECT_EQ(sanitize_cell("del\x7f"), "del\\x7f");
  EXPECT_EQ(sanitize_cell("c1\xc2\x9b"), "c1\\u009b");  // 8-bit CSI
  EXPECT_EQ(sanitize_cell("caf\xc3\xa9"), "caf\xc3\xa9");  // ordinary UTF-8 kept
  Table table({"TEXT"});
  table.add_row({"\x1b]0;title\x07"});
  EXPECT_EQ(table.render().find('\x1b'), std::string::npos);
}

TEST(TextTable, TruncatesOnCodePoints) {
  EXPECT_EQ(truncate_display("short", 10), "short");
  EXPECT_EQ(truncate_display("0123456789abc", 10), "0123456...");
  EXPECT_EQ(truncate_display("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 4), "\xc3\xa9...");
}

TEST(TextTable, KeyValuesAligned) {
  EXPECT_EQ(render_key_values({{"mode", "block"}, {"dataplane", "connected"}}),
            "mode:       block\n"
            "dataplane:  connected\n");
}

}  // namespace
}  // namespace weir::cli
