#pragma once
// StreamChunk: in-order bytes of one direction of a connection, handed from
// TCP reassembly (or TLS decryption) to the L7 parser. The bytes are only
// valid for the duration of the feed() call that receives them.

#include <cstdint>
#include <span>

namespace weir::parse {

/// Which side sent the bytes. Request = client to server.
enum class Direction : uint8_t { Request = 0, Response = 1 };

struct StreamChunk {
  Direction direction = Direction::Request;
  std::span<const uint8_t> bytes;
  /// The sender closed its side (TCP FIN) after these bytes: a response
  /// delimited by connection close ends here.
  bool end_of_stream = false;
};

}  // namespace weir::parse
