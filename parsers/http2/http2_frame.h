#pragma once
// HTTP/2 frame layer vocabulary (RFC 9113 section 4 and 6): the 9-byte frame
// header, frame types, flags and SETTINGS identifiers, and the client
// connection preface.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace weir::parse {

inline constexpr std::string_view kHttp2ClientPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
inline constexpr uint32_t kHttp2FrameHeaderBytes = 9;
inline constexpr uint32_t kHttp2DefaultMaxFrameSize = 16384;
inline constexpr uint32_t kHttp2DefaultHeaderTableSize = 4096;

enum class FrameType : uint8_t {
  Data = 0x0,
  Headers = 0x1,
  Priority = 0x2,
  RstStream = 0x3,
  Settings = 0x4,
  PushPromise = 0x5,
  Ping = 0x6,
  Goaway = 0x7,
  WindowUpdate = 0x8,
  Continuation = 0x9,
};

namespace frame_flag {
inline constexpr uint8_t kEndStream = 0x1;
inline constexpr uint8_t kAck = 0x1;
inline constexpr uint8_t kEndHeaders = 0x4;
inline constexpr uint8_t kPadded = 0x8;
inline constexpr uint8_t kPriority = 0x20;
}  // namespace frame_flag

enum class SettingId : uint16_t {
  HeaderTableSize = 0x1,
  EnablePush = 0x2,
  MaxConcurrentStreams = 0x3,
  InitialWindowSize = 0x4,
  MaxFrameSize = 0x5,
  MaxHeaderListSize = 0x6,
};

struct FrameHeader {
  uint32_t length = 0;  ///< 24 bits
  uint8_t type = 0;
  uint8_t flags = 0;
  uint32_t stream_id = 0;  ///< reserved bit cleared

  bool has(uint8_t flag) const { return (flags & flag) != 0; }
};

/// Decodes the 9 bytes at `p`.
inline FrameHeader decode_frame_header(const uint8_t* p) {
  FrameHeader h;
  h.length = (uint32_t{p[0]} << 16) | (uint32_t{p[1]} << 8) | p[2];
  h.type = p[3];
  h.flags = p[4];
  h.stream_id = ((uint32_t{p[5]} << 24) | (uint32_t{p[6]} << 16) | (uint32_t{p[7]} << 8) | p[8]) &
                0x7fffffffu;
  return h;
}

/// Whether the first bytes a server sent, before its client spoke, open an
/// HTTP/2 server connection preface: a SETTINGS frame (not an ACK) on stream
/// 0 with whole entries. An h2c server with prior knowledge (gRPC, nghttpx)
/// may send it as soon as it accepts, so it can reach an observer before
/// the client's preface does.
inline bool looks_like_server_preface(const uint8_t* p, size_t n) {
  if (n < kHttp2FrameHeaderBytes) return false;
  const FrameHeader h = decode_frame_header(p);
  return h.type == static_cast<uint8_t>(FrameType::Settings) && h.flags == 0 && h.stream_id == 0 &&
         (p[5] & 0x80) == 0 && h.length % 6 == 0 && h.length <= kHttp2DefaultMaxFrameSize;
}

inline uint32_t read_u32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

}  // namespace weir::parse
