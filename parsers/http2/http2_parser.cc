// The frame layer: the client preface, 9-byte frame headers, padding and
// fixed-size payloads, SETTINGS and their ACKs, PING/RST_STREAM/GOAWAY/
// WINDOW_UPDATE/PRIORITY, and the flood counters. Payloads are never
// buffered whole: header block fragments go to HPACK and DATA to the stream
// as they arrive, so a frame may span any number of chunks.
#include "parsers/http2/http2_parser.h"

#include <algorithm>
#include <cstring>
#include <new>

namespace weir::parse {

Parser* make_http2_parser(void* storage, ParserWorkspace& workspace) {
  return new (storage) Http2Parser(workspace, Http2Parser::Start::ClientPreface);
}

Parser* make_http2_parser_after_preface(void* storage, ParserWorkspace& workspace) {
  return new (storage) Http2Parser(workspace, Http2Parser::Start::AfterPreface);
}

Parser* make_http2_upgrade_parser(void* storage, ParserWorkspace& workspace,
                                  const H2cUpgrade& upgrade) {
  auto* p = new (storage) Http2Parser(workspace, Http2Parser::Start::ClientPreface);
  p->start_upgraded(upgrade);
  return p;
}

Http2Parser::Http2Parser(ParserWorkspace& workspace, Start start, const Http2Limits& limits)
    : ws_(workspace), limits_(limits), budget_(workspace.heap(), limits.heap_budget) {
  for (int i = 0; i < 2; ++i) {
    Side& s = sides_[i];
    s.dir = static_cast<Direction>(i);
    s.preface_have = (i == 0 && start == Start::ClientPreface) ? 0 : kPrefaceBytes;
    if (s.hpack.init(budget_) != HpackDecoder::Status::Ok) {
      out_of_memory("no heap for the HPACK decoder");
    }
  }
}

Http2Parser::~Http2Parser() {
  for (Stream& st : streams_) {
    if (st.id != 0) free_stream(st);
  }
}

void Http2Parser::start_upgraded(const H2cUpgrade& upgrade) {
  Side& client = sides_[0];
  Http2Settings settings;
  if (upgrade.settings != nullptr) settings = *upgrade.settings;
  if (upgrade.settings_invalid ||
      (upgrade.settings == nullptr && !decode_http2_settings_header(upgrade.http2_settings, settings))) {
    error_ = ParserFinding{"http2.bad_http2_settings", "HTTP2-Settings is not a SETTINGS payload",
                           FindingSeverity::Fatal};
    state_ = State::Failed;
    return;
  }
  // The 101 acknowledges HTTP2-Settings: the client's values bind the server
  // from the start, the table size included.
  client.acked = settings;
  const uint32_t table = settings.header_table_size < limits_.max_header_table_size
                             ? settings.header_table_size
                             : limits_.max_header_table_size;
  if (table != kHttp2DefaultHeaderTableSize) sides_[1].hpack.set_max_table_size(table);
  // The caller's view dies with the HTTP/1 head: keep a copy.
  const size_t n = std::min(upgrade.method.size(), sizeof(upgrade_method_buf_));
  std::memcpy(upgrade_method_buf_, upgrade.method.data(), n);
  upgrade_method_ = {upgrade_method_buf_, n};
  Stream* st = new_stream(1);
  if (st == nullptr) {
    out_of_memory("no stream slot");
    return;
  }
  st->index = upgrade.request_index;
  next_index_ = upgrade.request_index + 1;
  last_client_stream_ = 1;
  st->half[0].phase = HalfPhase::Done;
}

FeedResult Http2Parser::feed(const StreamChunk& chunk, TransactionSink& sink) {
  FeedResult result;
  if (refuse_when_settled(state_, error_, UpgradeKind::None, result)) return result;
  ws_.arena().reset();
  sink_ = &sink;
  result_ = &result;
  Side& s = sides_[static_cast<int>(chunk.direction)];
  const uint8_t* const begin = chunk.bytes.data();
  const uint8_t* const end = begin + chunk.bytes.size();
  const uint8_t* p = begin;
  const uint8_t* frame_start = begin;
  while (p < end && state_ == State::Active) {
    if (!s.in_frame) frame_start = p;
    p = consume(s, p, end);
  }
  const FeedStop stop{static_cast<uint32_t>(chunk.bytes.size()), static_cast<uint32_t>(p - begin),
                      static_cast<uint32_t>(frame_start - begin)};
  finish_feed(state_, stop, error_, UpgradeKind::None, result);
  sink_ = nullptr;
  result_ = nullptr;
  return result;
}

const uint8_t* Http2Parser::consume(Side& s, const uint8_t* p, const uint8_t* end) {
  if (s.preface_have < kPrefaceBytes) {
    while (p < end && s.preface_have < kPrefaceBytes) {
      if (*p != static_cast<uint8_t>(kHttp2ClientPreface[s.preface_have])) {
        fail(s, "http2.bad_preface", "client bytes are not the HTTP/2 connection preface");
        return p;
      }
      ++p;
      ++s.preface_have;
    }
    return p;
  }
  if (!s.in_frame) {
    while (p < end && s.header_have < kHttp2FrameHeaderBytes) s.header[s.header_have++] = *p++;
    if (s.header_have < kHttp2FrameHeaderBytes) return p;
    s.header_have = 0;
    if (!start_frame(s)) return p;
    if (s.frame.length == 0) end_frame(s);
    return p;
  }
  const uint32_t left = s.frame.length - s.pos;
  const uint32_t n = static_cast<size_t>(end - p) < left ? static_cast<uint32_t>(end - p) : left;
  frame_payload(s, p, n);
  p += n;
  if (state_ == State::Active && s.pos == s.frame.length) end_frame(s);
  return p;
}

bool Http2Parser::count_window(Side& s) {
  if (++s.window_frames > limits_.flood_window_frames) {
    s.window_frames = 1;
    s.window_settings = s.window_pings = s.window_resets = 0;
  }
  return true;
}

bool Http2Parser::start_frame(Side& s) {
  s.frame = decode_frame_header(s.header);
  s.in_frame = true;
  s.pos = 0;
  s.small_have = 0;
  s.setting_have = 0;
  s.settings_invalid = false;
  count_window(s);
  if (!check_frame_header(s)) return false;
  const auto type = static_cast<FrameType>(s.frame.type);
  // Padding and the fixed prefixes of HEADERS and PUSH_PROMISE: the content
  // bounds are known once the pad length byte has been read.
  uint32_t prefix = 0;
  if (type == FrameType::Headers && s.frame.has(frame_flag::kPriority)) prefix = 5;
  if (type == FrameType::PushPromise) prefix = 4;
  const bool paddable =
      type == FrameType::Data || type == FrameType::Headers || type == FrameType::PushPromise;
  if (paddable && s.frame.has(frame_flag::kPadded)) {
    if (s.frame.length < 1 + prefix) {
      fail(s, "http2.frame_size_error", "padded frame too short for its fields");
      return false;
    }
    s.bounds_known = false;
    s.content_begin = 1 + prefix;
  } else {
    if (s.frame.length < prefix) {
      fail(s, "http2.frame_size_error", "frame too short for its priority or promised stream");
      return false;
    }
    s.bounds_known = true;
    s.content_begin = prefix;
    s.content_end = s.frame.length;
  }
  switch (type) {
    case FrameType::Headers:
    case FrameType::PushPromise: return begin_header_block(s);
    case FrameType::Settings:
      if (!s.frame.has(frame_flag::kAck)) {
        s.announcing = s.pending.latest(s.acked);
        if (++s.window_settings > limits_.max_settings_frames) {
          fail(s, "http2.settings_flood", "too many SETTINGS frames in the window");
          return false;
        }
      }
      return true;
    case FrameType::Ping:
      if (!s.frame.has(frame_flag::kAck) && ++s.window_pings > limits_.max_ping_frames) {
        fail(s, "http2.ping_flood", "too many PING frames in the window");
        return false;
      }
      return true;
    case FrameType::Continuation:
      if (++s.block_frames > limits_.max_continuations + 1) {
        fail(s, "http2.continuation_flood", "too many CONTINUATION frames in one header block");
        return false;
      }
      s.block_bytes += s.frame.length;
      if (s.block_bytes > limits_.max_header_block_bytes) {
        fail(s, "http2.continuation_flood", "header block larger than max_header_block_bytes");
        return false;
      }
      return true;
    default: return true;
  }
}

bool Http2Parser::check_frame_header(Side& s) {
  const FrameHeader& f = s.frame;
  const auto type = static_cast<FrameType>(f.type);
  // Frames this side sends are bounded by the other side's MAX_FRAME_SIZE,
  // in force once this side ACKed it.
  const Side& other = sides_[1 - static_cast<int>(s.dir)];
  if (f.length > other.acked.max_frame_size) {
    fail(s, "http2.frame_size_error", "frame larger than the receiver's SETTINGS_MAX_FRAME_SIZE");
    return false;
  }
  if (!s.seen_settings) {
    if (type != FrameType::Settings || f.has(frame_flag::kAck)) {
      fail(s, "http2.bad_preface", "the first frame of a side is not SETTINGS");
      return false;
    }
    s.seen_settings = true;
  }
  if (s.in_block && (type != FrameType::Continuation || f.stream_id != s.block_stream)) {
    fail(s, "http2.protocol_error", "frame interleaved in a header block");
    return false;
  }
  if (!s.in_block && type == FrameType::Continuation) {
    fail(s, "http2.protocol_error", "CONTINUATION without a header block");
    return false;
  }
  const bool connection_frame =
      type == FrameType::Settings || type == FrameType::Ping || type == FrameType::Goaway;
  const bool stream_frame = type == FrameType::Data || type == FrameType::Headers ||
                            type == FrameType::Priority || type == FrameType::RstStream ||
                            type == FrameType::PushPromise || type == FrameType::Continuation;
  if ((connection_frame && f.stream_id != 0) || (stream_frame && f.stream_id == 0)) {
    fail(s, "http2.protocol_error", "frame on the wrong stream (0 or not 0)");
    return false;
  }
  bool size_ok = true;
  switch (type) {
    case FrameType::Priority: size_ok = f.length == 5; break;
    case FrameType::RstStream:
    case FrameType::WindowUpdate: size_ok = f.length == 4; break;
    case FrameType::Ping: size_ok = f.length == 8; break;
    case FrameType::Goaway: size_ok = f.length >= 8; break;
    case FrameType::Settings:
      size_ok = f.has(frame_flag::kAck) ? f.length == 0 : f.length % 6 == 0;
      break;
    default: break;
  }
  if (!size_ok) {
    fail(s, "http2.frame_size_error", "control frame with a wrong length");
    return false;
  }
  if (type == FrameType::PushPromise && s.dir == Direction::Request) {
    fail(s, "http2.protocol_error", "PUSH_PROMISE from a client");
    return false;
  }
  return true;
}

void Http2Parser::frame_payload(Side& s, const uint8_t* p, uint32_t n) {
  while (n > 0 && state_ == State::Active) {
    if (!s.bounds_known) {
      const uint8_t pad = *p++;
      --n;
      ++s.pos;
      if (static_cast<uint32_t>(pad) > s.frame.length - s.content_begin) {
        fail(s, "http2.bad_padding", "padding longer than the frame");
        return;
      }
      s.content_end = s.frame.length - pad;
      s.bounds_known = true;
      continue;
    }
    uint32_t take = n;
    if (s.pos < s.content_begin) {
      take = std::min(n, s.content_begin - s.pos);
      for (uint32_t i = 0; i < take && s.small_have < sizeof(s.small); ++i) {
        s.small[s.small_have++] = p[i];
      }
    } else if (s.pos < s.content_end) {
      take = std::min(n, s.content_end - s.pos);
      frame_content(s, p, take);
    }
    // else: padding, skipped
    p += take;
    n -= take;
    s.pos += take;
  }
}

void Http2Parser::frame_content(Side& s, const uint8_t* p, uint32_t n) {
  switch (static_cast<FrameType>(s.frame.type)) {
    case FrameType::Data: data_content(s, p, n); return;
    case FrameType::Headers:
    case FrameType::PushPromise:
    case FrameType::Continuation: header_fragment(s, p, n, false); return;
    case FrameType::Settings:
      for (uint32_t i = 0; i < n; ++i) {
        s.setting[s.setting_have++] = p[i];
        if (s.setting_have == 6) settings_entry(s);
      }
      return;
    case FrameType::Priority:
    case FrameType::RstStream:
    case FrameType::Ping:
    case FrameType::Goaway:
    case FrameType::WindowUpdate:
      for (uint32_t i = 0; i < n && s.small_have < sizeof(s.small); ++i) {
        s.small[s.small_have++] = p[i];
      }
      return;
  }
  // Unknown frame types are ignored (RFC 9113 5.5).
}

void Http2Parser::settings_entry(Side& s) {
  s.setting_have = 0;
  const auto id = static_cast<uint16_t>((s.setting[0] << 8) | s.setting[1]);
  if (!apply_setting(s.announcing, id, read_u32(s.setting + 2))) s.settings_invalid = true;
}

void Http2Parser::end_settings(Side& s) {
  Side& other = sides_[1 - static_cast<int>(s.dir)];
  if (!s.frame.has(frame_flag::kAck)) {
    if (s.settings_invalid) {
      fail(s, "http2.protocol_error", "SETTINGS value out of range");
      return;
    }
    if (s.announcing.header_table_size > limits_.max_header_table_size) {
      // We decode with our cap; an encoder that uses more breaks HPACK and
      // fails the connection then.
      s.announcing.header_table_size = limits_.max_header_table_size;
    }
    if (!s.pending.push(s.announcing)) {
      fail(s, "http2.settings_flood", "too many SETTINGS frames waiting for their ACK");
    }
    return;
  }
  // This side ACKs the other side's oldest SETTINGS: from here on its frames
  // and header blocks follow them.
  Http2Settings applied;
  if (!other.pending.pop(applied)) {
    fail(s, "http2.protocol_error", "SETTINGS ACK without SETTINGS");
    return;
  }
  const uint32_t old_table = other.acked.header_table_size;
  other.acked = applied;
  if (applied.header_table_size != old_table &&
      s.hpack.set_max_table_size(applied.header_table_size) != HpackDecoder::Status::Ok) {
    out_of_memory("no heap for the HPACK table");
  }
}

void Http2Parser::end_rst_stream(Side& s) {
  Stream* st = find_stream(s.frame.stream_id);
  if (s.dir == Direction::Request) {
    // Rapid reset (CVE-2023-44487): the client opens streams and cancels
    // them at once, so the server starts work the client never waits for.
    if (st != nullptr && st->half[1].phase != HalfPhase::Done &&
        ++s.window_resets > limits_.max_rapid_resets) {
      fail(s, "http2.rapid_reset", "too many streams reset by the client in the window");
      return;
    }
  }
  if (st != nullptr) free_stream(*st);
}

void Http2Parser::end_frame(Side& s) {
  s.in_frame = false;
  switch (static_cast<FrameType>(s.frame.type)) {
    case FrameType::Data:
      if (s.frame.has(frame_flag::kEndStream)) {
        Stream* st = find_stream(s.frame.stream_id);
        if (st != nullptr && st->half[static_cast<int>(s.dir)].phase == HalfPhase::Body) {
          end_half(*st, s.dir);
        }
      }
      return;
    case FrameType::Headers:
    case FrameType::PushPromise:
    case FrameType::Continuation:
      if (s.frame.has(frame_flag::kEndHeaders)) end_header_block(s);
      return;
    case FrameType::Settings: end_settings(s); return;
    case FrameType::RstStream: end_rst_stream(s); return;
    case FrameType::WindowUpdate:
      if ((read_u32(s.small) & 0x7fffffffu) == 0 && s.frame.stream_id == 0) {
        fail(s, "http2.protocol_error", "WINDOW_UPDATE of 0 on the connection");
      }
      return;
    default: return;
  }
}

void Http2Parser::fail(Side& s, std::string_view name, std::string_view detail) {
  error_ = ParserFinding{name, detail, FindingSeverity::Fatal};
  state_ = State::Failed;
  Transaction txn;
  txn.protocol = Protocol::Http2;
  txn.index = next_index_;
  txn.direction = s.dir;
  txn.point = DecisionPoint::ParseError;
  txn.findings = {&error_, 1};
  if (result_ != nullptr) ++result_->decisions;
  if (sink_ != nullptr) (void)sink_->on_decision(txn);  // the connection is unusable anyway
}

void Http2Parser::out_of_memory(std::string_view what) {
  if (state_ != State::Active) return;
  error_ = ParserFinding{"parse.resource_limit", what, FindingSeverity::Fatal};
  state_ = State::OutOfMemory;
}

}  // namespace weir::parse
