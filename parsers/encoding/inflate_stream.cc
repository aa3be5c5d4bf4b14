// zlib's allocation pattern during inflate is fixed (state, then window), so
// a bump allocator over one block is enough; zfree only matters at close(),
// where the whole block is given back at once.
#include "parsers/encoding/inflate_stream.h"

namespace weir::parse {

void* InflateStream::zalloc(void* opaque, unsigned items, unsigned size) {
  auto* self = static_cast<InflateStream*>(opaque);
  const size_t n = static_cast<size_t>(items) * size;
  const size_t start = (self->used_ + 15) & ~static_cast<size_t>(15);
  if (start > kMemoryBytes || n > kMemoryBytes - start) return Z_NULL;
  self->used_ = start + n;
  return self->memory_ + start;
}

void InflateStream::zfree(void*, void*) {}

int InflateStream::window_bits(Format f) {
  switch (f) {
    case Format::Raw: return -15;
    case Format::Zlib: return 15;
    case Format::Gzip: return 15 + 16;
  }
  return -15;
}

bool InflateStream::open(uint8_t* memory, Format format) {
  close();
  memory_ = memory;
  used_ = 0;
  z_ = z_stream{};
  z_.zalloc = &InflateStream::zalloc;
  z_.zfree = &InflateStream::zfree;
  z_.opaque = this;
  open_ = inflateInit2(&z_, window_bits(format)) == Z_OK;
  if (!open_) memory_ = nullptr;
  return open_;
}

bool InflateStream::reset(Format format) {
  return open_ && inflateReset2(&z_, window_bits(format)) == Z_OK;
}

void InflateStream::close() {
  if (open_) inflateEnd(&z_);
  open_ = false;
  memory_ = nullptr;
  used_ = 0;
}

InflateStream::Step InflateStream::inflate(const uint8_t** in, size_t* in_len, uint8_t** out,
                                           size_t* out_len) {
  if (!open_) return Step::Error;
  // zlib counts in uInt; feed at most 1 GiB per call, the caller loops.
  constexpr size_t kMaxStep = size_t{1} << 30;
  z_.next_in = const_cast<Bytef*>(*in);
  z_.avail_in = static_cast<uInt>(*in_len < kMaxStep ? *in_len : kMaxStep);
  z_.next_out = *out;
  z_.avail_out = static_cast<uInt>(*out_len < kMaxStep ? *out_len : kMaxStep);
  const uInt in_before = z_.avail_in;
  const uInt out_before = z_.avail_out;
  const int rc = ::inflate(&z_, Z_SYNC_FLUSH);
  const size_t took = in_before - z_.avail_in;
  const size_t made = out_before - z_.avail_out;
  *in += took;
  *in_len -= took;
  *out += made;
  *out_len -= made;
  switch (rc) {
    case Z_OK: return Step::Progress;
    case Z_BUF_ERROR: return Step::Progress;  // no progress possible: needs input or space
    case Z_STREAM_END: return Step::End;
    case Z_MEM_ERROR: return Step::NoMemory;
    default: return Step::Error;  // Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR
  }
}

}  // namespace weir::parse
