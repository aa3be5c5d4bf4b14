// Remote admin tokens: format, salted digest, verification (wrong secret,
// revoked, malformed), nothing secret in the store, scopes.
#include "control/auth/bearer_token.h"

#include <gtest/gtest.h>

namespace weir::ctl {
namespace {

TEST(BearerToken, DigestIsSaltedSha256) {
  // SHA-256("" || "abc") with an empty salt is the well-known vector.
  EXPECT_EQ(token_digest("", "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_NE(token_digest("00", "abc"), token_digest("01", "abc"));
}

TEST(BearerToken, IssueVerifyRevoke) {
  Store store(":memory:");
  const IssuedToken t = issue_token(store, "ci", "read", "root", 1000);
  std::string key_id, secret;
  ASSERT_TRUE(split_token(t.token, key_id, secret));
  EXPECT_EQ(t.token.rfind("weir_", 0), 0u);
  // The store holds the digest, not the secret.
  const auto row = store.find_token(key_id);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->hash, token_digest(row->salt, secret));
  EXPECT_EQ(row->hash.find(secret), std::string::npos);
  EXPECT_EQ(row->salt.size(), 32u);

  const auto ok = verify_bearer(store, "Bearer " + t.token);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->name, "ci");
  EXPECT_EQ(ok->scope, "read");
  EXPECT_TRUE(verify_bearer(store, "bearer  " + t.token + " "));

  std::string wrong = t.token;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  EXPECT_FALSE(verify_bearer(store, "Bearer " + wrong));
  EXPECT_FALSE(verify_bearer(store, t.token));  // no scheme
  EXPECT_FALSE(verify_bearer(store, "Basic " + t.token));
  EXPECT_FALSE(verify_bearer(store, "Bearer weir_zz"));
  EXPECT_FALSE(verify_bearer(store, ""));

  ASSERT_TRUE(store.revoke_token("ci", 2000));
  EXPECT_FALSE(verify_bearer(store, "Bearer " + t.token));
  EXPECT_FALSE(store.revoke_token("ci", 3000));  // already revoked
}

TEST(BearerToken, NamesAreUnique) {
  Store store(":memory:");
  issue_token(store, "a", "admin", "root", 1);
  EXPECT_THROW(issue_token(store, "a", "read", "root", 2), StoreError);
}

TEST(BearerToken, SplitRejectsMalformed) {
  std::string k, s;
  EXPECT_FALSE(split_token("weir_0123456789abcdef_" + std::string(63, 'a'), k, s));
  EXPECT_FALSE(split_token("weir_0123456789abcdeF_" + std::string(64, 'a'), k, s));
  EXPECT_FALSE(split_token("wear_0123456789abcdef_" + std::string(64, 'a'), k, s));
  EXPECT_TRUE(split_token("weir_0123456789abcdef_" + std::string(64, 'a'), k, s));
  EXPECT_EQ(k, "0123456789abcdef");
}

TEST(BearerToken, Scopes) {
  EXPECT_TRUE(scope_allows("read", "GET", "/v1/status"));
  EXPECT_TRUE(scope_allows("read", "GET", "/metrics"));
  EXPECT_FALSE(scope_allows("read", "PUT", "/v1/mode"));
  EXPECT_FALSE(scope_allows("read", "POST", "/v1/config/validate"));
  EXPECT_FALSE(scope_allows("read", "GET", "/v1/tokens"));
  EXPECT_TRUE(scope_allows("admin", "POST", "/v1/config/apply"));
  EXPECT_TRUE(scope_allows("admin", "DELETE", "/v1/tokens/x"));
  EXPECT_FALSE(scope_allows("other", "GET", "/v1/status"));
}

TEST(BearerToken, NameRules) {
  EXPECT_TRUE(valid_token_name("grafana-ro.1@ops"));
  EXPECT_FALSE(valid_token_name(""));
  EXPECT_FALSE(valid_token_name("a b"));
  EXPECT_FALSE(valid_token_name(std::string(65, 'a')));
}

}  // namespace
}  // namespace weir::ctl
