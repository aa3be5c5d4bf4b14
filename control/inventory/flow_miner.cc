// Flow mining; see flow_miner.h.
#include "control/inventory/flow_miner.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace weir::ctl {

namespace {

struct Edge {
  std::string to;
  uint64_t count;
  double confidence;
};

struct Search {
  const std::map<std::string, std::vector<Edge>>* edges;
  size_t max_steps;
  size_t max_paths;
  std::vector<MinedFlow> out;
  std::vector<std::string> path;
  std::set<std::string> on_path;

  void extend(const std::string& node, uint64_t support, double confidence) {
    if (out.size() >= max_paths) return;
    bool extended = false;
    if (path.size() < max_steps) {
      if (auto it = edges->find(node); it != edges->end()) {
        for (const Edge& e : it->second) {
          if (on_path.count(e.to)) continue;
          extended = true;
          path.push_back(e.to);
          on_path.insert(e.to);
          extend(e.to, std::min(support, e.count), confidence * e.confidence);
          on_path.erase(e.to);
          path.pop_back();
        }
      }
    }
    if (!extended && path.size() >= 2) out.push_back({flow_id(path), path, support, confidence});
  }
};

}  // namespace

std::string flow_id(const std::vector<std::string>& steps) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const auto& s : steps) {
    for (char c : s) h = (h ^ static_cast<uint8_t>(c)) * 0x100000001b3ULL;
    h = (h ^ 0x1e) * 0x100000001b3ULL;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%012llx", static_cast<unsigned long long>(h & 0xffffffffffffULL));
  return buf;
}

std::vector<MinedFlow> mine_flows(const std::vector<Transition>& transitions, const FlowMiningOptions& o) {
  std::map<std::string, uint64_t> out_total;
  for (const auto& t : transitions) out_total[t.from] += t.count;
  std::map<std::string, std::vector<Edge>> edges;
  std::set<std::string> has_incoming;
  for (const auto& t : transitions) {
    const double conf = static_cast<double>(t.count) / static_cast<double>(out_total[t.from]);
    if (t.count < o.min_support || conf < o.min_confidence || t.from == t.to) continue;
    edges[t.from].push_back({t.to, t.count, conf});
    has_incoming.insert(t.to);
  }
  for (auto& [from, list] : edges)
    std::sort(list.begin(), list.end(), [](const Edge& a, const Edge& b) { return a.count > b.count; });
  Search s{&edges, std::max<size_t>(o.max_steps, 2), o.max_flows * 4, {}, {}, {}};
  // Start where flows start (no frequent incoming edge); cycles get every node as a start.
  std::vector<std::string> starts;
  for (const auto& [from, list] : edges)
    if (!has_incoming.count(from)) starts.push_back(from);
  if (starts.empty())
    for (const auto& [from, list] : edges) starts.push_back(from);
  for (const auto& start : starts) {
    s.path = {start};
    s.on_path = {start};
    s.extend(start, UINT64_MAX, 1.0);
  }
  std::sort(s.out.begin(), s.out.end(), [](const MinedFlow& a, const MinedFlow& b) {
    return a.support != b.support ? a.support > b.support : a.steps < b.steps;
  });
  if (s.out.size() > o.max_flows) s.out.resize(o.max_flows);
  return s.out;
}

}  // namespace weir::ctl
