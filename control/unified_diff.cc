// unified_diff: trim the common head and tail, LCS over the middle, then
// group the edit script into hunks with context.
#include "control/unified_diff.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace weir::ctl {

namespace {
constexpr size_t kMaxCells = 4u << 20;  // LCS table cells (16 MiB of u32)

struct Line {
  std::string text;
  bool newline = true;  // false for a last line without '\n'
  bool operator==(const Line& o) const { return newline == o.newline && text == o.text; }
};

std::vector<Line> split_lines(const std::string& s) {
  std::vector<Line> out;
  size_t start = 0;
  while (start < s.size()) {
    const size_t nl = s.find('\n', start);
    if (nl == std::string::npos) {
      out.push_back({s.substr(start), false});
      break;
    }
    out.push_back({s.substr(start, nl - start), true});
    start = nl + 1;
  }
  return out;
}

enum class Op : uint8_t { Equal, Delete, Insert };
struct Edit {
  Op op;
  size_t a;  // index in from (for Insert: the from position it goes before)
  size_t b;
};

std::vector<Edit> edit_script(const std::vector<Line>& a, const std::vector<Line>& b) {
  std::vector<Edit> out;
  size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail])
    ++tail;
  for (size_t i = 0; i < head; ++i) out.push_back({Op::Equal, i, i});
  const size_t n = a.size() - head - tail;
  const size_t m = b.size() - head - tail;
  if ((n + 1) * (m + 1) <= kMaxCells) {
    // lcs[i][j]: LCS length of a[head+i..] and b[head+j..].
    std::vector<uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint32_t& { return lcs[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;)
      for (size_t j = m; j-- > 0;)
        at(i, j) = a[head + i] == b[head + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[head + i] == b[head + j]) {
        out.push_back({Op::Equal, head + i, head + j});
        ++i, ++j;
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        out.push_back({Op::Delete, head + i, head + j});  // '-' before '+', as diff -u
        ++i;
      } else {
        out.push_back({Op::Insert, head + i, head + j});
        ++j;
      }
    }
  } else {
    for (size_t i = 0; i < n; ++i) out.push_back({Op::Delete, head + i, head});
    for (size_t j = 0; j < m; ++j) out.push_back({Op::Insert, head + n, head + j});
  }
  for (size_t k = 0; k < tail; ++k) out.push_back({Op::Equal, head + n + k, head + m + k});
  return out;
}

void emit_line(std::string& out, char prefix, const Line& line) {
  out += prefix;
  out += line.text;
  out += '\n';
  if (!line.newline) out += "\\ No newline at end of file\n";
}
}  // namespace

std::string unified_diff(const std::string& from_text, const std::string& to_text,
                         const std::string& from_label, const std::string& to_label, int context) {
  if (from_text == to_text) return "";
  const auto a = split_lines(from_text);
  const auto b = split_lines(to_text);
  const auto edits = edit_script(a, b);
  const size_t ctx = static_cast<size_t>(std::max(0, context));

  std::string out = "--- " + from_label + "\n+++ " + to_label + "\n";
  size_t k = 0;
  while (k < edits.size()) {
    while (k < edits.size() && edits[k].op == Op::Equal) ++k;
    if (k == edits.size()) break;
    // Hunk: from ctx lines before this change to ctx lines after the last
    // change that is at most 2*ctx equal lines away.
    const size_t start = k >= ctx ? k - ctx : 0;
    size_t end = k;
    size_t equal_run = 0;
    for (size_t i = k; i < edits.size(); ++i) {
      if (edits[i].op == Op::Equal) {
        if (++equal_run > 2 * ctx) break;
      } else {
        equal_run = 0;
        end = i + 1;
      }
    }
    const size_t stop = std::min(edits.size(), end + ctx);
    size_t a_count = 0, b_count = 0;
    for (size_t i = start; i < stop; ++i) {
      if (edits[i].op != Op::Insert) ++a_count;
      if (edits[i].op != Op::Delete) ++b_count;
    }
    const size_t a_start = a_count == 0 ? edits[start].a : edits[start].a + 1;
    const size_t b_start = b_count == 0 ? edits[start].b : edits[start].b + 1;
    out += "@@ -" + std::to_string(a_start) + "," + std::to_string(a_count) + " +" +
           std::to_string(b_start) + "," + std::to_string(b_count) + " @@\n";
    for (size_t i = start; i < stop; ++i) {
      const Edit& e = edits[i];
      if (e.op == Op::Equal) emit_line(out, ' ', a[e.a]);
      else if (e.op == Op::Delete) emit_line(out, '-', a[e.a]);
      else emit_line(out, '+', b[e.b]);
    }
    k = stop;
  }
  return out;
}

}  // namespace weir::ctl
