#pragma once
// Validity checks behind the sensitive-data detectors: a digit string that
// looks like a card number, an IBAN or an SSN is only reported when it also
// passes the scheme's own rules (Luhn + issuer ranges, ISO 7064 mod 97,
// SSA area/group/serial rules). Pure functions on byte views; no allocation.

#include <string_view>

namespace weir::detect {

/// Luhn checksum over a string of ASCII digits only (false on anything else).
bool luhn_valid(std::string_view digits);

enum class CardBrand : uint8_t { None, Visa, Mastercard, Amex, Discover, Jcb, Diners, UnionPay };
const char* card_brand_name(CardBrand b);

/// Issuer (BIN) range and length check for a digits-only PAN candidate.
CardBrand card_brand(std::string_view digits);

/// Digits-only PAN: 13..19 digits, known issuer range, Luhn.
bool pan_valid(std::string_view digits);

/// IBAN in compact form (no spaces), upper case letters: country length
/// table + mod-97 == 1.
bool iban_valid(std::string_view compact);

/// US SSN as 9 digits (no dashes): area not 000/666/9xx, group not 00,
/// serial not 0000, and not one of the numbers published in advertising.
bool ssn_valid(std::string_view nine_digits);

/// local@domain.tld with the usual character sets.
bool looks_like_email(std::string_view s);

/// Three base64url segments, the first two starting with "eyJ" ('{"').
bool looks_like_jwt(std::string_view s);

}  // namespace weir::detect
