#pragma once
// StreamStatePool: per-worker memory for Hyperscan stream state, so opening a
// stream on the packet path never calls malloc. Hyperscan takes one
// process-global stream allocator (hs_set_stream_allocator); ours forwards to
// the pool bound to the calling thread through a thread_local pointer (each
// worker binds its own pool once at start). The pool is a fixed number of
// equal blocks carved from one region reserved at construction, handed out
// from a stack of free block indices. A full pool, or a state larger than a
// block, makes the allocation fail: hs_open_stream returns HS_NOMEM, the
// scanner leaves that flow direction unscanned and the pool counts why.
// Each block starts with a small header naming its pool, so a free always
// returns the block to the pool it came from. Not thread-safe: a stream is
// opened and closed by the worker that owns its flow.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace weir::detect {

class StreamStatePool {
 public:
  /// Reserves `capacity` blocks of at least `state_bytes` each (config or
  /// worker start time; allocates). state_bytes: the largest
  /// StreamSignatureDatabase::stream_state_bytes() this pool must serve.
  StreamStatePool(size_t state_bytes, uint32_t capacity);
  ~StreamStatePool();
  StreamStatePool(const StreamStatePool&) = delete;
  StreamStatePool& operator=(const StreamStatePool&) = delete;

  /// Makes this pool serve Hyperscan stream allocations on the calling
  /// thread; installs the process-wide allocator on first use. False when
  /// Hyperscan refused the allocator or the region could not be reserved.
  bool bind_to_this_thread();
  /// The calling thread's pool, or nullptr.
  static StreamStatePool* bound();
  /// Detaches the calling thread (its further opens fail: no pool).
  static void unbind_this_thread();

  bool valid() const { return region_ != nullptr; }
  size_t state_bytes() const { return state_bytes_; }
  size_t block_stride() const { return stride_; }
  uint32_t capacity() const { return capacity_; }
  uint32_t in_use() const { return capacity_ - static_cast<uint32_t>(free_top_); }
  uint32_t high_water() const { return high_water_; }
  /// Allocations refused because every block was taken.
  uint64_t exhausted() const { return exhausted_; }
  /// Allocations refused because the state was larger than a block.
  uint64_t oversize() const { return oversize_; }
  /// Allocations on a thread with no bound pool (counted process-wide).
  static uint64_t unbound_allocations();

 private:
  struct BlockHeader;
  static void* hs_alloc(size_t bytes);
  static void hs_free(void* p);
  void* acquire(size_t bytes);
  void release(BlockHeader* h);

  std::byte* region_ = nullptr;
  size_t state_bytes_ = 0;
  size_t stride_ = 0;
  uint32_t capacity_ = 0;
  std::vector<uint32_t> free_;  ///< stack of free block indices, [0, free_top_)
  size_t free_top_ = 0;
  uint32_t high_water_ = 0;
  uint64_t exhausted_ = 0;
  uint64_t oversize_ = 0;
};

}  // namespace weir::detect
