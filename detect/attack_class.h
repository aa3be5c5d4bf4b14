#pragma once
// Attack classes and severities: the vocabulary rules, findings, alerts and
// the corpus share. Names are stable (they appear in rule files and alerts).

#include <cstdint>
#include <string_view>

namespace weir::detect {

enum class AttackClass : uint8_t {
  Sqli,
  Xss,
  PathTraversal,
  CmdInjection,
  Ssrf,
  Xxe,
  Ssti,
  Jndi,
  Nosqli,
  Ldapi,
  Crlf,
  OpenRedirect,
  Protocol,
  Scanner,
  Graphql,
  Rce,
  Other,
  Count
};

enum class Severity : uint8_t { Notice, Warning, Error, Critical, Count };

const char* attack_class_name(AttackClass c);
bool attack_class_from_name(std::string_view name, AttackClass& out);
const char* severity_name(Severity s);
bool severity_from_name(std::string_view name, Severity& out);

}  // namespace weir::detect
