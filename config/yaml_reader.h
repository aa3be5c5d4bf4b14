#pragma once
// YamlReader: a yaml-cpp node plus where it sits (file, line, dotted key path),
// with strict typed getters. Every getter throws ConfigError naming the file,
// line and key, so the section parsers in config_sections.cc read like a
// schema and never format an error by hand. Internal to config/.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/weir_config.h"

namespace weir::config {

class YamlReader {
 public:
  YamlReader(YAML::Node node, const std::string* file, std::string path, int line);

  const std::string& path() const { return path_; }
  int line() const { return line_; }
  bool is_null() const { return node_.IsNull(); }

  [[noreturn]] void fail(const std::string& what) const;

  /// Checks that this is a map whose keys are all in `known` (each once).
  /// A null node counts as an empty map, so a section with every entry
  /// commented out means "all defaults".
  void expect_map(std::initializer_list<std::string_view> known) const;

  /// The value of `key` in this map, or nullopt when the key is absent.
  std::optional<YamlReader> child(std::string_view key) const;
  /// The value of `key`; a missing key is an error at this map's line.
  YamlReader required(std::string_view key) const;
  /// The elements of a sequence ("expected a list" otherwise).
  std::vector<YamlReader> items() const;

  uint64_t as_uint(uint64_t min, uint64_t max) const;
  std::string as_string() const;  ///< any non-empty scalar
  bool as_bool() const;           ///< true or false, nothing YAML 1.1-ish like "yes"

  template <typename E>
  E as_enum(std::initializer_list<std::pair<std::string_view, E>> choices) const {
    const std::string text = scalar_text("one of " + join_names(choices));
    for (const auto& [name, value] : choices) {
      if (text == name) return value;
    }
    fail("expected one of " + join_names(choices) + ", got '" + text + "'");
  }

  // Shorthands for the common "optional key, keep the default" case.
  template <typename T>
  void read_uint(std::string_view key, T& out, uint64_t min, uint64_t max) const {
    if (auto c = child(key)) out = static_cast<T>(c->as_uint(min, max));
  }
  void read_string(std::string_view key, std::string& out) const;
  void read_bool(std::string_view key, bool& out) const;
  template <typename E>
  void read_enum(std::string_view key, E& out,
                 std::initializer_list<std::pair<std::string_view, E>> choices) const {
    if (auto c = child(key)) out = c->as_enum(choices);
  }

 private:
  template <typename E>
  static std::string join_names(std::initializer_list<std::pair<std::string_view, E>> choices) {
    std::string out;
    for (const auto& choice : choices) {
      if (!out.empty()) out += ", ";
      out += choice.first;
    }
    return out;
  }
  /// The scalar's text; anything else is "expected <expected>, got a list".
  std::string scalar_text(const std::string& expected) const;
  std::string describe_kind() const;
  std::string child_path(std::string_view key) const;

  YAML::Node node_;
  const std::string* file_;
  std::string path_;
  int line_;
};

/// Line (1-based) of a node as yaml-cpp marks it, or `fallback` for nodes
/// without a mark. Null values carry the mark of the next token, so callers
/// pass the key's line for those.
int node_line(const YAML::Node& node, int fallback);

}  // namespace weir::config
