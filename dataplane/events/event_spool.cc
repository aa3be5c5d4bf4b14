// EventSpool: see event_spool.h.
#include "dataplane/events/event_spool.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace weir::dp {

namespace {
constexpr char kMagic[8] = {'W', 'E', 'I', 'R', 'S', 'P', 'L', '1'};

bool write_all_at(int fd, const void* data, size_t len, uint64_t off) {
  const char* p = static_cast<const char*>(data);
  while (len > 0) {
    const ssize_t n = pwrite(fd, p, len, static_cast<off_t>(off));
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    len -= static_cast<size_t>(n);
    off += static_cast<uint64_t>(n);
  }
  return true;
}
}  // namespace

EventSpool::~EventSpool() {
  if (fd_ >= 0) close(fd_);
}

bool EventSpool::open(const std::string& path, uint64_t max_bytes, std::string& err) {
  if (fd_ >= 0) close(fd_);
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    err = "open(" + path + "): " + std::strerror(errno);
    return false;
  }
  max_bytes_ = max_bytes < kHeaderSize + sizeof(Event) ? kHeaderSize + sizeof(Event) : max_bytes;
  char header[kHeaderSize] = {};
  std::memcpy(header, kMagic, sizeof kMagic);
  const uint32_t rec = sizeof(Event);
  std::memcpy(header + 8, &rec, sizeof rec);

  struct stat st{};
  fstat(fd_, &st);
  char existing[kHeaderSize] = {};
  const bool valid = st.st_size >= static_cast<off_t>(kHeaderSize) &&
                     pread(fd_, existing, kHeaderSize, 0) == static_cast<ssize_t>(kHeaderSize) &&
                     std::memcmp(existing, header, 12) == 0;
  if (!valid) {
    // Unknown content (or an empty new file): start a fresh spool.
    if (ftruncate(fd_, 0) != 0 || !write_all_at(fd_, header, kHeaderSize, 0)) {
      err = "init " + path + ": " + std::strerror(errno);
      close(fd_);
      fd_ = -1;
      return false;
    }
    end_ = kHeaderSize;
  } else {
    const uint64_t body = static_cast<uint64_t>(st.st_size) - kHeaderSize;
    end_ = kHeaderSize + body / sizeof(Event) * sizeof(Event);
    if (end_ != static_cast<uint64_t>(st.st_size) && ftruncate(fd_, static_cast<off_t>(end_)) != 0)
      ++io_errors_;  // the torn tail is ignored either way
  }
  acked_ = read_ = kHeaderSize;
  return true;
}

size_t EventSpool::append(const Event* events, size_t n) {
  if (fd_ < 0 || n == 0) return 0;
  const uint64_t room = end_ >= max_bytes_ ? 0 : (max_bytes_ - end_) / sizeof(Event);
  const size_t take = n < room ? n : static_cast<size_t>(room);
  if (take == 0) return 0;
  if (!write_all_at(fd_, events, take * sizeof(Event), end_)) {
    ++io_errors_;
    // A partial write leaves a torn record past end_, overwritten next time.
    return 0;
  }
  end_ += take * sizeof(Event);
  return take;
}

size_t EventSpool::read_next(Event* out, size_t max) {
  if (fd_ < 0 || read_ >= end_ || max == 0) return 0;
  const uint64_t avail = (end_ - read_) / sizeof(Event);
  const size_t take = max < avail ? max : static_cast<size_t>(avail);
  const size_t bytes = take * sizeof(Event);
  size_t got = 0;
  while (got < bytes) {
    const ssize_t n = pread(fd_, reinterpret_cast<char*>(out) + got, bytes - got,
                            static_cast<off_t>(read_ + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  if (got < bytes) {
    ++io_errors_;
    return 0;
  }
  read_ += bytes;
  return take;
}

void EventSpool::ack_to(uint64_t offset) {
  if (offset > acked_ && offset <= end_) acked_ = offset;
  if (acked_ > read_) read_ = acked_;
  reset_if_drained();
}

void EventSpool::reset_if_drained() {
  if (fd_ < 0 || acked_ != end_ || end_ == kHeaderSize) return;
  if (ftruncate(fd_, static_cast<off_t>(kHeaderSize)) != 0) {
    ++io_errors_;
    return;
  }
  acked_ = read_ = end_ = kHeaderSize;
}

}  // namespace weir::dp
