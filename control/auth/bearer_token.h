#pragma once
// Bearer tokens of the remote admin API. A token reads
// "weir_<key id: 16 hex>_<secret: 64 hex>"; the store keeps the key id (to
// find the row), a random per-token salt and SHA-256(salt || secret), never
// the secret. Verification compares digests in constant time; a revoked
// token fails like an unknown one. Scopes: "read" may GET (except the token
// list), "admin" may do everything.

#include <optional>
#include <string>
#include <string_view>

#include "control/store/control_store.h"

namespace weir::ctl {

struct IssuedToken {
  std::string token;  ///< shown once, to the caller that created it
  TokenRecord record;
};

/// Hex SHA-256 of salt (hex-decoded) || secret.
std::string token_digest(std::string_view salt_hex, std::string_view secret);

/// Parses "weir_<16 hex>_<64 hex>"; false when malformed.
bool split_token(std::string_view token, std::string& key_id, std::string& secret);

/// Creates and stores a token; throws ApiError-free std::runtime_error /
/// StoreError (duplicate name) for the caller to map.
IssuedToken issue_token(Store& store, const std::string& name, const std::string& scope,
                        const std::string& created_by, int64_t now_ns);

/// The active token row for an Authorization header value
/// ("Bearer <token>"), or nullopt.
std::optional<TokenRecord> verify_bearer(Store& store, std::string_view authorization);

/// Whether `scope` may call `method` on `path`.
bool scope_allows(std::string_view scope, std::string_view method, std::string_view path);

bool valid_token_name(std::string_view name);

}  // namespace weir::ctl
