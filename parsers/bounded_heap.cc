// Size classes are powers of two so a block's class fits in its header and
// free lists need no search; the price (up to half a block of slack) is paid
// in a region sized at start-up, never in a system allocation.
#include "parsers/bounded_heap.h"

#include <algorithm>
#include <cstring>

namespace weir::parse {
namespace {

size_t class_of(size_t total) {
  size_t c = 0;
  while ((size_t{1} << (BoundedHeap::kMinBlockShift + c)) < total) ++c;
  return c;
}

}  // namespace

BoundedHeap::BoundedHeap(size_t bytes)
    : memory_(new uint8_t[bytes + 64]), capacity_(bytes) {
  auto raw = reinterpret_cast<uintptr_t>(memory_.get());
  base_ = reinterpret_cast<uint8_t*>((raw + 63) & ~uintptr_t{63});
}

void* BoundedHeap::take(size_t n, size_t* block_bytes) {
  if (n > max_allocation()) return nullptr;
  const size_t c = class_of(n + kHeaderBytes);
  const size_t size = size_t{1} << (kMinBlockShift + c);
  uint8_t* block = nullptr;
  if (free_[c] != nullptr) {
    block = reinterpret_cast<uint8_t*>(free_[c]);
    free_[c] = free_[c]->next;
  } else {
    if (size > capacity_ - carved_) return nullptr;
    block = base_ + carved_;
    carved_ += size;
  }
  std::memcpy(block, &c, sizeof(c));
  in_use_ += size;
  *block_bytes = size;
  return block + kHeaderBytes;
}

void BoundedHeap::give(void* user, size_t* block_bytes) {
  uint8_t* block = static_cast<uint8_t*>(user) - kHeaderBytes;
  size_t c = 0;
  std::memcpy(&c, block, sizeof(c));
  const size_t size = size_t{1} << (kMinBlockShift + c);
  auto* f = reinterpret_cast<FreeBlock*>(block);
  f->next = free_[c];
  free_[c] = f;
  in_use_ -= size;
  *block_bytes = size;
}

size_t BoundedHeap::usable(const void* user) {
  const uint8_t* block = static_cast<const uint8_t*>(user) - kHeaderBytes;
  size_t c = 0;
  std::memcpy(&c, block, sizeof(c));
  return (size_t{1} << (kMinBlockShift + c)) - kHeaderBytes;
}

void* HeapBudget::allocate(size_t n) {
  if (n == 0) n = 1;
  size_t block = 0;
  // The budget is checked against the block actually taken, after the fact,
  // because only the heap knows the class size.
  void* p = heap_->take(n, &block);
  if (p != nullptr && block > limit_ - std::min(limit_, used_)) {
    heap_->give(p, &block);
    p = nullptr;
  }
  if (p == nullptr) {
    ++heap_->exhausted_;
    return nullptr;
  }
  used_ += block;
  return p;
}

void* HeapBudget::allocate_zeroed(size_t n) {
  void* p = allocate(n);
  if (p != nullptr) std::memset(p, 0, n);
  return p;
}

void* HeapBudget::reallocate(void* p, size_t n) {
  if (p == nullptr) return allocate(n);
  const size_t have = usable(p);
  if (n <= have) return p;
  void* q = allocate(n);
  if (q == nullptr) return nullptr;
  std::memcpy(q, p, have);
  free(p);
  return q;
}

void HeapBudget::free(void* p) {
  if (p == nullptr) return;
  size_t block = 0;
  heap_->give(p, &block);
  used_ -= block;
}

}  // namespace weir::parse
