// Observation wire format; see observation_codec.h.
#include "detect/observe/observation_codec.h"

#include <cstring>

namespace weir::detect {

namespace {

class Writer {
 public:
  explicit Writer(std::span<uint8_t> out) : out_(out) {}
  void bytes(const void* p, size_t n) {
    if (!ok_ || n > out_.size() - pos_) {
      ok_ = false;
      return;
    }
    if (n) std::memcpy(out_.data() + pos_, p, n);
    pos_ += n;
  }
  void u8(uint8_t v) { bytes(&v, 1); }
  void u16(uint16_t v) {
    const uint8_t b[2] = {static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8)};
    bytes(b, 2);
  }
  void u32(uint32_t v) {
    u16(static_cast<uint16_t>(v));
    u16(static_cast<uint16_t>(v >> 16));
  }
  void u64(uint64_t v) {
    u32(static_cast<uint32_t>(v));
    u32(static_cast<uint32_t>(v >> 32));
  }
  template <size_t N>
  void text(const FixedText<N>& t) {
    u16(t.size);
    bytes(t.data, t.size);
  }
  size_t done() const { return ok_ ? pos_ : 0; }

 private:
  std::span<uint8_t> out_;
  size_t pos_ = 0;
  bool ok_ = true;
};

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> in) : in_(in) {}
  bool need(size_t n) {
    if (n > in_.size() - pos_) status_ = DecodeStatus::Truncated;
    return status_ == DecodeStatus::Ok;
  }
  uint8_t u8() { return need(1) ? in_[pos_++] : 0; }
  uint16_t u16() {
    if (!need(2)) return 0;
    const uint16_t v = static_cast<uint16_t>(in_[pos_] | (in_[pos_ + 1] << 8));
    pos_ += 2;
    return v;
  }
  uint32_t u32() {
    const uint32_t lo = u16();
    return lo | (static_cast<uint32_t>(u16()) << 16);
  }
  uint64_t u64() {
    const uint64_t lo = u32();
    return lo | (static_cast<uint64_t>(u32()) << 32);
  }
  // The Writer's calls with a destination, for the field lists below.
  void u16(uint16_t& v) { v = u16(); }
  void u32(uint32_t& v) { v = u32(); }
  void u64(uint64_t& v) { v = u64(); }
  template <size_t N>
  void text(FixedText<N>& t) {
    const uint16_t n = u16();
    if (status_ != DecodeStatus::Ok) return;
    if (n > N) {
      status_ = DecodeStatus::BadLength;
      return;
    }
    if (!need(n)) return;
    t.size = n;
    t.truncated = false;
    if (n) std::memcpy(t.data, in_.data() + pos_, n);
    pos_ += n;
  }
  void fail(DecodeStatus s) {
    if (status_ == DecodeStatus::Ok) status_ = s;
  }
  DecodeStatus status() const { return status_; }
  bool at_end() const { return pos_ == in_.size(); }

 private:
  std::span<const uint8_t> in_;
  size_t pos_ = 0;
  DecodeStatus status_ = DecodeStatus::Ok;
};

constexpr uint8_t kFlagParamsTruncated = 1;

// The wire order of an observation's plain fields, written once for both
// directions: `io` is a Writer (o const) or a Reader (o filled). The protocol
// byte (validated on decode) stands between the first two lists, the flags
// byte between the last two.
template <typename IO, typename Observation>
void scalar_fields(IO& io, Observation& o) {
  io.u64(o.ts_ns);
  io.u64(o.endpoint_key);
  io.u64(o.session_key);
  io.u32(o.latency_us);
  io.u16(o.status);
  io.u16(o.port_in);
  io.u16(o.port_out);
}

template <typename IO, typename Observation>
void mask_fields(IO& io, Observation& o) {
  io.u16(o.auth);
  io.u32(o.request_sensitive);
  io.u32(o.response_sensitive);
  io.u32(o.custom_detectors);
}

template <typename IO, typename Observation>
void text_fields(IO& io, Observation& o) {
  io.text(o.method);
  io.text(o.host);
  io.text(o.path);
  io.text(o.operation);
  io.text(o.operation_type);
  io.text(o.request_content_type);
  io.text(o.response_content_type);
}

}  // namespace

size_t max_encoded_observation_size() {
  ApiObservation o;
  const size_t texts = 7 * 2 + decltype(o.method)::capacity() + decltype(o.host)::capacity() +
                       decltype(o.path)::capacity() + decltype(o.operation)::capacity() +
                       decltype(o.operation_type)::capacity() + decltype(o.request_content_type)::capacity() +
                       decltype(o.response_content_type)::capacity();
  const size_t header = 3 + 8 * 3 + 4 + 2 * 3 + 1 + 2 + 4 * 3 + 1;
  const size_t param = 2 + decltype(ParamShape::name)::capacity() + 4 + 4 + 4;
  return header + texts + 2 + ApiObservation::kMaxParams * param;
}

size_t encode(const ApiObservation& o, std::span<uint8_t> out) {
  Writer w(out);
  w.u8('W');
  w.u8('O');
  w.u8(kObservationCodecVersion);
  scalar_fields(w, o);
  w.u8(static_cast<uint8_t>(o.protocol));
  mask_fields(w, o);
  w.u8(o.params_truncated ? kFlagParamsTruncated : 0);
  text_fields(w, o);
  const uint16_t n = o.param_count > ApiObservation::kMaxParams ? ApiObservation::kMaxParams : o.param_count;
  w.u16(n);
  for (uint16_t i = 0; i < n; ++i) {
    const ParamShape& p = o.params[i];
    w.text(p.name);
    w.u8(p.zone);
    w.u8(static_cast<uint8_t>(p.side));
    w.u8(static_cast<uint8_t>(p.type));
    w.u8(static_cast<uint8_t>(p.format));
    w.u32(p.length);
    w.u32(p.sensitive);
  }
  return w.done();
}

const char* decode_status_name(DecodeStatus s) {
  switch (s) {
    case DecodeStatus::Ok: return "ok";
    case DecodeStatus::Truncated: return "truncated";
    case DecodeStatus::BadMagic: return "bad_magic";
    case DecodeStatus::BadVersion: return "bad_version";
    case DecodeStatus::BadLength: return "bad_length";
    case DecodeStatus::BadEnum: return "bad_enum";
    case DecodeStatus::TrailingBytes: return "trailing_bytes";
  }
  return "unknown";
}

DecodeStatus decode(std::span<const uint8_t> in, ApiObservation& o) {
  Reader r(in);
  if (r.u8() != 'W' || r.u8() != 'O') {
    r.fail(DecodeStatus::BadMagic);
    return r.status();
  }
  if (r.u8() != kObservationCodecVersion) {
    r.fail(DecodeStatus::BadVersion);
    return r.status();
  }
  scalar_fields(r, o);
  const uint8_t proto = r.u8();
  if (proto >= static_cast<uint8_t>(ApiProtocol::Count)) r.fail(DecodeStatus::BadEnum);
  o.protocol = static_cast<ApiProtocol>(proto);
  mask_fields(r, o);
  o.params_truncated = (r.u8() & kFlagParamsTruncated) != 0;
  text_fields(r, o);
  const uint16_t n = r.u16();
  if (n > ApiObservation::kMaxParams) r.fail(DecodeStatus::BadLength);
  o.param_count = 0;
  for (uint16_t i = 0; i < n && r.status() == DecodeStatus::Ok; ++i) {
    ParamShape& p = o.params[i];
    r.text(p.name);
    p.zone = r.u8();
    const uint8_t side = r.u8(), type = r.u8(), format = r.u8();
    p.length = r.u32();
    p.sensitive = r.u32();
    if (p.zone >= 32 || side > 1 || type >= static_cast<uint8_t>(ValueType::Count) ||
        format >= static_cast<uint8_t>(ValueFormat::Count))
      r.fail(DecodeStatus::BadEnum);
    p.side = static_cast<ParamSide>(side);
    p.type = static_cast<ValueType>(type);
    p.format = static_cast<ValueFormat>(format);
    o.param_count = static_cast<uint16_t>(i + 1);
  }
  if (r.status() == DecodeStatus::Ok && !r.at_end()) r.fail(DecodeStatus::TrailingBytes);
  if (r.status() != DecodeStatus::Ok) o.param_count = 0;
  return r.status();
}

}  // namespace weir::detect
