#pragma once
// HugePageArray: a fixed-size, value-initialised array for the large
// per-worker tables (flow pool, buckets). From 1 MiB up it is mapped aligned
// to 2 MiB (rounded up to whole huge pages) and advised MADV_HUGEPAGE before
// it is first touched, so a 33 MB flow table costs a few TLB entries instead
// of thousands of 4 KiB page walks (transparent huge pages are usually in
// "madvise" mode); the 1 MiB bucket array of a 2^18-flow table is one huge
// page, not 256 small ones its random accesses would walk. Smaller arrays
// come from operator new. Allocates only in the constructor; throws std::bad_alloc
// like std::vector does.

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>

namespace weir::dp {

template <typename T>
class HugePageArray {
  static_assert(std::is_trivially_destructible_v<T>, "elements are never destroyed one by one");

 public:
  static constexpr size_t kHugePage = size_t{2} << 20;
  static constexpr size_t kMapFrom = kHugePage / 2;

  explicit HugePageArray(size_t n) : size_(n) {
    const size_t bytes = n * sizeof(T);
    if (bytes >= kMapFrom) {
      mapped_ = (bytes + kHugePage - 1) & ~(kHugePage - 1);
      // Over-map by one huge page and trim, so the array starts on a 2 MiB boundary.
      void* raw = mmap(nullptr, mapped_ + kHugePage, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (raw == MAP_FAILED) throw std::bad_alloc();
      const uintptr_t start = reinterpret_cast<uintptr_t>(raw);
      const uintptr_t aligned = (start + kHugePage - 1) & ~(uintptr_t{kHugePage} - 1);
      if (aligned > start) munmap(raw, aligned - start);
      const uintptr_t tail = start + mapped_ + kHugePage - (aligned + mapped_);
      if (tail > 0) munmap(reinterpret_cast<void*>(aligned + mapped_), tail);
      madvise(reinterpret_cast<void*>(aligned), mapped_, MADV_HUGEPAGE);  // advisory only
      data_ = reinterpret_cast<T*>(aligned);
    } else {
      data_ = static_cast<T*>(::operator new(bytes > 0 ? bytes : 1, std::align_val_t{alignof(T)}));
    }
    for (size_t i = 0; i < n; ++i) new (data_ + i) T();
  }
  ~HugePageArray() { release(); }
  HugePageArray(const HugePageArray&) = delete;
  HugePageArray& operator=(const HugePageArray&) = delete;
  HugePageArray(HugePageArray&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)),
        mapped_(std::exchange(o.mapped_, 0)) {}
  HugePageArray& operator=(HugePageArray&& o) noexcept {
    if (this != &o) {
      release();
      data_ = std::exchange(o.data_, nullptr);
      size_ = std::exchange(o.size_, 0);
      mapped_ = std::exchange(o.mapped_, 0);
    }
    return *this;
  }

  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  /// True when the array is on its own 2 MiB-aligned mapping.
  bool huge_mapped() const { return mapped_ != 0; }

 private:
  void release() {
    if (data_ == nullptr) return;
    if (mapped_ != 0) {
      munmap(data_, mapped_);
    } else {
      ::operator delete(data_, std::align_val_t{alignof(T)});
    }
    data_ = nullptr;
  }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t mapped_ = 0;  // bytes mapped; 0 when from operator new
};

}  // namespace weir::dp
