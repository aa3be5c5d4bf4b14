// necessary_literals() / prefilter_expression(): the literal sets found for
// typical rule shapes, syntax that must give no set, and the one property
// the engine relies on — wherever a default-ruleset pattern matches (attack
// corpus lines, raw and URL-decoded), its prefilter expression matches too.

#include "detect/signature/prefilter_literals.h"

#include <gtest/gtest.h>
#include <hs/hs.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "detect/signature/rule_loader.h"
#include "detect/transform/transform.h"

namespace weir::detect {
namespace {

std::set<std::string> lits(const char* re, unsigned flags = HS_FLAG_CASELESS) {
  NecessaryLiterals n = necessary_literals(re, flags);
  EXPECT_TRUE(n.found) << re;
  return {n.literals.begin(), n.literals.end()};
}

TEST(PrefilterLiteralsTest, PicksTheRarestNecessarySet) {
  // Alternations of literals, exact products across small classes and
  // optional pieces, the rarer of two keywords.
  EXPECT_EQ(lits("(;|&&)\\s*(cat|wget)\\s+/etc/passwd"), std::set<std::string>{"/etc/passwd"});
  EXPECT_EQ(lits("\\.\\./(\\.\\./)*x"), (std::set<std::string>{"../../", "../x"}));
  EXPECT_EQ(lits("(%2e|%252e)(%2e|\\.)"),
            (std::set<std::string>{"%2e%2e", "%2e.", "%252e%2e", "%252e."}));
  EXPECT_EQ(lits("\\$\\{\\s*jndi\\s*:"),
            (std::set<std::string>{"jndi\t", "jndi\n", "jndi\v", "jndi\f", "jndi\r", "jndi ", "jndi:"}));
  EXPECT_EQ(lits("<(iframe|svg)[\\s/>]"), (std::set<std::string>{"<iframe", "<svg"}));
  // "select" occurs in benign prose, "information_schema" does not.
  EXPECT_EQ(lits("select .{0,80}from information_schema"), std::set<std::string>{"from information_schema"});
  // Caseless patterns give lower-case literals; case-sensitive ones keep case.
  EXPECT_EQ(lits("UNION SELECT"), std::set<std::string>{"union select"});
  EXPECT_EQ(lits("UNION SELECT", 0), std::set<std::string>{"UNION SELECT"});
  EXPECT_EQ(lits("\\x00ab\\x{41}"), std::set<std::string>{std::string("\0aba", 4)});
  // A repeat's first copy ends a window: every match of `host\s+x` holds
  // "host" and a whitespace byte, so "hosts=" in a cookie is no match.
  const std::set<std::string> host_ws = lits("(dig|host)\\s+[\\w.]{1,80}\\.[a-z]{2,}");
  EXPECT_EQ(host_ws.size(), 12u);
  EXPECT_TRUE(host_ws.count("host ") == 1 && host_ws.count("dig\t") == 1);
  EXPECT_EQ(lits("(abc|cde)x+yz"), (std::set<std::string>{"abcx", "cdex"}));
  // A window too short to be rare alone is not lengthened ("db" + ".").
  EXPECT_EQ(lits("(ab|cd)x+yz"), std::set<std::string>{"yz"});
  // Across a starred class: after "system" comes whitespace or the "(".
  const std::set<std::string> call = lits("\\b(system|exec)\\s*\\(\\s*['\"]");
  EXPECT_EQ(call.size(), 14u);
  EXPECT_TRUE(call.count("system(") == 1 && call.count("exec ") == 1 && call.count("system") == 0);
  EXPECT_EQ(lits("(abc|abd)y*z+q"), (std::set<std::string>{"abcy", "abcz", "abdy", "abdz"}));
}

TEST(PrefilterLiteralsTest, NoSetForUnsupportedOrLiteralFreePatterns) {
  for (const char* re : {"[a-z]+\\d+", "(?=abc)abc", "(a)\\1", "\\Qabc\\E", "(?i)abc", "a*", "x?y?",
                         "(abc|\\d+)", "[^a]bc"})
    EXPECT_FALSE(necessary_literals(re, HS_FLAG_CASELESS).found && necessary_literals(re, HS_FLAG_CASELESS).min_length() >= 3) << re;
  EXPECT_FALSE(necessary_literals("union select", HS_FLAG_CASELESS | HS_FLAG_UTF8).found);
}

TEST(PrefilterLiteralsTest, ExpressionIsTheLiteralAlternationOnlyWhenStrong) {
  EXPECT_EQ(prefilter_expression("\\b(xp_cmdshell)\\b", HS_FLAG_CASELESS),
            "(?:\\x78\\x70\\x5f\\x63\\x6d\\x64\\x73\\x68\\x65\\x6c\\x6c)");
  // Weak sets (a single quote; a two-letter word; a word of the benign
  // sample) keep the (relaxed) regex, without the repeats at its end and
  // the context before its first word (prefilter_relax.h).
  EXPECT_EQ(prefilter_expression("'\\s*or\\s", HS_FLAG_CASELESS), "'\\s*or\\s");
  EXPECT_EQ(prefilter_expression("\\bid\\b", HS_FLAG_CASELESS), "\\bid\\b");
  EXPECT_EQ(prefilter_expression("\\bselect\\b.{0,40}", HS_FLAG_CASELESS), "select\\b");
  EXPECT_EQ(prefilter_expression("\\bselect\\b.{0,40}x", HS_FLAG_CASELESS), "select\\b.*x");
  // Two bytes with a letter or digit are never rare in real traffic ("/c" in
  // "/comments", "0x" in JWTs, "db" in cookies), even when the built-in
  // sample lacks them: three or more, else the regex.
  EXPECT_EQ(prefilter_expression("\\bdb\\s*\\.\\s*\\w+\\(", HS_FLAG_CASELESS), "\\bdb\\s*\\.\\s*\\w+\\(");
  // "cmd" then whitespace or the "/" after it: 7 literals of 4 bytes.
  std::string cmd = prefilter_expression("\\bcmd\\s*/[ck]\\s", HS_FLAG_CASELESS);
  EXPECT_EQ(std::count(cmd.begin(), cmd.end(), '|'), 6) << cmd;
  EXPECT_NE(cmd.find("\\x63\\x6d\\x64\\x2f"), std::string::npos) << cmd;
  // \s is a small exact class: ";\s?(drop|alter)" is 2 x 7 rare literals
  // (";drop", "; drop", ";\tdrop" ...), not ";" or the bare (common) words.
  std::string ws = prefilter_expression(";\\s?(drop|alter)\\b", HS_FLAG_CASELESS);
  EXPECT_EQ(ws.rfind("(?:\\x3b", 0), 0u) << ws;
  EXPECT_EQ(std::count(ws.begin(), ws.end(), '|'), 13) << ws;
  // Two punctuation bytes absent from benign text are enough (and the
  // whitespace or "|" after them makes them rarer still).
  std::string paren = prefilter_expression("\\) ?\\(\\s*\\|", HS_FLAG_CASELESS);
  EXPECT_EQ(paren.rfind("(?:\\x29\\x20\\x28", 0), 0u) << paren;
  EXPECT_EQ(std::count(paren.begin(), paren.end(), '|'), 13) << paren;
}

struct Db {
  hs_database_t* db = nullptr;
  ~Db() { hs_free_database(db); }
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(PrefilterLiteralsTest, DefaultRulesPrefilterMatchesWhereverThePatternMatches) {
  const char* root = std::getenv("WEIR_SOURCE_ROOT");
  ASSERT_NE(root, nullptr) << "run through meson test (WEIR_SOURCE_ROOT)";
  RuleSet rs = load_rules_dir(std::string(root) + "/configs/rules");
  std::vector<std::string> exact, pre;
  std::vector<unsigned> exact_flags, pre_flags, ids;
  size_t literal_sets = 0;
  for (const Rule& r : rs.rules) {
    for (const PatternSpec& p : r.patterns) {
      if ((p.hs_flags & HS_FLAG_UTF8) != 0) continue;
      exact.push_back(p.regex);
      exact_flags.push_back(p.hs_flags | HS_FLAG_SINGLEMATCH);
      pre.push_back(prefilter_expression(p.regex, p.hs_flags));
      literal_sets += pre.back().rfind("(?:\\x", 0) == 0;
      pre_flags.push_back(p.hs_flags | HS_FLAG_MULTILINE | HS_FLAG_SINGLEMATCH);
      ids.push_back(static_cast<unsigned>(ids.size()));
    }
  }
  ASSERT_GT(literal_sets, 100u);  // most default patterns have a strong literal set
  auto compile = [&](const std::vector<std::string>& res, const std::vector<unsigned>& flags, Db& out) {
    std::vector<const char*> e;
    for (const std::string& s : res) e.push_back(s.c_str());
    hs_compile_error_t* err = nullptr;
    hs_error_t rc = hs_compile_multi(e.data(), flags.data(), ids.data(), static_cast<unsigned>(e.size()),
                                     HS_MODE_BLOCK, nullptr, &out.db, &err);
    std::string msg = err != nullptr ? err->message : "";
    hs_free_compile_error(err);
    ASSERT_EQ(rc, HS_SUCCESS) << msg;
  };
  Db exact_db, pre_db;
  compile(exact, exact_flags, exact_db);
  compile(pre, pre_flags, pre_db);
  hs_scratch_t* scratch = nullptr;
  ASSERT_EQ(hs_alloc_scratch(exact_db.db, &scratch), HS_SUCCESS);
  ASSERT_EQ(hs_alloc_scratch(pre_db.db, &scratch), HS_SUCCESS);
  auto matches = [&](const hs_database_t* db, const std::string& text) {
    std::vector<char> hit(ids.size(), 0);
    hs_scan(db, text.data(), static_cast<unsigned>(text.size()), 0, scratch,
            [](unsigned id, unsigned long long, unsigned long long, unsigned, void* ctx) {
              (*static_cast<std::vector<char>*>(ctx))[id] = 1;
              return 0;
            },
            &hit);
    return hit;
  };
  std::string corpus = read_file(std::string(root) + "/tests/data/corpus/attacks.jsonl");
  ASSERT_FALSE(corpus.empty());
  size_t lines = 0, checked = 0;
  for (size_t pos = 0; pos < corpus.size();) {
    size_t nl = corpus.find('\n', pos);
    if (nl == std::string::npos) nl = corpus.size();
    std::string line = corpus.substr(pos, nl - pos);
    pos = nl + 1;
    ++lines;
    std::string decoded(line.size(), '\0');
    decoded.resize(url_decode(line, decoded.data()));
    for (const std::string& text : {line, decoded}) {
      // The engine puts a '\n' before every joined value (`^` is `\n` in prefilters).
      std::vector<char> e = matches(exact_db.db, text), p = matches(pre_db.db, "\n" + text);
      for (size_t i = 0; i < ids.size(); ++i) {
        if (!e[i]) continue;
        ++checked;
        EXPECT_TRUE(p[i]) << "prefilter '" << pre[i] << "' misses a match of '" << exact[i] << "'";
      }
    }
  }
  hs_free_scratch(scratch);
  EXPECT_GT(lines, 1000u);
  EXPECT_GT(checked, 1000u);
}

}  // namespace
}  // namespace weir::detect
