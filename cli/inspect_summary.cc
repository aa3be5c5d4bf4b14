// Corpus summary maths and rendering: see inspect_summary.h.

#include "cli/inspect_summary.h"

#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/text_table.h"

namespace weir::cli {

namespace {

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string percent(double rate) { return fixed(rate * 100.0, 2) + "%"; }

std::string ratio_text(size_t num, size_t den) {
  return std::to_string(num) + "/" + std::to_string(den);
}

}  // namespace

void InspectSummary::add(const CorpusRequest& req, bool detected, const std::string& rules,
                         bool parse_failed) {
  ++requests_;
  if (detected) ++detected_;
  if (parse_failed) ++parse_failures_;
  if (req.label == CorpusLabel::None) return;
  const std::string cls = req.attack_class.empty() ? "(none)" : req.attack_class;
  ClassRow& row = rows_[{req.label, cls}];
  row.label = req.label;
  row.attack_class = cls;
  ++row.count;
  if (detected) ++row.detected;
  if (req.label == CorpusLabel::Attack) {
    ++attacks_;
    if (detected) {
      ++true_positives_;
    } else {
      missed_list_.push_back({req.id, cls, {}});
    }
  } else {
    ++benign_;
    if (detected) {
      ++false_positives_;
      fp_list_.push_back({req.id, cls, rules});
    }
  }
}

std::optional<double> InspectSummary::true_positive_rate() const {
  if (attacks_ == 0) return std::nullopt;
  return static_cast<double>(true_positives_) / static_cast<double>(attacks_);
}

std::optional<double> InspectSummary::false_positive_rate() const {
  if (benign_ == 0) return std::nullopt;
  return static_cast<double>(false_positives_) / static_cast<double>(benign_);
}

std::vector<ClassRow> InspectSummary::class_rows() const {
  // The map is ordered by (label, class) and Attack sorts before Benign.
  std::vector<ClassRow> out;
  out.reserve(rows_.size());
  for (const auto& [key, row] : rows_) out.push_back(row);
  return out;
}

std::vector<std::string> check_quality_gate(const InspectSummary& s, std::optional<double> min_tpr,
                                            std::optional<double> max_fpr) {
  std::vector<std::string> failures;
  if (min_tpr) {
    auto tpr = s.true_positive_rate();
    if (!tpr) {
      failures.push_back("--min-tpr " + fixed(*min_tpr, 4) + ": the corpus has no requests labelled attack");
    } else if (*tpr < *min_tpr) {
      failures.push_back("TPR " + fixed(*tpr, 4) + " (" + ratio_text(s.true_positives(), s.attacks()) +
                         ") is below --min-tpr " + fixed(*min_tpr, 4));
    }
  }
  if (max_fpr) {
    auto fpr = s.false_positive_rate();
    if (!fpr) {
      failures.push_back("--max-fpr " + fixed(*max_fpr, 4) + ": the corpus has no requests labelled benign");
    } else if (*fpr > *max_fpr) {
      failures.push_back("FPR " + fixed(*fpr, 4) + " (" + ratio_text(s.false_positives(), s.benign()) +
                         ") is above --max-fpr " + fixed(*max_fpr, 4));
    }
  }
  return failures;
}

std::string render_summary(const InspectSummary& s, const Throughput& t, size_t top) {
  std::ostringstream out;
  std::vector<std::pair<std::string, std::string>> kv;
  kv.emplace_back("requests", std::to_string(s.requests()));
  kv.emplace_back("detected", std::to_string(s.detected()));
  if (s.parse_failures() != 0) kv.emplace_back("parse errors", std::to_string(s.parse_failures()));
  kv.emplace_back("speed", fixed(t.requests_per_second(), 0) + " requests/s on one core (" +
                               fixed(t.megabytes_per_second(), 1) + " MB/s, " +
                               std::to_string(t.requests) + " inspections in " +
                               fixed(t.cpu_seconds, 3) + " s CPU, " + fixed(t.wall_seconds, 3) +
                               " s wall; parse + inspect only)");
  if (s.requests() != 0) {
    const double n = static_cast<double>(s.requests());
    kv.emplace_back("engine", "per request " + fixed(t.fields / n, 1) + " fields, " + fixed(t.scans / n, 1) +
                                  " scans (" + fixed(t.exact_scans / n, 1) + " exact), " +
                                  fixed(t.transforms / n, 1) + " transform steps, " +
                                  fixed(t.clean_cache_hits / n, 1) + " values known clean (request line, headers, cookies)");
  }
  if (auto tpr = s.true_positive_rate()) {
    kv.emplace_back("TPR", fixed(*tpr, 4) + " (" + ratio_text(s.true_positives(), s.attacks()) +
                               " attacks detected)");
  }
  if (auto fpr = s.false_positive_rate()) {
    kv.emplace_back("FPR", fixed(*fpr, 4) + " (" + ratio_text(s.false_positives(), s.benign()) +
                               " benign requests detected)");
  }
  out << render_key_values(kv);
  const auto rows = s.class_rows();
  if (!rows.empty()) {
    out << "\n";
    Table table({"LABEL", "CLASS", "COUNT", "DETECTED", "RATE"});
    for (size_t c : {2, 3, 4}) table.set_align(c, Align::Right);
    for (const auto& row : rows) {
      table.add_row({corpus_label_name(row.label), row.attack_class, std::to_string(row.count),
                     std::to_string(row.detected), percent(row.rate())});
    }
    out << table.render();
  }
  auto list = [&](const char* title, const std::vector<Misclassified>& items, bool with_rules) {
    if (items.empty() || top == 0) return;
    out << "\n" << title << " (" << items.size() << (items.size() > top ? ", first " + std::to_string(top) : "")
        << "):\n";
    Table table(with_rules ? std::vector<std::string>{"ID", "CLASS", "RULES"}
                           : std::vector<std::string>{"ID", "CLASS"});
    for (size_t i = 0; i < items.size() && i < top; ++i) {
      if (with_rules) {
        table.add_row({items[i].id, items[i].attack_class, items[i].rules});
      } else {
        table.add_row({items[i].id, items[i].attack_class});
      }
    }
    out << table.render();
  };
  list("false positives", s.false_positive_list(), true);
  list("missed attacks", s.missed_list(), false);
  return out.str();
}

std::string summary_json(const InspectSummary& s, const Throughput& t, size_t top) {
  nlohmann::json j;
  j["requests"] = s.requests();
  j["detected"] = s.detected();
  j["parse_errors"] = s.parse_failures();
  j["requests_per_second"] = t.requests_per_second();
  j["megabytes_per_second"] = t.megabytes_per_second();
  j["timed_inspections"] = t.requests;
  j["timed_bytes"] = t.bytes;
  j["cpu_seconds"] = t.cpu_seconds;
  j["wall_seconds"] = t.wall_seconds;
  j["engine"] = {{"fields", t.fields}, {"scans", t.scans}, {"exact_scans", t.exact_scans},
                 {"transforms", t.transforms}, {"clean_cache_hits", t.clean_cache_hits}};
  j["attacks"] = s.attacks();
  j["benign"] = s.benign();
  j["true_positives"] = s.true_positives();
  j["false_positives"] = s.false_positives();
  j["tpr"] = s.true_positive_rate() ? nlohmann::json(*s.true_positive_rate()) : nlohmann::json();
  j["fpr"] = s.false_positive_rate() ? nlohmann::json(*s.false_positive_rate()) : nlohmann::json();
  nlohmann::json classes = nlohmann::json::array();
  for (const auto& row : s.class_rows()) {
    classes.push_back({{"label", corpus_label_name(row.label)}, {"class", row.attack_class},
                       {"count", row.count}, {"detected", row.detected}, {"rate", row.rate()}});
  }
  j["classes"] = classes;
  auto list = [top](const std::vector<Misclassified>& items, bool with_rules) {
    nlohmann::json a = nlohmann::json::array();
    for (size_t i = 0; i < items.size() && i < top; ++i) {
      nlohmann::json e{{"id", items[i].id}, {"class", items[i].attack_class}};
      if (with_rules) e["rules"] = items[i].rules;
      a.push_back(e);
    }
    return a;
  };
  j["false_positive_ids"] = list(s.false_positive_list(), true);
  j["missed_ids"] = list(s.missed_list(), false);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace weir::cli
