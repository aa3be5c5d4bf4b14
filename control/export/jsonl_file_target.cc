// JsonlFileTarget (see jsonl_file_target.h).
#include "control/export/jsonl_file_target.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace weir::ctl {

JsonlFileTarget::JsonlFileTarget(std::string path, uint64_t max_bytes, uint32_t keep)
    : path_(std::move(path)), max_bytes_(max_bytes), keep_(keep) {}

JsonlFileTarget::~JsonlFileTarget() {
  if (fd_ >= 0) ::close(fd_);
}

std::string JsonlFileTarget::format(const AlertRecord& a) { return alert_export_json(a) + "\n"; }

bool JsonlFileTarget::open_file(std::string& error) {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd_ < 0) {
    error = "open " + path_ + ": " + std::strerror(errno);
    return false;
  }
  struct stat st {};
  size_ = fstat(fd_, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
  return true;
}

bool JsonlFileTarget::rotate(std::string& error) {
  ::close(fd_);
  fd_ = -1;
  if (keep_ == 0) {
    if (::truncate(path_.c_str(), 0) != 0 && errno != ENOENT) {
      error = "truncate " + path_ + ": " + std::strerror(errno);
      return false;
    }
    return open_file(error);
  }
  ::unlink((path_ + "." + std::to_string(keep_)).c_str());
  for (uint32_t k = keep_; k > 1; --k) {
    const std::string from = path_ + "." + std::to_string(k - 1);
    ::rename(from.c_str(), (path_ + "." + std::to_string(k)).c_str());
  }
  if (::rename(path_.c_str(), (path_ + ".1").c_str()) != 0 && errno != ENOENT) {
    error = "rotate " + path_ + ": " + std::strerror(errno);
    return false;
  }
  return open_file(error);
}

Delivery JsonlFileTarget::deliver(const std::string& payload, std::string& error) {
  if (fd_ < 0 && !open_file(error)) return Delivery::Retry;
  if (size_ > 0 && size_ + payload.size() > max_bytes_ && !rotate(error)) return Delivery::Retry;
  size_t off = 0;
  while (off < payload.size()) {
    const ssize_t n = ::write(fd_, payload.data() + off, payload.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = "write " + path_ + ": " + std::strerror(errno);
      // A partial line would corrupt the file for readers; end it.
      if (off > 0) (void)!::write(fd_, "\n", 1);
      ::close(fd_);
      fd_ = -1;
      return Delivery::Retry;
    }
    off += static_cast<size_t>(n);
  }
  size_ += payload.size();
  return Delivery::Ok;
}

void JsonlFileTarget::flush() {
  if (fd_ >= 0) (void)fdatasync(fd_);
}

}  // namespace weir::ctl
