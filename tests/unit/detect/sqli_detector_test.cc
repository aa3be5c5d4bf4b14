// Tables of SQL injections that must be confirmed and benign values (names,
// prose, search text, code snippets) that must not be.

#include "detect/lexical/sqli_detector.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "detect/lexical/sql_lexer.h"

namespace weir::detect {
namespace {

const char* const kInjections[] = {
    "' OR '1'='1",
    "' or 1=1--",
    "' or 1=1 -- -",
    "admin'--",
    "admin' #",
    "admin'/*",
    "') or ('a'='a",
    "')) or 1=1--",
    "\" or \"\"=\"",
    "\" OR 1=1 --",
    "1' AND SLEEP(5)#",
    "1' and sleep(5) and '1'='1",
    "' AND 1=CONVERT(int,(SELECT @@version))--",
    "' UNION SELECT username, password FROM users--",
    "' union all select null,null,null--",
    "') union select 1,2,3#",
    "' UNION(SELECT 1)--",
    "'; DROP TABLE users--",
    "'; exec master..xp_cmdshell 'ping 198.18.0.1'--",
    "'; WAITFOR DELAY '0:0:5'--",
    "' waitfor delay '0:0:5'--",
    "'||pg_sleep(5)||'",
    "'+sleep(5)+'",
    "'||(select version())||'",
    "' order by 3--",
    "' GROUP BY id HAVING 1=1--",
    "' and extractvalue(1,concat(0x7e,version()))--",
    "' or not 1=2--",
    "' && 1=1 #",
    "' || 1=1 --",
    "1 or 1=1",
    "1 OR 1=1--",
    "-1 or 1=1",
    "1) or (1=1",
    "1 and sleep(5)",
    "1 AND 1=2",
    "-1 union select 1,2,3",
    "1 union all select null,@@version--",
    "1; drop table users",
    "1;select * from users",
    "union select 1,2,3--",
    "UNION ALL SELECT NULL,NULL,NULL",
    "union select @@version",
    "sleep(5)",
    "benchmark(10000000,md5(1))",
    "(select load_file('/etc/passwd'))",
    "1 order by 5--",
    "'='' or ''='",
    "1'/*!50000union*/ select 1,2--",
    "' into outfile '/var/www/s.php'--",
    "x' or 'x'='x",
    "\" or 1=1#",
    "or 1=1--",
    "1 RLIKE (SELECT (CASE WHEN (1=1) THEN 1 ELSE 0x28 END))",
    "1 AND (SELECT * FROM (SELECT(SLEEP(5)))a)",
    "%' AND 1=1 AND '%'='",
    "' or sleep(5)='",
    "1--x\nORDER--x\nBY--x\n3",
    "1 ORDER BY 3",
    "if(now()=sysdate(),sleep(5),0)",
    "id DESC,(SELECT SLEEP(5))",
    "name,(SELECT CASE WHEN (1=1) THEN name ELSE price END)",
    "(CASE WHEN (SELECT SUBSTRING(password,1,1) FROM users WHERE id=1)='a' THEN price ELSE name END)",
    "(SELECT CHAR(113)+CHAR(106)+CHAR(122))",
    "https://shop.example/search?q=1)) OR 1=1-- -",
};

const char* const kBenign[] = {
    "O'Brien",
    "Mary O'Neil-Smith",
    "I can't login or register",
    "don't or won't",
    "It's #1 on the list",
    "rock 'n' roll or not",
    "He said 'hello' and left",
    "the 'union' select committee",
    "union station",
    "Union Station, Chicago",
    "select a plan",
    "Select your plan and pay",
    "please select one or more items",
    "1 or 2 apples",
    "3 or 4 people",
    "10 and 20",
    "cats and dogs or birds",
    "drop me a line",
    "Drop table tennis practice on Friday",
    "SELECT * FROM users WHERE id = 1",
    "select name from customers order by name",
    "Our query: SELECT count(*) FROM orders;",
    "if(x > 0) { return concat(a, b); }",
    "char(65) is A",
    "update your profile",
    "insert coin",
    "delete my account please",
    "order by date",
    "group by category",
    "#fff",
    "color: '#fff'",
    "'#hashtag'",
    "-- no comment --",
    "1-2-3",
    "2024-01-15",
    "555-0100",
    "a' b",
    "'and' is a conjunction",
    "\"or\" is a word",
    "It's 5 o'clock",
    "Sleep well",
    "I need some sleep (8 hours)",
    "benchmark results: 10 ops",
    "**bold** and _italic_ markdown",
    "`SELECT 1` returns one",
    "x = y || z",
    "true or false",
    "null and void",
    "email@example.com",
    "The \"best\" pizza in town; really",
    "Price: $10; shipping: $2",
    "Tom's; Jerry's",
    "Tom' or Jerry",
    "or more",
    "or 2 maybe",
    "I'm 'not' sure or certain",
    "O'Reilly & Associates",
    "He's 6'2\" tall",
    "Ann' and Bob",
    "Choose 'or' vs 'and' in the filter - confusing UI.",
    "not(endswith(mail,'@corp.example'))",
    "status eq 'open' or priority eq 'high'",
    "He said 'yes' or 'no' twice",
    "https://www.example.com/search?q=o'neill+wetsuit&page=2",
    "(select one option)",
    "SELECT * FROM a WHERE id IN (SELECT id FROM b)",
};

TEST(SqliDetectorTest, ConfirmsInjections) {
  static_assert(sizeof(kInjections) / sizeof(kInjections[0]) >= 40);
  for (const char* v : kInjections) EXPECT_TRUE(is_sqli(v)) << v;
}

TEST(SqliDetectorTest, RejectsBenignValues) {
  static_assert(sizeof(kBenign) / sizeof(kBenign[0]) >= 40);
  for (const char* v : kBenign)
    EXPECT_FALSE(is_sqli(v)) << v << " -> " << analyze_sqli(v).reason;
}

// analyze_sqli() skips the full reading when the first tokens rule every
// fingerprint out; it must decide exactly as the exhaustive reading does.
void expect_same_reading(const std::string& v) {
  SqliVerdict fast = analyze_sqli(v), full = analyze_sqli_exhaustive(v);
  ASSERT_EQ(fast.injection, full.injection) << v;
  ASSERT_STREQ(fast.reason, full.reason) << v;
}

TEST(SqliDetectorTest, ShortcutsDecideAsTheFullReading) {
  for (const char* v : kInjections) expect_same_reading(v);
  for (const char* v : kBenign) expect_same_reading(v);
  // Shapes next to the shortcuts' edges: column lists, comments and
  // keywords early, a break before ")"s, "-" first, nothing after a quote.
  for (const char* v : {"name,(select 1)", "a b c,(select 1)", "a b c d,(select 1)",
                        "a,b,(case when 1=1 then 1 else 2 end)", "x desc,(select 1)",
                        "x/**/,(select 1)", "x -- c\n,(select 1)", "O'/**/or 1=1", "O'#",
                        "O'))", "O') or 1=1--", "-1 or 1=1", "'", "\"", "x'", "(select 1)",
                        "1 or 1=1", "id=1' or '1'='1", "a=b&c=' union select 1--",
                        "Women's Rain Jacket", "O'Brien contract.pdf", "<a href=\"x\">y</a>"})
    expect_same_reading(v);
  // Token soup: SQL words, quotes, comments, parens and separators.
  static const char* const kParts[] = {
      "'", "\"", "`", "\\", "(", ")", ",", ";", "=", "&", "-", "--", "-- ", "#", "/*", "*/",
      "/*!", "1", "0x1f", "3.5", "@a", "@@version", "or", "OR", "and", "not", "!", "||", "&&",
      "union", "select", "all", "from", "where", "order", "group", "by", "having", "into",
      "outfile", "desc", "asc", "case", "when", "null", "true", "sleep", "sleep(", "drop",
      "table", "like", "in", "is", "x", "name", "O", "Brien", "s", "<", ">", "+", "*", ":", ".",
      "\n", "\t", "\xc3\xa9", "%"};
  std::mt19937 rng(20261205);
  std::uniform_int_distribution<size_t> part(0, std::size(kParts) - 1), len(1, 14), sp(0, 2);
  for (int i = 0; i < 300000; ++i) {
    std::string v;
    for (size_t n = len(rng); n > 0; --n) {
      v += kParts[part(rng)];
      if (sp(rng) == 0) v += ' ';
    }
    expect_same_reading(v);
    if (HasFatalFailure()) return;
  }
}

TEST(SqlLexerTest, TokenClasses) {
  SqlLexer lx("'a\\'b' 0x1F @@version sleep (1) -- x");
  SqlToken t;
  ASSERT_TRUE(lx.next(t));
  EXPECT_EQ(t.type, SqlTokenType::String);
  EXPECT_TRUE(t.closed);
  EXPECT_EQ(lx.text_of(t), "'a\\'b'");
  ASSERT_TRUE(lx.next(t));
  EXPECT_EQ(t.type, SqlTokenType::Number);
  ASSERT_TRUE(lx.next(t));
  EXPECT_EQ(t.type, SqlTokenType::Variable);
  ASSERT_TRUE(lx.next(t));
  EXPECT_EQ(t.type, SqlTokenType::Function);
  ASSERT_TRUE(lx.next(t));
  EXPECT_EQ(t.type, SqlTokenType::LParen);
  ASSERT_TRUE(lx.next(t));
  ASSERT_TRUE(lx.next(t));
  EXPECT_EQ(t.type, SqlTokenType::RParen);
  ASSERT_TRUE(lx.next(t));
  EXPECT_EQ(t.type, SqlTokenType::Comment);
  EXPECT_FALSE(lx.next(t));
}

TEST(SqlLexerTest, ExecutableCommentBodyIsCode) {
  SqlLexer lx("/*!50000UNION*/");
  SqlToken t;
  ASSERT_TRUE(lx.next(t));
  EXPECT_EQ(t.type, SqlTokenType::Union);
  EXPECT_FALSE(lx.next(t));
}

TEST(SqlLexerTest, UnterminatedStringRunsToEnd) {
  SqlLexer lx("'abc");
  SqlToken t;
  ASSERT_TRUE(lx.next(t));
  EXPECT_EQ(t.type, SqlTokenType::String);
  EXPECT_FALSE(t.closed);
  EXPECT_EQ(t.length, 4u);
}

}  // namespace
}  // namespace weir::detect
