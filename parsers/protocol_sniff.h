#pragma once
// Protocol detection by content: what the first bytes a client sends say the
// connection speaks, whatever the port. The dataplane picks the L7 parser
// from this, so a non-HTTP protocol on an inspected port is not fed to the
// HTTP parser (which would call it an attack and reset it).

#include <cstdint>
#include <span>

namespace weir::parse {

enum class SniffResult : uint8_t {
  NeedMore,    ///< too few bytes to tell; ask again with more
  Http1,       ///< a request line starts: METHOD SP
  Http2,       ///< the HTTP/2 client connection preface (h2c prior knowledge)
  Tls,         ///< a TLS handshake record
  Unknown,     ///< anything else: no L7 parser, stream signatures only
};

const char* sniff_result_name(SniffResult r);

/// Looks at the first client bytes of a connection (stream offset 0).
SniffResult sniff_client_protocol(std::span<const uint8_t> first_bytes);

}  // namespace weir::parse
