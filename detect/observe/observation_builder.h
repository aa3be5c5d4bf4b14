#pragma once
// Builds an ApiObservation from the parser's Transaction views. Called by
// the worker at the request's EndOfBody (observe_request) and at the
// response's EndOfBody (observe_response); the ApiObservation in between is
// the worker's (fixed size, kept per request in flight). No allocation, no
// exceptions; every value is reduced to its shape and sensitive classes.

#include <cstdint>
#include <string_view>

#include "detect/observe/api_observation.h"
#include "parsers/transaction.h"

namespace weir::detect {

class CustomDetectorSet;
class CustomScratch;

struct ObservationContext {
  uint64_t ts_ns = 0;
  /// Hash of the client address: the session key when the request carries
  /// no credential (auth header, API key, session cookie).
  uint64_t client_key = 0;
  uint16_t port_in = 0;
  uint16_t port_out = 0;
  bool mtls = false;
  /// Set by the dataplane when it knows better than the HTTP view (gRPC over
  /// HTTP/2, a WebSocket channel); otherwise inferred from the request.
  bool protocol_known = false;
  ApiProtocol protocol = ApiProtocol::Rest;
  std::string_view operation;       ///< "" = infer (SOAPAction, gRPC path, GraphQL operationName)
  std::string_view operation_type;
  const CustomDetectorSet* custom = nullptr;
  CustomScratch* custom_scratch = nullptr;  ///< the worker's own
};

/// Resets `out` and fills the request half.
void observe_request(const parse::Transaction& request, const ObservationContext& ctx, ApiObservation& out);

/// Adds the response half (status, content type, response shapes, classes).
void observe_response(const parse::Transaction& response, uint32_t latency_us, const ObservationContext& ctx,
                      ApiObservation& out);

/// Both halves at once (offline use, tests); `response` may be null.
void build_observation(const parse::Transaction& request, const parse::Transaction* response,
                       uint32_t latency_us, const ObservationContext& ctx, ApiObservation& out);

/// The worker-side endpoint key: host + method + path with every segment
/// that holds a digit (ids, dates, hashes) folded, so /users/1 and /users/2
/// share one sampling bucket without knowing the learned template.
uint64_t endpoint_sampling_key(std::string_view host, std::string_view method, std::string_view path);

}  // namespace weir::detect
