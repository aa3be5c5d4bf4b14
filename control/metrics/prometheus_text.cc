// PrometheusText (see prometheus_text.h).
#include "control/metrics/prometheus_text.h"

#include <cmath>
#include <cstdio>

namespace weir::ctl {

std::string prom_escape_label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string prom_escape_help(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string prom_name(std::string_view raw) {
  std::string out;
  for (char c : raw) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':';
    out += ok ? c : '_';
  }
  if (out.empty() || (out[0] >= '0' && out[0] <= '9')) out.insert(out.begin(), '_');
  return out;
}

std::string prom_value(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  if (v == std::floor(v) && std::fabs(v) < 9.007199254740992e15) {
    char buf[32];
    snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  char buf[40];
  snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

void PrometheusText::family(const std::string& name, std::string_view type, std::string_view help) {
  if (index_.count(name)) return;
  index_[name] = families_.size();
  families_.push_back({name, std::string(type), std::string(help), {}, {}});
}

void PrometheusText::sample(const std::string& family, const MetricLabels& labels, double value,
                            std::string_view suffix) {
  auto it = index_.find(family);
  if (it == index_.end()) return;
  Family& f = families_[it->second];
  std::string key = family + std::string(suffix);
  if (!labels.empty()) {
    key += '{';
    bool first = true;
    for (const auto& [k, v] : labels) {
      if (!first) key += ',';
      first = false;
      key += prom_name(k) + "=\"" + prom_escape_label(v) + "\"";
    }
    key += '}';
  }
  if (!f.keys.insert(key).second) return;
  f.lines.push_back(key + " " + prom_value(value));
}

void PrometheusText::histogram(const std::string& family, const MetricLabels& labels,
                               const std::vector<std::pair<double, uint64_t>>& cumulative, double sum,
                               uint64_t count) {
  for (const auto& [le, n] : cumulative) {
    MetricLabels l = labels;
    l.emplace_back("le", prom_value(le));
    sample(family, l, static_cast<double>(n), "_bucket");
  }
  MetricLabels inf = labels;
  inf.emplace_back("le", "+Inf");
  sample(family, inf, static_cast<double>(count), "_bucket");
  sample(family, labels, sum, "_sum");
  sample(family, labels, static_cast<double>(count), "_count");
}

std::string PrometheusText::text() const {
  std::string out;
  for (const Family& f : families_) {
    if (f.lines.empty()) continue;
    out += "# HELP " + f.name + " " + prom_escape_help(f.help) + "\n";
    out += "# TYPE " + f.name + " " + f.type + "\n";
    for (const std::string& line : f.lines) out += line + "\n";
  }
  return out;
}

}  // namespace weir::ctl
