// Slabs are carved from one allocation so the pool's footprint is known at
// start-up and a flow can never make the worker allocate.
#include "parsers/slab_pool.h"

namespace weir::parse {

SlabPool::SlabPool(size_t slab_size, size_t slab_count)
    : slab_size_((slab_size + 63) & ~size_t{63}),
      slab_count_(slab_count),
      memory_(new uint8_t[slab_size_ * slab_count + 64]),
      free_(new uint8_t*[slab_count > 0 ? slab_count : 1]) {
  // 64-byte alignment: simdjson and memcpy like it, and slabs never share a line.
  auto base = reinterpret_cast<uintptr_t>(memory_.get());
  auto* aligned = reinterpret_cast<uint8_t*>((base + 63) & ~uintptr_t{63});
  for (size_t i = 0; i < slab_count; ++i) free_[i] = aligned + i * slab_size_;
  free_count_ = slab_count;
}

uint8_t* SlabPool::acquire() {
  if (free_count_ == 0) {
    ++exhausted_;
    return nullptr;
  }
  return free_[--free_count_];
}

void SlabPool::release(uint8_t* slab) {
  if (slab == nullptr || free_count_ >= slab_count_) return;
  free_[free_count_++] = slab;
}

}  // namespace weir::parse
