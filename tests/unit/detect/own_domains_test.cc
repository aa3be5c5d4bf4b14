// policy.own_domains (detect/policy/own_domains.h): the matcher on its own,
// the loader's errors (file:line), and the default open-redirect rules
// (configs/rules/open_redirect.yaml) through parser + engine both ways:
// with the list, redirects home pass and redirects away are still stopped;
// without it, the same redirects home are stopped.

#include "detect/policy/own_domains.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "detect/signature/rule_loader.h"
#include "detect/transaction_inspector.h"
#include "parsers/parse_http_request.h"

namespace weir::detect {
namespace {

using parse::Zone;

OwnDomains own() {
  OwnDomains d;
  EXPECT_TRUE(add_own_domain(d, "Shop.Example"));
  EXPECT_TRUE(add_own_domain(d, "*.example.com"));
  return d;
}

TEST(OwnDomains, HostMatching) {
  const OwnDomains d = own();
  EXPECT_TRUE(d.contains("shop.example"));
  EXPECT_TRUE(d.contains("SHOP.example."));
  EXPECT_TRUE(d.contains("a.example.com"));
  EXPECT_TRUE(d.contains("a.b.example.com"));
  EXPECT_FALSE(d.contains("example.com"));  // *. means subdomains; list the apex itself
  EXPECT_FALSE(d.contains("evilexample.com"));
  EXPECT_FALSE(d.contains("shop.example.evil.net"));
  EXPECT_FALSE(d.contains("xshop.example"));
}

TEST(OwnDomains, EntriesAreCheckedOnLoad) {
  OwnDomains d;
  for (const char* bad : {"", "*", "*.", "shop..example", ".shop.example", "shop.example/", "a*.b.com",
                          "https://shop.example", "shop example", "*.*.example.com"})
    EXPECT_FALSE(add_own_domain(d, bad)) << bad;
  EXPECT_TRUE(d.empty());
}

TEST(OwnDomains, OnlyUnambiguousTargetsLeadHome) {
  const OwnDomains d = own();
  for (const char* home : {"https://shop.example/cart", "http://shop.example", "//shop.example/x?y=1",
                           "HTTPS://SHOP.EXAMPLE:8443/a#b", "//a.example.com", "shop.example/cart",
                           " https://shop.example/", "https://shop.example#.evil.com"})
    EXPECT_TRUE(redirect_stays_home(d, Zone::QueryArg, home)) << home;
  for (const char* away : {"//evil.com", "https://evil.com/shop.example", "//shop.example@evil.com",
                           "https://shop.example\\@evil.com", "/\\shop.example", "///shop.example",
                           "https:shop.example", "//shop.example.evil.net", "//shop.example%2f@evil.com",
                           "\t//shop.example", "//shop.example:evil", "//evil.com#.shop.example",
                           "javascript:alert(1)//shop.example", "", "/cart"})
    EXPECT_FALSE(redirect_stays_home(d, Zone::QueryArg, away)) << away;
  EXPECT_TRUE(redirect_stays_home(d, Zone::Path, "/out/https://shop.example/cart"));
  EXPECT_FALSE(redirect_stays_home(d, Zone::Path, "/out/https://evil.com/"));
  // Every URL in a path must lead home, escapes keep the finding.
  EXPECT_FALSE(redirect_stays_home(d, Zone::Path, "//shop.example/out/https://evil.com"));
  EXPECT_FALSE(redirect_stays_home(d, Zone::Path, "/out/https%3a//shop.example"));
  EXPECT_FALSE(redirect_stays_home(d, Zone::Path, "/out/https:shop.example"));
  EXPECT_FALSE(redirect_stays_home(OwnDomains{}, Zone::QueryArg, "https://shop.example/"));
}

TEST(OwnDomains, LoaderErrorsNameFileAndLine) {
  RuleSet rs;
  try {
    load_rules_text("policy:\n  mode: block\n  own_domains: [shop.example, \"bad host\"]\n", "pol.yaml", rs);
    FAIL() << "bad own domain accepted";
  } catch (const RuleError& e) {
    EXPECT_NE(std::string(e.what()).find("pol.yaml:3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("own_domains"), std::string::npos) << e.what();
  }
  RuleSet ok;
  load_rules_text("policy:\n  own_domains: [shop.example, \"*.example.com\"]\n  block_response: page\n", "p.yaml", ok);
  EXPECT_TRUE(ok.policy.own_domains.contains("www.example.com"));
  EXPECT_EQ(ok.policy.block_response, BlockResponse::Page);
  RuleSet bad;
  EXPECT_THROW(load_rules_text("policy:\n  block_response: html\n", "p.yaml", bad), RuleError);
}

class OpenRedirectOwnDomains : public ::testing::Test {
 protected:
  static std::shared_ptr<const PolicySnapshot> compile(bool with_own) {
    const char* root = std::getenv("WEIR_SOURCE_ROOT");
    EXPECT_NE(root, nullptr);
    RuleSet rs;
    load_rules_file(std::string(root) + "/configs/rules/open_redirect.yaml", rs);
    // The default policy's scores and threshold; own_domains added or not.
    load_rules_text(std::string("policy:\n  mode: block\n  threshold: 5\n"
                                "  scores: {critical: 5, error: 4, warning: 3, notice: 2}\n") +
                        (with_own ? "  own_domains: [shop.example, \"*.example.com\"]\n" : ""),
                    "own.yaml", rs);
    return PolicySnapshot::compile(rs);
  }
  static void SetUpTestSuite() {
    with_ = compile(true);
    without_ = compile(false);
  }
  static void TearDownTestSuite() {
    with_.reset();
    without_.reset();
  }

  VerdictAction inspect(const PolicySnapshot& snap, const std::string& target) {
    struct Last final : parse::TransactionSink {
      explicit Last(TransactionInspector& s) : s_(s) {}
      parse::SinkVerdict on_decision(const parse::Transaction& txn) override {
        parse::SinkVerdict v = s_.on_decision(txn);
        action = s_.last().verdict.action;
        return v;
      }
      TransactionInspector& s_;
      VerdictAction action = VerdictAction::Pass;
    };
    InspectionEngine engine;
    TransactionInspector sink(engine);
    sink.set_snapshot(&snap);
    Last last(sink);
    parse::parse_http_request("GET " + target + " HTTP/1.1\r\nHost: shop.example\r\n\r\n", last);
    return last.action;
  }

  static inline std::shared_ptr<const PolicySnapshot> with_, without_;
};

TEST_F(OpenRedirectOwnDomains, RedirectsHomePassOnlyWithTheList) {
  for (const char* home : {"/login?next=//shop.example/cart", "/login?next=%2F%2Fwww.example.com%2Forders",
                           "/go/https://shop.example/cart", "/login?next=https://shop.example%23.shop.example"}) {
    EXPECT_EQ(inspect(*without_, home), VerdictAction::Reset) << "no list: " << home;
    EXPECT_EQ(inspect(*with_, home), VerdictAction::Pass) << "own domain: " << home;
  }
}

TEST_F(OpenRedirectOwnDomains, RedirectsAwayAreStillStopped) {
  for (const char* away : {"/login?next=//evil.com/", "/login?next=//shop.example@evil.com/",
                           "/login?next=/%5Cshop.example", "/login?next=//shop.example.evil.net/",
                           "/go/https://evil.com/", "/login?next=//evil.com%23.shop.example",
                           "/login?next=https:shop.example"}) {
    EXPECT_EQ(inspect(*with_, away), VerdictAction::Reset) << away;
  }
}

}  // namespace
}  // namespace weir::detect
