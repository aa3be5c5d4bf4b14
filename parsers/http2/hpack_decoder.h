#pragma once
// HpackDecoder: one direction's HPACK decoding context (RFC 7541) on
// nghttp2 1.52's inflater. Its memory comes from the flow's HeapBudget (a
// share of the worker's BoundedHeap), so a flow that makes nghttp2 allocate
// more than its share gets NoMemory, never a system allocation. Header blocks
// are fed in pieces as frames arrive; each decoded header goes to a callback
// right away because nghttp2's name/value views die at the next call.

#include <nghttp2/nghttp2.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parsers/bounded_heap.h"

namespace weir::parse {

class HpackDecoder {
 public:
  enum class Status : uint8_t {
    Ok,        ///< input consumed
    Error,     ///< the block is not valid HPACK (the context is now unusable)
    NoMemory,  ///< the budget or the worker's heap is exhausted
    Stopped,   ///< the callback asked to stop
  };
  /// Returns false to stop decoding.
  using HeaderFn = bool (*)(void* ctx, std::string_view name, std::string_view value);

  HpackDecoder() = default;
  ~HpackDecoder();
  HpackDecoder(const HpackDecoder&) = delete;
  HpackDecoder& operator=(const HpackDecoder&) = delete;

  /// Creates the inflater with memory from `budget` (which must outlive this).
  Status init(HeapBudget& budget);
  bool ready() const { return inflater_ != nullptr; }

  /// Feeds the next piece of the current header block; `final` marks its
  /// last piece (after which the next block starts).
  Status decode(const uint8_t* in, size_t len, bool final, HeaderFn fn, void* ctx);

  /// Applies the decoder-side SETTINGS_HEADER_TABLE_SIZE (only between blocks).
  Status set_max_table_size(uint32_t bytes);
  uint32_t max_table_size() const { return max_table_size_; }

 private:
  static void* mem_malloc(size_t size, void* user);
  static void mem_free(void* ptr, void* user);
  static void* mem_calloc(size_t nmemb, size_t size, void* user);
  static void* mem_realloc(void* ptr, size_t size, void* user);

  // nghttp2 1.52 keeps a pointer to the nghttp2_mem it was created with
  // (hd_context_init stores it, whatever the API notes say): it lives here.
  nghttp2_mem mem_{};
  nghttp2_hd_inflater* inflater_ = nullptr;
  uint32_t max_table_size_ = 4096;
};

}  // namespace weir::parse
