#pragma once
// Helpers for weir-control tests: temp dirs, a raw HTTP client on a Unix
// socket, and a running ControlPlane + admin server on temporary sockets.

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "control/admin/admin_api.h"
#include "control/admin/admin_http_server.h"
#include "control/control_plane.h"

namespace weir::ctl::testing_util {

inline std::string temp_dir() {
  char dir[] = "/tmp/weir_ctl_XXXXXX";
  EXPECT_NE(mkdtemp(dir), nullptr);
  return dir;
}

inline int connect_unix(const std::string& path) {
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

/// Sends raw bytes, half-closes, returns everything the server sent.
inline std::string raw_exchange(const std::string& path, const std::string& bytes) {
  const int fd = connect_unix(path);
  if (fd < 0) return "<connect failed>";
  size_t off = 0;
  while (off < bytes.size()) {
    const ssize_t n = send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  shutdown(fd, SHUT_WR);
  std::string out;
  char buf[65536];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return out;
}

struct Reply {
  int status = 0;
  std::string head;
  nlohmann::json body;
};

inline Reply parse_reply(const std::string& raw) {
  Reply r;
  if (raw.rfind("HTTP/1.1 ", 0) != 0) return r;
  r.status = std::stoi(raw.substr(9, 3));
  const size_t end = raw.find("\r\n\r\n");
  r.head = raw.substr(0, end);
  if (end != std::string::npos) r.body = nlohmann::json::parse(raw.substr(end + 4), nullptr, false);
  return r;
}

inline Reply request(const std::string& sock, const std::string& method, const std::string& target,
                     const std::string& body = "") {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: weir\r\nConnection: close\r\n";
  if (!body.empty() || method == "POST" || method == "PUT")
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  return parse_reply(raw_exchange(sock, req));
}

/// weir-control in-process: ControlPlane + AdminApi + AdminHttpServer.
struct RunningControl {
  std::string dir;
  std::string admin_sock;
  std::string dp_sock;
  std::unique_ptr<ControlPlane> cp;
  std::unique_ptr<AdminApi> api;
  std::unique_ptr<AdminHttpServer> http;

  /// `reuse_dir`: start again on the state and sockets of an earlier run.
  explicit RunningControl(HttpLimits limits = {}, const std::string& reuse_dir = "")
      : dir(reuse_dir.empty() ? temp_dir() : reuse_dir), admin_sock(dir + "/admin.sock"), dp_sock(dir + "/dp.sock") {
    ControlOptions opts;
    opts.state_dir = dir + "/state";
    opts.admin_socket = admin_sock;
    opts.dataplane_socket = dp_sock;
    cp = std::make_unique<ControlPlane>(opts);
    cp->start();
    api = std::make_unique<AdminApi>(*cp);
    http = std::make_unique<AdminHttpServer>(
        admin_sock, [this](const HttpRequest& r, const PeerCred& p) { return api->handle(r, p); }, limits);
    http->start();
  }
  ~RunningControl() {
    cp->store().interrupt_waits();
    http->stop();
    cp->stop();
  }
  Reply call(const std::string& method, const std::string& target, const std::string& body = "") {
    return request(admin_sock, method, target, body);
  }
};

}  // namespace weir::ctl::testing_util
