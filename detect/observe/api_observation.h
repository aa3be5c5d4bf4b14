#pragma once
// ApiObservation: the record a worker emits for one request/response pair,
// feeding the API inventory in weir-control. Fixed size, no pointers: the
// worker fills one in place without allocating and ships it encoded
// (observation_codec.h) as an opaque blob. Holds names, shapes and classes
// only: no parameter value leaves the worker, and the raw path is redacted.

#include <cstdint>
#include <cstring>
#include <string_view>

#include "detect/observe/value_shape.h"
#include "detect/sensitive/sensitive_class.h"

namespace weir::detect {

/// Inline text of at most N bytes (longer input is cut, `truncated` says so).
template <size_t N>
struct FixedText {
  uint16_t size = 0;
  bool truncated = false;
  char data[N];

  void assign(std::string_view s) {
    truncated = s.size() > N;
    size = static_cast<uint16_t>(truncated ? N : s.size());
    if (size) std::memcpy(data, s.data(), size);
  }
  std::string_view view() const { return {data, size}; }
  static constexpr size_t capacity() { return N; }
};

enum class ApiProtocol : uint8_t { Rest, Graphql, Grpc, Soap, WebSocket, Count };
const char* api_protocol_name(ApiProtocol p);
bool api_protocol_from_name(std::string_view name, ApiProtocol& out);

/// Auth schemes seen on a request (bit mask of AuthScheme).
enum class AuthScheme : uint8_t {
  Bearer,        ///< Authorization: Bearer <opaque>
  BearerJwt,     ///< Authorization: Bearer <JWT>
  Basic,
  Digest,
  ApiKeyHeader,  ///< X-API-Key and the like
  ApiKeyQuery,   ///< ?api_key=...
  CookieSession,
  Mtls,          ///< set by the dataplane when it knows (TLS client certificate)
  OtherAuthorization,
  Count
};
using AuthMask = uint16_t;
constexpr AuthMask auth_bit(AuthScheme s) { return AuthMask{1} << static_cast<unsigned>(s); }
const char* auth_scheme_name(AuthScheme s);
bool auth_scheme_from_name(std::string_view name, AuthScheme& out);

/// Which message a parameter was seen in.
enum class ParamSide : uint8_t { Request, Response };

struct ParamShape {
  FixedText<64> name;   ///< JSON path with array indexes removed ("items[].id"), arg or header name
  uint8_t zone = 0;     ///< weir::parse::Zone
  ParamSide side = ParamSide::Request;
  ValueType type = ValueType::String;
  ValueFormat format = ValueFormat::None;
  uint32_t length = 0;  ///< bytes of the value (longest occurrence in this message)
  SensitiveMask sensitive = 0;
};

struct ApiObservation {
  static constexpr size_t kMaxParams = 48;

  uint64_t ts_ns = 0;         ///< realtime, request seen
  uint64_t endpoint_key = 0;  ///< worker-side endpoint hash (sampling key)
  uint64_t session_key = 0;   ///< hash of the caller identity (credential, else client address)
  uint32_t latency_us = 0;    ///< request end -> response end
  uint16_t status = 0;
  uint16_t port_in = 0;       ///< appliance port the request came in on
  uint16_t port_out = 0;      ///< and the port toward the server
  ApiProtocol protocol = ApiProtocol::Rest;
  AuthMask auth = 0;
  SensitiveMask request_sensitive = 0;
  SensitiveMask response_sensitive = 0;
  uint32_t custom_detectors = 0;  ///< bit i: custom detector i matched (names from config)
  bool params_truncated = false;  ///< more parameters than kMaxParams

  FixedText<16> method;
  FixedText<128> host;           ///< lower-cased, without the port
  FixedText<256> path;           ///< raw path, no query, redacted
  FixedText<128> operation;      ///< GraphQL operation name, gRPC service/method, SOAPAction, WS channel
  FixedText<16> operation_type;  ///< GraphQL query|mutation|subscription; else ""
  FixedText<64> request_content_type;
  FixedText<64> response_content_type;

  uint16_t param_count = 0;
  ParamShape params[kMaxParams];
};

}  // namespace weir::detect
