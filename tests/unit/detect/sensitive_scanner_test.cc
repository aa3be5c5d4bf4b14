// Sensitive-data detectors: each one with values it must and must not report.
#include "detect/sensitive/sensitive_scanner.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "detect/sensitive/custom_detector_set.h"
#include "detect/sensitive/redaction.h"
#include "detect/sensitive/value_checks.h"

namespace weir::detect {
namespace {

SensitiveMask content(std::string_view text) { return classify_field("", text); }
bool has(SensitiveMask m, SensitiveClass c) { return (m & sensitive_bit(c)) != 0; }

TEST(ValueChecks, Luhn) {
  EXPECT_TRUE(luhn_valid("4111111111111111"));
  EXPECT_FALSE(luhn_valid("4111111111111112"));
  EXPECT_TRUE(luhn_valid("79927398713"));
  EXPECT_FALSE(luhn_valid("7992739871x"));
  EXPECT_FALSE(luhn_valid(""));
}

TEST(ValueChecks, CardBrandsAndRanges) {
  EXPECT_EQ(card_brand("4111111111111111"), CardBrand::Visa);
  EXPECT_EQ(card_brand("5555555555554444"), CardBrand::Mastercard);
  EXPECT_EQ(card_brand("2223003122003222"), CardBrand::Mastercard);
  EXPECT_EQ(card_brand("378282246310005"), CardBrand::Amex);
  EXPECT_EQ(card_brand("6011111111111117"), CardBrand::Discover);
  EXPECT_EQ(card_brand("3530111333300000"), CardBrand::Jcb);
  // Luhn-valid but no issuer starts with 9.
  EXPECT_TRUE(luhn_valid("9111111111111110"));
  EXPECT_FALSE(pan_valid("9111111111111110"));
  // Amex prefix with a Visa length.
  EXPECT_EQ(card_brand("3782822463100050"), CardBrand::None);
}

TEST(ValueChecks, Iban) {
  EXPECT_TRUE(iban_valid("DE89370400440532013000"));
  EXPECT_TRUE(iban_valid("GB82WEST12345698765432"));
  EXPECT_TRUE(iban_valid("FR1420041010050500013M02606"));
  EXPECT_FALSE(iban_valid("DE89370400440532013001"));   // checksum
  EXPECT_FALSE(iban_valid("DE8937040044053201300"));    // length for DE
  EXPECT_FALSE(iban_valid("ZZ89370400440532013000"));   // no such country
}

TEST(ValueChecks, Ssn) {
  EXPECT_TRUE(ssn_valid("536221234"));
  EXPECT_FALSE(ssn_valid("000221234"));
  EXPECT_FALSE(ssn_valid("666221234"));
  EXPECT_FALSE(ssn_valid("900221234"));
  EXPECT_FALSE(ssn_valid("536001234"));
  EXPECT_FALSE(ssn_valid("536220000"));
  EXPECT_FALSE(ssn_valid("078051120"));
  EXPECT_FALSE(ssn_valid("53622123"));
}

TEST(SensitiveScanner, PanInText) {
  EXPECT_TRUE(has(content("card 4111 1111 1111 1111 ok"), SensitiveClass::Pan));
  EXPECT_TRUE(has(content("4111-1111-1111-1111"), SensitiveClass::Pan));
  EXPECT_TRUE(has(content("order 123 4111111111111111"), SensitiveClass::Pan));
  EXPECT_FALSE(has(content("4111111111111112"), SensitiveClass::Pan));
  EXPECT_FALSE(has(content("9111111111111110"), SensitiveClass::Pan));
  EXPECT_FALSE(has(content("id41111111111111111x"), SensitiveClass::Pan));
}

TEST(SensitiveScanner, SsnNeedsDashesInTextAndValidity) {
  EXPECT_TRUE(has(content("ssn: 536-22-1234"), SensitiveClass::UsSsn));
  EXPECT_FALSE(has(content("536221234"), SensitiveClass::UsSsn));
  EXPECT_FALSE(has(content("666-22-1234"), SensitiveClass::UsSsn));
  EXPECT_FALSE(has(content("536-00-1234"), SensitiveClass::UsSsn));
  // A key that says so takes the bare digits.
  EXPECT_TRUE(has(classify_field("user.ssn", "536221234"), SensitiveClass::UsSsn));
  EXPECT_FALSE(has(classify_field("user.ssn", "900221234"), SensitiveClass::UsSsn));
}

TEST(SensitiveScanner, IbanCompactAndGrouped) {
  EXPECT_TRUE(has(content("pay to DE89370400440532013000."), SensitiveClass::Iban));
  EXPECT_TRUE(has(content("IBAN DE89 3704 0044 0532 0130 00 thanks"), SensitiveClass::Iban));
  EXPECT_FALSE(has(content("DE89 3704 0044 0532 0130 01"), SensitiveClass::Iban));
}

TEST(SensitiveScanner, EmailAndPhone) {
  EXPECT_TRUE(has(content("contact alice.smith+x@example.co.uk now"), SensitiveClass::Email));
  EXPECT_FALSE(has(content("user@localhost"), SensitiveClass::Email));
  EXPECT_FALSE(has(content("@handle"), SensitiveClass::Email));
  EXPECT_TRUE(has(content("+1 415 555 2671"), SensitiveClass::Phone));
  EXPECT_TRUE(has(content("call (415) 555-2671"), SensitiveClass::Phone));
  EXPECT_FALSE(has(content("2026-12-04"), SensitiveClass::Phone));
  EXPECT_TRUE(has(classify_field("phone", "0612345678"), SensitiveClass::Phone));
  EXPECT_FALSE(has(classify_field("phone", "n/a"), SensitiveClass::Phone));
}

TEST(SensitiveScanner, Secrets) {
  EXPECT_TRUE(has(content("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
                          "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
                  SensitiveClass::Jwt));
  EXPECT_FALSE(has(content("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.notjwt"), SensitiveClass::Jwt));
  EXPECT_TRUE(has(content("key=AKIAIOSFODNN7EXAMPLE"), SensitiveClass::AwsAccessKey));
  EXPECT_FALSE(has(content("AKIAIOSFODNN7EXAMPL"), SensitiveClass::AwsAccessKey));
  EXPECT_TRUE(has(content("ghp_0123456789abcdefghijABCDEFGHIJ012345"), SensitiveClass::GithubToken));
  EXPECT_FALSE(has(content("ghp_0123456789abcdef"), SensitiveClass::GithubToken));
  EXPECT_TRUE(has(content("xoxb-1234567890-abcdefghij"), SensitiveClass::SlackToken));
  EXPECT_FALSE(has(content("xoxz-1234567890-abcdefghij"), SensitiveClass::SlackToken));
  EXPECT_TRUE(has(content("sk_live_4eC39HqLyjWDarjtT1zdp7dc"), SensitiveClass::StripeKey));
  EXPECT_FALSE(has(content("sk_test_4eC39HqLyjWDarjtT1zdp7dc"), SensitiveClass::StripeKey));
  EXPECT_TRUE(has(content("AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe"), SensitiveClass::GoogleApiKey));
  EXPECT_FALSE(has(content("AIzaSyDaGmWKa4JsXZ"), SensitiveClass::GoogleApiKey));
  EXPECT_TRUE(has(content("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"),
                  SensitiveClass::PrivateKey));
  EXPECT_FALSE(has(content("-----BEGIN CERTIFICATE-----\nMIIE"), SensitiveClass::PrivateKey));
}

TEST(SensitiveScanner, KeyNames) {
  EXPECT_TRUE(has(classify_field("user.firstName", "Ada"), SensitiveClass::PersonName));
  EXPECT_TRUE(has(classify_field("last_name", "Lovelace"), SensitiveClass::PersonName));
  EXPECT_FALSE(has(classify_field("username", "ada"), SensitiveClass::PersonName));
  EXPECT_TRUE(has(classify_field("shipping.address[0].street", "1 Main St"), SensitiveClass::Address));
  EXPECT_TRUE(has(classify_field("password", "hunter2"), SensitiveClass::Password));
  EXPECT_TRUE(has(classify_field("new-password", "x"), SensitiveClass::Password));
  EXPECT_FALSE(has(classify_field("passwordPolicy", "strict"), SensitiveClass::Password));
  EXPECT_FALSE(has(classify_field("password", ""), SensitiveClass::Password));
  EXPECT_TRUE(has(classify_field("patient.diagnosis", "flu"), SensitiveClass::Health));
  EXPECT_TRUE(has(classify_field("salary", "100000"), SensitiveClass::Financial));
  EXPECT_TRUE(has(classify_field("email", "a@example.com"), SensitiveClass::Email));
  EXPECT_EQ(classify_field("title", "hello world"), 0u);
}

TEST(SensitiveScanner, MatchRanges) {
  const std::string text = "a@example.com and 4111111111111111";
  std::array<SensitiveMatch, 4> m;
  ASSERT_EQ(find_sensitive(text, m), 2u);
  EXPECT_EQ(m[0].cls, SensitiveClass::Email);
  EXPECT_EQ(text.substr(m[0].begin, m[0].end - m[0].begin), "a@example.com");
  EXPECT_EQ(m[1].cls, SensitiveClass::Pan);
  EXPECT_EQ(text.substr(m[1].begin, m[1].end - m[1].begin), "4111111111111111");
}

TEST(Redaction, ReplacesEveryMatchWithItsClass) {
  EXPECT_EQ(redact("card 4111111111111111, mail a@example.com."), "card [pan], mail [email].");
  EXPECT_EQ(redact("/users/a@example.com/orders"), "/users/[email]/orders");
  std::string many;
  for (int i = 0; i < 40; ++i) many += "x@example.com ";
  const std::string r = redact(many);
  EXPECT_EQ(r.find("example"), std::string::npos);
  EXPECT_TRUE(is_clean(r));
  EXPECT_FALSE(is_clean(many));
}

TEST(Redaction, FixedBufferNeverOverflows) {
  std::array<char, 8> buf;
  buf.fill('#');
  const size_t n = redact_into("4111111111111111 and more text", std::span<char>(buf.data(), 6));
  EXPECT_EQ(n, 6u);
  EXPECT_EQ(std::string(buf.data(), 6), "[pan] ");
  EXPECT_EQ(buf[6], '#');
}

TEST(CustomDetectors, RegexAndKeys) {
  std::string error;
  auto set = CustomDetectorSet::compile(
      {{"employee_id", "EMP-[0-9]{6}", {}}, {"loyalty", "", {"loyaltyNumber", "club_card"}}}, error);
  ASSERT_TRUE(set) << error;
  CustomScratch scratch;
  ASSERT_TRUE(set->prepare(scratch));
  EXPECT_EQ(set->match_mask("note", "badge EMP-123456", scratch), 1u);
  EXPECT_EQ(set->match_mask("note", "badge EMP-12", scratch), 0u);
  EXPECT_EQ(set->match_mask("member.loyalty_number", "x", scratch), 2u);
  EXPECT_TRUE(has(classify_field("clubCard", "1", set.get(), &scratch), SensitiveClass::Custom));
  EXPECT_FALSE(has(classify_field("other", "1", set.get(), &scratch), SensitiveClass::Custom));
}

TEST(CustomDetectors, BadRegexIsAPreciseError) {
  std::string error;
  EXPECT_FALSE(CustomDetectorSet::compile({{"broken", "(unclosed", {}}}, error));
  EXPECT_NE(error.find("custom detector 'broken'"), std::string::npos) << error;
  EXPECT_FALSE(CustomDetectorSet::compile({{"empty", "", {}}}, error));
  EXPECT_NE(error.find("needs a regex or key names"), std::string::npos) << error;
}

}  // namespace
}  // namespace weir::detect
