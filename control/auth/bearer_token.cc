// Bearer tokens (see bearer_token.h).
#include "control/auth/bearer_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace weir::ctl {

namespace {
constexpr size_t kKeyIdHex = 16;
constexpr size_t kSecretHex = 64;

std::string to_hex(const unsigned char* p, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += kHex[p[i] >> 4];
    out += kHex[p[i] & 15];
  }
  return out;
}

bool is_hex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string random_hex(size_t bytes) {
  unsigned char buf[64];
  if (bytes > sizeof buf || RAND_bytes(buf, static_cast<int>(bytes)) != 1)
    throw std::runtime_error("RAND_bytes failed");
  return to_hex(buf, bytes);
}
}  // namespace

std::string token_digest(std::string_view salt_hex, std::string_view secret) {
  std::string input;
  for (size_t i = 0; i + 1 < salt_hex.size(); i += 2)
    input += static_cast<char>(std::stoi(std::string(salt_hex.substr(i, 2)), nullptr, 16));
  input.append(secret);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(input.data(), input.size(), md, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  return to_hex(md, len);
}

bool split_token(std::string_view token, std::string& key_id, std::string& secret) {
  if (token.size() != 5 + kKeyIdHex + 1 + kSecretHex || token.substr(0, 5) != "weir_" ||
      token[5 + kKeyIdHex] != '_')
    return false;
  const std::string_view id = token.substr(5, kKeyIdHex);
  const std::string_view sec = token.substr(6 + kKeyIdHex);
  if (!is_hex(id) || !is_hex(sec)) return false;
  key_id = id;
  secret = sec;
  return true;
}

bool valid_token_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-' || c == '.' || c == '@';
    if (!ok) return false;
  }
  return true;
}

IssuedToken issue_token(Store& store, const std::string& name, const std::string& scope,
                        const std::string& created_by, int64_t now_ns) {
  IssuedToken out;
  const std::string key_id = random_hex(kKeyIdHex / 2);
  const std::string secret = random_hex(kSecretHex / 2);
  out.record.name = name;
  out.record.key_id = key_id;
  out.record.scope = scope;
  out.record.salt = random_hex(16);
  out.record.hash = token_digest(out.record.salt, secret);
  out.record.created_ns = now_ns;
  out.record.created_by = created_by;
  out.record.id = store.add_token(out.record);
  out.token = "weir_" + key_id + "_" + secret;
  return out;
}

std::optional<TokenRecord> verify_bearer(Store& store, std::string_view authorization) {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size()) return std::nullopt;
  // The scheme is case-insensitive (RFC 7235).
  for (size_t i = 0; i < kBearer.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) !=
        std::tolower(static_cast<unsigned char>(kBearer[i])))
      return std::nullopt;
  std::string_view token = authorization.substr(kBearer.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  std::string key_id, secret;
  if (!split_token(token, key_id, secret)) return std::nullopt;
  auto row = store.find_token(key_id);
  if (!row || row->revoked_ns != 0) return std::nullopt;
  const std::string digest = token_digest(row->salt, secret);
  if (digest.size() != row->hash.size() || CRYPTO_memcmp(digest.data(), row->hash.data(), digest.size()) != 0)
    return std::nullopt;
  return row;
}

bool scope_allows(std::string_view scope, std::string_view method, std::string_view path) {
  if (scope == "admin") return true;
  if (scope != "read") return false;
  if (method != "GET" && method != "HEAD") return false;
  return path.rfind("/v1/tokens", 0) != 0;
}

}  // namespace weir::ctl
