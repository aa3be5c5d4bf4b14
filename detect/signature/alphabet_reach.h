#pragma once
// may_match_within(): can a regex match anything inside a value made only of
// bytes from a given alphabet? The engine keeps values of plain bytes
// (letters, digits, space and `+,-./:=@_`: tokens, ids, JWTs, hosts, dates,
// most JSON strings) in a buffer of their own and scans it only with the
// patterns that can match there; `;`, quotes, `<`, `|`, `$`, `%`, `\`, CR/LF
// and the other bytes most attack shapes need take the value to the full
// scan. The patterns led by a frequent class (`[;|&]\s*(id|ls)`, `['"]`)
// are the slow part of a prefilter scan, so most bytes a clean request
// carries never meet them.
//
// Sound by construction: "no" only when the syntax proves that every match
// holds a byte outside the alphabet; anything not understood (look-arounds,
// back-references, \Q..\E, inline options, Unicode properties) says "yes".
// Zero-width items (^ $ \b \B) and an empty match count as matchable.

#include <string_view>

#include "detect/signature/regex_escape.h"  // ByteSet

namespace weir::detect {

/// For a pattern compiled with `hs_flags` (HS_FLAG_CASELESS folds ASCII
/// letters, HS_FLAG_DOTALL lets `.` match '\n').
bool may_match_within(std::string_view regex, unsigned hs_flags, const ByteSet& alphabet);

}  // namespace weir::detect
