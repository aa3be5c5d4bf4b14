#pragma once
// RuleError: a ruleset that cannot be loaded or compiled. Thrown at config
// time only (never on the packet path); the message names the file, the
// line, the key and what was expected, e.g.
//   configs/rules/sqli.yaml:14: key 'severity': expected one of critical, error, warning, notice (got 'high')

#include <stdexcept>
#include <string>

namespace weir::detect {

class RuleError : public std::runtime_error {
 public:
  RuleError(std::string file, int line, std::string key, const std::string& expected)
      : std::runtime_error(format(file, line, key, expected)),
        file_(std::move(file)), line_(line), key_(std::move(key)) {}

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  const std::string& key() const { return key_; }

 private:
  static std::string format(const std::string& file, int line, const std::string& key,
                            const std::string& expected) {
    std::string m = file + ":" + std::to_string(line) + ": ";
    if (!key.empty()) m += "key '" + key + "': ";
    return m + "expected " + expected;
  }

  std::string file_;
  int line_;
  std::string key_;
};

}  // namespace weir::detect
