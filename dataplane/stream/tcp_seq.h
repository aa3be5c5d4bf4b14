#pragma once
// TCP sequence-number arithmetic (RFC 1982 serial numbers, as RFC 793 uses
// them): 32-bit values that wrap, compared by the sign of their difference.
// Valid while the two values are less than 2^31 apart, which every window
// and buffer here guarantees by construction.

#include <cstdint>

namespace weir::dp {

inline constexpr bool seq_lt(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) < 0; }
inline constexpr bool seq_le(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) <= 0; }
inline constexpr bool seq_gt(uint32_t a, uint32_t b) { return seq_lt(b, a); }
inline constexpr bool seq_ge(uint32_t a, uint32_t b) { return seq_le(b, a); }
inline constexpr uint32_t seq_max(uint32_t a, uint32_t b) { return seq_lt(a, b) ? b : a; }
inline constexpr uint32_t seq_min(uint32_t a, uint32_t b) { return seq_lt(a, b) ? a : b; }

}  // namespace weir::dp
