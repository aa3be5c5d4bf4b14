#pragma once
// StreamMemory: one worker's reassembly memory. A pool of fixed-size blocks
// allocated once at start-up, shared by every flow of the worker: the
// per-worker budget. Each block holds a run of consecutive stream bytes of
// one direction (inspected history or out-of-order data). No allocation on
// the packet path; running out is a counted, policy-handled event
// (SegmentReason::MemoryCap), never a crash.

#include <cstddef>
#include <cstdint>
#include <memory>

namespace weir::dp {

/// One pool block: a run [seq, seq + len) of one direction's bytes, linked in
/// sequence order. Index 0 is "none".
struct StreamBlock {
  static constexpr uint32_t kSize = 2048;
  static constexpr uint32_t kDataBytes = kSize - 12;

  uint32_t seq = 0;
  uint32_t next = 0;
  uint16_t len = 0;
  uint16_t reserved = 0;
  uint8_t data[kDataBytes];

  uint32_t end() const { return seq + len; }
  uint32_t room() const { return kDataBytes - len; }
};
static_assert(sizeof(StreamBlock) == StreamBlock::kSize);

class StreamMemory {
 public:
  /// `blocks` usable blocks (the budget is blocks * StreamBlock::kSize bytes).
  explicit StreamMemory(uint32_t blocks);
  StreamMemory(const StreamMemory&) = delete;
  StreamMemory& operator=(const StreamMemory&) = delete;

  /// Takes a block (seq/len/next zeroed); 0 when the budget is spent.
  uint32_t allocate();
  void release(uint32_t index);

  StreamBlock& block(uint32_t index) { return blocks_[index]; }
  const StreamBlock& block(uint32_t index) const { return blocks_[index]; }

  uint32_t capacity() const { return capacity_; }
  uint32_t in_use() const { return in_use_; }
  uint32_t available() const { return capacity_ - in_use_; }
  size_t bytes_in_use() const { return size_t{in_use_} * StreamBlock::kSize; }
  /// Highest in_use() ever seen (sizing the budget).
  uint32_t high_water() const { return high_water_; }

 private:
  std::unique_ptr<StreamBlock[]> blocks_;  // [0] unused
  uint32_t capacity_;
  uint32_t free_head_ = 0;
  uint32_t in_use_ = 0;
  uint32_t high_water_ = 0;
};

}  // namespace weir::dp
