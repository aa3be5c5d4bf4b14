// The alert line operators read in `weirctl alerts`: rule ids once each, the
// request line (or a WebSocket channel), the strongest finding's zone, field
// and excerpt, credentials never copied.
#include "dataplane/runtime/alert_event.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace weir::dp {
namespace {

detect::Finding finding(std::string_view rule, parse::Zone zone, std::string_view name, std::string_view excerpt,
                        uint16_t score) {
  detect::Finding f;
  f.rule_id = rule;
  f.rule_index = 7;
  f.attack_class = detect::AttackClass::Sqli;
  f.severity = detect::Severity::Critical;
  f.zone = zone;
  f.field_name = name;
  f.score = score;
  std::memcpy(f.excerpt, excerpt.data(), excerpt.size());
  f.excerpt_length = static_cast<uint8_t>(excerpt.size());
  return f;
}

std::string alert_text(const std::vector<detect::Finding>& fs, const parse::Transaction* txn, bool stopped = true) {
  Flow flow{};
  flow.key.lo_port = 80;
  flow.key.hi_port = 40000;
  flow.initiator_is_lo = false;
  detect::InspectionResult r;
  r.findings = fs;
  Event ev;
  fill_decision_alert(ev, flow, r, txn, stopped);
  EXPECT_EQ(ev.client_port, 40000);
  EXPECT_EQ(ev.server_port, 80);
  return std::string(ev.text_view());
}

TEST(AlertEvent, NamesEveryRuleOnceTheRequestLineAndTheStrongestField) {
  parse::Transaction txn;
  txn.method = "GET";
  txn.target = "/search?q=1'or'1'='1";
  std::vector<detect::Finding> fs{finding("942100", parse::Zone::QueryArg, "q", "1'or'1'='1", 5),
                                  finding("942100", parse::Zone::QueryArg, "id", "x", 1),
                                  finding("lexical-sqli", parse::Zone::QueryArg, "q", "'or'", 3)};
  EXPECT_EQ(alert_text(fs, &txn), "block 942100,lexical-sqli | GET /search?q=1'or'1'='1 | query_arg q | 1'or'1'='1");
  EXPECT_EQ(alert_text(fs, &txn, false).substr(0, 6), "alert ");
}

TEST(AlertEvent, CredentialHeadersAreRedacted) {
  parse::Transaction txn;
  txn.method = "GET";
  txn.target = "/";
  std::vector<detect::Finding> fs{finding("sqli-1", parse::Zone::Header, "authorization", "Bearer ' or 1=1", 5)};
  const std::string t = alert_text(fs, &txn);
  EXPECT_NE(t.find("[redacted]"), std::string::npos) << t;
  EXPECT_EQ(t.find("or 1=1"), std::string::npos) << t;
}

TEST(AlertEvent, TheCookieWinsATieWithItsHeader) {
  parse::Transaction txn;
  txn.method = "GET";
  txn.target = "/";
  std::vector<detect::Finding> fs{finding("sqli-1", parse::Zone::Header, "cookie", "sid=' or 1=1", 5),
                                  finding("sqli-1", parse::Zone::Cookie, "sid", "' or 1=1", 5)};
  EXPECT_NE(alert_text(fs, &txn).find("| cookie sid |"), std::string::npos);
}

TEST(AlertEvent, OnATieTheClassMoreRulesAgreeOnNamesTheAlert) {
  parse::Transaction txn;
  txn.method = "POST";
  txn.target = "/api/v1/orders";
  auto redirect = finding("redirect-100", parse::Zone::BodyJson, "webhook", "http://169.254.169.254/", 5);
  redirect.attack_class = detect::AttackClass::OpenRedirect;
  auto ssrf = finding("ssrf-100", parse::Zone::BodyJson, "webhook", "http://169.254.169.254/", 5);
  ssrf.attack_class = detect::AttackClass::Ssrf;
  auto ssrf2 = finding("ssrf-104", parse::Zone::BodyJson, "webhook", "http://169.254.169.254/", 4);
  ssrf2.attack_class = detect::AttackClass::Ssrf;
  std::vector<detect::Finding> fs{redirect, ssrf, ssrf2};
  Flow flow{};
  detect::InspectionResult r;
  r.findings = fs;
  Event ev;
  fill_decision_alert(ev, flow, r, &txn, true);
  EXPECT_EQ(ev.class_view(), detect::attack_class_name(detect::AttackClass::Ssrf));
  // A single stronger finding still wins over many weaker ones.
  fs[0].score = 9;
  r.findings = fs;
  fill_decision_alert(ev, flow, r, &txn, true);
  EXPECT_EQ(ev.class_view(), detect::attack_class_name(detect::AttackClass::OpenRedirect));
}

TEST(AlertEvent, AWebSocketMessageNamesItsChannel) {
  parse::Transaction txn;
  txn.protocol = parse::Protocol::WebSocket;
  txn.target = "/ws/chat";
  std::vector<detect::Finding> fs{finding("xss-1", parse::Zone::WsMessage, "text", "<script>", 5)};
  const std::string t = alert_text(fs, &txn);
  EXPECT_NE(t.find("| WS /ws/chat |"), std::string::npos) << t;
}

TEST(AlertEvent, NonPrintableBytesAreMasked) {
  parse::Transaction txn;
  txn.method = "GET";
  txn.target = "/a\r\nb";
  std::vector<detect::Finding> fs{finding("crlf-1", parse::Zone::Path, "", "\r\nSet-Cookie", 5)};
  const std::string t = alert_text(fs, &txn);
  EXPECT_EQ(t.find('\r'), std::string::npos);
  EXPECT_NE(t.find("GET /a..b"), std::string::npos) << t;
}

}  // namespace
}  // namespace weir::dp
