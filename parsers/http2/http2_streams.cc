// Streams: header blocks (HPACK into the stream's header records), DATA into
// the body or the gRPC framer, END_STREAM, and the stream table. Every header
// block is decoded whatever stream it belongs to (pushed, reset, unknown):
// skipping one would desynchronise the HPACK context of its direction.
#include <algorithm>
#include <cstring>

#include "parsers/http2/http2_header_records.h"
#include "parsers/http2/http2_parser.h"
#include "parsers/json/json_flattener.h"

namespace weir::parse {
namespace {

int base64_value(uint8_t c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

}  // namespace

Http2Parser::Stream* Http2Parser::find_stream(uint32_t id) {
  if (id == 0) return nullptr;
  for (Stream& st : streams_) {
    if (st.id == id) return &st;
  }
  return nullptr;
}

uint32_t Http2Parser::max_concurrent_streams() const {
  uint32_t cap = std::min(kMaxStreams, limits_.max_streams);
  // The server's limit binds the client once the client ACKed it.
  return std::min(cap, sides_[1].acked.max_concurrent_streams);
}

Http2Parser::Stream* Http2Parser::new_stream(uint32_t id) {
  if (open_streams_ >= max_concurrent_streams()) return nullptr;
  for (Stream& st : streams_) {
    if (st.id == 0) {
      st.id = id;
      ++open_streams_;
      return &st;
    }
  }
  return nullptr;
}

void Http2Parser::free_stream(Stream& st) {
  for (Half& h : st.half) {
    budget_.free(h.headers);
    budget_.free(h.body);
  }
  st = Stream{};
  --open_streams_;
}

bool Http2Parser::begin_header_block(Side& s) {
  const FrameHeader& f = s.frame;
  s.in_block = true;
  s.block_stream = f.stream_id;
  s.block_end_stream = f.has(frame_flag::kEndStream);
  s.block_frames = 1;
  s.block_bytes = f.length;
  s.block_decoded = 0;
  s.block_kind = BlockKind::Discard;
  if (s.block_bytes > limits_.max_header_block_bytes) {
    fail(s, "http2.continuation_flood", "header block larger than max_header_block_bytes");
    return false;
  }
  if (static_cast<FrameType>(f.type) == FrameType::PushPromise) return true;
  Stream* st = find_stream(f.stream_id);
  const int d = static_cast<int>(s.dir);
  if (s.dir == Direction::Request) {
    if (st == nullptr) {
      if (f.stream_id % 2 == 0) {
        fail(s, "http2.protocol_error", "HEADERS from the client on a server stream");
        return false;
      }
      // Trailers in flight on a stream the server (or the client) reset: the
      // server drops them (STREAM_CLOSED), we only decode them for HPACK.
      if (f.stream_id <= last_client_stream_) return true;
      last_client_stream_ = f.stream_id;
      st = new_stream(f.stream_id);
      if (st == nullptr) {
        fail(s, "http2.excessive_streams", "more concurrent streams than allowed");
        return false;
      }
      st->index = next_index_++;
      s.block_kind = BlockKind::Request;
    }
  } else if (st == nullptr) {
    return true;  // pushed or forgotten stream: decoded, not kept
  } else if (st->half[d].phase == HalfPhase::Idle) {
    s.block_kind = BlockKind::Response;
  }
  if (s.block_kind == BlockKind::Discard && st != nullptr) {
    if (st->half[d].phase != HalfPhase::Body) {
      if (s.dir == Direction::Request) {
        fail(s, "http2.protocol_error", "HEADERS on a closed stream");
        return false;
      }
      return true;
    }
    if (!s.block_end_stream) {
      fail(s, "http2.protocol_error", "trailers without END_STREAM");
      return false;
    }
    s.block_kind = BlockKind::Trailers;
  }
  if (s.block_kind == BlockKind::Request || s.block_kind == BlockKind::Response) {
    Half& h = st->half[d];
    h.headers_len = 0;
    h.header_count = h.head_count = 0;
  }
  return true;
}

bool Http2Parser::on_header(void* ctx, std::string_view name, std::string_view value) {
  auto& self = *static_cast<Http2Parser*>(ctx);
  Side& s = *self.block_side_;
  // RFC 7541's header list size: 32 bytes per entry on top of the strings,
  // so a flood of empty headers counts too.
  s.block_decoded += static_cast<uint32_t>(name.size() + value.size() + 32);
  if (s.block_decoded > self.ws_.limits().max_head_bytes) {
    self.block_bomb_ = true;
    return false;
  }
  Half* h = self.block_half_;
  if (h == nullptr) return true;
  if (h->header_count == UINT16_MAX) {
    self.block_bomb_ = true;
    return false;
  }
  const size_t need = h->headers_len + kHeaderRecordOverhead + name.size() + value.size();
  if (HeapBudget::usable(h->headers) < need) {
    const size_t grow = std::max(need, 2 * HeapBudget::usable(h->headers));
    void* q = self.budget_.reallocate(h->headers, std::max<size_t>(grow, 256));
    if (q == nullptr) q = self.budget_.reallocate(h->headers, need);
    if (q == nullptr) {
      self.out_of_memory("no heap for a header list");
      return false;
    }
    h->headers = static_cast<uint8_t*>(q);
  }
  write_header_record(h->headers + h->headers_len, name, value);
  h->headers_len += static_cast<uint32_t>(need - h->headers_len);
  ++h->header_count;
  return true;
}

void Http2Parser::header_fragment(Side& s, const uint8_t* p, uint32_t n, bool final) {
  block_side_ = &s;
  block_half_ = nullptr;
  block_bomb_ = false;
  if (s.block_kind != BlockKind::Discard) {
    Stream* st = find_stream(s.block_stream);
    if (st != nullptr) block_half_ = &st->half[static_cast<int>(s.dir)];
  }
  const HpackDecoder::Status status = s.hpack.decode(p, n, final, &on_header, this);
  block_half_ = nullptr;
  switch (status) {
    case HpackDecoder::Status::Ok: return;
    case HpackDecoder::Status::Stopped:
      if (block_bomb_) {
        fail(s, "http2.hpack_bomb", "decoded header list larger than max_head_bytes");
      }
      return;  // otherwise out_of_memory() was called
    case HpackDecoder::Status::Error:
      fail(s, "http2.hpack_error", "header block is not valid HPACK");
      return;
    case HpackDecoder::Status::NoMemory: out_of_memory("no heap for the HPACK decoder"); return;
  }
}

void Http2Parser::end_header_block(Side& s) {
  header_fragment(s, nullptr, 0, true);
  s.in_block = false;
  if (state_ != State::Active || s.block_kind == BlockKind::Discard) return;
  Stream* st = find_stream(s.block_stream);
  if (st == nullptr) return;
  const int d = static_cast<int>(s.dir);
  Half& h = st->half[d];
  if (s.block_kind == BlockKind::Trailers) {
    end_half(*st, s.dir);
    return;
  }
  h.head_count = h.header_count;
  h.phase = HalfPhase::Body;
  h.mode = BodyMode::Plain;
  h.content_length = -1;
  h.bad_content_length = false;
  HeaderRecordCursor cur(h.headers, h.headers_len);
  std::string_view name;
  std::string_view value;
  uint16_t status = 0;
  while (cur.next(name, value)) {
    if (name == "content-type") {
      const std::string_view type = trim_ows(value);
      if (starts_with_ignore_case(type, "application/grpc-web-text")) h.mode = BodyMode::GrpcWebText;
      else if (starts_with_ignore_case(type, "application/grpc")) h.mode = BodyMode::Grpc;
    } else if (name == "content-length") {
      int64_t v = 0;
      bool ok = !value.empty() && value.size() <= 18;
      for (char c : value) {
        if (c < '0' || c > '9') ok = false;
        else v = v * 10 + (c - '0');
      }
      if (!ok || (h.content_length >= 0 && h.content_length != v)) h.bad_content_length = true;
      else h.content_length = v;
    } else if (name == ":status" && value.size() == 3) {
      status = static_cast<uint16_t>((value[0] - '0') * 100 + (value[1] - '0') * 10 + (value[2] - '0'));
    }
  }
  FindingList findings(ws_.arena(), kMaxFindings);
  if (h.bad_content_length) {
    findings.add("http2.invalid_content_length", "content-length not a number or sent twice",
                 FindingSeverity::Fatal);
    h.content_length = -1;
  }
  if (!decide(*st, s.dir, DecisionPoint::EndOfHeaders, findings, false, true, false)) return;
  if (s.dir == Direction::Response && status >= 100 && status < 200) {
    // Interim response: the final one follows on the same stream.
    h.phase = HalfPhase::Idle;
    h.headers_len = 0;
    h.header_count = h.head_count = 0;
    return;
  }
  if (s.block_end_stream) end_half(*st, s.dir);
}

bool Http2Parser::append_body(Half& h, const uint8_t* p, uint32_t n) {
  const size_t limit = std::min(ws_.limits().max_body_inspect,
                                BoundedHeap::max_allocation() - JsonFlattener::kPadding);
  if (h.body_len >= limit) return true;
  const size_t take = std::min<size_t>(n, limit - h.body_len);
  const size_t need = h.body_len + take + JsonFlattener::kPadding;
  if (HeapBudget::usable(h.body) < need) {
    const size_t grow = std::min(std::max(need, 2 * HeapBudget::usable(h.body)),
                                 limit + JsonFlattener::kPadding);
    void* q = budget_.reallocate(h.body, std::max<size_t>(grow, 256));
    if (q == nullptr) {
      out_of_memory("no heap for a stream body");
      return false;
    }
    h.body = static_cast<uint8_t*>(q);
  }
  std::memcpy(h.body + h.body_len, p, take);
  h.body_len += static_cast<uint32_t>(take);
  return true;
}

void Http2Parser::data_content(Side& s, const uint8_t* p, uint32_t n) {
  Stream* st = find_stream(s.frame.stream_id);
  if (st == nullptr) {
    if (s.dir == Direction::Request && s.frame.stream_id > last_client_stream_) {
      fail(s, "http2.protocol_error", "DATA on an idle stream");
    }
    return;  // closed or reset stream: the server discards it too
  }
  Half& h = st->half[static_cast<int>(s.dir)];
  if (h.phase == HalfPhase::Idle) {
    fail(s, "http2.protocol_error", "DATA before HEADERS");
    return;
  }
  if (h.phase == HalfPhase::Done) return;
  h.body_total += n;
  if (h.content_length >= 0 && h.body_total > static_cast<uint64_t>(h.content_length)) {
    // A proxy behind us that downgrades to HTTP/1 would frame the excess as
    // the next request: stop before it leaves.
    fail(s, "http2.content_length_mismatch", "DATA longer than content-length");
    return;
  }
  switch (h.mode) {
    case BodyMode::Plain: append_body(h, p, n); return;
    case BodyMode::Grpc: grpc_bytes(*st, h, s.dir, p, n); return;
    case BodyMode::GrpcWebText: {
      uint8_t out[384];
      uint32_t out_len = 0;
      for (uint32_t i = 0; i < n && state_ == State::Active; ++i) {
        const int v = base64_value(p[i]);
        if (v < 0) {
          // '=' ends a quantum early; anything else (whitespace) is skipped.
          if (p[i] == '=' && h.b64_have >= 2) {
            out[out_len++] = static_cast<uint8_t>((h.b64[0] << 2) | (h.b64[1] >> 4));
            if (h.b64_have == 3) {
              out[out_len++] = static_cast<uint8_t>((h.b64[1] << 4) | (h.b64[2] >> 2));
            }
            h.b64_have = 0;
          }
        } else {
          h.b64[h.b64_have++] = static_cast<uint8_t>(v);
          if (h.b64_have == 4) {
            out[out_len++] = static_cast<uint8_t>((h.b64[0] << 2) | (h.b64[1] >> 4));
            out[out_len++] = static_cast<uint8_t>((h.b64[1] << 4) | (h.b64[2] >> 2));
            out[out_len++] = static_cast<uint8_t>((h.b64[2] << 6) | h.b64[3]);
            h.b64_have = 0;
          }
        }
        if (out_len + 3 > sizeof(out)) {
          grpc_bytes(*st, h, s.dir, out, out_len);
          out_len = 0;
        }
      }
      if (out_len > 0 && state_ == State::Active) grpc_bytes(*st, h, s.dir, out, out_len);
      return;
    }
  }
}

void Http2Parser::grpc_bytes(Stream& st, Half& h, Direction dir, const uint8_t* p, uint32_t n) {
  while (n > 0 && state_ == State::Active) {
    std::span<const uint8_t> message;
    bool done = false;
    const size_t taken = h.framer.next({p, n}, message, done);
    if (!message.empty() && !append_body(h, message.data(), static_cast<uint32_t>(message.size()))) {
      return;
    }
    p += taken;
    n -= static_cast<uint32_t>(taken);
    if (done) {
      FindingList findings(ws_.arena(), kMaxFindings);
      const bool ok = decide(st, dir, DecisionPoint::EndOfMessage, findings, true, false, false);
      h.body_len = 0;
      if (!ok) return;
    }
  }
}

void Http2Parser::end_half(Stream& st, Direction dir) {
  Half& h = st.half[static_cast<int>(dir)];
  FindingList findings(ws_.arena(), kMaxFindings);
  if (h.mode != BodyMode::Plain && h.framer.mid_message()) {
    findings.add("grpc.incomplete_message", "stream ended inside a gRPC message",
                 FindingSeverity::Anomaly);
  }
  if (h.content_length >= 0 && h.body_total != static_cast<uint64_t>(h.content_length)) {
    findings.add("http2.content_length_mismatch", "DATA shorter than content-length",
                 FindingSeverity::Fatal);
  }
  h.phase = HalfPhase::Done;
  const bool trailers = h.header_count > h.head_count;
  if (!decide(st, dir, DecisionPoint::EndOfBody, findings, h.mode == BodyMode::Plain, trailers,
              true)) {
    return;
  }
  if (st.half[0].phase == HalfPhase::Done && st.half[1].phase == HalfPhase::Done) free_stream(st);
}

}  // namespace weir::parse
