// The detector table (CONVENTIONS "Plug-ins"): one descriptor per detector.

#include "detect/detector.h"
#include "detect/lexical/sqli_detector.h"
#include "detect/lexical/xss_detector.h"

namespace weir::detect {
namespace {

// Values worth a look by the SQL lexer: a quote that may break a literal, a
// number followed by logic/union/stacking, UNION, stacked queries and the
// time/error functions. Cheap literal-led patterns: most values match none.
// The number trigger allows one blank, not `\s*`: in the joined prefilter
// buffer `\s*` crossed the '\n' separators (a path segment "v1" then
// "orders" nominated a field) and ran an automaton at every digit (~1 us
// per request); "1%09or 1=1"-style numeric logic is sqli-113's (whitespace
// compressed there). It is anchored where the lexer's bare-value reading
// starts (the value, or a part after '=' of an embedded query string,
// analyze_sqli()), so it no longer runs at every digit of every value.
constexpr const char* kSqliTriggers[] = {
    R"(['"])",
    R"((^|=)[ \t]*-?\d[\w.]*[ \t]?\)*[ \t]?(or|and|xor|union|order|group|&&|\|\||;))",
    R"(\bunion\b)",
    R"(^\s*;)",
    R"((sleep|benchmark|pg_sleep|extractvalue|updatexml|load_file)\s*\()",
};

// Values worth a look by the HTML/JS lexer.
constexpr const char* kXssTriggers[] = {
    R"(<[a-z/])",
    R"((script|data)\s*:)",
    R"(\bon[a-z]{3,}\s*=)",
    R"(['"`][\s)\]}]*[;+\-*,|&^%/])",
};

constexpr TransformId kSqliChain[] = {TransformId::UrlDecode, TransformId::Utf8Normalize};
constexpr TransformId kXssChain[] = {TransformId::UrlDecode, TransformId::Utf8Normalize,
                                     TransformId::HtmlEntityDecode};

bool confirm_sqli(std::string_view v) { return is_sqli(v); }
bool confirm_xss(std::string_view v) { return is_xss(v); }

const DetectorApi kDetectors[] = {
    {.name = "signature",
     .kind = DetectorKind::Signature,
     .summary = "Hyperscan signatures over transformed field values"},
    {.name = "lexical-sqli",
     .kind = DetectorKind::Lexical,
     .summary = "SQL tokenizer: string break + logic/union/stacked query/comment",
     .answers = ConfirmKind::Sqli,
     .confirm = &confirm_sqli,
     .rule_id = "lexical-sqli",
     .attack_class = AttackClass::Sqli,
     .triggers = kSqliTriggers,
     .default_transforms = kSqliChain},
    {.name = "lexical-xss",
     .kind = DetectorKind::Lexical,
     .summary = "HTML/JS tokenizer: event handlers, script tags and URLs, breakouts",
     .answers = ConfirmKind::Xss,
     .confirm = &confirm_xss,
     .rule_id = "lexical-xss",
     .attack_class = AttackClass::Xss,
     .triggers = kXssTriggers,
     .default_transforms = kXssChain},
};

}  // namespace

std::span<const DetectorApi> detector_registry() { return kDetectors; }

const DetectorApi* lexical_detector(ConfirmKind kind) {
  for (const DetectorApi& d : kDetectors)
    if (d.kind == DetectorKind::Lexical && d.answers == kind) return &d;
  return nullptr;
}

}  // namespace weir::detect
