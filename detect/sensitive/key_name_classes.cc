// classes_for_key(): sensitive classes implied by a field name. Matches the
// normalised last path component against short word lists; exact matches
// only, so "username" is not a name and "passwordPolicy" is not a password.
#include <array>

#include "detect/sensitive/sensitive_scanner.h"

namespace weir::detect {

namespace {

struct KeyClass {
  std::string_view key;
  SensitiveClass cls;
};

constexpr KeyClass kKeys[] = {
    {"email", SensitiveClass::Email},          {"emailaddress", SensitiveClass::Email},
    {"mail", SensitiveClass::Email},           {"phone", SensitiveClass::Phone},
    {"phonenumber", SensitiveClass::Phone},    {"mobile", SensitiveClass::Phone},
    {"mobilephone", SensitiveClass::Phone},    {"telephone", SensitiveClass::Phone},
    {"tel", SensitiveClass::Phone},            {"cellphone", SensitiveClass::Phone},
    {"firstname", SensitiveClass::PersonName}, {"lastname", SensitiveClass::PersonName},
    {"fullname", SensitiveClass::PersonName},  {"surname", SensitiveClass::PersonName},
    {"givenname", SensitiveClass::PersonName}, {"familyname", SensitiveClass::PersonName},
    {"middlename", SensitiveClass::PersonName}, {"maidenname", SensitiveClass::PersonName},
    {"cardholdername", SensitiveClass::PersonName}, {"customername", SensitiveClass::PersonName},
    {"address", SensitiveClass::Address},      {"streetaddress", SensitiveClass::Address},
    {"street", SensitiveClass::Address},       {"addressline1", SensitiveClass::Address},
    {"addressline2", SensitiveClass::Address}, {"homeaddress", SensitiveClass::Address},
    {"billingaddress", SensitiveClass::Address}, {"shippingaddress", SensitiveClass::Address},
    {"postalcode", SensitiveClass::Address},   {"postcode", SensitiveClass::Address},
    {"zipcode", SensitiveClass::Address},      {"zip", SensitiveClass::Address},
    {"ssn", SensitiveClass::UsSsn},            {"socialsecuritynumber", SensitiveClass::UsSsn},
    {"password", SensitiveClass::Password},    {"passwd", SensitiveClass::Password},
    {"pwd", SensitiveClass::Password},         {"passphrase", SensitiveClass::Password},
    {"newpassword", SensitiveClass::Password}, {"oldpassword", SensitiveClass::Password},
    {"currentpassword", SensitiveClass::Password}, {"confirmpassword", SensitiveClass::Password},
    {"clientsecret", SensitiveClass::Password}, {"secret", SensitiveClass::Password},
    {"apikey", SensitiveClass::Password},      {"privatekey", SensitiveClass::PrivateKey},
    {"diagnosis", SensitiveClass::Health},     {"medication", SensitiveClass::Health},
    {"medications", SensitiveClass::Health},   {"prescription", SensitiveClass::Health},
    {"allergies", SensitiveClass::Health},     {"bloodtype", SensitiveClass::Health},
    {"medicalrecordnumber", SensitiveClass::Health}, {"mrn", SensitiveClass::Health},
    {"icd10", SensitiveClass::Health},         {"patientid", SensitiveClass::Health},
    {"healthplanid", SensitiveClass::Health},  {"insuranceid", SensitiveClass::Health},
    {"accountnumber", SensitiveClass::Financial}, {"routingnumber", SensitiveClass::Financial},
    {"bankaccount", SensitiveClass::Financial}, {"iban", SensitiveClass::Iban},
    {"bic", SensitiveClass::Financial},        {"swift", SensitiveClass::Financial},
    {"salary", SensitiveClass::Financial},     {"income", SensitiveClass::Financial},
    {"creditscore", SensitiveClass::Financial}, {"taxid", SensitiveClass::Financial},
    {"cvv", SensitiveClass::Financial},        {"cvc", SensitiveClass::Financial},
    {"cvv2", SensitiveClass::Financial},       {"cardnumber", SensitiveClass::Pan},
    {"pan", SensitiveClass::Pan},              {"creditcard", SensitiveClass::Pan},
    {"creditcardnumber", SensitiveClass::Pan},
};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

SensitiveMask classes_for_key(std::string_view key) {
  // Last path component without array indexes: "a.b[3].firstName" -> firstName.
  while (!key.empty() && key.back() == ']') {
    const size_t open = key.rfind('[');
    if (open == std::string_view::npos) break;
    key = key.substr(0, open);
  }
  const size_t dot = key.find_last_of(".[");
  if (dot != std::string_view::npos) key = key.substr(dot + 1);
  std::array<char, 32> buf{};
  size_t n = 0;
  for (char c : key) {
    if (c == '_' || c == '-' || c == ' ') continue;
    if (n == buf.size()) return 0;
    buf[n++] = lower(c);
  }
  const std::string_view norm(buf.data(), n);
  if (n < 2) return 0;
  // Length and first byte first: most field names match nothing, and this
  // keeps the scan to a few byte compares per entry.
  for (const auto& k : kKeys)
    if (k.key.size() == n && k.key[0] == norm[0] && k.key == norm) return sensitive_bit(k.cls);
  return 0;
}

}  // namespace weir::detect
