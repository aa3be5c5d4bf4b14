#pragma once
// SlabPool: per-worker pool of fixed-size buffers that a per-flow parser
// borrows while a message is in flight (a head that spans chunks, a body kept
// for inspection) and returns at the end of the message. All memory is
// reserved at start-up; acquire() is a free-list pop, never malloc. An empty
// pool is a memory cap the parser reports (FeedStatus::ResourceLimit).

#include <cstddef>
#include <cstdint>
#include <memory>

namespace weir::parse {

class SlabPool {
 public:
  SlabPool(size_t slab_size, size_t slab_count);
  SlabPool(const SlabPool&) = delete;
  SlabPool& operator=(const SlabPool&) = delete;

  /// A slab of slab_size() bytes, or nullptr when all are in use.
  uint8_t* acquire();
  /// Gives back a slab obtained from acquire() of this pool (nullptr is a no-op).
  void release(uint8_t* slab);

  size_t slab_size() const { return slab_size_; }
  size_t available() const { return free_count_; }
  size_t capacity() const { return slab_count_; }
  /// How many acquire() calls found the pool empty.
  uint64_t exhausted() const { return exhausted_; }

 private:
  size_t slab_size_;
  size_t slab_count_;
  std::unique_ptr<uint8_t[]> memory_;
  std::unique_ptr<uint8_t*[]> free_;
  size_t free_count_ = 0;
  uint64_t exhausted_ = 0;
};

}  // namespace weir::parse
