// libFuzzer target for the inspection engine with the default ruleset
// (configs/rules), against two references. Fuzzed fields go through two
// engines decision by decision, one with the clean-value cache and one
// without, both with limits small enough that joined buffers, segment
// lists, prefilter reports and the cache's ring run over. Besides what
// ASan and UBSan catch, two claims are held:
// * The cache never changes an outcome: the same verdict, score and rules
//   per field with and without it (detect/clean_value_cache.h). A Cookie
//   header judged clean while its Cookie fields covered it, then seen
//   without them, broke that (seed cookie_covered_then_lost).
// * The joined prefilter scans lose nothing: the engine without the cache
//   fires exactly the rules a naive scan finds, every field with every
//   group's exact database after its transform chain step by step, then
//   the zone, name, lexer and own-domain checks (detect/dev_notes.md, flow
//   of one inspect() call). The prefilter forms are relaxed and literal-cut
//   copies of 400+ patterns; this is where a wrong cut would show.
//   Not held: what the reference finds in a Cookie header all of whose
//   cookies arrived as Cookie fields. The engine leaves that header's
//   decoded copy to its cookies (cookie_names_classes()), so a match
//   across two cookies, or inside a cookie name, is not seen there
//   (detect/dev_notes.md, Invariants).
//
// Input, per field: a control byte (bits 0-4 zone, bit 5 the value's cookies
// follow it as Cookie fields, bit 6 a name from a short list of names that
// rules and the engine treat apart, bit 7 the decision ends after this
// field), the name (a list index, or a length byte and bytes), the value (a
// length byte and bytes), and with bit 5 how many cookies the field list
// has room for (a byte, mod 16): the Cookie fields are what the HTTP/1
// head's split_cookie_header() makes of the value, cut short as a full
// field list cuts them. The engine's Cookie header coverage trusts that
// split (views into the header, in order), so the input keeps to it.
// WEIR_FUZZ_VERBOSE=1 prints the fields and both rule lists of a decision
// that breaks the second claim.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "detect/detector.h"
#include "detect/engine.h"
#include "detect/policy/own_domains.h"
#include "detect/policy_snapshot.h"
#include "detect/signature/rule_loader.h"
#include "detect/transform/transform.h"
#include "detect/transform/transform_arena.h"
#include "parsers/arena.h"
#include "parsers/field_list.h"
#include "parsers/form/urlencoded_splitter.h"
#include "parsers/http1/head_scan.h"
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

// (rule, zone, field name) per finding, sorted and unique: what fired where.
using Fired = std::vector<std::tuple<std::string, int, std::string>>;

Fired fired(const detect::InspectionResult& r) {
  Fired out;
  for (const detect::Finding& f : r.findings)
    out.emplace_back(std::string(f.rule_id), static_cast<int>(f.zone), std::string(f.field_name));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b < 0x7f && b != '\\') {
      out += c;
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", b);
      out += hex;
    }
  }
  return out;
}

// The naive inspection: per field and group, the chain's steps in order,
// the group's exact database over the result, each matched rule checked
// like on_exact_match() and process_matches() check it.
Fired reference(const detect::PolicySnapshot& snap, const std::vector<parse::Field>& fields) {
  static hs_scratch_t* scratch = nullptr;
  static detect::TransformArena arena(64 * 1024);
  const detect::SignatureDatabase& sigs = snap.signatures();
  Fired out;
  for (const parse::Field& f : fields) {
    if (f.value.empty()) continue;
    const auto zone_bit = detect::ZoneMask{1} << static_cast<unsigned>(f.zone);
    for (const detect::ScanGroup& g : sigs.groups()) {
      if ((g.zones & zone_bit) == 0 || g.db == nullptr) continue;
      std::vector<detect::TransformId> steps;
      for (uint16_t n = g.chain; n != 0; n = sigs.chains().node(n).parent)
        steps.insert(steps.begin(), sigs.chains().node(n).transform);
      arena.reset();
      std::string_view v = f.value;
      bool applies = true;
      for (detect::TransformId t : steps) {
        const detect::TransformOutput o = detect::run_transform(t, v, arena);
        FUZZ_CHECK(o.status != detect::TransformStatus::ArenaFull);
        if (o.status == detect::TransformStatus::NotApplicable) applies = false;
        v = o.value;
      }
      if (!applies || v.empty()) continue;
      FUZZ_CHECK(hs_alloc_scratch(g.db, &scratch) == HS_SUCCESS);
      std::vector<uint32_t> rules;
      auto on_match = [](unsigned id, unsigned long long, unsigned long long, unsigned, void* ctx) {
        static_cast<std::vector<uint32_t>*>(ctx)->push_back(id);
        return 0;
      };
      FUZZ_CHECK(hs_scan(g.db, v.data(), static_cast<unsigned>(v.size()), 0, scratch, on_match, &rules) ==
                 HS_SUCCESS);
      for (uint32_t id : rules) {
        const detect::CompiledRule& rule = sigs.rules()[sigs.rule_of_pattern(id)];
        if ((rule.zones & zone_bit) == 0) continue;
        auto named = [&](const std::string& n) { return parse::equals_ignore_case(n, f.name); };
        if (!rule.names.empty() && std::none_of(rule.names.begin(), rule.names.end(), named)) continue;
        if (rule.confirm != detect::ConfirmKind::None) {
          const detect::DetectorApi* d = detect::lexical_detector(rule.confirm);
          if (d == nullptr || d->confirm == nullptr || !d->confirm(v)) continue;
        }
        if (rule.attack_class == detect::AttackClass::OpenRedirect &&
            detect::redirect_stays_home(snap.policy().own_domains, f.zone, v))
          continue;
        out.emplace_back(rule.id, static_cast<int>(f.zone), std::string(f.name));
      }
    }
  }
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
  uint32_t carried_cached = 0, carried_uncached = 0;
  bool covered_cookie_header = false;  // in this decision: all its cookies follow it as fields
  int decisions = 0;
  while (!in.empty() && decisions < 16) {
    const uint8_t control = in.u8();
    parse::Field f{static_cast<parse::Zone>((control & 31) % static_cast<unsigned>(parse::Zone::Count)), {}, {}};
    if ((control & 64) != 0) {
      f.name = kNames[in.u8() % (sizeof kNames / sizeof kNames[0])];
    } else {
      f.name = storage.emplace_back(in.bytes(in.u8() % 24));
    }
    f.value = storage.emplace_back(in.bytes(in.u8()));
    fields.push_back(f);
    if ((control & 32) != 0) {
      // Its cookies, as the HTTP/1 head splits them (views into this
      // value), in a list with room for 0-15 of them.
      parse::Arena arena(64 * 1024);
      parse::FieldList cookies(arena, in.u8() % 16);
      covered_cookie_header |= parse::split_cookie_header(f.value, cookies) && f.zone == parse::Zone::Header &&
                               parse::equals_ignore_case(f.name, "cookie");
      for (uint32_t i = 0; i < cookies.size(); ++i) fields.push_back(cookies[i]);
    }
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
    if (b.status == detect::InspectionStatus::Ok && b.stats.findings_dropped == 0 && b.stats.arena_full == 0 &&
        b.stats.match_overflow == 0) {
      const Fired want = reference(snap, fields);
      bool same = true;
      for (const auto& w : want)
        same &= std::binary_search(b_fired.begin(), b_fired.end(), w) ||
                (covered_cookie_header && std::get<1>(w) == static_cast<int>(parse::Zone::Header) &&
                 parse::equals_ignore_case(std::get<2>(w), "cookie"));
      for (const auto& g : b_fired) same &= std::binary_search(want.begin(), want.end(), g);
      if (!same && std::getenv("WEIR_FUZZ_VERBOSE") != nullptr) {
        for (const parse::Field& f : fields)
          std::fprintf(stderr, "field %s [%s] = [%s]\n", parse::zone_name(f.zone), printable(f.name).c_str(),
                       printable(f.value).c_str());
        for (const auto& [r, z, n] : want) std::fprintf(stderr, "reference: %s %d %s\n", r.c_str(), z, n.c_str());
        for (const auto& [r, z, n] : b_fired) std::fprintf(stderr, "engine:    %s %d %s\n", r.c_str(), z, n.c_str());
      }
      FUZZ_CHECK(same);
    }
    carried_cached = a.score;
    carried_uncached = b.score;
    fields.clear();
    covered_cookie_header = false;
    ++decisions;
  }
  return 0;
}
