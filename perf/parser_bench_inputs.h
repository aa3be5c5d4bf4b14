#pragma once
// Inputs of perf/parser_bench, generated (deterministic PRNG, no files):
// an API request mix as HTTP/1.1 keep-alive and as HTTP/2 streams, gRPC
// unary calls, a WebSocket session, and GraphQL / SOAP / multipart / JSON
// bodies. Bodies carry kPadding zero bytes after their end (the parsers'
// JsonFlattener padding contract).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parsers/stream_chunk.h"

namespace weir::perf {

// Deterministic generator (xorshift64*): same inputs on every run.
struct Rng {
  uint64_t s = 0x9E3779B97F4A7C15ull;
  uint64_t next() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 2685821657736338717ull;
  }
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(next() % n); }
  template <class T, size_t N>
  const T& pick(const T (&a)[N]) { return a[below(N)]; }
  std::string hex(size_t n) {
    static const char* d = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < n; ++i) s.push_back(d[below(16)]);
    return s;
  }
};

inline constexpr size_t kPadding = 64;
inline std::string padded(std::string s) { return s + std::string(kPadding, '\0'); }
inline std::string_view unpadded(const std::string& p) { return {p.data(), p.size() - kPadding}; }

/// Bytes one side sends in one go; a Script is one connection.
struct Flight {
  parse::Direction dir;
  std::string bytes;
};
using Script = std::vector<Flight>;

struct ApiRequest {
  std::string method, path, content_type, body;
  std::vector<std::pair<std::string, std::string>> headers;  ///< lower-case names, no host
};

std::string gzip(std::string_view in);
std::string brotli(std::string_view in);

/// 70% GETs (listings, details), 30% JSON writes; per-user tokens and
/// cookies, a unique request id each.
std::vector<ApiRequest> api_requests(size_t n);
/// Keep-alive: each request, then its response.
Script h1_script(const std::vector<ApiRequest>& reqs);
/// One connection: preface and SETTINGS both ways, then rounds of
/// `concurrent` streams (client HEADERS [+ DATA], then the answers).
Script h2_script(const std::vector<ApiRequest>& reqs, size_t concurrent);
/// A protobuf CreateOrder request (nested messages, repeated items).
std::string order_proto(Rng& rng);
/// Unary gRPC calls on one HTTP/2 connection; `gzip_messages`: grpc-encoding gzip.
Script grpc_script(size_t calls, size_t concurrent, bool gzip_messages);
/// Masked client orders and server tickers, 4 of each per flight.
Script websocket_script(size_t messages, bool deflate);

/// Worst cases for per-message work: one gRPC stream of `frames` 16 KB DATA
/// frames packed with empty messages (3276 each), and empty masked
/// WebSocket text messages (6 bytes each).
Script grpc_empty_message_script(size_t frames);
Script websocket_empty_message_script(size_t messages);

/// Padded request bodies.
std::vector<std::string> graphql_bodies(size_t n);
std::vector<std::string> soap_bodies(size_t n);
std::vector<std::string> multipart_bodies(size_t n);  ///< boundary kMultipartBoundary
std::vector<std::string> json_bodies(size_t n);
extern const char kMultipartBoundary[];

/// Each padded body as an HTTP/1 POST (answered 204).
Script h1_posts(const std::string& path, const std::vector<std::string>& bodies,
                const std::string& content_type, const std::string& extra_headers = {});

}  // namespace weir::perf
