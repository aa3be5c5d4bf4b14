#pragma once
// Offline: one raw HTTP/1 request and its raw response through the HTTP/1
// parser and the observation builder, exactly as a worker would see them
// (request EndOfBody, then response EndOfBody). Used by tests, by
// weir-control's test ingest hook and by benchmarks.

#include <string_view>

#include "detect/observe/observation_builder.h"
#include "parsers/parser_workspace.h"

namespace weir::detect {

/// false when the request did not parse to its end (no observation).
/// `raw_response` may be empty (the request half only).
bool observe_http_exchange(std::string_view raw_request, std::string_view raw_response, uint32_t latency_us,
                           const ObservationContext& ctx, parse::ParserWorkspace& workspace, ApiObservation& out);

}  // namespace weir::detect
