// The body is complete here (HTTP/1 keeps it up to max_body_inspect), so the
// framer runs once over it and messages are views into it, or into the
// arena copy a grpc-web-text body is decoded to.
#include "parsers/grpc/grpc_body_fields.h"

#include <cstring>

#include "parsers/grpc/grpc_framer.h"
#include "parsers/grpc/grpc_message_fields.h"
#include "parsers/grpc/protoset_names.h"
#include "parsers/http1/head_scan.h"
#include "parsers/json/json_flattener.h"

namespace weir::parse {
namespace {

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// Base64 with '=' allowed to end any quantum (one base64 run per message);
// other characters are skipped. Empty view when the arena is full.
std::string_view decode_base64(std::string_view in, Arena& arena) {
  auto* out = static_cast<uint8_t*>(arena.allocate(in.size() / 4 * 3 + 3 + JsonFlattener::kPadding, 1));
  if (out == nullptr) return {};
  size_t n = 0;
  uint8_t q[4];
  int have = 0;
  for (char c : in) {
    const int v = base64_value(c);
    if (v < 0) {
      if (c == '=' && have >= 2) {
        out[n++] = static_cast<uint8_t>((q[0] << 2) | (q[1] >> 4));
        if (have == 3) out[n++] = static_cast<uint8_t>((q[1] << 4) | (q[2] >> 2));
        have = 0;
      }
      continue;
    }
    q[have++] = static_cast<uint8_t>(v);
    if (have == 4) {
      out[n++] = static_cast<uint8_t>((q[0] << 2) | (q[1] >> 4));
      out[n++] = static_cast<uint8_t>((q[1] << 4) | (q[2] >> 2));
      out[n++] = static_cast<uint8_t>((q[2] << 6) | q[3]);
      have = 0;
    }
  }
  std::memset(out + n, 0, JsonFlattener::kPadding);
  return {reinterpret_cast<const char*>(out), n};
}

}  // namespace

bool is_grpc_content_type(std::string_view content_type) {
  return starts_with_ignore_case(trim_ows(content_type), "application/grpc");
}

void add_grpc_body_fields(std::string_view body, std::string_view content_type,
                          std::string_view grpc_encoding, Direction dir, bool truncated,
                          ParserWorkspace& ws, uint32_t max_depth, FieldList& fields,
                          FindingList& findings, std::string_view path) {
  if (body.empty()) return;
  // Declared names for this method's messages (a const lookup, no allocation).
  const google::protobuf::Descriptor* type =
      ws.protoset() != nullptr && !path.empty()
          ? ws.protoset()->message_type(path.substr(0, path.find('?')), dir)
          : nullptr;
  std::string_view bytes = body;
  if (starts_with_ignore_case(trim_ows(content_type), "application/grpc-web-text")) {
    bytes = decode_base64(body, ws.arena());
    if (bytes.data() == nullptr) {
      fields.add(dir == Direction::Request ? Zone::BodyRaw : Zone::RespBody, {}, body);
      return;
    }
  }
  GrpcFramer framer;
  std::span<const uint8_t> rest(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  const uint8_t* message_start = nullptr;
  while (!rest.empty()) {
    std::span<const uint8_t> piece;
    bool done = false;
    const size_t taken = framer.next(rest, piece, done);
    if (!piece.empty() && message_start == nullptr) message_start = piece.data();
    rest = rest.subspan(taken);
    if (done) {
      GrpcMessageInfo info;
      info.flags = framer.flags();
      info.length = framer.length();
      info.encoding = grpc_encoding;
      info.type = type;
      const std::string_view message(reinterpret_cast<const char*>(message_start),
                                     message_start == nullptr ? 0 : framer.length());
      add_grpc_message_fields(message, info, dir, ws, max_depth, fields, findings);
      message_start = nullptr;
    }
  }
  if (framer.mid_message()) {
    // Cut by the inspection limit (its prefix is inspected raw) or sent short.
    GrpcMessageInfo info;
    info.flags = framer.flags();
    info.truncated = true;
    const std::string_view prefix =
        message_start == nullptr
            ? std::string_view{}
            : std::string_view(reinterpret_cast<const char*>(message_start),
                               static_cast<size_t>(bytes.data() + bytes.size() -
                                                   reinterpret_cast<const char*>(message_start)));
    if (!truncated) {
      findings.add("grpc.incomplete_message", "body ended inside a gRPC message",
                   FindingSeverity::Anomaly);
      fields.add(dir == Direction::Request ? Zone::BodyRaw : Zone::RespBody, {}, prefix);
    } else {
      add_grpc_message_fields(prefix, info, dir, ws, max_depth, fields, findings);
    }
  }
}

}  // namespace weir::parse
