#pragma once
// Shared fixture pieces for the stream signature tests: a ruleset from YAML
// text, a bound pool and a prepared scratch, and a sink that keeps copies.

#include <memory>
#include <string>
#include <vector>

#include "detect/signature/rule_loader.h"
#include "detect/stream_signature/stream_scanner.h"
#include "detect/stream_signature/stream_scratch.h"
#include "detect/stream_signature/stream_signature_database.h"
#include "detect/stream_signature/stream_state_pool.h"

namespace weir::detect::testing {

inline std::unique_ptr<StreamSignatureDatabase> stream_db_from(const std::string& yaml) {
  RuleSet rs;
  load_rules_text(yaml, "stream_test.yaml", rs);
  return StreamSignatureDatabase::build(rs);
}

/// A stream rule in the rule file format.
inline std::string stream_rule(const std::string& id, const std::string& regex,
                               const std::string& extra = "") {
  return "  - id: " + id + "\n    message: \"msg " + id +
         "\"\n    class: other\n    severity: error\n    zones: [stream]\n    patterns: [\"" +
         regex + "\"]\n" + extra;
}

struct SavedFinding {
  uint32_t rule_index;
  std::string rule_id;
  std::string message;
  RuleAction action;
  uint64_t match_end;
  std::string excerpt;
  bool at_close;
};

struct SavingSink : StreamMatchSink {
  std::vector<SavedFinding> got;
  void on_stream_finding(const StreamFinding& f) override {
    got.push_back({f.rule_index, std::string(f.rule_id), std::string(f.message), f.action,
                   f.match_end, std::string(f.excerpt), f.at_close});
  }
};

}  // namespace weir::detect::testing
