#pragma once
// Prometheus text exposition format 0.0.4: families with HELP and TYPE
// lines, each family's samples together, label values escaped, names
// sanitised to [a-zA-Z_:][a-zA-Z0-9_:]*. A sample repeated with the same
// labels is dropped (two raw counter names can sanitise to one name).

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weir::ctl {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

/// Label value escaping: '\' -> "\\", '"' -> "\"", newline -> "\n".
std::string prom_escape_label(std::string_view value);
/// HELP text escaping: '\' -> "\\", newline -> "\n".
std::string prom_escape_help(std::string_view text);
/// Any character outside [a-zA-Z0-9_:] becomes '_'; a leading digit gets '_'.
std::string prom_name(std::string_view raw);

class PrometheusText {
 public:
  /// Declares a family (type: counter, gauge, histogram); idempotent.
  void family(const std::string& name, std::string_view type, std::string_view help);
  /// A sample of family `family`; `suffix` is "" or "_bucket"/"_sum"/"_count".
  void sample(const std::string& family, const MetricLabels& labels, double value,
              std::string_view suffix = "");
  /// A histogram from cumulative bucket counts (upper bound -> count, +Inf
  /// added from `count`), its sum and count.
  void histogram(const std::string& family, const MetricLabels& labels,
                 const std::vector<std::pair<double, uint64_t>>& cumulative, double sum, uint64_t count);
  bool has_family(const std::string& name) const { return index_.count(name) != 0; }

  std::string text() const;

 private:
  struct Family {
    std::string name;
    std::string type;
    std::string help;
    std::vector<std::string> lines;
    std::set<std::string> keys;
  };
  std::vector<Family> families_;
  std::map<std::string, size_t> index_;
};

/// Shortest text for a sample value (integers without exponent).
std::string prom_value(double v);

}  // namespace weir::ctl
