#pragma once
// Arena: per-worker bump allocator for what a parser builds while handling a
// decision point (field vectors, JSON paths, lower-cased names, decoded
// values). Memory is reserved once at start-up; reset() after the sink has
// returned makes it reusable. Running out is not an error of the traffic: the
// caller gets nullptr and reports a cap finding.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace weir::parse {

class Arena {
 public:
  explicit Arena(size_t capacity)
      : data_(new uint8_t[capacity]), capacity_(capacity) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  /// Returns `size` bytes aligned to `align` (a power of two), or nullptr.
  void* allocate(size_t size, size_t align = alignof(std::max_align_t)) {
    const size_t start = (used_ + align - 1) & ~(align - 1);
    if (start > capacity_ || size > capacity_ - start) return nullptr;
    used_ = start + size;
    return data_.get() + start;
  }

  template <typename T>
  T* allocate_array(size_t n) {
    if (n > capacity_ / sizeof(T)) return nullptr;
    return static_cast<T*>(allocate(n * sizeof(T), alignof(T)));
  }

  /// Copies `s` into the arena; returns an empty view when full.
  std::string_view copy(std::string_view s) {
    if (s.empty()) return {};
    auto* p = static_cast<char*>(allocate(s.size(), 1));
    if (p == nullptr) return {};
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

  void reset() { used_ = 0; }
  size_t used() const { return used_; }
  size_t capacity() const { return capacity_; }

 private:
  std::unique_ptr<uint8_t[]> data_;
  size_t capacity_;
  size_t used_ = 0;
};

}  // namespace weir::parse
