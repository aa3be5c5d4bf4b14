// ExportSpool (see export_spool.h).
#include "control/export/export_spool.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace weir::ctl {

namespace {
constexpr uint32_t kMaxRecord = 64u << 20;
constexpr uint64_t kCompactAt = 1u << 20;  // dead prefix worth rewriting

[[noreturn]] void io_error(const std::string& what, const std::string& path) {
  throw std::runtime_error("export spool " + path + ": " + what + ": " + std::strerror(errno));
}

bool pread_all(int fd, void* buf, size_t n, uint64_t off) {
  auto* p = static_cast<char*>(buf);
  while (n > 0) {
    const ssize_t r = ::pread(fd, p, n, static_cast<off_t>(off));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
    off += static_cast<uint64_t>(r);
  }
  return true;
}

bool pwrite_all(int fd, const void* buf, size_t n, uint64_t off) {
  const auto* p = static_cast<const char*>(buf);
  while (n > 0) {
    const ssize_t r = ::pwrite(fd, p, n, static_cast<off_t>(off));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
    off += static_cast<uint64_t>(r);
  }
  return true;
}
}  // namespace

ExportSpool::ExportSpool(std::string path, uint64_t max_bytes) : path_(std::move(path)), max_bytes_(max_bytes) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) io_error("open", path_);
  head_fd_ = ::open((path_ + ".head").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (head_fd_ < 0) {
    ::close(fd_);
    io_error("open", path_ + ".head");
  }
  load();
}

ExportSpool::~ExportSpool() {
  if (fd_ >= 0) ::close(fd_);
  if (head_fd_ >= 0) ::close(head_fd_);
}

void ExportSpool::load() {
  struct stat st {};
  if (fstat(fd_, &st) != 0) io_error("stat", path_);
  const auto size = static_cast<uint64_t>(st.st_size);
  uint64_t head = 0;
  if (!pread_all(head_fd_, &head, sizeof head, 0) || head > size) head = 0;
  uint64_t off = head;
  while (off + 4 <= size) {
    uint32_t len = 0;
    if (!pread_all(fd_, &len, 4, off) || len > kMaxRecord || off + 4 + len > size) break;
    index_.push_back({off, len});
    pending_bytes_ += len;
    off += 4 + len;
  }
  end_ = off;
  if (end_ < size && ftruncate(fd_, static_cast<off_t>(end_)) != 0) io_error("truncate", path_);
}

void ExportSpool::persist_head() {
  const uint64_t head = index_.empty() ? end_ : index_.front().offset;
  if (!pwrite_all(head_fd_, &head, sizeof head, 0)) io_error("write", path_ + ".head");
  (void)fdatasync(head_fd_);
}

uint64_t ExportSpool::append(const std::vector<std::string>& payloads) {
  uint64_t dropped = 0;
  std::string buf;
  std::vector<Entry> added;
  uint64_t off = end_;
  for (const std::string& p : payloads) {
    if (p.size() > kMaxRecord || p.size() > max_bytes_) {
      ++dropped;
      continue;
    }
    const auto len = static_cast<uint32_t>(p.size());
    buf.append(reinterpret_cast<const char*>(&len), 4);
    buf += p;
    added.push_back({off, len});
    off += 4 + len;
  }
  if (!buf.empty()) {
    if (!pwrite_all(fd_, buf.data(), buf.size(), end_)) io_error("write", path_);
    if (fdatasync(fd_) != 0) io_error("fdatasync", path_);
    end_ = off;
    for (const Entry& e : added) {
      index_.push_back(e);
      pending_bytes_ += e.length;
    }
  }
  size_t over = 0;
  uint64_t bytes = pending_bytes_;
  while (bytes > max_bytes_ && over < index_.size()) bytes -= index_[over++].length;
  if (over > 0) {
    pop(over);
    dropped += over;
  }
  return dropped;
}

std::vector<std::string> ExportSpool::peek(size_t n) const {
  std::vector<std::string> out;
  for (size_t i = 0; i < n && i < index_.size(); ++i) {
    std::string p(index_[i].length, '\0');
    if (!pread_all(fd_, p.data(), p.size(), index_[i].offset + 4)) io_error("read", path_);
    out.push_back(std::move(p));
  }
  return out;
}

void ExportSpool::pop(size_t n) {
  for (size_t i = 0; i < n && !index_.empty(); ++i) {
    pending_bytes_ -= index_.front().length;
    index_.pop_front();
  }
  const uint64_t dead = index_.empty() ? end_ : index_.front().offset;
  if (index_.empty() || (dead >= kCompactAt && dead * 2 >= end_)) {
    compact();
    return;
  }
  persist_head();
}

// Rewrites the live records to the start of the file. The head goes to 0
// first, so a crash in between replays records (never skips them).
void ExportSpool::compact() {
  if (index_.empty()) {
    end_ = 0;
    persist_head();
    if (ftruncate(fd_, 0) != 0) io_error("truncate", path_);
    return;
  }
  const uint64_t from = index_.front().offset;
  const std::string tmp = path_ + ".tmp";
  const int out = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) io_error("open", tmp);
  std::string chunk(1u << 20, '\0');
  for (uint64_t off = from; off < end_;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(chunk.size(), end_ - off));
    if (!pread_all(fd_, chunk.data(), n, off) || !pwrite_all(out, chunk.data(), n, off - from)) {
      ::close(out);
      io_error("compact", path_);
    }
    off += n;
  }
  (void)fdatasync(out);
  uint64_t zero = 0;
  if (!pwrite_all(head_fd_, &zero, sizeof zero, 0)) io_error("write", path_ + ".head");
  (void)fdatasync(head_fd_);
  if (::rename(tmp.c_str(), path_.c_str()) != 0) {
    ::close(out);
    io_error("rename", tmp);
  }
  ::close(fd_);
  fd_ = out;
  for (Entry& e : index_) e.offset -= from;
  end_ -= from;
}

}  // namespace weir::ctl
