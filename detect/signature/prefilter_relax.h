#pragma once
// relax_for_prefilter(): a cheaper regex for prefilter databases. Bounded
// repeats with a large upper bound (`.{0,80}`, `[^>]{0,200}`, `(..){2,16}`)
// dominate Hyperscan compile time (each costs ~0.1 s per database); the
// prefilter only nominates fields for an exact rescan, so it may match MORE
// than the rule, never less. Replacing `{n,m}` by `{n,}` (`*` / `+` for n =
// 0 / 1) only widens the language: every match of the original, at every
// end offset, is still a match. The exact database keeps the original.

#include <string>
#include <string_view>

namespace weir::detect {

/// Upper bounds at or above this are relaxed. Small ones too (`\d{1,3}` ->
/// `\d+`): a counted repeat costs Hyperscan a counter or unrolled states in
/// every database holding the pattern, and the exact rescan is the judge
/// anyway (2 instead of 16: shared prefilters 3602 -> 3514 KB, clean
/// requests ~2% faster, verdicts of both corpora unchanged).
inline constexpr unsigned kRelaxMinUpperBound = 2;

/// The relaxed expression, or `regex` unchanged when it has nothing to relax
/// or uses syntax this rewriter does not model (`\Q..\E`).
std::string relax_for_prefilter(std::string_view regex);

/// `regex` without the repeats at its end beyond their minimum: trailing
/// pieces that may repeat zero times are dropped (`a\s*` -> `a`), the last
/// one left keeps its minimum (`//[\w.-]+` -> `//[\w.-]`, `x{2,}` ->
/// `x{2}`). Every match of the regex starts with a match of the result,
/// ending no later, so a prefilter loses no field; it reports once where
/// the regex reported at every further end offset (a pattern ending in
/// `[^/]+` reported once per byte of every host name). Unchanged when the
/// regex has a top-level `|`, `\Q` or a `(?` group other than `(?:`.
std::string trim_repeated_tail(std::string_view regex);

/// `regex` with every `^` anchor (outside classes and escapes) written as
/// `\n`. The engine joins values with '\n' and puts one before the first,
/// so in its buffers a multiline `^` holds exactly after a '\n': the
/// rewrite matches at the same places with the same end offsets, while
/// Hyperscan takes `\n` as a literal byte instead of tracking line starts
/// (sqli-113's `^ ?(or|and|...)` branches cost 2M instructions per 2000
/// benign requests that way, 0.3M as `\n`).
std::string anchors_as_separators(std::string_view regex);

/// `regex` without the context a match starts with, where that context
/// only costs: leading `\b`s, and a leading `(^|C)` / `(\n|C)` (line
/// start or one byte of class C) right before a punctuation literal, also
/// at the start of each alternative of a leading group: in
/// `([;|&]|(^|[\w=;|&'"$])\`|\$\()\s*(cat|ls|...)` the context expands
/// the backtick into ~70 two-byte literals. Dropping what a match starts
/// with keeps every match's tail, so the result matches wherever the regex
/// does (ending at the same offsets), and more.
std::string drop_leading_context(std::string_view regex);

}  // namespace weir::detect
