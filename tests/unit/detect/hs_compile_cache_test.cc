// HsCompileCache: a hit returns a database that matches exactly like a fresh
// compile; any change of expression, flag, id or mode misses; entries survive
// through the disk directory; SignatureDatabase::build reuses unchanged
// groups on a recompile.

#include "detect/signature/hs_compile_cache.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <latch>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "detect/policy_snapshot.h"
#include "detect/signature/rule_loader.h"

namespace weir::detect {
namespace {

using Matches = std::set<std::pair<unsigned, unsigned long long>>;

HsCompileInput input(std::vector<const char*> exprs, unsigned flags) {
  HsCompileInput in;
  in.expressions = std::move(exprs);
  for (size_t i = 0; i < in.expressions.size(); ++i) {
    in.flags.push_back(flags);
    in.ids.push_back(static_cast<unsigned>(i + 10));
  }
  return in;
}

Matches scan(const hs_database_t* db, const std::string& text) {
  hs_scratch_t* scratch = nullptr;
  EXPECT_EQ(hs_alloc_scratch(db, &scratch), HS_SUCCESS);
  Matches out;
  hs_scan(db, text.data(), static_cast<unsigned>(text.size()), 0, scratch,
          [](unsigned id, unsigned long long, unsigned long long to, unsigned, void* ctx) {
            static_cast<Matches*>(ctx)->insert({id, to});
            return 0;
          },
          &out);
  hs_free_scratch(scratch);
  return out;
}

hs_database_t* compile(HsCompileCache& cache, const HsCompileInput& in) {
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  EXPECT_EQ(cache.compile(in, &db, &err), HS_SUCCESS);
  hs_free_compile_error(err);
  return db;
}

const std::string kText = "xx union select 1 -- abc\n<script>alert(1)</script> ABC";

TEST(HsCompileCacheTest, HitMatchesLikeAFreshCompile) {
  HsCompileCache cache;
  HsCompileInput in = input({"union\\s+select", "<script", "abc$"}, HS_FLAG_CASELESS);
  hs_database_t* first = compile(cache, in);
  hs_database_t* second = compile(cache, in);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_NE(first, second);  // a database of its own, freed independently
  EXPECT_EQ(cache.stats().misses, 1u);
  EXPECT_EQ(cache.stats().memory_hits, 1u);
  Matches m = scan(first, kText);
  EXPECT_EQ(m.size(), 3u);
  EXPECT_EQ(m, scan(second, kText));
  hs_free_database(first);
  hs_free_database(second);
}

TEST(HsCompileCacheTest, AnyChangedInputMisses) {
  HsCompileCache cache;
  HsCompileInput base = input({"union\\s+select", "abc$"}, HS_FLAG_CASELESS);
  hs_free_database(compile(cache, base));
  HsCompileInput pattern = input({"union\\s+select", "abd$"}, HS_FLAG_CASELESS);
  HsCompileInput flags = input({"union\\s+select", "abc$"}, 0);
  HsCompileInput ids = base;
  ids.ids[1] = 99;
  HsCompileInput mode = base;
  mode.mode = HS_MODE_BLOCK | HS_MODE_SOM_HORIZON_LARGE;
  for (const HsCompileInput* in : {&pattern, &flags, &ids}) {
    hs_database_t* db = compile(cache, *in);
    // The answer is the changed input's, not the cached one's.
    EXPECT_EQ(scan(db, kText).size(), in == &pattern ? 1u : in == &flags ? 1u : 2u);
    hs_free_database(db);
  }
  EXPECT_NE(HsCompileCache::key_of(base), HsCompileCache::key_of(mode));
  EXPECT_EQ(cache.stats().misses, 4u);
  EXPECT_EQ(cache.stats().memory_hits, 0u);
  hs_free_database(compile(cache, pattern));
  EXPECT_EQ(cache.stats().memory_hits, 1u);
}

TEST(HsCompileCacheTest, CompileErrorIsReportedAndNotCached) {
  HsCompileCache cache;
  HsCompileInput bad = input({"abc", "(unclosed"}, 0);
  for (int i = 0; i < 2; ++i) {
    hs_database_t* db = nullptr;
    hs_compile_error_t* err = nullptr;
    EXPECT_EQ(cache.compile(bad, &db, &err), HS_COMPILER_ERROR);
    ASSERT_NE(err, nullptr);
    EXPECT_EQ(err->expression, 1);
    hs_free_compile_error(err);
  }
  EXPECT_EQ(cache.stats().misses, 2u);
}

TEST(HsCompileCacheTest, DiskDirectoryServesANewProcess) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("weir_hs_cache_test_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  HsCompileInput in = input({"union\\s+select", "<script"}, HS_FLAG_CASELESS);
  {
    HsCompileCache writer;
    writer.set_directory(dir.string());
    hs_free_database(compile(writer, in));
  }
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files += e.path().extension() == ".hsdb";
  EXPECT_EQ(files, 1u);
  HsCompileCache reader;  // empty memory: stands for the next process
  reader.set_directory(dir.string());
  hs_database_t* db = compile(reader, in);
  EXPECT_EQ(reader.stats().disk_hits, 1u);
  EXPECT_EQ(reader.stats().misses, 0u);
  EXPECT_EQ(scan(db, kText).size(), 2u);
  hs_free_database(db);
  // A corrupt file is ignored, not trusted.
  for (const auto& e : std::filesystem::directory_iterator(dir))
    std::filesystem::resize_file(e.path(), 20);
  HsCompileCache third;
  third.set_directory(dir.string());
  db = compile(third, in);
  EXPECT_EQ(third.stats().disk_hits, 0u);
  EXPECT_EQ(third.stats().misses, 1u);
  EXPECT_EQ(scan(db, kText).size(), 2u);
  hs_free_database(db);
  std::filesystem::remove_all(dir);
}

TEST(HsCompileCacheTest, RebuildingAChangedRulesetRecompilesOnlyChangedGroups) {
  const char* before = R"(rules:
  - {id: a, message: m, class: sqli, severity: notice, zones: [any], transforms: [url_decode], patterns: ["union\\s+select"]}
  - {id: b, message: m, class: xss, severity: notice, zones: [any], transforms: [html_entity_decode], patterns: ["<script"]}
  - {id: c, message: m, class: other, severity: notice, zones: [any], transforms: [base64_decode], patterns: ["evil"]}
policy:
  lexical: {sqli: {enabled: false}, xss: {enabled: false}}
)";
  std::string after = before;
  after.replace(after.find("evil"), 4, "evil2");
  HsCompileCache& cache = HsCompileCache::shared();
  RuleSet rs1, rs2;
  load_rules_text(before, "a.yaml", rs1);
  load_rules_text(after, "a.yaml", rs2);
  auto s1 = PolicySnapshot::compile(rs1);
  HsCompileCacheStats mid = cache.stats();
  auto s2 = PolicySnapshot::compile(rs2);
  HsCompileCacheStats end = cache.stats();
  // Changed: only group c (its exact database and its own prefilter; base64
  // groups are not in the combined prefilter).
  EXPECT_EQ(end.misses - mid.misses, 2u);
  EXPECT_GE(end.memory_hits - mid.memory_hits, 3u);  // a, b exact + combined
  EXPECT_EQ(s1->signatures().groups().size(), s2->signatures().groups().size());
}

// SignatureDatabase compiles its groups on several threads; two groups with
// one input must not both miss (the rebuild test above counts misses).
TEST(HsCompileCacheTest, ParallelCompilesOfOneInputCompileItOnce) {
  // Enough patterns that a compile takes milliseconds: the threads overlap.
  std::vector<std::string> texts;
  for (int i = 0; i < 300; ++i) texts.push_back("w" + std::to_string(i) + "[a-z]{2,9}\\d+x" + std::to_string(i * 7));
  std::vector<const char*> exprs;
  for (const std::string& t : texts) exprs.push_back(t.c_str());
  const HsCompileInput in = input(exprs, HS_FLAG_CASELESS);
  HsCompileCache cache;
  std::latch start(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      hs_free_database(compile(cache, in));
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(cache.stats().misses, 1u);
  EXPECT_EQ(cache.stats().memory_hits, 7u);
}

}  // namespace
}  // namespace weir::detect
