#pragma once
// FieldList / FindingList: bounded append-only vectors over storage taken
// from the per-worker Arena. A full list refuses more entries and remembers
// that it did, so the caller can report the cap instead of dropping silently.

#include <cstdint>
#include <span>

#include "parsers/arena.h"
#include "parsers/field.h"
#include "parsers/parser_finding.h"

namespace weir::parse {

template <typename T>
class BoundedList {
 public:
  BoundedList() = default;
  BoundedList(Arena& arena, uint32_t capacity)
      : data_(arena.allocate_array<T>(capacity)),
        capacity_(data_ != nullptr ? capacity : 0) {}

  bool push(const T& v) {
    if (size_ == capacity_) {
      overflowed_ = true;
      return false;
    }
    data_[size_++] = v;
    return true;
  }
  uint32_t size() const { return size_; }
  uint32_t capacity() const { return capacity_; }
  bool overflowed() const { return overflowed_; }
  bool full() const { return size_ == capacity_; }
  const T& operator[](uint32_t i) const { return data_[i]; }
  std::span<const T> view() const { return {data_, size_}; }
  std::span<const T> view_from(uint32_t first) const {
    return first < size_ ? std::span<const T>{data_ + first, size_ - first} : std::span<const T>{};
  }
  /// Drops entries past `n` (used to rebuild the tail of a message's fields).
  void truncate(uint32_t n) {
    if (n < size_) size_ = n;
  }

 private:
  T* data_ = nullptr;
  uint32_t capacity_ = 0;
  uint32_t size_ = 0;
  bool overflowed_ = false;
};

class FieldList : public BoundedList<Field> {
 public:
  using BoundedList<Field>::BoundedList;
  bool add(Zone zone, std::string_view name, std::string_view value) {
    return push(Field{zone, name, value});
  }
};

class FindingList : public BoundedList<ParserFinding> {
 public:
  using BoundedList<ParserFinding>::BoundedList;
  bool add(std::string_view name, std::string_view detail, FindingSeverity sev) {
    return push(ParserFinding{name, detail, sev});
  }
  bool has_fatal() const {
    for (uint32_t i = 0; i < size(); ++i) {
      if ((*this)[i].severity == FindingSeverity::Fatal) return true;
    }
    return false;
  }
};

}  // namespace weir::parse
