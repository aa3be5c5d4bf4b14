#pragma once
// Per-request scratch memory for transformed field values. One arena per
// worker, allocated once, reset per request (and rewound per field): the hot
// path never calls malloc. Transforms are non-expanding, so an output never
// needs more than its input's length.

#include <cstddef>
#include <memory>

namespace weir::detect {

class TransformArena {
 public:
  explicit TransformArena(size_t capacity)
      : buf_(new char[capacity == 0 ? 1 : capacity]), capacity_(capacity) {}

  /// Space for `n` bytes, or nullptr when the arena cannot hold them.
  char* reserve(size_t n) {
    if (n > capacity_ - used_) return nullptr;
    return buf_.get() + used_;
  }
  /// Keeps the first `n` bytes of the last reserve().
  void commit(size_t n) { used_ += n; }

  size_t mark() const { return used_; }
  void rewind(size_t mark) { if (mark <= used_) used_ = mark; }
  void reset() { used_ = 0; }

  size_t capacity() const { return capacity_; }
  size_t used() const { return used_; }
  bool contains(const char* p, size_t n) const {
    const char* b = buf_.get();
    return p >= b && n <= capacity_ && p - b <= static_cast<ptrdiff_t>(capacity_ - n);
  }

 private:
  std::unique_ptr<char[]> buf_;
  size_t capacity_;
  size_t used_ = 0;
};

}  // namespace weir::detect
