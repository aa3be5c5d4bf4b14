#pragma once
// Aligned text tables and key/value blocks for weirctl's human output.
// Cells may carry attacker-controlled text (alert excerpts, paths), so
// rendering escapes control characters: nothing reaches the terminal raw.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weir::cli {

enum class Align { Left, Right };

/// Escapes C0/C1 controls and DEL as \xNN (\n, \t, \r as themselves escaped)
/// so a cell is one line and cannot move the cursor or set colours.
std::string sanitize_cell(std::string_view text);

/// Terminal columns of UTF-8 text: counts code points, not bytes.
size_t display_width(std::string_view text);

/// Cuts text to at most max_columns code points, ending with "..." when cut.
std::string truncate_display(std::string_view text, size_t max_columns);

class Table {
 public:
  explicit Table(std::vector<std::string> headers);

  void set_align(size_t column, Align align);
  /// Missing trailing cells render empty; extra cells are an error (dropped).
  void add_row(std::vector<std::string> cells);
  size_t row_count() const { return rows_.size(); }

  /// Header row, then one row per line; columns separated by two spaces,
  /// trailing spaces trimmed.
  std::string render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<Align> aligns_;
  std::vector<std::vector<std::string>> rows_;
};

/// "key:  value" lines with the values aligned, for one object (status,
/// alerts show).
std::string render_key_values(const std::vector<std::pair<std::string, std::string>>& items);

}  // namespace weir::cli
