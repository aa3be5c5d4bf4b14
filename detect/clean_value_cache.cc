// CleanValueCache: direct-mapped slots over a ring of bytes. See the header.

#include "detect/clean_value_cache.h"

#include <nmmintrin.h>

#include <cstdint>
#include <cstring>

namespace weir::detect {
namespace {

// Every looked-up value of a request is hashed: 8 bytes per step, and the
// last few bytes as one more word overlapping the one before (4-byte words
// for values of 4 to 7 bytes), not one step per byte. Only a hash: lookups
// compare the bytes.
uint32_t crc(uint32_t h, std::string_view s) {
  const char* p = s.data();
  const size_t n = s.size();
  if (n >= 8) {
    uint64_t h64 = h;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      h64 = _mm_crc32_u64(h64, w);
    }
    if (i < n) {
      uint64_t w;
      std::memcpy(&w, p + n - 8, 8);
      h64 = _mm_crc32_u64(h64, w);
    }
    return static_cast<uint32_t>(h64);
  }
  if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    return _mm_crc32_u32(_mm_crc32_u32(h, a), b);
  }
  for (size_t i = 0; i < n; ++i) h = _mm_crc32_u8(h, static_cast<unsigned char>(p[i]));
  return h;
}

// `n` bytes (sizeof(Word) <= n <= 2 * sizeof(Word)) compared as their first
// and last word, which overlap.
template <typename Word>
bool same_ends(const char* a, const char* b, size_t n) {
  Word a0, a1, b0, b1;
  std::memcpy(&a0, a, sizeof(Word));
  std::memcpy(&b0, b, sizeof(Word));
  std::memcpy(&a1, a + n - sizeof(Word), sizeof(Word));
  std::memcpy(&b1, b + n - sizeof(Word), sizeof(Word));
  return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

// Most names and many values are a few bytes: two overlapping loads, not a
// memcmp call per lookup (each hit compares the name and the value).
bool same_bytes(const char* a, const char* b, size_t n) {
  if (n >= 8 && n <= 16) return same_ends<uint64_t>(a, b, n);
  if (n >= 4 && n < 8) return same_ends<uint32_t>(a, b, n);
  if (n < 4) {
    for (size_t i = 0; i < n; ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  return std::memcmp(a, b, n) == 0;
}

}  // namespace

CleanValueCache::CleanValueCache(size_t slots, size_t ring_bytes) {
  if (slots == 0 || ring_bytes < 1024) return;
  size_t n = 1;
  while (n * 2 <= slots) n *= 2;
  slots_.assign(n, Slot{});
  mask_ = n - 1;
  ring_.reset(new char[ring_bytes]);
  ring_size_ = ring_bytes;
}

uint32_t CleanValueCache::hash_of(uint8_t zone, std::string_view name, std::string_view value) {
  // The name's length is mixed in so ("ab", "c") and ("a", "bc") differ.
  return crc(crc(static_cast<uint32_t>(name.size()) << 8 | zone, name), value);
}

bool CleanValueCache::live(const Slot& s) const {
  return s.used && cursor_ - s.pos <= ring_size_ - (s.name_len + s.value_len);
}

bool CleanValueCache::contains(uint32_t h, uint8_t zone, std::string_view name,
                               std::string_view value) const {
  if (slots_.empty() || name.size() + value.size() > max_entry()) return false;
  const Slot& s = slots_[h & mask_];
  if (s.hash != h || s.zone != zone || s.name_len != name.size() || s.value_len != value.size() || !live(s)) return false;
  const char* at = ring_.get() + s.pos % ring_size_;
  return same_bytes(at, name.data(), name.size()) &&
         same_bytes(at + name.size(), value.data(), value.size());
}

void CleanValueCache::insert(uint32_t h, uint8_t zone, std::string_view name, std::string_view value) {
  size_t len = name.size() + value.size();
  if (slots_.empty() || len > max_entry()) return;
  // Entries never wrap around the ring's end: skip to its start.
  if (cursor_ % ring_size_ + len > ring_size_) cursor_ += ring_size_ - cursor_ % ring_size_;
  char* at = ring_.get() + cursor_ % ring_size_;
  std::memcpy(at, name.data(), name.size());
  std::memcpy(at + name.size(), value.data(), value.size());
  slots_[h & mask_] = {cursor_, h, static_cast<uint32_t>(name.size()), static_cast<uint32_t>(value.size()), zone,
                       true};
  cursor_ += len;
}

void CleanValueCache::clear() {
  for (Slot& s : slots_) s = Slot{};
  cursor_ = 0;
}

}  // namespace weir::detect
