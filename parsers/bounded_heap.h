#pragma once
// BoundedHeap: per-worker memory for buffers whose size is only known from
// the traffic (HTTP/2 header lists and bodies, gRPC messages) and for the C
// libraries that allocate on their own (nghttp2's HPACK inflater, zlib). One
// region is reserved at start-up and carved into power-of-two blocks kept on
// per-size free lists: allocate and free are list operations, never malloc.
// Blocks are neither split nor merged, so a carved block keeps its size class
// for the life of the worker. Every user allocates through a HeapBudget that
// caps what one flow can hold; running out of the budget or of the region is
// a nullptr that the caller turns into FeedStatus::ResourceLimit.

#include <cstddef>
#include <cstdint>
#include <memory>

namespace weir::parse {

class HeapBudget;

class BoundedHeap {
 public:
  static constexpr size_t kMinBlockShift = 6;   ///< 64 bytes
  static constexpr size_t kMaxBlockShift = 18;  ///< 256 KiB
  static constexpr size_t kHeaderBytes = 16;    ///< class tag in front of each block

  explicit BoundedHeap(size_t bytes);
  BoundedHeap(const BoundedHeap&) = delete;
  BoundedHeap& operator=(const BoundedHeap&) = delete;

  /// The largest request allocate() can satisfy.
  static constexpr size_t max_allocation() {
    return (size_t{1} << kMaxBlockShift) - kHeaderBytes;
  }

  size_t capacity() const { return capacity_; }
  /// Bytes of blocks currently handed out (headers included).
  size_t in_use() const { return in_use_; }
  /// How many requests found the region (or their budget) exhausted.
  uint64_t exhausted() const { return exhausted_; }

 private:
  friend class HeapBudget;
  static constexpr size_t kClasses = kMaxBlockShift - kMinBlockShift + 1;

  struct FreeBlock {
    FreeBlock* next;
  };

  /// Block of the class for `n` user bytes, or nullptr; `*block_bytes` gets its size.
  void* take(size_t n, size_t* block_bytes);
  /// Returns a block from take(); `*block_bytes` gets its size.
  void give(void* user, size_t* block_bytes);
  static size_t usable(const void* user);

  std::unique_ptr<uint8_t[]> memory_;
  uint8_t* base_ = nullptr;
  size_t capacity_ = 0;
  size_t carved_ = 0;
  size_t in_use_ = 0;
  uint64_t exhausted_ = 0;
  FreeBlock* free_[kClasses] = {};
};

/// One flow's share of a BoundedHeap. Not copyable: the C libraries keep a
/// pointer to it, so it must stay where it was built.
class HeapBudget {
 public:
  HeapBudget(BoundedHeap& heap, size_t limit) : heap_(&heap), limit_(limit) {}
  ~HeapBudget() = default;
  HeapBudget(const HeapBudget&) = delete;
  HeapBudget& operator=(const HeapBudget&) = delete;

  /// `n` bytes aligned to 16, or nullptr (budget or region exhausted).
  void* allocate(size_t n);
  void* allocate_zeroed(size_t n);
  /// Contents kept up to the smaller size; nullptr leaves `p` valid.
  void* reallocate(void* p, size_t n);
  void free(void* p);
  /// Usable bytes of a block from allocate() (at least what was asked).
  static size_t usable(const void* p) { return p == nullptr ? 0 : BoundedHeap::usable(p); }

  size_t used() const { return used_; }
  size_t limit() const { return limit_; }
  BoundedHeap& heap() { return *heap_; }

 private:
  BoundedHeap* heap_;
  size_t limit_;
  size_t used_ = 0;
};

}  // namespace weir::parse
