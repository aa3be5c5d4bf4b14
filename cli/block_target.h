#pragma once
// Validation of the addresses an operator blocks: a single IPv4/IPv6 address
// for "block ip", a prefix for "block cidr". Invalid input is caught here,
// before anything is sent, with a message saying what was expected.

#include <string>
#include <string_view>
#include <variant>

namespace weir::cli {

enum class BlockKind { Ip, Cidr };

struct BlockTarget {
  BlockKind kind = BlockKind::Ip;
  std::string canonical;  ///< inet_ntop form; CIDRs as "addr/len"
  bool is_v4 = false;
  unsigned prefix_len = 0;  ///< 32/128 for a single address
};

/// Parses text as kind requires. "ip" takes a bare address only; "cidr"
/// takes addr/len with no host bits set ("198.18.0.1/15" is refused with the
/// network the operator probably meant), or a bare address as a host prefix.
/// On failure returns the error message instead.
std::variant<BlockTarget, std::string> parse_block_target(BlockKind kind, std::string_view text);

}  // namespace weir::cli
