// may_match_within(): which regexes can match inside a value of plain bytes
// (the engine skips the others on such values), the syntax that must make
// it answer "may match", and, on real data, that no default-ruleset pattern
// it rules out ever matches inside a run of plain bytes of the attack and
// benign corpora (raw and URL-decoded).

#include "detect/signature/alphabet_reach.h"

#include <gtest/gtest.h>
#include <hs/hs.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "detect/signature/rule_loader.h"
#include "detect/transform/transform.h"

namespace weir::detect {
namespace {

ByteSet plain_alphabet() {
  ByteSet s;
  for (unsigned b = 0; b < 256; ++b) s[b] = plain_byte(static_cast<unsigned char>(b));
  return s;
}

bool plain(const char* re, unsigned flags = HS_FLAG_CASELESS) {
  return may_match_within(re, flags, plain_alphabet());
}

TEST(AlphabetReachTest, PlainAlphabetIsWhatByteClassesReports) {
  for (unsigned b = 0; b < 256; ++b) {
    std::string one(1, static_cast<char>(b));
    EXPECT_EQ(only_plain_bytes(byte_classes(one)), plain_byte(static_cast<unsigned char>(b))) << b;
    std::string long_value(40, 'a');  // the 16-byte vector path
    long_value[21] = static_cast<char>(b);
    EXPECT_EQ(only_plain_bytes(byte_classes(long_value)), plain_byte(static_cast<unsigned char>(b))) << b;
    EXPECT_EQ(byte_classes(long_value), byte_classes_scalar(long_value)) << b;
  }
  EXPECT_TRUE(only_plain_bytes(byte_classes("Bearer eyJhbGciOi.J9-x_y=+/:@ 2026")));
  EXPECT_FALSE(only_plain_bytes(byte_classes("a;b")));
}

TEST(AlphabetReachTest, PatternsThatNeedAnOtherByteCannotMatchPlainValues) {
  EXPECT_FALSE(plain(R"(([;|]|&&|\$\()\s*(id|whoami|ls))"));
  EXPECT_FALSE(plain(R"(['"])"));
  EXPECT_FALSE(plain(R"(<[a-z/])"));
  EXPECT_FALSE(plain(R"([\r\n]\s*set-cookie\s*:)"));
  EXPECT_FALSE(plain(R"(\$\{jndi:)"));
  EXPECT_FALSE(plain(R"(\.\.\\)"));
  EXPECT_FALSE(plain(R"(a\x3bb)"));      // ';' by hex
  EXPECT_FALSE(plain(R"([^\w\s+,./:=@-])"));  // a negated class of plain bytes
  EXPECT_FALSE(plain("caf\xc3\xa9"));    // UTF-8 bytes are not plain
  EXPECT_FALSE(plain(R"(x(;|\||%0a)y)"));  // every branch needs one
  EXPECT_FALSE(plain(R"(a{2}\))"));
}

TEST(AlphabetReachTest, PatternsOfPlainBytesMayMatch) {
  EXPECT_TRUE(plain(R"(\bunion\s+select\b)"));
  EXPECT_TRUE(plain(R"(\d[ \t]?\)*[ \t]?(or|and))"));  // \)* may repeat zero times
  EXPECT_TRUE(plain(R"(^\s*(https?|ftp)\s*:\s*[/\\]{2})"));
  EXPECT_TRUE(plain(R"(\.\./(\.\./)*etc/passwd)"));
  EXPECT_TRUE(plain(R"((;|or)\s+1=1)"));  // one branch is enough
  EXPECT_TRUE(plain(R"(x[;a])"));
  EXPECT_TRUE(plain(R"(X)", 0));
  EXPECT_TRUE(plain(R"(.)"));
  EXPECT_TRUE(plain(R"(^$)"));
  EXPECT_TRUE(plain(R"(\W)"));  // \W holds ' ' and '+'
  EXPECT_TRUE(plain(R"(;?a)"));
  EXPECT_TRUE(plain(R"(;{0,3}a)"));
}

TEST(AlphabetReachTest, UnmodelledSyntaxMayMatch) {
  EXPECT_TRUE(plain(R"((?=;);)"));     // look-ahead
  EXPECT_TRUE(plain(R"((;)\1)"));      // back-reference
  EXPECT_TRUE(plain(R"(\Q;\E)"));
  EXPECT_TRUE(plain(R"((?i);)"));      // inline option
  EXPECT_TRUE(plain(R"(\p{Lu})"));     // Unicode property: any byte
  EXPECT_TRUE(plain(R"([[:punct:]])"));
  EXPECT_TRUE(plain(R"((;)"));         // unbalanced
  EXPECT_TRUE(plain(R"([;)"));
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every maximal run of plain bytes in `text`.
std::vector<std::string> plain_runs(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (plain_byte(static_cast<unsigned char>(c))) {
      cur.push_back(c);
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

TEST(AlphabetReachTest, DefaultPatternsRuledOutNeverMatchPlainRunsOfTheCorpora) {
  const char* root = std::getenv("WEIR_SOURCE_ROOT");
  ASSERT_NE(root, nullptr) << "run through meson test (WEIR_SOURCE_ROOT)";
  RuleSet rs = load_rules_dir(std::string(root) + "/configs/rules");
  std::vector<std::string> ruled_out;
  std::vector<unsigned> flags, ids;
  size_t patterns = 0;
  for (const Rule& r : rs.rules)
    for (const PatternSpec& p : r.patterns) {
      if ((p.hs_flags & HS_FLAG_UTF8) != 0) continue;
      ++patterns;
      if (may_match_within(p.regex, p.hs_flags, plain_alphabet())) continue;
      ruled_out.push_back(p.regex);
      flags.push_back(p.hs_flags | HS_FLAG_SINGLEMATCH);
      ids.push_back(static_cast<unsigned>(ids.size()));
    }
  // Most attack shapes need a byte such as ';', a quote, '<' or '%'.
  EXPECT_GT(ruled_out.size(), patterns / 3);
  std::vector<const char*> exprs;
  for (const std::string& s : ruled_out) exprs.push_back(s.c_str());
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  ASSERT_EQ(hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()),
                             HS_MODE_BLOCK, nullptr, &db, &err),
            HS_SUCCESS);
  hs_scratch_t* scratch = nullptr;
  ASSERT_EQ(hs_alloc_scratch(db, &scratch), HS_SUCCESS);
  size_t runs = 0;
  for (const char* corpus : {"attacks.jsonl", "benign.jsonl"}) {
    std::string text = read_file(std::string(root) + "/tests/data/corpus/" + corpus);
    ASSERT_FALSE(text.empty());
    std::string decoded(text.size(), '\0');
    decoded.resize(url_decode(text, decoded.data()));
    for (const std::string* t : {&text, &decoded}) {
      for (const std::string& run : plain_runs(*t)) {
        ++runs;
        int hit = -1;
        hs_scan(db, run.data(), static_cast<unsigned>(run.size()), 0, scratch,
                [](unsigned id, unsigned long long, unsigned long long, unsigned, void* ctx) {
                  *static_cast<int*>(ctx) = static_cast<int>(id);
                  return 1;
                },
                &hit);
        EXPECT_EQ(hit, -1) << "'" << (hit >= 0 ? ruled_out[static_cast<size_t>(hit)] : "")
                           << "' matches plain bytes: " << run;
        if (hit >= 0) break;
      }
    }
  }
  EXPECT_GT(runs, 100000u);
  hs_free_scratch(scratch);
  hs_free_database(db);
}

}  // namespace
}  // namespace weir::detect
