#pragma once
// Small helpers shared by the rule and policy loaders: typed reads of YAML
// nodes that throw RuleError naming file, line, key and expectation.

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "detect/signature/rule.h"
#include "detect/signature/rule_error.h"

namespace weir::detect {

class RuleYamlReader {
 public:
  explicit RuleYamlReader(std::string file) : file_(std::move(file)) {}

  const std::string& file() const { return file_; }
  int line_of(const YAML::Node& n) const { return n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }
  SourceMark mark_of(const YAML::Node& n) const { return {file_, line_of(n)}; }

  [[noreturn]] void fail(const YAML::Node& at, const std::string& key,
                         const std::string& expected) const;

  /// Every key of `map` must be in `allowed`.
  void check_keys(const YAML::Node& map, const std::string& where,
                  std::initializer_list<const char*> allowed) const;
  void require_map(const YAML::Node& n, const std::string& key) const;

  std::string string(const YAML::Node& n, const std::string& key) const;
  int integer(const YAML::Node& n, const std::string& key, int min, int max) const;
  bool boolean(const YAML::Node& n, const std::string& key) const;
  std::vector<std::string> string_list(const YAML::Node& n, const std::string& key) const;
  /// `any` or zone names; never empty.
  ZoneMask zones(const YAML::Node& n, const std::string& key) const;
  std::vector<TransformId> transforms(const YAML::Node& n, const std::string& key) const;
  Severity severity(const YAML::Node& n, const std::string& key) const;

 private:
  std::string file_;
};

}  // namespace weir::detect
