// StreamMemory: an intrusive free list threaded through the blocks' `next`.

#include "dataplane/stream/stream_memory.h"

namespace weir::dp {

StreamMemory::StreamMemory(uint32_t blocks)
    : blocks_(new StreamBlock[size_t{blocks} + 1]), capacity_(blocks) {
  for (uint32_t i = 1; i <= capacity_; ++i) blocks_[i].next = i < capacity_ ? i + 1 : 0;
  free_head_ = capacity_ > 0 ? 1 : 0;
}

uint32_t StreamMemory::allocate() {
  const uint32_t i = free_head_;
  if (i == 0) return 0;
  StreamBlock& b = blocks_[i];
  free_head_ = b.next;
  b.seq = 0;
  b.len = 0;
  b.next = 0;
  if (++in_use_ > high_water_) high_water_ = in_use_;
  return i;
}

void StreamMemory::release(uint32_t index) {
  blocks_[index].next = free_head_;
  free_head_ = index;
  --in_use_;
}

}  // namespace weir::dp
