#pragma once
// Wire form of an ApiObservation: a compact little-endian binary record
// ("WO", version 1, fixed header, length-prefixed texts, parameters) that
// the dataplane ships as an opaque blob. Texts cost their length only, so a
// typical record is 200-600 bytes. decode() trusts nothing: every length is
// checked against the buffer and the field's capacity, every enum against
// its range.

#include <cstddef>
#include <cstdint>
#include <span>

#include "detect/observe/api_observation.h"

namespace weir::detect {

inline constexpr uint8_t kObservationCodecVersion = 1;

/// Upper bound of an encoded record (every text at capacity).
size_t max_encoded_observation_size();

/// Writes the record into `out`; returns the bytes written, 0 if `out` is too small.
size_t encode(const ApiObservation& obs, std::span<uint8_t> out);

enum class DecodeStatus : uint8_t { Ok, Truncated, BadMagic, BadVersion, BadLength, BadEnum, TrailingBytes };
const char* decode_status_name(DecodeStatus s);

DecodeStatus decode(std::span<const uint8_t> in, ApiObservation& out);

}  // namespace weir::detect
