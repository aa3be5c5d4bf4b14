// Building a DetectionGeneration (see detection_generation.h).

#include "dataplane/runtime/detection_generation.h"

#include <chrono>
#include <exception>

#include "detect/signature/rule_error.h"
#include "detect/signature/rule_loader.h"

namespace weir::dp {

DetectionBuild build_detection(const std::string& rules_dir, unsigned workers, uint64_t generation) {
  DetectionBuild out;
  const auto t0 = std::chrono::steady_clock::now();
  auto gen = std::make_unique<DetectionGeneration>();
  gen->generation = generation;
  try {
    detect::RuleSet rules = detect::load_rules_dir(rules_dir);
    gen->rules = rules.rules.size();
    gen->snapshot = detect::PolicySnapshot::compile(rules);
  } catch (const detect::RuleError& e) {
    out.error = e.what();
    return out;
  } catch (const std::exception& e) {
    out.error = std::string("rules ") + rules_dir + ": " + e.what();
    return out;
  }
  for (unsigned w = 0; w < workers; ++w) {
    auto engine = std::make_unique<detect::InspectionEngine>();
    if (engine->bind(*gen->snapshot) != detect::InspectionStatus::Ok) {
      out.error = "cannot allocate Hyperscan scratch for worker " + std::to_string(w);
      return out;
    }
    gen->engines.push_back(std::move(engine));
  }
  gen->compile_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  out.result = std::move(gen);
  return out;
}

}  // namespace weir::dp
