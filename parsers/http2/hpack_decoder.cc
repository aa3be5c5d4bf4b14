// The callbacks only need the budget pointer in mem_user_data. A failed allocation inside nghttp2 comes
// back as NGHTTP2_ERR_NOMEM and is kept apart from malformed input.
#include "parsers/http2/hpack_decoder.h"

namespace weir::parse {

void* HpackDecoder::mem_malloc(size_t size, void* user) {
  return static_cast<HeapBudget*>(user)->allocate(size);
}

void HpackDecoder::mem_free(void* ptr, void* user) { static_cast<HeapBudget*>(user)->free(ptr); }

void* HpackDecoder::mem_calloc(size_t nmemb, size_t size, void* user) {
  if (size != 0 && nmemb > BoundedHeap::max_allocation() / size) return nullptr;
  return static_cast<HeapBudget*>(user)->allocate_zeroed(nmemb * size);
}

void* HpackDecoder::mem_realloc(void* ptr, size_t size, void* user) {
  auto* budget = static_cast<HeapBudget*>(user);
  if (size == 0) {
    budget->free(ptr);
    return nullptr;
  }
  return budget->reallocate(ptr, size);
}

HpackDecoder::~HpackDecoder() {
  if (inflater_ != nullptr) nghttp2_hd_inflate_del(inflater_);
}

HpackDecoder::Status HpackDecoder::init(HeapBudget& budget) {
  mem_ = nghttp2_mem{&budget, &mem_malloc, &mem_free, &mem_calloc, &mem_realloc};
  const int rv = nghttp2_hd_inflate_new2(&inflater_, &mem_);
  if (rv != 0) {
    inflater_ = nullptr;
    return Status::NoMemory;
  }
  return Status::Ok;
}

HpackDecoder::Status HpackDecoder::decode(const uint8_t* in, size_t len, bool final, HeaderFn fn,
                                          void* ctx) {
  if (inflater_ == nullptr) return Status::Error;
  for (;;) {
    nghttp2_nv nv;
    int flags = 0;
    const ssize_t rv = nghttp2_hd_inflate_hd2(inflater_, &nv, &flags, in, len, final ? 1 : 0);
    if (rv < 0) return rv == NGHTTP2_ERR_NOMEM ? Status::NoMemory : Status::Error;
    in += rv;
    len -= static_cast<size_t>(rv);
    if ((flags & NGHTTP2_HD_INFLATE_EMIT) != 0) {
      const std::string_view name(reinterpret_cast<const char*>(nv.name), nv.namelen);
      const std::string_view value(reinterpret_cast<const char*>(nv.value), nv.valuelen);
      if (!fn(ctx, name, value)) return Status::Stopped;
    }
    if ((flags & NGHTTP2_HD_INFLATE_FINAL) != 0) {
      nghttp2_hd_inflate_end_headers(inflater_);
      return Status::Ok;
    }
    if ((flags & NGHTTP2_HD_INFLATE_EMIT) == 0 && len == 0) return Status::Ok;
  }
}

HpackDecoder::Status HpackDecoder::set_max_table_size(uint32_t bytes) {
  if (inflater_ == nullptr) return Status::Error;
  const int rv = nghttp2_hd_inflate_change_table_size(inflater_, bytes);
  if (rv != 0) return rv == NGHTTP2_ERR_NOMEM ? Status::NoMemory : Status::Error;
  max_table_size_ = bytes;
  return Status::Ok;
}

}  // namespace weir::parse
