// Transform names, the dispatch table and the copy-avoiding runner.

#include "detect/transform/transform.h"

#include <emmintrin.h>
#include <immintrin.h>
#include <tmmintrin.h>

#include <cstring>

namespace weir::detect {
namespace {

using TransformFn = size_t (*)(std::string_view, char*);

struct TransformEntry {
  const char* name;
  TransformFn fn;
};

constexpr TransformEntry kTransforms[] = {
    {"url_decode", &url_decode},
    {"url_decode_once", &url_decode_once},
    {"html_entity_decode", &html_entity_decode},
    {"js_decode", &js_decode},
    {"css_decode", &css_decode},
    {"base64_decode", &base64_decode},
    {"lowercase", &lowercase},
    {"compress_whitespace", &compress_whitespace},
    {"remove_whitespace", &remove_whitespace},
    {"remove_nulls", &remove_nulls},
    {"sql_comment_strip", &sql_comment_strip},
    {"html_comment_strip", &html_comment_strip},
    {"path_normalize", &path_normalize},
    {"utf8_normalize", &utf8_normalize},
};
static_assert(sizeof(kTransforms) / sizeof(kTransforms[0]) ==
              static_cast<size_t>(TransformId::Count));

bool has_any(std::string_view in, const char* set) {
  for (unsigned char c : in)
    if (c != 0 && std::strchr(set, c) != nullptr) return true;
  return false;
}

bool has_byte(std::string_view in, char c) {
  return !in.empty() && std::memchr(in.data(), c, in.size()) != nullptr;
}

}  // namespace

const char* transform_name(TransformId id) {
  auto i = static_cast<size_t>(id);
  return i < static_cast<size_t>(TransformId::Count) ? kTransforms[i].name : "?";
}

bool transform_from_name(std::string_view name, TransformId& out) {
  for (size_t i = 0; i < static_cast<size_t>(TransformId::Count); ++i) {
    if (name == kTransforms[i].name) {
      out = static_cast<TransformId>(i);
      return true;
    }
  }
  return false;
}

bool transform_may_change(TransformId id, std::string_view in) {
  switch (id) {
    case TransformId::UrlDecode:
    case TransformId::UrlDecodeOnce: return has_any(in, "%+");
    case TransformId::HtmlEntityDecode: return has_byte(in, '&');
    case TransformId::JsDecode:
    case TransformId::CssDecode: return has_byte(in, '\\');
    case TransformId::Base64Decode: return true;
    case TransformId::Lowercase:
      for (unsigned char c : in)
        if (c >= 'A' && c <= 'Z') return true;
      return false;
    case TransformId::CompressWhitespace:
    case TransformId::RemoveWhitespace:
      for (unsigned char c : in)
        if (c == ' ' || (c >= '\t' && c <= '\r') || c == 0xC2) return true;
      return false;
    case TransformId::RemoveNulls: return has_byte(in, '\0');
    case TransformId::SqlCommentStrip: return has_any(in, "/-#");
    case TransformId::HtmlCommentStrip: return has_byte(in, '<');
    case TransformId::PathNormalize: return has_any(in, "/\\%;.");
    case TransformId::Utf8Normalize:
      for (unsigned char c : in)
        if (c >= 0x80) return true;
      return false;
    case TransformId::Count: break;
  }
  return false;
}

namespace {

enum ByteClass : uint32_t {
  kPercent = 1u << 0, kPlus = 1u << 1, kAmp = 1u << 2, kBackslash = 1u << 3,
  kUpper = 1u << 4, kSpace = 1u << 5, kNul = 1u << 6, kHigh = 1u << 7,
  kWsCtl = 1u << 8, kHash = 1u << 9, kSemi = 1u << 10,
  kNotPlain = 1u << 11,  // a byte outside the plain alphabet (plain_byte())
  // Two-byte sequences, found by byte_classes() from the previous byte.
  kDoubleSpace = 1u << 16, kDashDash = 1u << 17, kSlashStar = 1u << 18, kLtBang = 1u << 19,
  kSlashSlash = 1u << 20, kDotSlash = 1u << 21, kSlashDot = 1u << 22,
};

struct ClassTable {
  uint16_t c[256] = {};
  constexpr ClassTable() {
    c[static_cast<unsigned char>('%')] = kPercent;
    c[static_cast<unsigned char>('+')] = kPlus;
    c[static_cast<unsigned char>('&')] = kAmp;
    c[static_cast<unsigned char>('\\')] = kBackslash;
    for (int x = 'A'; x <= 'Z'; ++x) c[x] = kUpper;
    c[static_cast<unsigned char>(' ')] = kSpace;
    for (int x = '\t'; x <= '\r'; ++x) c[x] = kSpace | kWsCtl;
    c[0] = kNul;
    for (int x = 0x80; x < 0x100; ++x) c[x] = kHigh;
    c[static_cast<unsigned char>('#')] = kHash;
    c[static_cast<unsigned char>(';')] = kSemi;
    for (int x = 0; x < 256; ++x)
      if (!plain_byte(static_cast<unsigned char>(x))) c[x] = static_cast<uint16_t>(c[x] | kNotPlain);
  }
};
constexpr ClassTable kClassTable;

// A transform can only change a value holding one of these classes. Exact
// enough that most API values skip most transforms without being copied.
constexpr uint32_t kChangeMask[] = {
    kPercent | kPlus,                              // url_decode
    kPercent | kPlus,                              // url_decode_once
    kAmp,                                          // html_entity_decode
    kBackslash,                                    // js_decode
    kBackslash,                                    // css_decode
    ~0u,                                           // base64_decode: always tried
    kUpper,                                        // lowercase
    kWsCtl | kDoubleSpace | kHigh,                 // compress_whitespace (NBSP is high)
    kSpace | kHigh,                                // remove_whitespace
    kNul,                                          // remove_nulls
    kHash | kDashDash | kSlashStar,                // sql_comment_strip
    kLtBang,                                       // html_comment_strip
    kBackslash | kPercent | kSemi | kSlashSlash | kDotSlash | kSlashDot,  // path_normalize
    kHigh,                                         // utf8_normalize
};
static_assert(sizeof(kChangeMask) / sizeof(kChangeMask[0]) ==
              static_cast<size_t>(TransformId::Count));

}  // namespace

namespace {

// Two-byte sequences without a branch per byte: each byte maps to a small
// kind, and (previous kind, kind) indexes the sequence class.
enum PairKind : uint8_t { kOther, kKSpace, kKDash, kKStar, kKBang, kKSlash, kKDot, kKLt, kKinds };

struct PairTable {
  uint8_t kind[256] = {};
  uint32_t pair[kKinds * kKinds] = {};
  constexpr PairTable() {
    kind[static_cast<unsigned char>(' ')] = kKSpace;
    kind[static_cast<unsigned char>('-')] = kKDash;
    kind[static_cast<unsigned char>('*')] = kKStar;
    kind[static_cast<unsigned char>('!')] = kKBang;
    kind[static_cast<unsigned char>('/')] = kKSlash;
    kind[static_cast<unsigned char>('.')] = kKDot;
    kind[static_cast<unsigned char>('<')] = kKLt;
    pair[kKSpace * kKinds + kKSpace] = kDoubleSpace;
    pair[kKDash * kKinds + kKDash] = kDashDash;
    pair[kKSlash * kKinds + kKStar] = kSlashStar;
    pair[kKLt * kKinds + kKBang] = kLtBang;
    pair[kKSlash * kKinds + kKSlash] = kSlashSlash;
    pair[kKDot * kKinds + kKSlash] = kDotSlash;
    pair[kKSlash * kKinds + kKDot] = kSlashDot;
  }
};
constexpr PairTable kPairTable;

}  // namespace

namespace {

uint32_t scalar_classes(const unsigned char* s, size_t n, unsigned prev) {
  uint32_t m = 0;
  for (size_t i = 0; i < n; ++i) {
    unsigned k = kPairTable.kind[s[i]];
    m |= kClassTable.c[s[i]] | kPairTable.pair[prev * kKinds + k];
    prev = k;
  }
  return m;
}

// Tails this long go through one padded block rather than byte by byte.
constexpr size_t kPaddedTail = 6;

// The single-byte classes' bytes (bits 0..6 of the folded flags) and the
// two-byte sequences (bit k = pair k, in the order of the k*Pair classes).
constexpr char kSingleBytes[] = {'%', '+', '&', '\\', '#', ';', '\0'};
constexpr char kPairBytes[7][3] = {"  ", "--", "/*", "<!", "//", "./", "/."};

// Nibble tables for PSHUFB: a byte is in a set when the entries of its low
// and high nibble share the set's bit (sets that are a product of low and
// high nibbles), or, for the two irregular sets (plain bytes, A-Z), when
// the row of its low nibble has the bit of its high nibble (high < 8).
struct NibbleTables {
  // Single-byte classes: % + & \ # ; NUL, and \t..\r in bit 7.
  uint8_t lo_single[16] = {}, hi_single[16] = {};
  // Two-byte sequences, bit k = pair k in the order of the k*Pair classes
  // ("  " -- /* <! // ./ /.), by first byte and by second byte. The second
  // byte's table also marks ' ' (bit 0), which gives kSpace.
  uint8_t lo_first[16] = {}, hi_first[16] = {}, lo_second[16] = {}, hi_second[16] = {};
  uint8_t plain_rows[16] = {}, upper_rows[16] = {}, hi_bit[16] = {};
  constexpr void add(uint8_t* lo, uint8_t* hi, unsigned char c, uint8_t bit) {
    lo[c & 15] = static_cast<uint8_t>(lo[c & 15] | bit);
    hi[c >> 4] = static_cast<uint8_t>(hi[c >> 4] | bit);
  }
  constexpr NibbleTables() {
    for (unsigned k = 0; k < 7; ++k) add(lo_single, hi_single, static_cast<unsigned char>(kSingleBytes[k]), static_cast<uint8_t>(1u << k));
    for (unsigned char c = '\t'; c <= '\r'; ++c) add(lo_single, hi_single, c, 0x80);
    for (unsigned k = 0; k < 7; ++k) {
      add(lo_first, hi_first, static_cast<unsigned char>(kPairBytes[k][0]), static_cast<uint8_t>(1u << k));
      add(lo_second, hi_second, static_cast<unsigned char>(kPairBytes[k][1]), static_cast<uint8_t>(1u << k));
    }
    for (unsigned c = 0; c < 0x80; ++c) {
      if (plain_byte(static_cast<unsigned char>(c)))
        plain_rows[c & 15] = static_cast<uint8_t>(plain_rows[c & 15] | (1u << (c >> 4)));
      if (c >= 'A' && c <= 'Z') upper_rows[c & 15] = static_cast<uint8_t>(upper_rows[c & 15] | (1u << (c >> 4)));
    }
    for (unsigned h = 0; h < 8; ++h) hi_bit[h] = static_cast<uint8_t>(1u << h);
  }
};
constexpr NibbleTables kNibbles;

// The single-byte sets must be exact products of nibble sets: no byte may
// get a bit it does not have (checked over all 256 bytes at compile time).
constexpr bool nibble_sets_exact() {
  for (unsigned c = 0; c < 256; ++c) {
    unsigned want = 0, first = 0, second = 0;
    for (unsigned k = 0; k < 7; ++k) {
      if (c == static_cast<unsigned char>(kSingleBytes[k])) want |= 1u << k;
      if (c == static_cast<unsigned char>(kPairBytes[k][0])) first |= 1u << k;
      if (c == static_cast<unsigned char>(kPairBytes[k][1])) second |= 1u << k;
    }
    if (c >= '\t' && c <= '\r') want |= 0x80;
    if (c >= 0x80) continue;  // PSHUFB gives 0 for these (index high bit set): no class here
    if ((kNibbles.lo_single[c & 15] & kNibbles.hi_single[c >> 4]) != want) return false;
    if ((kNibbles.lo_first[c & 15] & kNibbles.hi_first[c >> 4]) != first) return false;
    if ((kNibbles.lo_second[c & 15] & kNibbles.hi_second[c >> 4]) != second) return false;
  }
  return true;
}
static_assert(nibble_sets_exact());

// Classes from the folded single-byte flags.
struct SingleMap {
  uint32_t c[256] = {};
  constexpr SingleMap() {
    const uint32_t bits[8] = {kPercent, kPlus, kAmp, kBackslash, kHash, kSemi, kNul, kSpace | kWsCtl};
    for (unsigned f = 0; f < 256; ++f)
      for (unsigned k = 0; k < 8; ++k)
        if (f & (1u << k)) c[f] |= bits[k];
  }
};
constexpr SingleMap kSingleMap;
static_assert(kDashDash == kDoubleSpace << 1 && kSlashStar == kDoubleSpace << 2 &&
              kLtBang == kDoubleSpace << 3 && kSlashSlash == kDoubleSpace << 4 &&
              kDotSlash == kDoubleSpace << 5 && kSlashDot == kDoubleSpace << 6);

inline __m128i table(const uint8_t* t) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(t)); }

// OR-reduces the bytes of an accumulator to one byte.
inline unsigned fold_bytes(__m128i a) {
  a = _mm_or_si128(a, _mm_unpackhi_epi64(a, a));
  auto x = static_cast<uint64_t>(_mm_cvtsi128_si64(a));
  x |= x >> 32;
  x |= x >> 16;
  x |= x >> 8;
  return static_cast<unsigned>(x & 0xFF);
}

// Per-byte flags of 16-byte blocks, OR-ed (plain: min-ed) into
// accumulators; decided once per value, no branch per class or block.
struct ClassAccumulator {
  static constexpr size_t kBlock = 16;
  // classify() passes the block's address, not a vector: no vector value
  // crosses from its generic code into the AVX2 form's (-Wpsabi).
  void add_at(const unsigned char* p) { add(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))); }
  __m128i single = _mm_setzero_si128(), pair = _mm_setzero_si128(), second = _mm_setzero_si128();
  __m128i upper = _mm_setzero_si128(), high = _mm_setzero_si128();
  __m128i plain = _mm_set1_epi8(-1);  // min over bytes: 0 once a byte is not plain
  __m128i prev_first = _mm_setzero_si128();

  void add(__m128i v) {
    const __m128i nib = _mm_set1_epi8(0x0F);
    __m128i lo = _mm_and_si128(v, nib);
    __m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), nib);
    single = _mm_or_si128(single, _mm_and_si128(_mm_shuffle_epi8(table(kNibbles.lo_single), lo),
                                                _mm_shuffle_epi8(table(kNibbles.hi_single), hi)));
    __m128i first = _mm_and_si128(_mm_shuffle_epi8(table(kNibbles.lo_first), lo),
                                  _mm_shuffle_epi8(table(kNibbles.hi_first), hi));
    __m128i sec = _mm_and_si128(_mm_shuffle_epi8(table(kNibbles.lo_second), lo),
                                _mm_shuffle_epi8(table(kNibbles.hi_second), hi));
    // The first byte's flags moved onto the byte after it.
    pair = _mm_or_si128(pair, _mm_and_si128(_mm_alignr_epi8(first, prev_first, 15), sec));
    prev_first = first;
    second = _mm_or_si128(second, sec);
    __m128i hb = _mm_shuffle_epi8(table(kNibbles.hi_bit), hi);
    plain = _mm_min_epu8(plain, _mm_and_si128(_mm_shuffle_epi8(table(kNibbles.plain_rows), lo), hb));
    upper = _mm_or_si128(upper, _mm_and_si128(_mm_shuffle_epi8(table(kNibbles.upper_rows), lo), hb));
    high = _mm_or_si128(high, v);
  }

  uint32_t classes() const {
    uint32_t m = kSingleMap.c[fold_bytes(single)];
    m |= static_cast<uint32_t>(fold_bytes(pair)) * kDoubleSpace;
    if (fold_bytes(second) & 1) m |= kSpace;
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(plain, _mm_setzero_si128())) != 0) m |= kNotPlain;
    if (fold_bytes(upper) != 0) m |= kUpper;
    if (_mm_movemask_epi8(high) != 0) m |= kHigh;
    return m;
  }
};

}  // namespace

uint32_t byte_classes_scalar(std::string_view in) {
  uint32_t m = scalar_classes(reinterpret_cast<const unsigned char*>(in.data()), in.size(), kOther);
  if (!in.empty() && in[0] == '.') m |= kDotSlash;
  return m;
}

namespace {

// The pass both vector forms make: whole blocks, then a tail of a few bytes
// byte by byte or a longer one as one more block padded with 'a' (plain, in
// no class, in no two-byte sequence). Inlined into each form, so the AVX2
// one runs with its target's instructions.
template <typename Acc>
[[gnu::always_inline]] inline uint32_t classify(std::string_view in) {
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  constexpr size_t kBlock = Acc::kBlock;
  uint32_t m = 0;
  size_t i = 0;
  Acc acc;
  bool used = false;
  for (; i + kBlock <= n; i += kBlock) {
    acc.add_at(s + i);
    used = true;
  }
  if (n - i >= kPaddedTail) {
    alignas(32) unsigned char pad[kBlock];
    std::memset(pad, 'a', sizeof pad);
    std::memcpy(pad, s + i, n - i);
    acc.add_at(pad);
    i = n;
    used = true;
  }
  if (used) m = acc.classes();
  unsigned prev_kind = i > 0 ? kPairTable.kind[s[i - 1]] : static_cast<unsigned>(kOther);
  m |= scalar_classes(s + i, n - i, prev_kind);
  // "." and ".." as whole values are path segments path_normalize may drop.
  if (n > 0 && s[0] == '.') m |= kDotSlash;
  return m;
}

}  // namespace

// 16 bytes at a time (SSSE3, within x86-64-v2): every value of a request
// goes through here once, so it is worth a few intrinsics.
uint32_t byte_classes_sse(std::string_view in) { return classify<ClassAccumulator>(in); }

namespace {

#define WEIR_AVX2 __attribute__((target("avx2")))

// The same flags 32 bytes a step, then folded into the 16-byte form's
// accumulator, whose classes() decides.
struct ClassAccumulator256 {
  static constexpr size_t kBlock = 32;
  WEIR_AVX2 void add_at(const unsigned char* p) { add(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))); }
  __m256i single, pair, second, upper, high, plain, prev_first;

  WEIR_AVX2 ClassAccumulator256()
      : single(_mm256_setzero_si256()), pair(_mm256_setzero_si256()), second(_mm256_setzero_si256()),
        upper(_mm256_setzero_si256()), high(_mm256_setzero_si256()), plain(_mm256_set1_epi8(-1)),
        prev_first(_mm256_setzero_si256()) {}

  static WEIR_AVX2 __m256i table(const uint8_t* t) {
    return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(t)));
  }

  WEIR_AVX2 void add(__m256i v) {
    const __m256i nib = _mm256_set1_epi8(0x0F);
    __m256i lo = _mm256_and_si256(v, nib);
    __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), nib);
    single = _mm256_or_si256(single, _mm256_and_si256(_mm256_shuffle_epi8(table(kNibbles.lo_single), lo),
                                                      _mm256_shuffle_epi8(table(kNibbles.hi_single), hi)));
    __m256i first = _mm256_and_si256(_mm256_shuffle_epi8(table(kNibbles.lo_first), lo),
                                     _mm256_shuffle_epi8(table(kNibbles.hi_first), hi));
    __m256i sec = _mm256_and_si256(_mm256_shuffle_epi8(table(kNibbles.lo_second), lo),
                                   _mm256_shuffle_epi8(table(kNibbles.hi_second), hi));
    // Each byte's first-byte flags moved onto the byte after it, across the
    // two 128-bit lanes and from the previous block: [prev hi, this lo].
    const __m256i carry = _mm256_permute2x128_si256(prev_first, first, 0x21);
    pair = _mm256_or_si256(pair, _mm256_and_si256(_mm256_alignr_epi8(first, carry, 15), sec));
    prev_first = first;
    second = _mm256_or_si256(second, sec);
    __m256i hb = _mm256_shuffle_epi8(table(kNibbles.hi_bit), hi);
    plain = _mm256_min_epu8(plain, _mm256_and_si256(_mm256_shuffle_epi8(table(kNibbles.plain_rows), lo), hb));
    upper = _mm256_or_si256(upper, _mm256_and_si256(_mm256_shuffle_epi8(table(kNibbles.upper_rows), lo), hb));
    high = _mm256_or_si256(high, v);
  }

  WEIR_AVX2 uint32_t classes() const {
    ClassAccumulator a;
    a.single = _mm_or_si128(_mm256_castsi256_si128(single), _mm256_extracti128_si256(single, 1));
    a.pair = _mm_or_si128(_mm256_castsi256_si128(pair), _mm256_extracti128_si256(pair, 1));
    a.second = _mm_or_si128(_mm256_castsi256_si128(second), _mm256_extracti128_si256(second, 1));
    a.upper = _mm_or_si128(_mm256_castsi256_si128(upper), _mm256_extracti128_si256(upper, 1));
    a.high = _mm_or_si128(_mm256_castsi256_si128(high), _mm256_extracti128_si256(high, 1));
    a.plain = _mm_min_epu8(_mm256_castsi256_si128(plain), _mm256_extracti128_si256(plain, 1));
    return a.classes();
  }
};

}  // namespace

bool byte_classes_avx2_available() {
  __builtin_cpu_init();  // needed when called before main
  return __builtin_cpu_supports("avx2");
}

WEIR_AVX2 uint32_t byte_classes_avx2(std::string_view in) { return classify<ClassAccumulator256>(in); }

#undef WEIR_AVX2

// The form is chosen on the first call (a function-local static: right
// also when another file's static initialiser classifies a value), then it
// costs one indirect call per value, not a CPU check.
uint32_t byte_classes(std::string_view in) {
  static const auto form = byte_classes_avx2_available() ? &byte_classes_avx2 : &byte_classes_sse;
  return form(in);
}

uint32_t transform_change_mask(TransformId id) {
  auto i = static_cast<size_t>(id);
  return i < static_cast<size_t>(TransformId::Count) ? kChangeMask[i] : 0;
}

bool only_plain_bytes(uint32_t classes) { return (classes & kNotPlain) == 0; }

bool transform_may_change(TransformId id, uint32_t classes) {
  auto i = static_cast<size_t>(id);
  if (id == TransformId::Base64Decode) return true;
  return i < static_cast<size_t>(TransformId::Count) && (classes & kChangeMask[i]) != 0;
}

TransformOutput run_transform(TransformId id, std::string_view in, uint32_t& classes,
                              TransformArena& arena) {
  if (static_cast<size_t>(id) >= static_cast<size_t>(TransformId::Count))
    return {TransformStatus::NotApplicable, {}};
  if (in.empty() || !transform_may_change(id, classes)) return {TransformStatus::Ok, in};
  // A byte outside the plain alphabet that is not whitespace base64_decode
  // may trim (a quote, '%', ';', a high byte) is never base64: every JSON
  // string, cookie and header value with one skips the decoding attempt.
  if (id == TransformId::Base64Decode && (classes & kNotPlain) != 0 && (classes & kWsCtl) == 0)
    return {TransformStatus::NotApplicable, {}};
  char* out = arena.reserve(in.size());
  if (out == nullptr) return {TransformStatus::ArenaFull, in};
  size_t n = kTransforms[static_cast<size_t>(id)].fn(in, out);
  if (n == kNotApplicable) return {TransformStatus::NotApplicable, {}};
  if (n == in.size() && std::memcmp(out, in.data(), n) == 0) return {TransformStatus::Ok, in};
  arena.commit(n);
  std::string_view v(out, n);
  // lowercase only turns A-Z (in no other class, in no two-byte sequence)
  // into a-z: the output's classes are known without reading it.
  classes = id == TransformId::Lowercase ? (classes & ~uint32_t{kUpper}) : byte_classes(v);
  return {TransformStatus::Ok, v};
}

TransformOutput run_transform(TransformId id, std::string_view in, TransformArena& arena) {
  if (static_cast<size_t>(id) >= static_cast<size_t>(TransformId::Count))
    return {TransformStatus::NotApplicable, {}};
  uint32_t classes = byte_classes(in);
  return run_transform(id, in, classes, arena);
}

size_t encode_utf8(uint32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp >= 0xD800 && cp <= 0xDFFF) {
    out[0] = '?';
    return 1;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  if (cp <= 0x10FFFF) {
    out[0] = static_cast<char>(0xF0 | (cp >> 18));
    out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[3] = static_cast<char>(0x80 | (cp & 0x3F));
    return 4;
  }
  out[0] = '?';
  return 1;
}

}  // namespace weir::detect
