#include "cli/text_table.h"

#include <algorithm>
#include <cstdio>

namespace weir::cli {

std::string sanitize_cell(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else if (c == 0xc2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      // UTF-8 encoded C1 control (U+0080..U+009F), e.g. the 8-bit CSI.
      char buf[9];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(text[i + 1]));
      out += buf;
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

size_t display_width(std::string_view text) {
  size_t width = 0;
  for (char ch : text) {
    if ((static_cast<unsigned char>(ch) & 0xc0) != 0x80) ++width;
  }
  return width;
}

std::string truncate_display(std::string_view text, size_t max_columns) {
  if (display_width(text) <= max_columns) return std::string(text);
  const size_t keep = max_columns > 3 ? max_columns - 3 : 0;
  size_t columns = 0;
  size_t end = 0;
  while (end < text.size()) {
    if ((static_cast<unsigned char>(text[end]) & 0xc0) != 0x80) {
      if (columns == keep) break;
      ++columns;
    }
    ++end;
  }
  return std::string(text.substr(0, end)) + "...";
}

Table::Table(std::vector<std::string> headers)
    : headers_(std::move(headers)), aligns_(headers_.size(), Align::Left) {}

void Table::set_align(size_t column, Align align) {
  if (column < aligns_.size()) aligns_[column] = align;
}

void Table::add_row(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (auto& cell : cells) cell = sanitize_cell(cell);
  rows_.push_back(std::move(cells));
}

std::string Table::render() const {
  std::vector<size_t> widths(headers_.size(), 0);
  for (size_t c = 0; c < headers_.size(); ++c) widths[c] = display_width(headers_[c]);
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], display_width(row[c]));
  }
  std::string out;
  auto emit_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      const size_t pad = widths[c] - display_width(row[c]);
      if (c > 0) line += "  ";
      if (aligns_[c] == Align::Right) line.append(pad, ' ');
      line += row[c];
      if (aligns_[c] == Align::Left) line.append(pad, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line;
    out += '\n';
  };
  emit_row(headers_);
  for (const auto& row : rows_) emit_row(row);
  return out;
}

std::string render_key_values(const std::vector<std::pair<std::string, std::string>>& items) {
  size_t width = 0;
  for (const auto& item : items) width = std::max(width, display_width(sanitize_cell(item.first)));
  std::string out;
  for (const auto& [key, value] : items) {
    const std::string label = sanitize_cell(key);
    out += label;
    out += ':';
    out.append(width - display_width(label) + 2, ' ');
    out += sanitize_cell(value);
    out += '\n';
  }
  return out;
}

}  // namespace weir::cli
