// libFuzzer target for the inspection engine with the default ruleset
// (configs/rules). Fuzzed fields go through two engines decision by
// decision: one with the clean-value cache, one without, both with limits
// small enough that joined buffers, segment lists, prefilter reports, the
// transform arena and the cache's ring run over. Besides what ASan and
// UBSan catch, the cache must never change an outcome: the same verdict,
// score and rules per field with and without it (its soundness claim,
// detect/clean_value_cache.h). A Cookie header judged clean while its
// Cookie fields covered it, then seen without them, broke that claim.
//
// Input, per field: a control byte (bits 0-4 zone, bit 5 name and value are
// views into the last value with bytes of its own, as a Cookie field's are
// into the Cookie header, bit 6 a name from a short list of names that rules
// and the engine treat apart, bit 7 the decision ends after this field),
// then for a view an offset and a length byte for the name and for the
// value, else the name (a list index, or a length byte and bytes) and the
// value (a length byte and bytes).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "detect/engine.h"
#include "detect/policy_snapshot.h"
#include "detect/signature/rule_loader.h"
#include "tests/fuzz/fuzz_reader.h"

namespace {

using namespace weir;
using detect::InspectionEngine;

detect::EngineLimits small_limits(bool cache) {
  detect::EngineLimits l;
  l.arena_bytes = 4096;
  l.joined_bytes = 2048;
  l.max_segments = 24;
  l.max_prefilter_reports = 48;
  l.max_findings = 64;
  l.clean_cache_slots = cache ? 64 : 0;
  l.clean_cache_bytes = 2048;
  return l;
}

// Compiled once, before the first input: the whole ruleset takes seconds
// (more under ASan), more than a unit's timeout.
std::shared_ptr<const detect::PolicySnapshot>& snapshot() {
  static std::shared_ptr<const detect::PolicySnapshot> snap;
  return snap;
}

const char* const kNames[] = {"cookie", "user-agent", "content-type", "authorization", "referer",
                              "host", "x-forwarded-for", "q", "", "sid"};

// (rule, field index) per finding, sorted: what fired where. The engines'
// field lists are the same, so indexes compare.
using Fired = std::vector<std::tuple<std::string, int, std::string>>;

Fired fired(const detect::InspectionResult& r) {
  Fired out;
  for (const detect::Finding& f : r.findings)
    out.emplace_back(std::string(f.rule_id), static_cast<int>(f.zone), std::string(f.field_name));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  detect::RuleSet rules = detect::load_rules_dir(WEIR_SOURCE_ROOT "/configs/rules");
  snapshot() = detect::PolicySnapshot::compile(rules);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const detect::PolicySnapshot& snap = *snapshot();
  static InspectionEngine cached(small_limits(true)), uncached(small_limits(false));
  cached.reset_clean_cache(true);
  uncached.reset_clean_cache(false);
  FuzzReader in(data, size);
  std::deque<std::string> storage;  // stable addresses for the views
  std::vector<parse::Field> fields;
  std::string_view owned;  // the last value with bytes of its own: views point into it
  uint32_t carried_cached = 0, carried_uncached = 0;
  int decisions = 0;
  while (!in.empty() && decisions < 16) {
    const uint8_t control = in.u8();
    parse::Field f{static_cast<parse::Zone>((control & 31) % static_cast<unsigned>(parse::Zone::Count)), {}, {}};
    if ((control & 32) != 0 && !owned.empty()) {
      auto view = [&] {
        const size_t at = std::min<size_t>(in.u8(), owned.size());
        return owned.substr(at, in.u8());
      };
      f.name = view();
      f.value = view();
    } else {
      if ((control & 64) != 0) {
        f.name = kNames[in.u8() % (sizeof kNames / sizeof kNames[0])];
      } else {
        f.name = storage.emplace_back(in.bytes(in.u8() % 24));
      }
      f.value = owned = storage.emplace_back(in.bytes(in.u8()));
    }
    fields.push_back(f);
    if ((control & 128) == 0 && !in.empty()) continue;
    const detect::InspectionContext ctx{.path = "/api/x",
                                        .point = decisions % 2 == 0 ? parse::DecisionPoint::EndOfHeaders
                                                                    : parse::DecisionPoint::EndOfBody};
    detect::InspectionContext a_ctx = ctx, b_ctx = ctx;
    a_ctx.carried_score = carried_cached;
    b_ctx.carried_score = carried_uncached;
    const detect::InspectionResult a = cached.inspect(snap, fields, a_ctx);
    const Fired a_fired = fired(a);
    const detect::InspectionResult b = uncached.inspect(snap, fields, b_ctx);
    const Fired b_fired = fired(b);
    for (const detect::Finding& fd : b.findings)
      FUZZ_CHECK(fd.zone <= parse::Zone::Count && fd.excerpt_length <= detect::Finding::kExcerptMax);
    FUZZ_CHECK(a.status == b.status);
    if (a.status == detect::InspectionStatus::Ok) {
      FUZZ_CHECK(a.verdict.action == b.verdict.action);
      FUZZ_CHECK(a.score == b.score);
      FUZZ_CHECK(a.stats.findings_dropped != 0 || b.stats.findings_dropped != 0 || a_fired == b_fired);
    }
    carried_cached = a.score;
    carried_uncached = b.score;
    fields.clear();
    ++decisions;
  }
  return 0;
}
