#include "control/private_unix_socket.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace weir::ctl {
namespace {

void make_parent_dirs(const std::string& path) {
  for (size_t i = 1; i < path.size(); ++i)
    if (path[i] == '/') mkdir(path.substr(0, i).c_str(), 0755);
}

}  // namespace

int listen_private_unix_socket(const std::string& path, int backlog, const std::string& what) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) throw std::runtime_error(what + " socket path too long: " + path);
  std::memcpy(addr.sun_path, path.data(), path.size());
  make_parent_dirs(path);
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  unlink(path.c_str());
  const mode_t old = umask(0177);  // the socket is born 0600
  const int rc = fd < 0 ? -1 : bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  umask(old);
  if (rc != 0 || listen(fd, backlog) != 0) {
    const std::string err = std::strerror(errno);
    if (fd >= 0) close(fd);
    throw std::runtime_error("cannot listen on " + path + ": " + err);
  }
  chmod(path.c_str(), 0600);
  return fd;
}

}  // namespace weir::ctl
