#pragma once
// Operator-defined sensitive-data detectors (config: a name, an optional
// regular expression over values and optional key names). Regexes are
// compiled once into one Hyperscan database (control/config time); the
// worker matches with its own scratch, no allocation per call.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct hs_database;
struct hs_scratch;

namespace weir::detect {

struct CustomDetectorConfig {
  std::string name;               ///< reported as "custom:<name>"
  std::string regex;              ///< PCRE subset Hyperscan accepts; "" = keys only
  std::vector<std::string> keys;  ///< field names (compared like classes_for_key)
};

/// Per-thread Hyperscan scratch for one CustomDetectorSet.
class CustomScratch {
 public:
  CustomScratch() = default;
  ~CustomScratch();
  CustomScratch(const CustomScratch&) = delete;
  CustomScratch& operator=(const CustomScratch&) = delete;

 private:
  friend class CustomDetectorSet;
  hs_scratch* scratch_ = nullptr;
};

class CustomDetectorSet {
 public:
  /// Compiles the detectors (at most 32). On error returns null and sets
  /// `error` to "custom detector '<name>': <reason>".
  static std::unique_ptr<CustomDetectorSet> compile(const std::vector<CustomDetectorConfig>& detectors,
                                                    std::string& error);
  ~CustomDetectorSet();

  /// Sizes `scratch` for this set (start-up); false on allocation failure.
  bool prepare(CustomScratch& scratch) const;

  /// Bit i: detector i matched the key name or the value.
  uint32_t match_mask(std::string_view key, std::string_view value, CustomScratch& scratch) const;
  bool matches(std::string_view key, std::string_view value, CustomScratch& scratch) const {
    return match_mask(key, value, scratch) != 0;
  }

  size_t size() const { return names_.size(); }
  const std::string& name(size_t i) const { return names_[i]; }

 private:
  CustomDetectorSet() = default;

  std::vector<std::string> names_;
  std::vector<std::vector<std::string>> keys_;  ///< normalised
  hs_database* db_ = nullptr;                   ///< null when no detector has a regex
};

}  // namespace weir::detect
