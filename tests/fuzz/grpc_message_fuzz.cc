// libFuzzer target for gRPC message handling: the length-prefix framer over
// the input cut at fuzzer-chosen points (message bytes must come back
// exactly), then each complete message through add_grpc_message_fields
// (gzip/deflate by grpc-encoding, schemaless protobuf, gRPC-Web trailers).
// Input: [flags byte][cut byte] then the framed stream. Flags bit 0: the
// stream is gzip-encoded (grpc-encoding), bit 1: response direction.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "parsers/grpc/grpc_framer.h"
#include "parsers/grpc/grpc_message_fields.h"
#include "parsers/grpc/protobuf_fields.h"
#include "parsers/parser_workspace.h"

namespace {

using namespace weir::parse;

ParseLimits small_limits() {
  ParseLimits l;
  l.max_body_inspect = 4096;
  l.max_fields = 128;
  return l;
}

WorkspaceSizes small_sizes() {
  WorkspaceSizes s;
  s.arena_bytes = 256 * 1024;
  s.head_slabs = 1;
  s.body_slabs = 1;
  s.heap_bytes = 64 * 1024;
  s.inflate_slabs = 1;
  s.brotli_memory_bytes = 1 << 20;
  return s;
}

void check_fields(const FieldList& fields) {
  uint64_t sum = 0;
  for (const Field& f : fields.view()) {
    for (char c : f.name) sum += static_cast<uint8_t>(c);
    for (char c : f.value) sum += static_cast<uint8_t>(c);
    if (static_cast<int>(f.zone) >= static_cast<int>(Zone::Count)) std::abort();
  }
  (void)sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static ParserWorkspace workspace(small_limits(), small_sizes());
  if (size < 2) return 0;
  const uint8_t flags = data[0];
  const size_t cut = data[1] == 0 ? 1 : data[1];
  const uint8_t* stream = data + 2;
  const size_t n = size - 2;
  const Direction dir = (flags & 2) != 0 ? Direction::Response : Direction::Request;

  GrpcFramer framer;
  std::string message;
  std::string reference;  // what the framer must hand back, from a one-shot pass
  for (size_t pos = 0; pos < n;) {
    const size_t piece = cut < n - pos ? cut : n - pos;
    std::span<const uint8_t> rest(stream + pos, piece);
    while (!rest.empty()) {
      std::span<const uint8_t> bytes;
      bool done = false;
      const size_t taken = framer.next(rest, bytes, done);
      if (taken == 0 || taken > rest.size()) std::abort();
      message.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      if (done) {
        if (message.size() != framer.length()) std::abort();
        workspace.arena().reset();
        FieldList fields(workspace.arena(), small_limits().max_fields);
        FindingList findings(workspace.arena(), 16);
        GrpcMessageInfo info;
        info.flags = framer.flags();
        info.length = framer.length();
        info.truncated = message.size() > small_limits().max_body_inspect;
        info.encoding = (flags & 1) != 0 ? "gzip" : "";
        std::string padded = message.substr(0, small_limits().max_body_inspect);
        const size_t kept = padded.size();
        padded.append(64, '\0');
        add_grpc_message_fields(std::string_view(padded.data(), kept), info, dir, workspace, 8,
                                fields, findings);
        check_fields(fields);
        message.clear();
      }
      rest = rest.subspan(taken);
    }
    pos += piece;
  }
  // The protobuf decoder on the raw input as well (not behind a valid prefix).
  workspace.arena().reset();
  FieldList fields(workspace.arena(), small_limits().max_fields);
  const std::string_view raw(reinterpret_cast<const char*>(stream), n);
  const ProtobufStatus st = add_protobuf_fields(raw, Zone::GrpcField, 8, workspace.arena(), fields);
  if (st == ProtobufStatus::Malformed && fields.size() != 0) std::abort();
  if (st != ProtobufStatus::Malformed && !raw.empty() && !is_protobuf_message(raw)) std::abort();
  check_fields(fields);
  return 0;
}
