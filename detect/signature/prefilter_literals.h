#pragma once
// necessary_literals(): literals of which at least one occurs inside EVERY
// match of a regex, computed from its syntax tree (RE2's prefilter idea).
// The combined prefilter scans them instead of the regexes: Hyperscan runs
// a pure literal set at GB/s, while class-led or `\s*`-heavy regexes make it
// start an automaton at every frequent byte (`;`, `&`, `'`, digits ...). The
// prefilter only nominates a field for the exact rescan, so matching MORE
// than the regex is allowed, less is not: a literal inside a match lies
// inside the field that holds the match.
//
//   "(;|&&)\s*(cat|wget)\s+/etc" -> {"/etc"} (the best of {";","&&"},
//                                   {"cat","wget"}, {"/etc"})
//   "union ?(all)? ?select"      -> {"union"} ("select" ties; first wins)
//
// Strength of a set = how rarely its literals occur in a built-in sample of
// benign traffic, then its shortest literal, then fewer literals. Exact
// languages (small alternations, short classes) are multiplied out across a
// concatenation up to kMaxExactStrings strings, so `[;|]\s*` gives nothing
// but `(%2e|%252e)(%2e|\.)` gives its 4 spellings and `;\s?(drop|alter)`
// 14 (`\s` is the exact class of 6 whitespace bytes). Unsupported syntax
// (look-arounds, back-references, \Q, inline options) gives no set.

#include <string>
#include <string_view>
#include <vector>

namespace weir::detect {

inline constexpr size_t kMaxExactStrings = 256;
/// Classes with more members (after case folding) count as "any byte".
inline constexpr size_t kMaxClassMembers = 8;

struct NecessaryLiterals {
  bool found = false;
  /// Byte strings; lower case when `caseless` (match them caselessly).
  std::vector<std::string> literals;
  /// Occurrences of the literals in a built-in sample of benign traffic
  /// (header values, URLs, tokens, prose with SQL and shell words).
  size_t background_hits = 0;
  size_t min_length() const;
};

/// For a pattern compiled with `hs_flags` (HS_FLAG_*). Patterns with
/// HS_FLAG_UTF8 give no set (caseless Unicode folding maps 's' to U+017F).
NecessaryLiterals necessary_literals(std::string_view regex, unsigned hs_flags);

/// A set replaces its regex in the prefilter only when it hits the benign
/// sample at most kMaxBackgroundHits times and each literal has
/// kMinPrefilterLiteral bytes (kMinPunctLiteral when it has no letter or
/// digit: ")(" and "${" are rare, "id" and "or" are in every text): a
/// literal common in benign values nominates fields for exact rescans
/// (~0.5 us each) that the regex's own context would have spared. Two
/// bytes with a letter or digit are never rare in real traffic, whatever
/// the small built-in sample says ("/c" in every "/comments" path, "0x" in
/// JWTs, "db" and "__" in cookies doubled the rescans of the benign corpus).
inline constexpr size_t kMinPrefilterLiteral = 3;
inline constexpr size_t kMinPunctLiteral = 2;
inline constexpr size_t kMaxBackgroundHits = 0;

/// Hyperscan expression for one pattern of a prefilter database: the
/// alternation of its necessary literals (every byte \x-escaped) when they
/// are strong enough (above), else relax_for_prefilter(regex) without its
/// repeated tail and with `^` as `\n` (prefilter_relax.h). Either way it
/// matches, in a value preceded by '\n' (as the engine joins them),
/// wherever the pattern (compiled with `hs_flags`) matches in the value.
std::string prefilter_expression(std::string_view regex, unsigned hs_flags);

}  // namespace weir::detect
