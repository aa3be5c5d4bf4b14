#pragma once
// InspectSummary: the numbers `weirctl inspect --corpus` prints — how many
// requests, how fast (parse + inspect only, one thread), and where the
// corpus carries labels the detection quality: true-positive rate over the
// attacks, false-positive rate over the benign requests, a table per
// (label, class), and the ids behind the misses and the false positives.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/corpus_request.h"

namespace weir::cli {

struct ClassRow {
  CorpusLabel label = CorpusLabel::None;
  std::string attack_class;  ///< "(none)" when the corpus gave no class
  size_t count = 0;
  size_t detected = 0;
  double rate() const { return count ? static_cast<double>(detected) / static_cast<double>(count) : 0.0; }
};

/// A request on the wrong side: a benign one detected (with the rules that
/// fired) or an attack missed.
struct Misclassified {
  std::string id;
  std::string attack_class;
  std::string rules;  ///< comma-separated rule ids (false positives only)
};

struct Throughput {
  size_t requests = 0;   ///< inspections timed (requests x passes)
  size_t bytes = 0;      ///< raw bytes inspected in those
  double cpu_seconds = 0;   ///< thread CPU time of the loop
  double wall_seconds = 0;
  /// Engine work over one pass of the corpus (InspectionStats summed), to
  /// tell what a slow ruleset spends its time on.
  uint64_t fields = 0;
  uint64_t scans = 0;        ///< hs_scan calls
  uint64_t exact_scans = 0;  ///< of which per-field rescans
  uint64_t transforms = 0;
  uint64_t clean_cache_hits = 0;  ///< request-line, header and cookie values skipped: seen clean earlier in the pass
  double requests_per_second() const { return cpu_seconds > 0 ? requests / cpu_seconds : 0.0; }
  double megabytes_per_second() const { return cpu_seconds > 0 ? bytes / cpu_seconds / 1e6 : 0.0; }
};

class InspectSummary {
 public:
  /// One request's outcome. `rules` lists the rule ids that fired.
  void add(const CorpusRequest& req, bool detected, const std::string& rules, bool parse_failed);

  size_t requests() const { return requests_; }
  size_t attacks() const { return attacks_; }
  size_t benign() const { return benign_; }
  size_t true_positives() const { return true_positives_; }
  size_t false_positives() const { return false_positives_; }
  size_t detected() const { return detected_; }
  size_t parse_failures() const { return parse_failures_; }
  /// Empty when the corpus has no attack (TPR) / no benign (FPR) labels.
  std::optional<double> true_positive_rate() const;
  std::optional<double> false_positive_rate() const;

  /// Attack classes first, then benign, each sorted by class name.
  std::vector<ClassRow> class_rows() const;
  const std::vector<Misclassified>& false_positive_list() const { return fp_list_; }
  const std::vector<Misclassified>& missed_list() const { return missed_list_; }

 private:
  size_t requests_ = 0;
  size_t attacks_ = 0;
  size_t benign_ = 0;
  size_t true_positives_ = 0;
  size_t false_positives_ = 0;
  size_t detected_ = 0;
  size_t parse_failures_ = 0;
  std::map<std::pair<CorpusLabel, std::string>, ClassRow> rows_;
  std::vector<Misclassified> fp_list_;
  std::vector<Misclassified> missed_list_;
};

/// The quality gate of --min-tpr / --max-fpr: empty when passed, else one
/// line per failed bound (a bound on a rate the corpus cannot give fails).
std::vector<std::string> check_quality_gate(const InspectSummary& s, std::optional<double> min_tpr,
                                            std::optional<double> max_fpr);

/// Human summary: counts, speed, rates, the class table and the first
/// `top` false positives and missed attacks.
std::string render_summary(const InspectSummary& s, const Throughput& t, size_t top);

/// The same as one JSON object (one line), for scripts and the benches.
std::string summary_json(const InspectSummary& s, const Throughput& t, size_t top);

}  // namespace weir::cli
