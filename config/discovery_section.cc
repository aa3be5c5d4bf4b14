// The `discovery:` section: API discovery (inventory) settings read by
// weir-dataplane (sampling, custom detectors) and weir-control (custom
// detector names, declared business flows). Regexes are compiled with
// Hyperscan here, so a pattern the workers could not load is a config error
// at its line, never a surprise at apply time.

#include <hs/hs.h>

#include <set>
#include <string>

#include "config/config_sections.h"

namespace weir::config {
namespace {

constexpr size_t kMaxDetectors = 32;  // ApiObservation::custom_detectors is 32 bits
constexpr size_t kMaxName = 64;

void check_regex(const YamlReader& at, const std::string& regex) {
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile(regex.c_str(), HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY, HS_MODE_BLOCK, nullptr, &db, &err) !=
      HS_SUCCESS) {
    const std::string what = err && err->message ? err->message : "does not compile";
    hs_free_compile_error(err);
    at.fail("regex does not compile: " + what);
  }
  hs_free_database(db);
}

}  // namespace

void read_discovery(const YamlReader& section, DiscoveryConfig& out) {
  section.expect_map({"enabled", "sample_rate_per_s", "sample_burst", "in_flight_per_worker", "custom_detectors",
                      "flows"});
  if (auto c = section.child("enabled")) out.enabled = c->as_bool();
  section.read_uint("sample_rate_per_s", out.sample_rate_per_s, 0, 1000000);
  section.read_uint("sample_burst", out.sample_burst, 1, 1000000);
  section.read_uint("in_flight_per_worker", out.in_flight_per_worker, 1, 4096);
  if (auto list = section.child("custom_detectors")) {
    std::set<std::string> names;
    for (const YamlReader& item : list->items()) {
      item.expect_map({"name", "regex", "keys"});
      DiscoveryDetectorConfig d;
      d.line = item.line();
      const YamlReader name = item.required("name");
      d.name = name.as_string();
      if (d.name.size() > kMaxName) name.fail("at most 64 bytes");
      if (!names.insert(d.name).second) name.fail("duplicate detector name '" + d.name + "'");
      if (auto r = item.child("regex")) {
        d.regex = r->as_string();
        check_regex(*r, d.regex);
      }
      if (auto k = item.child("keys"))
        for (const YamlReader& key : k->items()) d.keys.push_back(key.as_string());
      if (d.regex.empty() && d.keys.empty()) item.fail("a custom detector needs 'regex' or 'keys'");
      if (out.custom_detectors.size() == kMaxDetectors) item.fail("at most 32 custom detectors");
      out.custom_detectors.push_back(std::move(d));
    }
  }
  if (auto list = section.child("flows")) {
    std::set<std::string> names;
    for (const YamlReader& item : list->items()) {
      item.expect_map({"name", "steps"});
      DiscoveryFlowConfig f;
      f.line = item.line();
      const YamlReader name = item.required("name");
      f.name = name.as_string();
      if (!names.insert(f.name).second) name.fail("duplicate flow name '" + f.name + "'");
      const YamlReader steps = item.required("steps");
      for (const YamlReader& s : steps.items()) f.steps.push_back(s.as_string());
      if (f.steps.size() < 2) steps.fail("a flow needs at least two steps (\"HOST METHOD /path\")");
      out.flows.push_back(std::move(f));
    }
  }
}

}  // namespace weir::config
