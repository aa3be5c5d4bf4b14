#pragma once
// A bounded on-disk queue of Event records, used by the main lcore while the
// control plane is away (and while an older backlog is still being replayed).
// Layout: a 64-byte header then raw 256-byte records. Three cursors:
// acked <= read <= end. append() writes at end; read_next() hands records
// from read on; ack_to() moves acked once the control plane stored them;
// rewind() moves read back to acked after a disconnect (at-least-once). When
// everything is acked the file is truncated back to its header.
// No DPDK, no exceptions; plain POSIX I/O on the main lcore only.

#include <cstddef>
#include <cstdint>
#include <string>

#include "dataplane/events/event.h"

namespace weir::dp {

class EventSpool {
 public:
  EventSpool() = default;
  ~EventSpool();
  EventSpool(const EventSpool&) = delete;
  EventSpool& operator=(const EventSpool&) = delete;

  /// Opens or creates `path`; records left by a previous run are pending (a
  /// torn trailing record is cut off). `max_bytes` caps the file size.
  bool open(const std::string& path, uint64_t max_bytes, std::string& err);
  bool is_open() const { return fd_ >= 0; }

  /// Appends up to n records; returns how many fit under the cap (the rest
  /// are the caller's to count as dropped). Stops early on an I/O error.
  size_t append(const Event* events, size_t n);

  /// Copies up to `max` records from the read cursor on; advances it.
  size_t read_next(Event* out, size_t max);

  /// Byte offset just past the last record handed out by read_next().
  uint64_t read_offset() const { return read_; }
  /// Everything before `offset` is stored by the control plane.
  void ack_to(uint64_t offset);
  /// After a disconnect: hand out again everything not acked.
  void rewind() { read_ = acked_; }

  bool has_unread() const { return read_ < end_; }
  bool has_unacked() const { return acked_ < end_; }
  uint64_t pending_records() const { return (end_ - acked_) / sizeof(Event); }
  uint64_t size_bytes() const { return end_; }
  uint64_t io_errors() const { return io_errors_; }

  static constexpr uint64_t kHeaderSize = 64;

 private:
  void reset_if_drained();

  int fd_ = -1;
  uint64_t max_bytes_ = 0;
  uint64_t acked_ = kHeaderSize;
  uint64_t read_ = kHeaderSize;
  uint64_t end_ = kHeaderSize;
  uint64_t io_errors_ = 0;
};

}  // namespace weir::dp
