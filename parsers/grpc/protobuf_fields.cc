// The walk is iterative per level and recursive only into nested messages,
// bounded by max_depth, so hostile nesting costs depth x size at most.
#include "parsers/grpc/protobuf_fields.h"

#include <charconv>

#include "parsers/binary_content.h"

namespace weir::parse {
namespace {

struct Reader {
  const uint8_t* p;
  const uint8_t* end;

  bool varint(uint64_t& out) {
    out = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (p == end) return false;
      const uint8_t b = *p++;
      if (shift == 63 && b > 1) return false;
      out |= uint64_t{b & 0x7fu} << shift;
      if ((b & 0x80) == 0) return true;
    }
    return false;
  }
};

struct RawField {
  uint32_t number;
  uint8_t wire;
  uint64_t scalar;
  std::string_view bytes;
};

// Reads one field; false when the bytes are not a valid field.
bool read_field(Reader& r, RawField& f) {
  uint64_t tag = 0;
  if (!r.varint(tag)) return false;
  f.number = static_cast<uint32_t>(tag >> 3);
  f.wire = static_cast<uint8_t>(tag & 7);
  if (f.number == 0 || (tag >> 3) > 0x1fffffff) return false;
  switch (f.wire) {
    case 0: return r.varint(f.scalar);
    case 1:
    case 5: {
      const int n = f.wire == 1 ? 8 : 4;
      if (r.end - r.p < n) return false;
      f.scalar = 0;
      for (int i = n - 1; i >= 0; --i) f.scalar = (f.scalar << 8) | r.p[i];
      r.p += n;
      return true;
    }
    case 2: {
      uint64_t len = 0;
      if (!r.varint(len) || len > static_cast<uint64_t>(r.end - r.p)) return false;
      f.bytes = {reinterpret_cast<const char*>(r.p), static_cast<size_t>(len)};
      r.p += len;
      return true;
    }
    default: return false;
  }
}

std::string_view path_name(std::string_view prefix, uint32_t number, Arena& arena) {
  char buf[16];
  const auto r = std::to_chars(buf, buf + sizeof(buf), number);
  const size_t n = static_cast<size_t>(r.ptr - buf);
  const size_t total = prefix.empty() ? n : prefix.size() + 1 + n;
  auto* out = static_cast<char*>(arena.allocate(total, 1));
  if (out == nullptr) return {};
  size_t at = 0;
  if (!prefix.empty()) {
    for (char c : prefix) out[at++] = c;
    out[at++] = '.';
  }
  for (size_t i = 0; i < n; ++i) out[at++] = buf[i];
  return {out, total};
}

std::string_view number_text(uint64_t v, Arena& arena) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  return arena.copy({buf, static_cast<size_t>(r.ptr - buf)});
}

ProtobufStatus emit(std::string_view message, std::string_view prefix, Zone zone,
                    uint32_t depth_left, Arena& arena, FieldList& fields) {
  Reader r{reinterpret_cast<const uint8_t*>(message.data()),
           reinterpret_cast<const uint8_t*>(message.data()) + message.size()};
  RawField f{};
  while (r.p < r.end) {
    if (!read_field(r, f)) return ProtobufStatus::Malformed;
    const std::string_view name = path_name(prefix, f.number, arena);
    if (f.wire != 2) {
      if (!fields.add(zone, name, number_text(f.scalar, arena))) return ProtobufStatus::Capped;
      continue;
    }
    const bool text = looks_like_text(f.bytes);
    const bool message = !text && is_protobuf_message(f.bytes);
    if (message && depth_left > 1) {
      const ProtobufStatus st = emit(f.bytes, name, zone, depth_left - 1, arena, fields);
      if (st == ProtobufStatus::Capped) return st;
      if (st == ProtobufStatus::Ok) continue;
    }
    // A `bytes` field of binary data (an image, a compressed blob): its
    // text runs, not its chance byte runs (parsers/binary_content.h). A
    // message past the depth cap stays whole.
    if (!text && !message && looks_binary(f.bytes)) {
      const std::string_view runs = text_runs(f.bytes, arena);
      if (!runs.empty() && !fields.add(zone, name, runs)) return ProtobufStatus::Capped;
      continue;
    }
    if (!fields.add(zone, name, f.bytes)) return ProtobufStatus::Capped;
  }
  return ProtobufStatus::Ok;
}

}  // namespace

bool looks_like_text(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\r' && c != '\n') || u == 0x7f) return false;
  }
  return is_valid_utf8(s);
}

bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const uint8_t c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n = 0;
    uint32_t cp = 0;
    if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    p += n + 1;
  }
  return true;
}

bool is_protobuf_message(std::string_view bytes) {
  if (bytes.empty()) return false;
  Reader r{reinterpret_cast<const uint8_t*>(bytes.data()),
           reinterpret_cast<const uint8_t*>(bytes.data()) + bytes.size()};
  RawField f{};
  while (r.p < r.end) {
    if (!read_field(r, f)) return false;
  }
  return true;
}

ProtobufStatus add_protobuf_fields(std::string_view message, Zone zone, uint32_t max_depth,
                                   Arena& arena, FieldList& fields) {
  return add_protobuf_fields_under(message, {}, zone, max_depth, arena, fields);
}

ProtobufStatus add_protobuf_fields_under(std::string_view message, std::string_view prefix,
                                         Zone zone, uint32_t max_depth, Arena& arena,
                                         FieldList& fields) {
  if (!message.empty() && !is_protobuf_message(message)) return ProtobufStatus::Malformed;
  const uint32_t mark = fields.size();
  const ProtobufStatus st = emit(message, prefix, zone, max_depth == 0 ? 1 : max_depth, arena, fields);
  if (st == ProtobufStatus::Malformed) fields.truncate(mark);
  return st;
}

}  // namespace weir::parse
