#pragma once
// An exporter's on-disk spool: formatted payloads that could not be
// delivered, kept in order until the receiver is back. Two files: PATH
// holds records (u32 LE length + bytes), PATH.head the offset of the first
// undelivered record. Appends are fdatasync'ed before the exporter moves
// its store cursor; the head moves after delivery, so a crash re-delivers
// (at-least-once) and never loses. Bounded: past max_bytes the oldest
// records are dropped and counted. A torn tail (crash mid-append) is cut
// off at open.

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace weir::ctl {

class ExportSpool {
 public:
  /// Opens or creates the spool; throws std::runtime_error when the files
  /// cannot be opened.
  ExportSpool(std::string path, uint64_t max_bytes);
  ~ExportSpool();
  ExportSpool(const ExportSpool&) = delete;
  ExportSpool& operator=(const ExportSpool&) = delete;

  bool empty() const { return index_.empty(); }
  uint64_t records() const { return index_.size(); }
  uint64_t bytes() const { return pending_bytes_; }

  /// Appends durably; returns how many of the oldest records were dropped
  /// to stay within max_bytes (a single payload over the bound is dropped
  /// itself). Throws std::runtime_error on an I/O error (nothing counted
  /// as spooled then).
  uint64_t append(const std::vector<std::string>& payloads);
  /// Up to n oldest records, oldest first.
  std::vector<std::string> peek(size_t n) const;
  /// Removes the n oldest records (delivered or given up) and persists the head.
  void pop(size_t n);

 private:
  struct Entry {
    uint64_t offset;  ///< of the length prefix
    uint32_t length;  ///< of the payload
  };
  void load();
  void persist_head();
  void compact();

  std::string path_;
  uint64_t max_bytes_;
  int fd_ = -1;
  int head_fd_ = -1;
  uint64_t end_ = 0;  ///< file size (append position)
  std::deque<Entry> index_;
  uint64_t pending_bytes_ = 0;
};

}  // namespace weir::ctl
