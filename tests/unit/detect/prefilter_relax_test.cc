// relax_for_prefilter(): large bounded repeats become unbounded outside
// character classes and escapes; and the engine still reports only what the
// original pattern matches (the exact rescan uses the original).

#include "detect/signature/prefilter_relax.h"

#include <gtest/gtest.h>
#include <hs/hs.h>

#include <algorithm>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "detect/engine.h"
#include "detect/signature/rule_loader.h"

namespace weir::detect {
namespace {

// The end offsets of every match of `db` in `buf`, sorted.
std::vector<unsigned long long> match_ends(const hs_database_t* db, hs_scratch_t* scratch, const std::string& buf) {
  std::vector<unsigned long long> out;
  hs_scan(db, buf.data(), static_cast<unsigned>(buf.size()), 0, scratch,
          [](unsigned, unsigned long long, unsigned long long to, unsigned, void* ctx) {
            static_cast<std::vector<unsigned long long>*>(ctx)->push_back(to);
            return 0;
          }, &out);
  std::sort(out.begin(), out.end());
  return out;
}

// An original pattern and its rewritten prefilter form, each compiled alone
// with the same flags, and one scratch for both; all freed at scope exit.
struct PatternPair {
  hs_database_t* orig = nullptr;
  hs_database_t* form = nullptr;
  hs_scratch_t* scratch = nullptr;
  bool ok = false;
  PatternPair(const char* re, const std::string& rewritten, unsigned flags) {
    hs_compile_error_t* err = nullptr;
    ok = hs_compile(re, flags, HS_MODE_BLOCK, nullptr, &orig, &err) == HS_SUCCESS &&
         hs_compile(rewritten.c_str(), flags, HS_MODE_BLOCK, nullptr, &form, &err) == HS_SUCCESS &&
         hs_alloc_scratch(orig, &scratch) == HS_SUCCESS && hs_alloc_scratch(form, &scratch) == HS_SUCCESS;
    if (err != nullptr) hs_free_compile_error(err);
  }
  ~PatternPair() {
    hs_free_scratch(scratch);
    hs_free_database(orig);
    hs_free_database(form);
  }
  PatternPair(const PatternPair&) = delete;
  PatternPair& operator=(const PatternPair&) = delete;
};

TEST(PrefilterRelaxTest, RewritesLargeBoundedRepeats) {
  EXPECT_EQ(relax_for_prefilter("\\.\\./.{0,80}(etc/|tmp/)"), "\\.\\./.*(etc/|tmp/)");
  EXPECT_EQ(relax_for_prefilter("a[^>]{1,200}b"), "a[^>]+b");
  EXPECT_EQ(relax_for_prefilter("(ab|[jndi]){2,16}:"), "(ab|[jndi]){2,}:");
  EXPECT_EQ(relax_for_prefilter("x{3,40}?y"), "x{3,}?y");
}

TEST(PrefilterRelaxTest, RewritesSmallBoundedRepeatsToo) {
  EXPECT_EQ(relax_for_prefilter("\\d{1,3}\\.\\d{1,3}"), "\\d+\\.\\d+");
  EXPECT_EQ(relax_for_prefilter("[a-z{]{0,9}x"), "[a-z{]*x");
  EXPECT_EQ(relax_for_prefilter("(ab){2,3}"), "(ab){2,}");
  EXPECT_EQ(relax_for_prefilter("x{0,1}y"), "x{0,1}y");  // `x?`: nothing counted
}

TEST(PrefilterRelaxTest, KeepsExactCountsClassesEscapesAndLiterals) {
  for (const char* re : {"\\d{3}\\.\\d{3}", "a{20}", "a{2,}", "[a-z{]{9}x", "\\{0,40}",
                         "\\x{263a}", "(?i)ab", "{0,40}x", "\\Qa{0,40}\\E", "[{0,40}]"})
    EXPECT_EQ(relax_for_prefilter(re), re) << re;
  EXPECT_EQ(relax_for_prefilter("\\x{263a}{0,30}"), "\\x{263a}*");
  EXPECT_EQ(relax_for_prefilter("[[:alpha:]]{0,30}"), "[[:alpha:]]*");
}

TEST(PrefilterRelaxTest, TrimsRepeatsAtTheEnd) {
  EXPECT_EQ(trim_repeated_tail("^\\s*//[\\w.-]+"), "^\\s*//[\\w.-]");
  EXPECT_EQ(trim_repeated_tail("a[^/?#\\s]{1,200}"), "a[^/?#\\s]");
  EXPECT_EQ(trim_repeated_tail("ab\\s*(x|y)?c*"), "ab");
  EXPECT_EQ(trim_repeated_tail("x\\.[a-z]{2,}"), "x\\.[a-z]{2}");
  EXPECT_EQ(trim_repeated_tail("x(ab|c){3,9}?"), "x(ab|c){3}");
  EXPECT_EQ(trim_repeated_tail("x(ab|c)++"), "x(ab|c)");
  EXPECT_EQ(trim_repeated_tail("(a|b)+[)(]*"), "(a|b)");
  EXPECT_EQ(trim_repeated_tail("\\x{263a}*"), "\\x{263a}*");  // never empty
}

TEST(PrefilterRelaxTest, TrimKeepsWhatItDoesNotModel) {
  for (const char* re : {"a+|b+", "(?i)ab+", "a(?=b)c*", "\\Qa+\\E", "ab{2}", "ab{2,x",
                         "a(b+", "a)+", "ab$", "a+b", "(a|b)c", "x{2}{"})
    EXPECT_EQ(trim_repeated_tail(re), re) << re;
}

// The trimmed prefilter must match every value the pattern matches (the
// engine nominates by value), and no later than it does.
TEST(PrefilterRelaxTest, TrimmedPatternMatchesWhereverTheOriginalDoes) {
  struct Case {
    const char* re;
    std::vector<std::string> parts;  // random values are made of these and single bytes
  };
  const Case kCases[] = {
      {"^\\s*(https?|ftp)\\s*:\\s*[/\\\\]{2}[^/?#\\s]{1,200}", {"http", "https://", "ftp:", ":", "/", "\\", " ", "a.b", "?"}},
      {"^\\s*//[\\w.-]+", {"//", "/", " ", "a", ".", "-", "?"}},
      {"[\\r\\n]\\s*(wget|curl)\\s+(https?://)?[\\w.-]+\\.[a-z0-9]{2,}",
       {"\n", "\r", " ", "wget", "curl", "http://", "x", ".", "co", "1", "-"}},
      {"a(b|cd)*e?f{0,3}", {"a", "b", "cd", "e", "f", "c"}},
      {"(ab|c)+?d{2,5}", {"ab", "c", "d", "dd", "a"}},
      {"x[.-]{1,4}(y|z)*", {"x", ".", "-", "y", "z"}},
      {"^\\s*/[\\s\\x00-\\x1f]+/[\\w.-]+", {"/", " ", "\t", std::string(1, '\0'), "a", ".", "\n", "/ /"}},
  };
  std::mt19937 rng(7);
  std::uniform_int_distribution<size_t> len(1, 12), byte(0, 255);
  auto first_end = [](hs_database_t* db, hs_scratch_t* scratch, const std::string& v) {
    unsigned long long end = ~0ull;
    hs_scan(db, v.data(), static_cast<unsigned>(v.size()), 0, scratch,
            [](unsigned, unsigned long long, unsigned long long to, unsigned, void* ctx) {
              *static_cast<unsigned long long*>(ctx) = to;
              return 1;
            }, &end);
    return end;
  };
  for (const Case& c : kCases) {
    const char* re = c.re;
    std::string trimmed = trim_repeated_tail(re);
    ASSERT_NE(trimmed, re);
    PatternPair dbs(re, trimmed, HS_FLAG_CASELESS);
    ASSERT_TRUE(dbs.ok) << re << " / " << trimmed;
    std::uniform_int_distribution<size_t> part(0, c.parts.size() * 8);  // 1 in ~8: a random byte
    size_t matched = 0;
    for (int i = 0; i < 40000; ++i) {
      std::string v;
      for (size_t n = len(rng); n > 0; --n) {
        size_t k = part(rng);
        if (k < c.parts.size() * 7) v += c.parts[k % c.parts.size()];
        else v += static_cast<char>(byte(rng));
      }
    unsigned long long e = first_end(dbs.orig, dbs.scratch, v);
      if (e == ~0ull) continue;
      ++matched;
      ASSERT_LE(first_end(dbs.form, dbs.scratch, v), e) << re << " on " << v;
    }
    EXPECT_GT(matched, 20u) << re;  // not vacuous
  }
}

TEST(PrefilterRelaxTest, AnchorsBecomeSeparators) {
  EXPECT_EQ(anchors_as_separators("^\\s*//[\\w.-]"), "\\n\\s*//[\\w.-]");
  EXPECT_EQ(anchors_as_separators("(^|[\\d)]) ?or"), "(\\n|[\\d)]) ?or");
  for (const char* re : {"[^a]b", "\\^x", "a[x^]", "[\\]^]c", "\\x{5e}", "a$"})
    EXPECT_EQ(anchors_as_separators(re), re) << re;
}

// In a buffer of values each preceded by '\n', `\n` matches with the same
// end offsets as a multiline `^`: the same fields are nominated.
TEST(PrefilterRelaxTest, SeparatorFormReportsWhereTheAnchorDoes) {
  const char* const kPatterns[] = {"^ ?(or|and) ?[a-z]", "(^|[\\d)]) ?(or|and)", "^\\s*/", "x|^y",
                                   "^\\s*(https?|ftp)\\s*:"};
  const char* const kValues[] = {"or a", "1 or", "and", " /x", "  \t/", "y", "xy", "http:", "ftp :",
                                 "1and", "or", "a\nor b", "", " ", "/", ")or"};
  std::mt19937 rng(11);
  std::uniform_int_distribution<size_t> pick(0, std::size(kValues) - 1), count(1, 6);
  for (const char* re : kPatterns) {
    std::string sep = anchors_as_separators(re);
    PatternPair dbs(re, sep, HS_FLAG_CASELESS | HS_FLAG_MULTILINE);
    ASSERT_TRUE(dbs.ok) << re << " / " << sep;
    for (int i = 0; i < 3000; ++i) {
      std::string buf = "\n";  // as the engine joins values
      for (size_t n = count(rng); n > 0; --n) buf += std::string(kValues[pick(rng)]) + "\n";
      ASSERT_EQ(match_ends(dbs.orig, dbs.scratch, buf), match_ends(dbs.form, dbs.scratch, buf)) << re;
    }
  }
}

TEST(PrefilterRelaxTest, DropsLeadingContext) {
  EXPECT_EQ(drop_leading_context("([;|&]|(\\n|[\\w=;|&'\"$])`|\\$\\()\\s*(cat|ls)"), "([;|&]|`|\\$\\()\\s*(cat|ls)");
  EXPECT_EQ(drop_leading_context("(^|[^|])\\|\\s*id"), "\\|\\s*id");
  EXPECT_EQ(drop_leading_context("\\b(nc|ncat)\\s+-l"), "(nc|ncat)\\s+-l");
  EXPECT_EQ(drop_leading_context("\\bpython[23]?\\s+-c"), "python[23]?\\s+-c");
  // Kept: a short word after \b, context before a letter or a quantified
  // byte, anything in a quantified group, top-level '|'.
  for (const char* re : {"\\bon[a-z]{3,}\\s*=", "\\bdb\\s*\\.", "(^|[\\d)]) ?(or|and)", "(\\n|=)[ \\t]*-?\\d",
                         "(\\n|x)`?y", "((^|x)`)+", "(?:(^|x)`)", "\\ba|(^|x)`", "\\b"})
    EXPECT_EQ(drop_leading_context(re), re) << re;
  EXPECT_EQ(drop_leading_context("(^|x)`"), "`");
}

// Without its leading context the prefilter matches wherever the pattern
// does, ending at the same offsets.
TEST(PrefilterRelaxTest, WithoutContextMatchesWhereverThePatternDoes) {
  const char* const kPatterns[] = {"([;|&]|(\\n|[\\w=;|&'\"$])`|\\$\\()\\s*(cat|ls)\\s+/",
                                   "(\\n|[^|])\\|\\s*(id|pwd)\\b", "\\b(nc|ncat)\\s+-l", "\\bwhile\\s*\\("};
  const char* const kParts[] = {"`", "|", ";", "&", "$(", "a", "=", "'", " ", "\n", "cat", "ls", "/", "id", "pwd",
                                "nc", "ncat", "-l", "while", "(", "x", "`cat /", "a`ls /", ";ls /", "nc -l", " ncat -l"};
  std::mt19937 rng(17);
  std::uniform_int_distribution<size_t> pick(0, std::size(kParts) - 1), len(1, 10);
  for (const char* re : kPatterns) {
    std::string dropped = drop_leading_context(re);
    ASSERT_NE(dropped, re);
    PatternPair dbs(re, dropped, HS_FLAG_MULTILINE);
    ASSERT_TRUE(dbs.ok) << re << " / " << dropped;
    size_t matched = 0;
    for (int i = 0; i < 20000; ++i) {
      std::string v = "\n";
      for (size_t n = len(rng); n > 0; --n) v += kParts[pick(rng)];
      std::vector<unsigned long long> a = match_ends(dbs.orig, dbs.scratch, v),
                                      b = match_ends(dbs.form, dbs.scratch, v);
      matched += !a.empty();
      for (unsigned long long e : a)
        ASSERT_NE(std::find(b.begin(), b.end(), e), b.end()) << re << " on " << v;
    }
    EXPECT_GT(matched, 20u) << re;
  }
}

TEST(PrefilterRelaxTest, EngineReportsOnlyWhatTheOriginalBoundAllows) {
  RuleSet rs;
  load_rules_text(R"(rules:
  - {id: near, message: m, class: other, severity: critical, zones: [any], patterns: ["\\.\\./.{0,20}passwd"]}
policy:
  lexical: {sqli: {enabled: false}, xss: {enabled: false}}
)", "r.yaml", rs);
  auto snap = PolicySnapshot::compile(rs);
  InspectionEngine engine;
  std::string close = "../etc/passwd";
  std::string far = "../" + std::string(30, 'x') + "passwd";
  std::vector<parse::Field> fields = {{parse::Zone::QueryArg, "a", far},
                                      {parse::Zone::QueryArg, "b", close}};
  InspectionResult r = engine.inspect(*snap, fields, {});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].field_name, "b");
  // The relaxed prefilter nominated both fields; the exact scan dropped one.
  EXPECT_EQ(r.stats.exact_scans, 2u);
}

}  // namespace
}  // namespace weir::detect
