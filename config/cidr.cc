// IPv4/IPv6 prefixes in one 16-byte form; see cidr.h.

#include "config/cidr.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace weir::config {
namespace {

constexpr uint8_t kV4MappedPrefixLen = 96;

bool is_v4_mapped(const std::array<uint8_t, 16>& a) {
  for (int i = 0; i < 10; ++i) {
    if (a[i] != 0) return false;
  }
  return a[10] == 0xff && a[11] == 0xff;
}

// Does `a` agree with `b` on the first `bits` bits?
bool prefix_equal(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b,
                  unsigned bits) {
  const unsigned full = bits / 8;
  if (std::memcmp(a.data(), b.data(), full) != 0) return false;
  const unsigned rest = bits % 8;
  if (rest == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

bool host_bits_clear(const std::array<uint8_t, 16>& a, unsigned bits) {
  for (unsigned bit = bits; bit < 128; ++bit) {
    if (a[bit / 8] & (0x80 >> (bit % 8))) return false;
  }
  return true;
}

}  // namespace

std::optional<Cidr> Cidr::parse(std::string_view text) {
  std::string_view address_text = text;
  std::optional<unsigned> length;
  if (const size_t slash = text.find('/'); slash != std::string_view::npos) {
    address_text = text.substr(0, slash);
    const std::string_view length_text = text.substr(slash + 1);
    // Digits only: from_chars would also take "+", and "/ 8" or "/08x" are typos.
    if (length_text.empty() || length_text.size() > 3) return std::nullopt;
    for (char c : length_text) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    unsigned value = 0;
    std::from_chars(length_text.data(), length_text.data() + length_text.size(), value);
    length = value;
  }
  // inet_pton wants a NUL-terminated string; 45 chars is the longest IPv6 text.
  if (address_text.empty() || address_text.size() > 45) return std::nullopt;
  const std::string address(address_text);

  Cidr cidr;
  if (address.find(':') == std::string::npos) {
    uint8_t v4[4];
    if (inet_pton(AF_INET, address.c_str(), v4) != 1) return std::nullopt;
    const unsigned len = length.value_or(32);
    if (len > 32) return std::nullopt;
    cidr.addr[10] = 0xff;
    cidr.addr[11] = 0xff;
    std::memcpy(cidr.addr.data() + 12, v4, 4);
    cidr.prefix_len = static_cast<uint8_t>(kV4MappedPrefixLen + len);
    cidr.is_v4 = true;
  } else {
    if (inet_pton(AF_INET6, address.c_str(), cidr.addr.data()) != 1) return std::nullopt;
    const unsigned len = length.value_or(128);
    if (len > 128) return std::nullopt;
    cidr.prefix_len = static_cast<uint8_t>(len);
    // "::ffff:198.18.0.0/111" is an IPv4 prefix written the IPv6 way; treating
    // it as IPv4 keeps contains() family-exact (see there).
    cidr.is_v4 = len >= kV4MappedPrefixLen && is_v4_mapped(cidr.addr);
  }
  if (!host_bits_clear(cidr.addr, cidr.prefix_len)) return std::nullopt;
  return cidr;
}

bool Cidr::contains(const std::array<uint8_t, 16>& address) const {
  // Families never mix: "::/0" means every IPv6 address, not IPv4 as well,
  // although IPv4 addresses are stored inside ::ffff:0:0/96.
  if (is_v4_mapped(address) != is_v4) return false;
  return prefix_equal(address, addr, prefix_len);
}

std::string Cidr::to_string() const {
  char buffer[INET6_ADDRSTRLEN];
  if (is_v4) {
    inet_ntop(AF_INET, addr.data() + 12, buffer, sizeof buffer);
    return std::string(buffer) + "/" + std::to_string(prefix_len - kV4MappedPrefixLen);
  }
  inet_ntop(AF_INET6, addr.data(), buffer, sizeof buffer);
  return std::string(buffer) + "/" + std::to_string(prefix_len);
}

}  // namespace weir::config
