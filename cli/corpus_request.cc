// Corpus request serialisation and base64: see corpus_request.h.

#include "cli/corpus_request.h"

#include <array>

namespace weir::cli {

namespace {

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

constexpr std::array<int8_t, 256> make_base64_table() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int i = 0; i < 64; ++i) t[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
  return t;
}

constexpr std::array<int8_t, 256> kBase64 = make_base64_table();

}  // namespace

const char* corpus_label_name(CorpusLabel label) {
  switch (label) {
    case CorpusLabel::Attack: return "attack";
    case CorpusLabel::Benign: return "benign";
    case CorpusLabel::None: break;
  }
  return "";
}

std::string serialize_request(const RequestParts& parts) {
  std::string raw;
  raw.reserve(parts.method.size() + parts.uri.size() + parts.body.size() + 64 +
              parts.headers.size() * 32);
  raw += parts.method;
  raw += ' ';
  raw += parts.uri;
  raw += ' ';
  if (parts.version.rfind("HTTP/", 0) != 0) raw += "HTTP/";
  raw += parts.version;
  raw += "\r\n";
  bool framed = false;
  for (const auto& [name, value] : parts.headers) {
    framed = framed || equals_ignore_case(name, "content-length") ||
             equals_ignore_case(name, "transfer-encoding");
    raw += name;
    raw += ": ";
    raw += value;
    raw += "\r\n";
  }
  if (!framed && !parts.body.empty()) {
    raw += "Content-Length: ";
    raw += std::to_string(parts.body.size());
    raw += "\r\n";
  }
  raw += "\r\n";
  raw += parts.body;
  return raw;
}

void append_ws_frame(std::string& out, std::string_view payload, uint8_t opcode, const uint8_t (&mask)[4]) {
  out += static_cast<char>(0x80 | (opcode & 0x0F));
  const uint64_t n = payload.size();
  if (n < 126) {
    out += static_cast<char>(0x80 | n);
  } else if (n <= 0xFFFF) {
    out += static_cast<char>(0x80 | 126);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n & 0xFF);
  } else {
    out += static_cast<char>(0x80 | 127);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((n >> shift) & 0xFF);
  }
  for (uint8_t m : mask) out += static_cast<char>(m);
  for (size_t i = 0; i < payload.size(); ++i) {
    out += static_cast<char>(static_cast<uint8_t>(payload[i]) ^ mask[i % 4]);
  }
}

bool decode_base64(std::string_view text, std::string& out, size_t& error_offset) {
  out.clear();
  out.reserve(text.size() / 4 * 3 + 3);
  uint32_t acc = 0;
  int bits = 0;
  size_t i = 0;
  for (; i < text.size(); ++i) {
    const int8_t v = kBase64[static_cast<uint8_t>(text[i])];
    if (v < 0) break;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  const size_t data_end = i;
  // A lone 6-bit group cannot encode a byte.
  if (data_end % 4 == 1) {
    error_offset = data_end - 1;
    return false;
  }
  size_t padding = 0;
  while (i < text.size() && text[i] == '=') {
    ++padding;
    ++i;
  }
  if (i != text.size()) {
    error_offset = i;
    return false;
  }
  // Padding, when present, completes the last quantum exactly.
  if (padding != 0 && (data_end % 4 == 0 || (data_end + padding) % 4 != 0)) {
    error_offset = data_end;
    return false;
  }
  // Bits left over must be zero (canonical encoding), else the text is not
  // what an encoder produced.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) {
    error_offset = data_end - 1;
    return false;
  }
  return true;
}

}  // namespace weir::cli
