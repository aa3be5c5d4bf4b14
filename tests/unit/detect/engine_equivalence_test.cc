// Differential test: the engine's joined prefilter scans + exact rescans must
// find exactly what a naive reference finds by scanning every field with
// every rule on its own (transform chain applied step by step).

#include <gtest/gtest.h>
#include <hs/hs.h>

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "detect/engine.h"
#include "detect/signature/rule_loader.h"

namespace weir::detect {
namespace {

using parse::Field;
using parse::Zone;

const char* kRules = R"(rules:
  - {id: r1, message: m, class: sqli, severity: notice, zones: [any], transforms: [url_decode, lowercase], patterns: ["union select", "or 1"]}
  - {id: r2, message: m, class: xss, severity: notice, zones: [query_arg, cookie], transforms: [html_entity_decode], patterns: ["<scr", "^on"], flags: [caseless]}
  - {id: r3, message: m, class: other, severity: notice, zones: [header], transforms: [], patterns: ["ab$", "^b"]}
  - {id: r4, message: m, class: other, severity: notice, zones: [any], transforms: [base64_decode], patterns: ["abc"]}
  - {id: r5, message: m, class: other, severity: notice, zones: [body_json], transforms: [url_decode, compress_whitespace], patterns: ["a b", "\\d{3}"]}
  - {id: r6, message: m, class: other, severity: notice, zones: [any], transforms: [url_decode], patterns: ["a\\nb", "b.a"], flags: [dotall]}
policy:
  threshold: 1000
  lexical: {sqli: {enabled: false}, xss: {enabled: false}}
)";

struct Reference {
  struct Compiled {
    const Rule* rule;
    hs_database_t* db;
  };
  std::vector<Compiled> rules;
  hs_scratch_t* scratch = nullptr;

  explicit Reference(const RuleSet& rs) {
    for (const Rule& r : rs.rules) {
      std::vector<const char*> exprs;
      std::vector<unsigned> flags, ids;
      for (const PatternSpec& p : r.patterns) {
        exprs.push_back(p.regex.c_str());
        flags.push_back(p.hs_flags | HS_FLAG_SINGLEMATCH);
        ids.push_back(0);
      }
      hs_database_t* db = nullptr;
      hs_compile_error_t* err = nullptr;
      EXPECT_EQ(hs_compile_multi(exprs.data(), flags.data(), ids.data(),
                                 static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &db,
                                 &err),
                HS_SUCCESS);
      hs_alloc_scratch(db, &scratch);
      rules.push_back({&r, db});
    }
  }
  ~Reference() {
    for (auto& c : rules) hs_free_database(c.db);
    hs_free_scratch(scratch);
  }

  std::set<std::pair<size_t, std::string>> run(const std::vector<Field>& fields) {
    std::set<std::pair<size_t, std::string>> out;
    for (size_t i = 0; i < fields.size(); ++i) {
      const Field& f = fields[i];
      if (f.value.empty()) continue;
      for (auto& c : rules) {
        if ((c.rule->zones & (ZoneMask{1} << static_cast<unsigned>(f.zone))) == 0) continue;
        TransformArena arena(f.value.size() * 8 + 8);
        std::string_view v = f.value;
        bool na = false;
        for (TransformId t : c.rule->transforms) {
          TransformOutput o = run_transform(t, v, arena);
          if (o.status == TransformStatus::NotApplicable) na = true;
          v = o.value;
        }
        if (na || v.empty()) continue;
        bool hit = false;
        hs_scan(c.db, v.data(), static_cast<unsigned>(v.size()), 0, scratch,
                [](unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) {
                  *static_cast<bool*>(ctx) = true;
                  return 1;
                },
                &hit);
        if (hit) out.insert({i, c.rule->id});
      }
    }
    return out;
  }
};

TEST(EngineEquivalenceTest, JoinedScansFindExactlyWhatPerFieldScansFind) {
  RuleSet rs;
  load_rules_text(kRules, "eq.yaml", rs);
  auto snap = PolicySnapshot::compile(rs);
  Reference ref(rs);
  // Small buffers on one engine so that the full-buffer fallbacks run too.
  InspectionEngine big;
  InspectionEngine small(EngineLimits{.joined_bytes = 40, .max_segments = 3, .max_findings = 256});

  const std::vector<std::string> pieces = {
      "a", "b", "ab", " ", "  ", "\n", "%20", "+", "UNION", " select", "or 1", "&lt;",
      "<scr", "On", "YWJj", "YWJjZGVmZ2g=", "123", "%0a", "x", "&#60;", "oN"};
  const Zone zones[] = {Zone::QueryArg, Zone::Header, Zone::Cookie, Zone::BodyJson, Zone::Path};
  uint32_t seed = 7;
  auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
  size_t compared = 0, with_findings = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    std::vector<std::string> values(1 + next() % 6);
    for (std::string& v : values) {
      size_t n = next() % 5;
      for (size_t k = 0; k < n; ++k) v += pieces[(next() >> 8) % pieces.size()];
    }
    std::vector<std::string> names;
    for (size_t i = 0; i < values.size(); ++i) names.push_back("f" + std::to_string(i));
    std::vector<Field> fields;
    for (size_t i = 0; i < values.size(); ++i)
      fields.push_back({zones[(next() >> 4) % 5], names[i], values[i]});
    auto want = ref.run(fields);
    for (InspectionEngine* e : {&big, &small}) {
      auto r = e->inspect(*snap, fields, {.path = "/"});
      std::set<std::pair<size_t, std::string>> got;
      for (const Finding& f : r.findings)
        got.insert({static_cast<size_t>(std::stoul(std::string(f.field_name.substr(1)))),
                    std::string(f.rule_id)});
      EXPECT_EQ(got, want) << "iteration " << iter << (e == &small ? " (small buffers)" : "");
      if (got != want) return;
    }
    compared++;
    with_findings += want.empty() ? 0 : 1;
  }
  EXPECT_GT(with_findings, 300u);  // the generator does exercise the rules
  EXPECT_EQ(compared, 3000u);
}

}  // namespace
}  // namespace weir::detect
