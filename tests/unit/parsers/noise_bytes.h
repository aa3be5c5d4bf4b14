#pragma once
// Deterministic random-looking bytes: what compressed data (an image, a
// zip, an audio frame) looks like to a parser or a signature.
#include <cstdint>
#include <string>

namespace weir::parse::testing {

inline std::string noise_bytes(size_t n, uint64_t seed = 0x9e3779b97f4a7c15ull) {
  std::string out;
  out.reserve(n);
  uint64_t x = seed;
  for (size_t i = 0; i < n; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    out += static_cast<char>(x >> 56);
  }
  return out;
}

}  // namespace weir::parse::testing
