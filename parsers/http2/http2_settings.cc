// HTTP2-Settings is base64url without padding in theory; clients that pad it
// exist, so trailing '=' is accepted.
#include "parsers/http2/http2_settings.h"

#include "parsers/http2/http2_frame.h"

namespace weir::parse {
namespace {

int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-' || c == '+') return 62;
  if (c == '_' || c == '/') return 63;
  return -1;
}

}  // namespace

bool apply_setting(Http2Settings& s, uint16_t id, uint32_t value) {
  switch (static_cast<SettingId>(id)) {
    case SettingId::HeaderTableSize: s.header_table_size = value; return true;
    case SettingId::EnablePush:
      if (value > 1) return false;
      s.enable_push = value;
      return true;
    case SettingId::MaxConcurrentStreams: s.max_concurrent_streams = value; return true;
    case SettingId::InitialWindowSize:
      if (value > 0x7fffffffu) return false;
      s.initial_window_size = value;
      return true;
    case SettingId::MaxFrameSize:
      if (value < 16384 || value > 0xffffffu) return false;
      s.max_frame_size = value;
      return true;
    case SettingId::MaxHeaderListSize: s.max_header_list_size = value; return true;
  }
  return true;
}

bool PendingSettings::push(const Http2Settings& s) {
  if (count_ == kCapacity) return false;
  queue_[(head_ + count_) % kCapacity] = s;
  ++count_;
  return true;
}

bool PendingSettings::pop(Http2Settings& out) {
  if (count_ == 0) return false;
  out = queue_[head_];
  head_ = (head_ + 1) % kCapacity;
  --count_;
  return true;
}

const Http2Settings& PendingSettings::latest(const Http2Settings& acked) const {
  return count_ == 0 ? acked : queue_[(head_ + count_ - 1) % kCapacity];
}

bool decode_http2_settings_header(std::string_view value, Http2Settings& out) {
  while (!value.empty() && (value.back() == '=' || value.back() == ' ')) value.remove_suffix(1);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  // A SETTINGS payload is a multiple of 6 bytes; decode 8 characters at a time.
  uint8_t entry[6];
  uint32_t have = 0;
  uint32_t bits = 0;
  int nbits = 0;
  for (char c : value) {
    const int v = base64url_value(c);
    if (v < 0) return false;
    bits = (bits << 6) | static_cast<uint32_t>(v);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      entry[have++] = static_cast<uint8_t>(bits >> nbits);
      bits &= (1u << nbits) - 1;
      if (have == 6) {
        const uint16_t id = static_cast<uint16_t>((entry[0] << 8) | entry[1]);
        if (!apply_setting(out, id, read_u32(entry + 2))) return false;
        have = 0;
      }
    }
  }
  return have == 0;
}

}  // namespace weir::parse
