// Learned path templating on real-world URL shapes.
#include "control/inventory/path_templater.h"

#include <gtest/gtest.h>

#include <string>

namespace weir::ctl {
namespace {

TEST(PathTemplater, IdentifiersBecomeParametersAtOnce) {
  PathTemplater t;
  struct Case {
    const char* path;
    const char* want;
  };
  const Case cases[] = {
      {"/users/42", "/users/{id}"},
      {"/users/42/orders/7", "/users/{id}/orders/{orderId}"},
      {"/users/550e8400-e29b-41d4-a716-446655440000", "/users/{id}"},
      {"/commits/5d41402abc4b2a76b9719d911017c592aaaa0000", "/commits/{id}"},
      {"/reports/2026-12-04", "/reports/{date}"},
      {"/reports/2026-12-04/items/9", "/reports/{date}/items/{itemId}"},
      // The position is a parameter already: its first kind names it.
      {"/users/alice@example.com/prefs", "/users/{id}/prefs"},
      {"/api/v1/categories/12/products/345", "/api/v1/categories/{id}/products/{productId}"},
      {"/v2/accounts/cus_9s6XKzkNRiz8i3", "/v2/accounts/{id}"},
      {"/files/64f1a2b3c4d5e6f708192a3b", "/files/{id}"},
      {"/en-us/docs/getting-started", "/en-us/docs/getting-started"},
      {"/static/logo.png", "/static/logo.png"},
      {"/", "/"},
      {"/api/v1/", "/api/v1/"},
  };
  for (const auto& c : cases) EXPECT_EQ(t.learn("h", c.path), c.want) << c.path;
}

TEST(PathTemplater, EmailsAndRedactionMarkers) {
  PathTemplater t;
  EXPECT_EQ(t.learn("h", "/members/[email]/prefs"), "/members/{email}/prefs");
  EXPECT_EQ(t.learn("h", "/members/bob@example.com/prefs"), "/members/{email}/prefs");
  EXPECT_EQ(t.learn("h", "/cards/[pan]"), "/cards/{id}");
}

TEST(PathTemplater, StaticRoutesNextToParametersStay) {
  PathTemplater t;
  EXPECT_EQ(t.learn("h", "/users/me"), "/users/me");
  EXPECT_EQ(t.learn("h", "/users/17"), "/users/{id}");
  EXPECT_EQ(t.learn("h", "/users/me"), "/users/me");
  EXPECT_EQ(t.learn("h", "/users/search"), "/users/search");
}

TEST(PathTemplater, HighCardinalityPositionCollapsesButKeepsHotStatics) {
  PathTemplater::Options o;
  o.max_literals = 10;
  o.keep_static_hits = 5;
  PathTemplater t(o);
  for (int i = 0; i < 6; ++i) t.learn("h", "/articles/latest");
  for (int i = 0; i < 6; ++i) t.learn("h", "/articles/popular");
  const uint64_t gen = t.generation();
  std::string last;
  for (int i = 0; i < 20; ++i) last = t.learn("h", "/articles/how-to-bake-bread-" + std::string(1, char('a' + i)));
  EXPECT_GT(t.generation(), gen);
  EXPECT_EQ(last, "/articles/{article}");
  EXPECT_EQ(t.apply("h", "/articles/a-brand-new-slug"), "/articles/{article}");
  EXPECT_EQ(t.apply("h", "/articles/latest"), "/articles/latest");
  EXPECT_EQ(t.apply("h", "/articles/popular"), "/articles/popular");
  // Other hosts are separate estates.
  EXPECT_EQ(t.apply("g", "/articles/how-to-bake-bread-a"), "/articles/how-to-bake-bread-a");
}

TEST(PathTemplater, SubtreesMergeOnCollapse) {
  PathTemplater::Options o;
  o.max_literals = 4;
  o.keep_static_hits = 100;
  PathTemplater t(o);
  for (int i = 0; i < 8; ++i) t.learn("h", "/shops/shop" + std::string(1, char('a' + i)) + "/items");
  EXPECT_EQ(t.apply("h", "/shops/shopz/items"), "/shops/{shop}/items");
  EXPECT_EQ(t.apply("h", "/shops/shopa/items"), "/shops/{shop}/items");
}

TEST(PathTemplater, MillionIdsOneEndpointBoundedMemory) {
  PathTemplater t;
  for (int i = 0; i < 1000000; ++i) ASSERT_EQ(t.learn("h", "/users/" + std::to_string(i)), "/users/{id}");
  EXPECT_LE(t.node_count(), 4u);
}

TEST(PathTemplater, TemplateMatching) {
  EXPECT_TRUE(template_matches("/users/{id}", "/users/{userId}"));
  EXPECT_TRUE(template_matches("/users/me", "/users/{userId}"));
  EXPECT_FALSE(template_matches("/users/{id}/orders", "/users/{id}"));
  EXPECT_FALSE(template_matches("/users/me", "/users/you"));
  EXPECT_TRUE(template_matches("/", "/"));
}

TEST(SegmentKinds, VersionsAndWordsAreLiterals) {
  EXPECT_EQ(classify_segment("v1"), SegmentKind::Literal);
  EXPECT_EQ(classify_segment("v2.1"), SegmentKind::Literal);
  EXPECT_EQ(classify_segment("users"), SegmentKind::Literal);
  EXPECT_EQ(classify_segment("iphone-15-pro"), SegmentKind::Literal);
  EXPECT_EQ(classify_segment("123"), SegmentKind::Id);
  EXPECT_EQ(classify_segment("ORD-2024-000123"), SegmentKind::Id);
}

}  // namespace
}  // namespace weir::ctl
