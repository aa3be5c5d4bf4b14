#include "cli/block_target.h"

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <cstring>

namespace weir::cli {

namespace {

struct ParsedAddress {
  std::array<uint8_t, 16> bytes{};
  bool is_v4 = false;
};

bool parse_address(std::string_view text, ParsedAddress& out) {
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return false;
  std::string copy(text);  // inet_pton needs a terminated string
  if (inet_pton(AF_INET, copy.c_str(), out.bytes.data()) == 1) {
    out.is_v4 = true;
    return true;
  }
  if (inet_pton(AF_INET6, copy.c_str(), out.bytes.data()) == 1) {
    out.is_v4 = false;
    return true;
  }
  return false;
}

std::string address_to_string(const ParsedAddress& a) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(a.is_v4 ? AF_INET : AF_INET6, a.bytes.data(), buf, sizeof buf);
  return buf;
}

bool parse_prefix_len(std::string_view text, unsigned max, unsigned& out) {
  if (text.empty() || text.size() > 3) return false;
  unsigned n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<unsigned>(c - '0');
  }
  if (n > max) return false;
  out = n;
  return true;
}

// Clears the bits past prefix_len; returns true when any was set.
bool clear_host_bits(ParsedAddress& a, unsigned prefix_len) {
  const unsigned total_bytes = a.is_v4 ? 4 : 16;
  bool had_host_bits = false;
  for (unsigned i = 0; i < total_bytes; ++i) {
    const unsigned first_bit = i * 8;
    uint8_t keep = 0;
    if (first_bit + 8 <= prefix_len) {
      keep = 0xff;
    } else if (first_bit < prefix_len) {
      keep = static_cast<uint8_t>(0xff << (8 - (prefix_len - first_bit)));
    }
    if ((a.bytes[i] & ~keep) != 0) had_host_bits = true;
    a.bytes[i] &= keep;
  }
  return had_host_bits;
}

}  // namespace

std::variant<BlockTarget, std::string> parse_block_target(BlockKind kind, std::string_view text) {
  const auto slash = text.find('/');
  if (kind == BlockKind::Ip && slash != std::string_view::npos) {
    return "'" + std::string(text) + "' is a prefix; use 'cidr' for ranges, 'ip' takes one address";
  }
  ParsedAddress address;
  if (!parse_address(text.substr(0, slash), address)) {
    return "invalid " + std::string(kind == BlockKind::Ip ? "IP address" : "CIDR") + " '" +
           std::string(text) + "': expected " +
           (kind == BlockKind::Ip ? "an IPv4 or IPv6 address (198.18.0.7, 2001:2::7)"
                                  : "address/length (198.18.0.0/16, 2001:2::/48)");
  }
  const unsigned max_len = address.is_v4 ? 32 : 128;
  BlockTarget target;
  target.kind = kind;
  target.is_v4 = address.is_v4;
  target.prefix_len = max_len;
  if (slash != std::string_view::npos) {
    if (!parse_prefix_len(text.substr(slash + 1), max_len, target.prefix_len)) {
      return "invalid CIDR '" + std::string(text) + "': prefix length must be 0-" +
             std::to_string(max_len);
    }
    ParsedAddress network = address;
    if (clear_host_bits(network, target.prefix_len)) {
      return "invalid CIDR '" + std::string(text) + "': host bits are set (did you mean " +
             address_to_string(network) + "/" + std::to_string(target.prefix_len) + "?)";
    }
  }
  target.canonical = address_to_string(address);
  if (kind == BlockKind::Cidr) target.canonical += "/" + std::to_string(target.prefix_len);
  return target;
}

}  // namespace weir::cli
