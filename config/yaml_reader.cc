// Strict typed access to yaml-cpp nodes; see yaml_reader.h.

#include "config/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace weir::config {
namespace {

constexpr std::string_view kIntTag = "tag:yaml.org,2002:int";
constexpr std::string_view kBoolTag = "tag:yaml.org,2002:bool";

// Levenshtein distance, for "did you mean" on unknown keys (keys are short).
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

int node_line(const YAML::Node& node, int fallback) {
  const YAML::Mark mark = node.Mark();
  return mark.is_null() || mark.line < 0 ? fallback : mark.line + 1;
}

YamlReader::YamlReader(YAML::Node node, const std::string* file, std::string path, int line)
    : node_(std::move(node)), file_(file), path_(std::move(path)), line_(line) {}

void YamlReader::fail(const std::string& what) const {
  throw ConfigError(*file_, line_, path_, what);
}

std::string YamlReader::child_path(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return path_ + "." + std::string(key);
}

std::string YamlReader::describe_kind() const {
  switch (node_.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "'" + node_.Scalar() + "'";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: break;
  }
  return "nothing";
}

void YamlReader::expect_map(std::initializer_list<std::string_view> known) const {
  if (node_.IsNull()) return;
  if (!node_.IsMap()) fail("expected a map, got " + describe_kind());
  std::set<std::string> seen;
  for (const auto& entry : node_) {  // entry is a value: yaml-cpp's it-> is a temporary
    const YAML::Node key_node = entry.first;
    const int key_line = node_line(key_node, line_);
    if (!key_node.IsScalar()) {
      throw ConfigError(*file_, key_line, path_, "expected a plain key, got a complex key");
    }
    const std::string& key = key_node.Scalar();
    const std::string path = child_path(key);
    if (!seen.insert(key).second) {
      throw ConfigError(*file_, key_line, path, "duplicate key");
    }
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string what = "unknown key";
    std::string_view best;
    size_t best_distance = 3;  // suggest only near misses
    for (std::string_view candidate : known) {
      const size_t distance = edit_distance(key, candidate);
      if (distance < best_distance) {
        best_distance = distance;
        best = candidate;
      }
    }
    if (!best.empty()) {
      what += "; did you mean '" + std::string(best) + "'?";
    } else {
      what += "; expected one of ";
      bool first = true;
      for (std::string_view candidate : known) {
        if (!first) what += ", ";
        what += candidate;
        first = false;
      }
    }
    throw ConfigError(*file_, key_line, path, what);
  }
}

std::optional<YamlReader> YamlReader::child(std::string_view key) const {
  if (!node_.IsMap()) return std::nullopt;
  for (const auto& entry : node_) {
    const YAML::Node key_node = entry.first;
    const YAML::Node value = entry.second;
    if (!key_node.IsScalar() || key_node.Scalar() != key) continue;
    const int key_line = node_line(key_node, line_);
    // A null value's mark points at the next token, so it takes the key's line.
    const int value_line = value.IsNull() ? key_line : node_line(value, key_line);
    return YamlReader(value, file_, child_path(key), value_line);
  }
  return std::nullopt;
}

YamlReader YamlReader::required(std::string_view key) const {
  if (auto c = child(key)) return *c;
  throw ConfigError(*file_, line_, child_path(key), "missing required key");
}

std::vector<YamlReader> YamlReader::items() const {
  if (!node_.IsSequence()) fail("expected a list, got " + describe_kind());
  std::vector<YamlReader> out;
  out.reserve(node_.size());
  for (size_t i = 0; i < node_.size(); ++i) {
    const YAML::Node item = node_[i];
    const int item_line = item.IsNull() ? line_ : node_line(item, line_);
    out.emplace_back(item, file_, path_ + "[" + std::to_string(i) + "]", item_line);
  }
  return out;
}

std::string YamlReader::scalar_text(const std::string& expected) const {
  if (!node_.IsScalar()) fail("expected " + expected + ", got " + describe_kind());
  return node_.Scalar();
}

uint64_t YamlReader::as_uint(uint64_t min, uint64_t max) const {
  const std::string range = std::to_string(min) + ".." + std::to_string(max);
  const std::string expected = "an integer in " + range;
  const std::string text = scalar_text(expected);
  // Quoted scalars ("32") are strings in YAML; accepting them would hide
  // a type mix-up elsewhere in the same file.
  if (node_.Tag() != "?" && node_.Tag() != kIntTag) {
    fail("expected " + expected + ", got string '" + text + "'");
  }
  if (!text.empty() && text[0] == '-') {
    fail("expected " + expected + ", got negative number " + text);
  }
  uint64_t value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (begin == end || ptr != end ||
      (ec != std::errc() && ec != std::errc::result_out_of_range)) {
    fail("expected " + expected + ", got '" + text + "'");
  }
  if (ec == std::errc::result_out_of_range || value < min || value > max) {
    fail("expected " + expected + ", got " + text);
  }
  return value;
}

std::string YamlReader::as_string() const {
  std::string text = scalar_text("a string");
  if (text.empty()) fail("expected a non-empty string");
  return text;
}

bool YamlReader::as_bool() const {
  const std::string text = scalar_text("true or false");
  if (node_.Tag() == "?" || node_.Tag() == kBoolTag) {
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
  }
  if (node_.Tag() == "!") fail("expected true or false, got string '" + text + "'");
  fail("expected true or false, got '" + text + "'");
}

void YamlReader::read_string(std::string_view key, std::string& out) const {
  if (auto c = child(key)) out = c->as_string();
}

void YamlReader::read_bool(std::string_view key, bool& out) const {
  if (auto c = child(key)) out = c->as_bool();
}

}  // namespace weir::config
