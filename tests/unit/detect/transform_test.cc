// One table per transform: input -> expected output, plus the arena runner.

#include "detect/transform/transform.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

namespace weir::detect {
namespace {

struct Case {
  std::string in;
  std::string want;
};

std::string apply(TransformId id, const std::string& in) {
  TransformArena arena(in.size() + 1);
  TransformOutput r = run_transform(id, in, arena);
  if (r.status == TransformStatus::NotApplicable) return "<n/a>";
  EXPECT_EQ(r.status, TransformStatus::Ok);
  EXPECT_LE(r.value.size(), in.size());
  return std::string(r.value);
}

void check(TransformId id, const std::vector<Case>& cases) {
  for (const Case& c : cases)
    EXPECT_EQ(apply(id, c.in), c.want) << transform_name(id) << " on \"" << c.in << "\"";
}

TEST(TransformTest, NamesRoundTrip) {
  for (size_t i = 0; i < static_cast<size_t>(TransformId::Count); ++i) {
    TransformId id{};
    ASSERT_TRUE(transform_from_name(transform_name(static_cast<TransformId>(i)), id));
    EXPECT_EQ(static_cast<size_t>(id), i);
  }
  TransformId id{};
  EXPECT_FALSE(transform_from_name("urldecode", id));
}

TEST(TransformTest, UrlDecode) {
  check(TransformId::UrlDecode, {
      {"a%20b", "a b"},
      {"a+b", "a b"},
      {"%27%20OR%201=1", "' OR 1=1"},
      {"%2527", "'"},                 // double encoding
      {"%252527", "'"},               // triple encoding, still within the cap
      {"%25252527", "%27"},           // four levels: capped at three passes
      {"%u0027%u003C", "'<"},
      {"%uFF1C", "\xEF\xBC\x9C"},     // fullwidth '<' as UTF-8
      {"%zz%4", "%zz%4"},             // malformed escapes kept
      {"100%", "100%"},
      {"%00x", std::string("\0x", 2)},
      {"%u00", "%u00"},
  });
  check(TransformId::UrlDecodeOnce, {{"%2527", "%27"}, {"a+%41", "a A"}});
}

TEST(TransformTest, HtmlEntityDecode) {
  check(TransformId::HtmlEntityDecode, {
      {"&lt;script&gt;", "<script>"},
      {"&#60;&#x3C;&#X3c;", "<<<"},
      {"&#0000060;", "<"},            // zero padding
      {"&#60&#62", "<>"},             // missing semicolons
      {"&ltscript", "<script"},
      {"javascript&colon;alert&lpar;1&rpar;", "javascript:alert(1)"},
      {"a&Tab;b&NewLine;c", "a\tb\nc"},
      {"&nbsp;", "\xC2\xA0"},
      {"&#x1F600;", "\xF0\x9F\x98\x80"},
      {"&#99999999999;", "?"},        // out of range
      {"AT&T &unknown; &", "AT&T &unknown; &"},
      {"&amp;lt;", "&lt;"},           // one level only
  });
}

TEST(TransformTest, JsDecode) {
  check(TransformId::JsDecode, {
      {"\\x3cscript\\x3e", "<script>"},
      {"\\u0061lert", "alert"},
      {"\\u{61}lert", "alert"},
      {"\\u{0000061}", "a"},
      {"\\141\\154\\145\\162\\164", "alert"},
      {"\\'\\\\", "'\\"},
      {"a\\nb", "a\nb"},
      {"\\xZZ", "xZZ"},               // bad escape: backslash dropped
      {"end\\", "end\\"},
      {"\\u00e9", "\xC3\xA9"},
  });
}

TEST(TransformTest, CssDecode) {
  check(TransformId::CssDecode, {
      {"\\65 xpression", "expression"},
      {"\\6a\\61vascript", "javascript"},
      {"\\000075rl", "url"},
      {"a\\\nb", "ab"},
      {"\\(", "("},
  });
}

TEST(TransformTest, Base64Decode) {
  check(TransformId::Base64Decode, {
      {"JyBPUiAxPTEtLQ==", "' OR 1=1--"},
      {"  JyBPUiAxPTEtLQ==\r\n", "' OR 1=1--"},
      {"PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg", "<script>alert(1)</script>"},   // no padding
      {"Pz8_Pz8_Pz8_", "???????\?\?"},     // URL-safe alphabet
      {"abcdefgh", "<n/a>"},          // decodes to binary
      {"hello world", "<n/a>"},       // space inside
      {"YWJj", "<n/a>"},              // too short
      {"JyBPUiAxPTEtLQ=", "<n/a>"},   // bad padding
      {"Pz8+Pz8_Pz8_", "<n/a>"},      // mixed alphabets
      {"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "<n/a>"},   // a JWT is not one value
  });
}

TEST(TransformTest, CaseAndWhitespace) {
  check(TransformId::Lowercase, {{"UnIoN SeLeCt", "union select"}, {"\xC3\x89", "\xC3\x89"}});
  check(TransformId::CompressWhitespace, {
      {"union \t\n select", "union select"},
      {"a\xC2\xA0\xC2\xA0" "b", "a b"},
      {"  x  ", " x "},
  });
  check(TransformId::RemoveWhitespace, {{"j a\tv\na s c r i p t", "javascript"}});
  check(TransformId::RemoveNulls, {{std::string("sel\0ect", 7), "select"}});
}

TEST(TransformTest, SqlCommentStrip) {
  check(TransformId::SqlCommentStrip, {
      {"union/**/select", "union select"},
      {"union/*foo*/all/* */select", "union all select"},
      {"1/*!50000union*/select", "1 union select"},
      {"admin'-- ", "admin' "},
      {"admin'#rest\nnext", "admin' \nnext"},
      {"1 /* unterminated", "1  "},
      {"a-b", "a-b"},
  });
}

TEST(TransformTest, HtmlCommentStrip) {
  check(TransformId::HtmlCommentStrip, {
      {"<scr<!-- x -->ipt>", "<script>"},
      {"a<!-- open", "a"},
      {"a < b", "a < b"},
  });
}

TEST(TransformTest, PathNormalize) {
  check(TransformId::PathNormalize, {
      {"/a/./b//c/../d", "/a/b/d"},
      {"/static/../admin", "/admin"},
      {"/a/../../etc/passwd", "/../etc/passwd"},
      {"../../etc/passwd", "../../etc/passwd"},
      {"..\\..\\windows\\win.ini", "../../windows/win.ini"},
      {"/%2e%2e/%2E%2E/etc", "/../../etc"},
      {"..%2f..%5cetc", "../../etc"},
      {"/app/..;/admin", "/admin"},
      {"/users;jsessionid=1/me", "/users/me"},
      {"/a/b/", "/a/b/"},
      {"/", "/"},
      {"foo/../../x", "../x"},
  });
}

TEST(TransformTest, Utf8Normalize) {
  check(TransformId::Utf8Normalize, {
      {"\xC0\xAE\xC0\xAE\xC0\xAF", "../"},             // 2-byte overlong
      {"\xE0\x80\xAE", "."},                            // 3-byte overlong
      {"\xF0\x80\x80\xAE", "."},                        // 4-byte overlong
      {"\xF8\x80\x80\x80\xAE", "."},                    // 5-byte overlong
      {"\xEF\xBC\x9C" "script\xEF\xBC\x9E", "<script>"},  // fullwidth
      {"caf\xC3\xA9", "caf\xC3\xA9"},                   // valid text kept
      {"\xFF\x80" "a", "\x1a\x1a" "a"},                  // invalid bytes: SUB
      {"\xE2\x82", "\x1a\x1a"},                           // truncated
      {"\xED\xA0\x80", "\x1a"},                            // surrogate
      // Binary upload bytes never become ASCII punctuation: no "<?=" here.
      {"<\xB7=", "<\x1a="},
  });
}

// The byte-class precheck may only skip a transform that would not change
// the value: checked on many random strings over the bytes that matter.
TEST(TransformTest, PrecheckNeverSkipsAChange) {
  const char alphabet[] = "aZ %+&#\\/.;-*!<> \t\n\x00\xc0\xae\xc2\xa0xX=";
  uint32_t seed = 12345;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
  std::vector<char> out;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string v;
    size_t len = next() % 12;
    for (size_t i = 0; i < len; ++i) v += alphabet[(next() >> 8) % (sizeof(alphabet) - 1)];
    uint32_t classes = byte_classes(v);
    for (size_t t = 0; t < static_cast<size_t>(TransformId::Count); ++t) {
      auto id = static_cast<TransformId>(t);
      if (transform_may_change(id, classes)) continue;
      TransformArena arena(v.size() + 1);
      uint32_t c = classes;
      TransformOutput r = run_transform(id, v, c, arena);
      EXPECT_EQ(r.value.data(), v.data());
      // Ground truth: run the transform itself.
      out.assign(v.size() + 1, 0);
      size_t n = 0;
      switch (id) {
        case TransformId::UrlDecode: n = url_decode(v, out.data()); break;
        case TransformId::UrlDecodeOnce: n = url_decode_once(v, out.data()); break;
        case TransformId::HtmlEntityDecode: n = html_entity_decode(v, out.data()); break;
        case TransformId::JsDecode: n = js_decode(v, out.data()); break;
        case TransformId::CssDecode: n = css_decode(v, out.data()); break;
        case TransformId::Lowercase: n = lowercase(v, out.data()); break;
        case TransformId::CompressWhitespace: n = compress_whitespace(v, out.data()); break;
        case TransformId::RemoveWhitespace: n = remove_whitespace(v, out.data()); break;
        case TransformId::RemoveNulls: n = remove_nulls(v, out.data()); break;
        case TransformId::SqlCommentStrip: n = sql_comment_strip(v, out.data()); break;
        case TransformId::HtmlCommentStrip: n = html_comment_strip(v, out.data()); break;
        case TransformId::PathNormalize: n = path_normalize(v, out.data()); break;
        case TransformId::Utf8Normalize: n = utf8_normalize(v, out.data()); break;
        default: continue;
      }
      ASSERT_EQ(std::string(out.data(), n), v) << transform_name(id) << " changed a value "
                                               << "its precheck would skip";
    }
  }
}

// Both vector forms (and the one byte_classes() picked) against the byte
// loop; the AVX2 form only where the CPU has AVX2 (x86-64-v2 does not).
std::vector<uint32_t (*)(std::string_view)> byte_class_forms() {
  std::vector<uint32_t (*)(std::string_view)> forms{&byte_classes, &byte_classes_sse};
  if (byte_classes_avx2_available()) forms.push_back(&byte_classes_avx2);
  return forms;
}

TEST(TransformTest, VectorByteClassesMatchTheScalarReference) {
  const char alphabet[] = "aZ %+&#\\/.;-*!<> \t\r\n\x00\x80\xff\x0c\x1f@`[{";
  for (auto* form : byte_class_forms()) {
    uint32_t seed = 99;
    auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
    for (int iter = 0; iter < 20000; ++iter) {
      std::string v;
      size_t len = next() % 140;  // across several 16- and 32-byte blocks and a tail
      for (size_t i = 0; i < len; ++i) v += alphabet[(next() >> 8) % (sizeof(alphabet) - 1)];
      ASSERT_EQ(form(v), byte_classes_scalar(v)) << iter;
    }
    // Pairs straddling a 16- or 32-byte block boundary.
    for (size_t before : {15u, 31u, 47u}) {
      for (const char* pair : {"  ", "--", "/*", "<!", "//", "./", "/."}) {
        std::string v(before, 'a');
        v += pair;
        v += std::string(40, 'b');
        EXPECT_EQ(form(v), byte_classes_scalar(v)) << pair << " " << before;
        EXPECT_NE(form(v), form(std::string(v.size(), 'a'))) << pair << " " << before;
      }
    }
  }
}

TEST(TransformTest, VectorByteClassesSeeEveryByteOfShortAndPaddedTails) {
  // Every byte value at every position of values up to two 32-byte blocks
  // and a tail long: whole blocks, the padded tail block and the scalar tail.
  for (auto* form : byte_class_forms()) {
    for (int b = 0; b < 256; ++b) {
      for (size_t len = 1; len <= 72; ++len) {
        for (size_t pos = 0; pos < len; ++pos) {
          std::string v(len, 'a');
          v[pos] = static_cast<char>(b);
          ASSERT_EQ(form(v), byte_classes_scalar(v)) << b << " " << len << " " << pos;
          if (pos + 1 < len) {
            v[pos + 1] = static_cast<char>(b);  // two-byte sequences of the same byte
            ASSERT_EQ(form(v), byte_classes_scalar(v)) << b << " " << len << " " << pos;
          }
        }
      }
    }
    for (const char* pair : {"  ", "--", "/*", "<!", "//", "./", "/."}) {
      for (size_t len = 2; len <= 72; ++len) {
        for (size_t pos = 0; pos + 1 < len; ++pos) {
          std::string v(len, 'b');
          v[pos] = pair[0];
          v[pos + 1] = pair[1];
          ASSERT_EQ(form(v), byte_classes_scalar(v)) << pair << " " << len << " " << pos;
        }
      }
    }
  }
}

// The named-reference lookup as it was (strlen + memcmp over the whole
// table per '&'), kept as the reference for the faster one.
size_t reference_html_entity_decode(std::string_view in, char* out) {
  static const std::pair<const char*, uint32_t> kNames[] = {
      {"NewLine", '\n'}, {"newline", '\n'}, {"lbrack", '['}, {"rbrack", ']'}, {"lbrace", '{'},
      {"rbrace", '}'},   {"percnt", '%'},  {"equals", '='},  {"commat", '@'}, {"verbar", '|'},
      {"period", '.'},   {"dollar", '$'},  {"lowbar", '_'},  {"quest", '?'},  {"colon", ':'},
      {"comma", ','},    {"grave", '`'},   {"lsqb", '['},    {"rsqb", ']'},   {"lcub", '{'},
      {"rcub", '}'},     {"lpar", '('},    {"rpar", ')'},    {"semi", ';'},   {"bsol", '\\'},
      {"excl", '!'},     {"quot", '"'},    {"apos", '\''},   {"nbsp", 0xA0},  {"plus", '+'},
      {"vert", '|'},     {"Tab", '\t'},    {"tab", '\t'},    {"sol", '/'},    {"num", '#'},
      {"ast", '*'},      {"hat", '^'},     {"amp", '&'},     {"lt", '<'},     {"gt", '>'},
      {"LT", '<'},       {"GT", '>'},      {"AMP", '&'},     {"QUOT", '"'},
  };
  size_t o = 0;
  for (size_t i = 0; i < in.size();) {
    if (in[i] == '&') {
      std::string_view rest = in.substr(i + 1);
      for (const auto& [name, cp] : kNames) {
        std::string_view nm(name);
        if (rest.substr(0, nm.size()) == nm) {
          size_t used = nm.size() + (rest.size() > nm.size() && rest[nm.size()] == ';' ? 1 : 0);
          o += encode_utf8(cp, out + o);
          i += 1 + used;
          goto next;
        }
      }
    }
    out[o++] = in[i++];
  next:;
  }
  return o;
}

TEST(TransformTest, HtmlEntityNamedLookupMatchesTheTableScan) {
  const char* pieces[] = {"&", "amp", "lt", "LT", "gt;", "quot", "QUOT", "nbsp;", "NewLine", "newline",
                          "lbrack", "ast", "a", "n", "N", ";", "x", " ", "Tab", "tab;", "sol", "semi",
                          "comma", "commat;", "colon", "lpar", "lowbar", "lbrace", "l", "AMP", "\xc3\xa9", "\xff"};
  uint32_t seed = 7;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
  for (int iter = 0; iter < 20000; ++iter) {
    std::string v;
    size_t parts = next() % 12;
    for (size_t i = 0; i < parts; ++i) v += pieces[(next() >> 8) % (sizeof(pieces) / sizeof(pieces[0]))];
    // Only named references: numeric ones take the same path as before.
    std::string a(v.size() + 1, 0), b(v.size() + 1, 0);
    size_t na = html_entity_decode(v, a.data());
    size_t nb = reference_html_entity_decode(v, b.data());
    ASSERT_EQ(a.substr(0, na), b.substr(0, nb)) << v;
  }
}

// Percent decoding byte by byte, as it was before runs without '%' and '+'
// were copied whole: the reference for url_decode and url_decode_once.
std::string reference_url_decode(std::string in, int passes) {
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (int pass = 0; pass < passes; ++pass) {
    std::string out;
    bool changed = false;
    for (size_t i = 0; i < in.size(); ++i) {
      char c = in[i];
      if (c == '+') {
        out += ' ';
        changed = true;
        continue;
      }
      if (c == '%' && i + 5 < in.size() && (in[i + 1] == 'u' || in[i + 1] == 'U') && hex(in[i + 2]) >= 0 &&
          hex(in[i + 3]) >= 0 && hex(in[i + 4]) >= 0 && hex(in[i + 5]) >= 0) {
        uint32_t cp = static_cast<uint32_t>(hex(in[i + 2]) << 12 | hex(in[i + 3]) << 8 | hex(in[i + 4]) << 4 |
                                            hex(in[i + 5]));
        char tmp[4];
        out.append(tmp, encode_utf8(cp, tmp));
        i += 5;
        changed = true;
        continue;
      }
      if (c == '%' && i + 2 < in.size() && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
        out += static_cast<char>(hex(in[i + 1]) << 4 | hex(in[i + 2]));
        i += 2;
        changed = true;
        continue;
      }
      out += c;
    }
    in = out;
    if (!changed || in.find('%') == std::string::npos) break;
  }
  return in;
}

TEST(TransformTest, UrlDecodeMatchesTheByteByByteReference) {
  const char* pieces[] = {"%", "+", "u", "U", "2", "5", "41", "e", "F", "g", "abcdefghijklmnopq", "x", "%25",
                          "%u00", "/", " ", "%2", "\xc3\xa9"};
  uint32_t seed = 11;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
  for (int iter = 0; iter < 30000; ++iter) {
    std::string v;
    size_t parts = next() % 16;
    for (size_t i = 0; i < parts; ++i) v += pieces[(next() >> 8) % (sizeof(pieces) / sizeof(pieces[0]))];
    std::string out(v.size() + 1, 0);
    size_t n = url_decode(v, out.data());
    ASSERT_EQ(out.substr(0, n), reference_url_decode(v, 3)) << v;
    n = url_decode_once(v, out.data());
    ASSERT_EQ(out.substr(0, n), reference_url_decode(v, 1)) << v;
  }
}

// path_normalize as it was (byte loops), the reference for the faster one.
namespace reference_path {

// Decodes the separators and dots servers decode inside paths. Output <= input.
size_t reference_decode_path_bytes(std::string_view in, char* out) {
  size_t o = 0;
  for (size_t i = 0; i < in.size();) {
    char c = in[i];
    if (c == '%' && i + 2 < in.size()) {
      char a = in[i + 1], b = static_cast<char>(in[i + 2] | 0x20);
      char d = 0;
      if (a == '2' && b == 'e') d = '.';
      else if (a == '2' && b == 'f') d = '/';
      else if (a == '5' && b == 'c') d = '/';
      if (d != 0) {
        out[o++] = d;
        i += 3;
        continue;
      }
    }
    out[o++] = c == '\\' ? '/' : c;
    ++i;
  }
  return o;
}

bool reference_is_dotdot(const char* s, size_t n) { return n == 2 && s[0] == '.' && s[1] == '.'; }


size_t reference_path_normalize(std::string_view in, char* out) {
  // First pass into out, then resolve segments in place: the write position
  // never overtakes the read position.
  size_t len = reference_decode_path_bytes(in, out);
  const char* s = out;
  bool absolute = len > 0 && s[0] == '/';
  size_t o = absolute ? 1 : 0;  // out[0..o) is the resolved prefix
  size_t base = o;              // popping never goes below this
  size_t i = 0;
  bool trailing_slash = false;
  while (i < len) {
    while (i < len && s[i] == '/') ++i;  // collapse "//"
    if (i >= len) break;
    size_t start = i;
    while (i < len && s[i] != '/') ++i;
    size_t seg_end = i;
    const void* semi = std::memchr(s + start, ';', seg_end - start);
    if (semi != nullptr) seg_end = static_cast<size_t>(static_cast<const char*>(semi) - s);
    size_t n = seg_end - start;
    trailing_slash = i < len;
    if (n == 0 || (n == 1 && s[start] == '.')) continue;
    if (reference_is_dotdot(s + start, n)) {
      // Pop the last resolved segment unless it is itself a kept "..".
      if (o > base) {
        size_t last = o - 1;  // o-1 is the end of the last segment (no trailing '/')
        size_t seg_begin = last;
        while (seg_begin > base && out[seg_begin - 1] != '/') --seg_begin;
        if (!reference_is_dotdot(out + seg_begin, o - seg_begin)) {
          o = seg_begin > base ? seg_begin - 1 : base;
          continue;
        }
      }
    }
    if (o > base) out[o++] = '/';
    std::memmove(out + o, s + start, n);
    o += n;
  }
  if (trailing_slash && o > base) out[o++] = '/';
  return o;
}

}  // namespace reference_path

TEST(TransformTest, PathNormalizeMatchesTheByteLoopReference) {
  const char* pieces[] = {"/", "//", ".", "..", "../", "./", "\\", "%2e", "%2E", "%2f", "%5c", "%5C", "%2",
                          "%", ";", ";jsessionid=1", "a", "bc", "etc", "passwd", "0123456789abcdefghij"};
  uint32_t seed = 5;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
  for (int iter = 0; iter < 30000; ++iter) {
    std::string v;
    size_t parts = next() % 14;
    for (size_t i = 0; i < parts; ++i) v += pieces[(next() >> 8) % (sizeof(pieces) / sizeof(pieces[0]))];
    std::string a(v.size() + 1, 0), b(v.size() + 1, 0);
    size_t na = path_normalize(v, a.data());
    size_t nb = reference_path::reference_path_normalize(v, b.data());
    ASSERT_EQ(a.substr(0, na), b.substr(0, nb)) << v;
  }
}

// compress_whitespace as it was (one unit at a time), the reference for the
// block copy.
size_t reference_compress_whitespace(std::string_view in, char* out) {
  auto space_at = [&](size_t i) -> size_t {
    auto c = static_cast<unsigned char>(in[i]);
    if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
    if (c == 0xC2 && i + 1 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0xA0) return 2;
    return 0;
  };
  size_t o = 0;
  bool in_space = false;
  for (size_t i = 0; i < in.size();) {
    size_t w = space_at(i);
    if (w > 0) {
      if (!in_space) out[o++] = ' ';
      in_space = true;
      i += w;
      continue;
    }
    in_space = false;
    out[o++] = in[i++];
  }
  return o;
}

TEST(TransformTest, CompressWhitespaceMatchesTheUnitLoopReference) {
  const char* pieces[] = {" ", "  ", "\t", "\n", "\r\n", "\v", "\f", "\xc2\xa0", "\xc2", "\xa0", "\xc3\xa9",
                          "a", "word", "0123456789abcdef", "x y z", "\x08", "\x0e", "\x1f", "\x7f", "\xff"};
  uint32_t seed = 9;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
  for (int iter = 0; iter < 60000; ++iter) {
    std::string v;
    size_t parts = next() % 40;
    for (size_t i = 0; i < parts; ++i) v += pieces[(next() >> 8) % (sizeof(pieces) / sizeof(pieces[0]))];
    std::string a(v.size() + 1, 0), b(v.size() + 1, 0);
    size_t na = compress_whitespace(v, a.data());
    size_t nb = reference_compress_whitespace(v, b.data());
    ASSERT_EQ(a.substr(0, na), b.substr(0, nb)) << v;
  }
}

// utf8_normalize as it was (a byte at a time through ASCII), the reference
// for the block copy of ASCII runs.
size_t reference_utf8_normalize(std::string_view in, char* out) {
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  size_t len = in.size(), o = 0, i = 0;
  while (i < len) {
    unsigned char c = s[i];
    if (c < 0x80) {
      out[o++] = static_cast<char>(c);
      ++i;
      continue;
    }
    size_t extra = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3
                 : (c & 0xFC) == 0xF8 ? 4 : (c & 0xFE) == 0xFC ? 5 : 0;
    bool ok = extra > 0 && i + extra < len;
    uint32_t cp = extra > 0 ? c & (0x7Fu >> (extra + 1)) : 0;
    for (size_t k = 1; ok && k <= extra; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) ok = false;
      else cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (!ok) {
      out[o++] = '\x1a';
      ++i;
      continue;
    }
    static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000, 0x200000, 0x4000000};
    bool overlong = cp < kMinForLength[extra];
    if (overlong || extra > 3 || (cp >= 0xFF01 && cp <= 0xFF5E)) {
      if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
      o += encode_utf8(cp > 0x10FFFF ? '?' : cp, out + o);
    } else if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      out[o++] = '\x1a';
    } else {
      for (size_t k = 0; k <= extra; ++k) out[o++] = static_cast<char>(s[i + k]);
    }
    i += extra + 1;
  }
  return o;
}

TEST(TransformTest, Utf8NormalizeMatchesTheByteLoopReference) {
  const char* pieces[] = {"a", "word ", "0123456789abcdef", "\xc3\xa9", "\xc0\xae", "\xe0\x80\xaf",
                          "\xef\xbc\x8f", "\xef\xbd\x9e", "\xf0\x9f\x98\x80", "\xed\xa0\x80", "\xf8\x80\x80\x80\xaf",
                          "\xfc\x80\x80\x80\x80\xaf", "\x80", "\xc3", "\xe2\x82", "\xff", "\xfe", "\x7f", "\x00"};
  uint32_t seed = 13;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
  for (int iter = 0; iter < 60000; ++iter) {
    std::string v;
    size_t parts = next() % 40;
    for (size_t i = 0; i < parts; ++i) {
      const char* p = pieces[(next() >> 8) % (sizeof(pieces) / sizeof(pieces[0]))];
      v.append(p, *p == '\0' ? 1 : std::strlen(p));
    }
    std::string a(v.size() + 1, 0), b(v.size() + 1, 0);
    size_t na = utf8_normalize(v, a.data());
    size_t nb = reference_utf8_normalize(v, b.data());
    ASSERT_EQ(a.substr(0, na), b.substr(0, nb)) << v;
  }
}

// base64_decode as it was (decode everything, then judge the text), the
// reference for the early stop at the first decoded byte that is not text
// (a control byte, a broken UTF-8 sequence).
size_t reference_base64_decode(std::string_view in, char* out) {
  auto is_space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  size_t b = 0, e = in.size();
  while (b < e && is_space(static_cast<unsigned char>(in[b]))) ++b;
  while (e > b && is_space(static_cast<unsigned char>(in[e - 1]))) --e;
  size_t pad = 0;
  while (e > b && in[e - 1] == '=' && pad < 3) {
    --e;
    ++pad;
  }
  size_t n = e - b;
  if (n + pad < 8 || pad > 2) return kNotApplicable;
  if (pad > 0 && (n + pad) % 4 != 0) return kNotApplicable;
  if (n % 4 == 1) return kNotApplicable;
  bool std_alpha = false, url_alpha = false;
  uint32_t acc = 0;
  int bits = 0;
  size_t o = 0;
  for (size_t i = b; i < e; ++i) {
    auto c = static_cast<unsigned char>(in[i]);
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+' || c == '/') std_alpha = true, v = c == '+' ? 62 : 63;
    else if (c == '-' || c == '_') url_alpha = true, v = c == '-' ? 62 : 63;
    if (v < 0) return kNotApplicable;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if (std_alpha && url_alpha) return kNotApplicable;
  if ((acc & ((1u << bits) - 1)) != 0) return kNotApplicable;
  const auto* t = reinterpret_cast<const unsigned char*>(out);
  for (size_t i = 0; i < o;) {
    unsigned char c = t[i];
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F) return kNotApplicable;
      ++i;
      continue;
    }
    size_t extra = (c >= 0xC2 && c <= 0xDF) ? 1 : (c >= 0xE0 && c <= 0xEF) ? 2 : (c >= 0xF0 && c <= 0xF4) ? 3 : 0;
    if (extra == 0 || i + extra >= o) return kNotApplicable;
    for (size_t k = 1; k <= extra; ++k)
      if ((t[i + k] & 0xC0) != 0x80) return kNotApplicable;
    i += extra + 1;
  }
  return o;
}

TEST(TransformTest, Base64DecodeMatchesTheDecodeThenJudgeReference) {
  // Encoded text, binary, controls, UTF-8 (valid and broken), both alphabets.
  const char* plain[] = {"union select", "hello\tworld\n", "\x01\x02", "caf\xc3\xa9", "\xc3", "\x7f",
                         "\xe2\x82\xac", "\xff\xfe", "abc", "\r\n", "<script>", "\xf0\x9f\x98\x80", "?>~"};
  auto encode = [](const std::string& b, bool url) {
    const char* a = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                        : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    for (; i + 3 <= b.size(); i += 3) {
      uint32_t v = (uint32_t(uint8_t(b[i])) << 16) | (uint32_t(uint8_t(b[i + 1])) << 8) | uint8_t(b[i + 2]);
      for (int k = 18; k >= 0; k -= 6) out += a[(v >> k) & 63];
    }
    if (b.size() - i == 1) {
      uint32_t v = uint32_t(uint8_t(b[i])) << 16;
      out += a[(v >> 18) & 63], out += a[(v >> 12) & 63], out += "==";
    } else if (b.size() - i == 2) {
      uint32_t v = (uint32_t(uint8_t(b[i])) << 16) | (uint32_t(uint8_t(b[i + 1])) << 8);
      out += a[(v >> 18) & 63], out += a[(v >> 12) & 63], out += a[(v >> 6) & 63], out += '=';
    }
    return out;
  };
  uint32_t seed = 21;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
  size_t decoded = 0;
  for (int iter = 0; iter < 60000; ++iter) {
    std::string v;
    if (iter % 3 == 0) {  // random base64-alphabet tokens, as ids and JWT parts look
      const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_= .";
      for (size_t n = next() % 48; n > 0; --n) v += a[(next() >> 8) % 68];
    } else {
      std::string b;
      for (size_t n = next() % 6; n > 0; --n) {
        const char* p = plain[(next() >> 8) % (sizeof(plain) / sizeof(plain[0]))];
        b += std::string(p, std::strlen(p));
      }
      v = encode(b, iter % 2 == 0);
      if (iter % 7 == 0) v = " " + v + "\n";
    }
    std::string a(v.size() + 1, 0), b(v.size() + 1, 0);
    size_t na = base64_decode(v, a.data());
    size_t nb = reference_base64_decode(v, b.data());
    ASSERT_EQ(na, nb) << v;
    if (na != kNotApplicable) {
      ++decoded;
      ASSERT_EQ(a.substr(0, na), b.substr(0, nb)) << v;
    }
  }
  EXPECT_GT(decoded, 10000u);  // both outcomes are exercised
  EXPECT_LT(decoded, 50000u);
}

// run_transform() answers "not base64" from the byte classes alone when a
// byte outside the plain alphabet is no trimmable whitespace; it must agree
// with base64_decode() itself on every value.
TEST(TransformTest, Base64ClassShortcutAgreesWithTheDecoder) {
  const char alphabet[] = "AZaz09+/-_= .\t\r\n\v\"'%;<\x80\xc3\xa9:,@";
  uint32_t seed = 5;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
  size_t shortcut = 0;
  TransformArena arena(4096);
  for (int iter = 0; iter < 40000; ++iter) {
    std::string v;
    for (size_t n = 8 + next() % 24; n > 0; --n) {
      // Mostly base64 letters, now and then one other byte.
      v += (next() >> 8) % 8 != 0 ? "QUJDZGVm"[(next() >> 8) % 8] : alphabet[(next() >> 8) % (sizeof alphabet - 1)];
    }
    if (iter % 4 == 0) {  // base64 of text ("ABCdef"...) inside whitespace the decoder trims
      const char* ws[] = {" ", "\t", "\r\n", "\n", "\v"};
      v = std::string(ws[(next() >> 8) % 5]);
      for (size_t n = 1 + next() % 3; n > 0; --n) v += "QUJDZGVm";
      v += ws[(next() >> 8) % 5];
    }
    std::string out(v.size() + 1, 0);
    const bool decodes = base64_decode(v, out.data()) != kNotApplicable;
    arena.reset();
    TransformOutput r = run_transform(TransformId::Base64Decode, v, arena);
    ASSERT_EQ(r.status != TransformStatus::NotApplicable, decodes) << v;
    if (!only_plain_bytes(byte_classes(v))) ++shortcut;
  }
  EXPECT_GT(shortcut, 10000u);  // the shortcut's values are exercised
}

TEST(TransformTest, UnchangedValueIsNotCopied) {
  TransformArena arena(64);
  std::string v = "plain value";
  TransformOutput r = run_transform(TransformId::UrlDecode, v, arena);
  EXPECT_EQ(r.value.data(), v.data());
  EXPECT_EQ(arena.used(), 0u);
}

TEST(TransformTest, ArenaFullIsReported) {
  TransformArena arena(4);
  std::string v = "%41%41%41%41";
  TransformOutput r = run_transform(TransformId::UrlDecode, v, arena);
  EXPECT_EQ(r.status, TransformStatus::ArenaFull);
  EXPECT_EQ(arena.used(), 0u);
}

// Every transform (and byte_classes) reads only its input: each value ends
// right before a PROT_NONE page, so a read past its end faults. A '&' ending
// the value was read one byte past by html_entity_decode (fuzz smoke).
TEST(TransformTest, ReadsNothingPastTheValue) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  void* map = mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(map, MAP_FAILED);
  char* mem = static_cast<char*>(map);
  ASSERT_EQ(mprotect(mem + page, page, PROT_NONE), 0);
  std::vector<std::string> values = {"",     "&",   "a&",    "&#",  "&#x", "&#1",  "&l",    "&lt", "&n",
                                     "%",    "%2",  "%u",    "%u1", "\\",  "\\x",  "\\u00", "/*",  "<!--",
                                     "<!-",  "-",   "\xc2",  "+",   "==",  "QQ=",  "../",   "..",  "\xe0\x80"};
  const char alphabet[] = "aZ %+&#\\/.;-*!<>=xXuU0123456789lt\t\n\xc0\xae\xc2\xa0";
  uint32_t seed = 7;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
  for (int i = 0; i < 20000; ++i) {
    std::string v;
    for (size_t n = next() % 40; n > 0; --n) v += alphabet[(next() >> 8) % (sizeof(alphabet) - 1)];
    values.push_back(v);
  }
  for (const std::string& v : values) {
    char* in = mem + page - v.size();
    std::memcpy(in, v.data(), v.size());
    const std::string_view value(in, v.size());
    for (size_t t = 0; t < static_cast<size_t>(TransformId::Count); ++t) {
      TransformArena arena(4 * v.size() + 64);
      uint32_t classes = byte_classes(value);
      run_transform(static_cast<TransformId>(t), value, classes, arena);
    }
  }
  munmap(map, 2 * page);
}

}  // namespace
}  // namespace weir::detect
