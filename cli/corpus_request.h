#pragma once
// CorpusRequest: one request of a JSON Lines corpus (/work/shared/corpus-format.md
// -> cli/README.md "Request corpus"), reduced to what inspection needs: its
// id, ground truth and the exact bytes a client would put on the wire.
// serialize_request() builds those bytes from the structured keys the way
// the format defines them (Content-Length computed when no framing header
// is given); decode_base64() reads the *_b64 keys.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weir::cli {

enum class CorpusLabel : uint8_t { None, Attack, Benign };

const char* corpus_label_name(CorpusLabel label);

struct CorpusRequest {
  std::string id;
  CorpusLabel label = CorpusLabel::None;
  std::string attack_class;  ///< the "class" key; empty when absent
  std::string raw;           ///< request line, headers and body as sent
  size_t line = 0;           ///< 1-based line in the corpus file
  /// A WebSocket record (`ws_messages` or `ws_frames_b64`): `raw` is the
  /// client's Upgrade request, the server accepted it with a 101 carrying
  /// `ws_extensions` (empty: none), and `ws_frames` are the client's bytes
  /// after the switch, frames exactly as on the wire.
  bool websocket = false;
  std::string ws_extensions;
  std::string ws_frames;
};

/// The structured form of a request (the keys other than raw_b64).
struct RequestParts {
  std::string method;
  std::string uri;
  std::string version = "1.1";  ///< "1.1" or "HTTP/1.1"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

/// "METHOD URI HTTP/VERSION\r\n", each header "name: value\r\n" in order
/// (duplicates kept), "Content-Length: N\r\n" appended when the body is not
/// empty and neither Content-Length nor Transfer-Encoding is present, a
/// blank line, then the body.
std::string serialize_request(const RequestParts& parts);

/// One client-to-server WebSocket frame as a browser sends it: FIN, the
/// given opcode (1 text, 2 binary), masked with `mask` (RFC 6455 5.3).
void append_ws_frame(std::string& out, std::string_view payload, uint8_t opcode, const uint8_t (&mask)[4]);

/// Strict RFC 4648 base64 (standard alphabet; '=' padding optional, only at
/// the end). Returns false, leaving `error_offset` at the first bad byte,
/// when `text` is not base64.
bool decode_base64(std::string_view text, std::string& out, size_t& error_offset);

}  // namespace weir::cli
