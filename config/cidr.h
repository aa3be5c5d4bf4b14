#pragma once
// An IPv4 or IPv6 prefix, parsed from "198.18.0.0/15" or "2001:2::/48" (a bare
// address is a host prefix). Kept as 16 bytes, IPv4 mapped into ::ffff:0:0/96,
// so one matcher serves both families.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weir::config {

struct Cidr {
  std::array<uint8_t, 16> addr{};  ///< network address, IPv4 as ::ffff:a.b.c.d
  uint8_t prefix_len = 0;          ///< over 128 bits (IPv4 /15 is stored as /111)
  bool is_v4 = false;

  /// Parses text; returns nullopt when it is not a prefix. Host bits set are
  /// an error too ("198.18.0.1/15"), as operators usually mean something else.
  static std::optional<Cidr> parse(std::string_view text);
  bool contains(const std::array<uint8_t, 16>& address) const;
  std::string to_string() const;
  bool operator==(const Cidr&) const = default;
};

}  // namespace weir::config
