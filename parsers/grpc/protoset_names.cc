// Only const Descriptor/FieldDescriptor accessors run per message: they are
// lookups in tables built at load time (thread-safe, no allocation). Names
// are the descriptors' own strings, joined with '.' in the arena.
#include "parsers/grpc/protoset_names.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace weir::parse {
namespace {

namespace pb = google::protobuf;

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
  bool fixed(int n, uint64_t& out) {
    if (end - p < n) return false;
    out = 0;
    for (int i = n - 1; i >= 0; --i) out = (out << 8) | p[i];
    p += n;
    return true;
  }
};

std::string_view join(std::string_view prefix, std::string_view name, Arena& arena) {
  if (prefix.empty()) return name;
  auto* out = static_cast<char*>(arena.allocate(prefix.size() + 1 + name.size(), 1));
  if (out == nullptr) return name;
  std::memcpy(out, prefix.data(), prefix.size());
  out[prefix.size()] = '.';
  std::memcpy(out + prefix.size() + 1, name.data(), name.size());
  return {out, prefix.size() + 1 + name.size()};
}

std::string_view number_name(uint32_t n, Arena& arena) {
  char buf[12];
  const auto r = std::to_chars(buf, buf + sizeof(buf), n);
  return arena.copy({buf, static_cast<size_t>(r.ptr - buf)});
}

template <typename T>
std::string_view text_of(T v, Arena& arena) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  return arena.copy({buf, static_cast<size_t>(r.ptr - buf)});
}

// A scalar of declared type `f` read from wire `value` bits, as text.
std::string_view scalar_text(const pb::FieldDescriptor* f, uint64_t value, Arena& arena) {
  switch (f->type()) {
    case pb::FieldDescriptor::TYPE_INT32:
    case pb::FieldDescriptor::TYPE_SFIXED32:
      return text_of(static_cast<int32_t>(value), arena);
    case pb::FieldDescriptor::TYPE_INT64:
    case pb::FieldDescriptor::TYPE_SFIXED64:
      return text_of(static_cast<int64_t>(value), arena);
    case pb::FieldDescriptor::TYPE_SINT32:
    case pb::FieldDescriptor::TYPE_SINT64:
      return text_of(static_cast<int64_t>((value >> 1) ^ (~(value & 1) + 1)), arena);
    case pb::FieldDescriptor::TYPE_BOOL: return value != 0 ? "true" : "false";
    case pb::FieldDescriptor::TYPE_DOUBLE: {
      double d;
      std::memcpy(&d, &value, sizeof(d));
      return text_of(d, arena);
    }
    case pb::FieldDescriptor::TYPE_FLOAT: {
      const auto bits = static_cast<uint32_t>(value);
      float x;
      std::memcpy(&x, &bits, sizeof(x));
      return text_of(x, arena);
    }
    case pb::FieldDescriptor::TYPE_ENUM: {
      const pb::EnumValueDescriptor* e =
          f->enum_type()->FindValueByNumber(static_cast<int32_t>(value));
      if (e != nullptr) return e->name();
      return text_of(static_cast<int32_t>(value), arena);
    }
    default: return text_of(value, arena);
  }
}

int wire_type_of(const pb::FieldDescriptor* f) {
  switch (f->type()) {
    case pb::FieldDescriptor::TYPE_DOUBLE:
    case pb::FieldDescriptor::TYPE_FIXED64:
    case pb::FieldDescriptor::TYPE_SFIXED64: return 1;
    case pb::FieldDescriptor::TYPE_FLOAT:
    case pb::FieldDescriptor::TYPE_FIXED32:
    case pb::FieldDescriptor::TYPE_SFIXED32: return 5;
    case pb::FieldDescriptor::TYPE_STRING:
    case pb::FieldDescriptor::TYPE_BYTES:
    case pb::FieldDescriptor::TYPE_MESSAGE: return 2;
    case pb::FieldDescriptor::TYPE_GROUP: return 3;
    default: return 0;
  }
}

ProtobufStatus emit_named(std::string_view message, const pb::Descriptor* type,
                          std::string_view prefix, Zone zone, uint32_t depth_left, Arena& arena,
                          FieldList& fields) {
  Reader r{reinterpret_cast<const uint8_t*>(message.data()),
           reinterpret_cast<const uint8_t*>(message.data()) + message.size()};
  while (r.p < r.end) {
    uint64_t tag = 0;
    if (!r.varint(tag) || (tag >> 3) == 0 || (tag >> 3) > 0x1fffffff) return ProtobufStatus::Malformed;
    const auto number = static_cast<uint32_t>(tag >> 3);
    const int wire = static_cast<int>(tag & 7);
    const pb::FieldDescriptor* f = type != nullptr ? type->FindFieldByNumber(static_cast<int>(number))
                                                   : nullptr;
    const std::string_view name =
        join(prefix, f != nullptr ? std::string_view(f->name()) : number_name(number, arena), arena);
    uint64_t value = 0;
    std::string_view bytes;
    switch (wire) {
      case 0:
        if (!r.varint(value)) return ProtobufStatus::Malformed;
        break;
      case 1:
      case 5:
        if (!r.fixed(wire == 1 ? 8 : 4, value)) return ProtobufStatus::Malformed;
        break;
      case 2:
        if (!r.varint(value) || value > static_cast<uint64_t>(r.end - r.p)) return ProtobufStatus::Malformed;
        bytes = {reinterpret_cast<const char*>(r.p), static_cast<size_t>(value)};
        r.p += value;
        break;
      default: return ProtobufStatus::Malformed;
    }
    const bool declared = f != nullptr && wire_type_of(f) == wire;
    if (wire != 2) {
      const std::string_view text = declared ? scalar_text(f, value, arena) : text_of(value, arena);
      if (!fields.add(zone, name, text)) return ProtobufStatus::Capped;
      continue;
    }
    if (f != nullptr && f->type() == pb::FieldDescriptor::TYPE_MESSAGE && depth_left > 1) {
      const ProtobufStatus st =
          emit_named(bytes, f->message_type(), name, zone, depth_left - 1, arena, fields);
      if (st == ProtobufStatus::Capped) return st;
      if (st == ProtobufStatus::Ok) continue;
    } else if (f != nullptr && f->is_packable() && f->is_repeated() && wire_type_of(f) != 2) {
      // Packed repeated scalars: one field per element.
      Reader pr{reinterpret_cast<const uint8_t*>(bytes.data()),
                reinterpret_cast<const uint8_t*>(bytes.data()) + bytes.size()};
      const int w = wire_type_of(f);
      bool ok = true;
      while (ok && pr.p < pr.end) {
        uint64_t v = 0;
        ok = w == 0 ? pr.varint(v) : pr.fixed(w == 1 ? 8 : 4, v);
        if (ok && !fields.add(zone, name, scalar_text(f, v, arena))) return ProtobufStatus::Capped;
      }
      if (ok) continue;
    } else if (f == nullptr && !looks_like_text(bytes) && depth_left > 1 &&
               is_protobuf_message(bytes)) {
      // Unknown field: its schemaless reading, under its path.
      const ProtobufStatus st =
          add_protobuf_fields_under(bytes, name, zone, depth_left - 1, arena, fields);
      if (st == ProtobufStatus::Capped) return st;
      if (st == ProtobufStatus::Ok) continue;
    }
    if (!fields.add(zone, name, bytes)) return ProtobufStatus::Capped;
  }
  return ProtobufStatus::Ok;
}

}  // namespace

ProtosetNames::ProtosetNames() : pool_(std::make_unique<pb::DescriptorPool>()) {}
ProtosetNames::~ProtosetNames() = default;

bool ProtosetNames::load(std::string_view serialized, std::string* error) {
  pb::FileDescriptorSet set;
  if (!set.ParseFromArray(serialized.data(), static_cast<int>(serialized.size()))) {
    if (error != nullptr) *error = "not a serialized FileDescriptorSet";
    return false;
  }
  for (const pb::FileDescriptorProto& file : set.file()) {
    if (pool_->FindFileByName(file.name()) != nullptr) continue;
    const pb::FileDescriptor* fd = pool_->BuildFile(file);
    if (fd == nullptr) {
      if (error != nullptr) *error = "descriptor set file does not build: " + file.name();
      return false;
    }
    for (int s = 0; s < fd->service_count(); ++s) {
      const pb::ServiceDescriptor* svc = fd->service(s);
      for (int m = 0; m < svc->method_count(); ++m) {
        const pb::MethodDescriptor* method = svc->method(m);
        methods_.push_back({"/" + svc->full_name() + "/" + method->name(), method->input_type(),
                            method->output_type()});
      }
    }
  }
  std::sort(methods_.begin(), methods_.end(),
            [](const Method& a, const Method& b) { return a.path < b.path; });
  return true;
}

const pb::Descriptor* ProtosetNames::message_type(std::string_view path, Direction dir) const {
  const auto it = std::lower_bound(methods_.begin(), methods_.end(), path,
                                   [](const Method& m, std::string_view p) { return m.path < p; });
  if (it == methods_.end() || it->path != path) return nullptr;
  return dir == Direction::Request ? it->input : it->output;
}

ProtobufStatus add_named_protobuf_fields(std::string_view message, const pb::Descriptor* type,
                                         Zone zone, uint32_t max_depth, Arena& arena,
                                         FieldList& fields) {
  const uint32_t mark = fields.size();
  const ProtobufStatus st =
      emit_named(message, type, {}, zone, max_depth == 0 ? 1 : max_depth, arena, fields);
  if (st == ProtobufStatus::Malformed) fields.truncate(mark);
  return st;
}

}  // namespace weir::parse
