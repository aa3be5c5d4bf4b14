#pragma once
// CleanValueCache: request-line, header and cookie values that a full
// inspection found clean, so the engine can skip them when the same client
// sends them again. Clients repeat most header values verbatim on every
// request (User-Agent, Accept*, sec-ch-ua*, Origin, Host, Content-Type; per
// session Authorization and Cookie), and those are most of the bytes a clean
// API request carries; the method, path segments ("api", "v2", "orders") and
// query arguments ("page=1") are most of its fields.
//
// Sound because a field's findings depend only on (zone, name, value) and
// the compiled snapshot (all three are the key): a value is inserted only when no prefilter match in
// it nominated anything and no fallback scan ran for it (so no rule can fire
// on it), looked up by the full bytes (name and value compared, never a hash
// alone), and the engine clears the cache whenever it binds another
// snapshot. Colliding entries evict each other: an attacker can cost us a
// cache miss, never a skipped inspection.
//
// Fixed memory (slots + a ring of bytes) allocated at construction; no
// allocation, lock or syscall afterwards. One per engine (per worker).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace weir::detect {

class CleanValueCache {
 public:
  /// `slots`: rounded down to a power of two; 0 disables the cache.
  /// `ring_bytes`: where names and values are kept (oldest overwritten).
  CleanValueCache(size_t slots, size_t ring_bytes);

  bool enabled() const { return !slots_.empty(); }
  /// `zone`: the field's parse::Zone as a number (part of the key).
  bool contains(uint8_t zone, std::string_view name, std::string_view value) const {
    return contains(hash_of(zone, name, value), zone, name, value);
  }
  void insert(uint8_t zone, std::string_view name, std::string_view value) {
    insert(hash_of(zone, name, value), zone, name, value);
  }
  /// The key's hash, for a caller that looks a value up and may insert it
  /// later: the same lookups and inserts without hashing the bytes twice.
  static uint32_t hash_of(uint8_t zone, std::string_view name, std::string_view value);
  /// `hash` must be hash_of(zone, name, value).
  bool contains(uint32_t hash, uint8_t zone, std::string_view name, std::string_view value) const;
  void insert(uint32_t hash, uint8_t zone, std::string_view name, std::string_view value);
  void clear();

  /// Values longer than this are not cached (one entry must not flush the ring).
  size_t max_entry() const { return ring_size_ / 16; }

 private:
  struct Slot {
    uint64_t pos = 0;  ///< write cursor at which the entry's bytes start
    uint32_t hash = 0;
    uint32_t name_len = 0;
    uint32_t value_len = 0;
    uint8_t zone = 0;
    bool used = false;
  };
  /// The entry's bytes are still in the ring (not overwritten since).
  bool live(const Slot& s) const;

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  std::unique_ptr<char[]> ring_;
  size_t ring_size_ = 0;
  uint64_t cursor_ = 0;  ///< total bytes ever written; ring offset = cursor % size
};

}  // namespace weir::detect
