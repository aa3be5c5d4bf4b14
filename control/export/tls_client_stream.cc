// TlsClientStream (see tls_client_stream.h).
#include "control/export/tls_client_stream.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace weir::ctl {

namespace {
std::string ssl_error_text() {
  const unsigned long e = ERR_get_error();
  if (e == 0) return "TLS error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

bool is_ip_literal(const std::string& host) {
  in6_addr a6{};
  in_addr a4{};
  return inet_pton(AF_INET, host.c_str(), &a4) == 1 || inet_pton(AF_INET6, host.c_str(), &a6) == 1;
}
}  // namespace

TlsClientStream::TlsClientStream(std::string host, uint16_t port, bool tls, const std::string& ca_file,
                                 std::string server_name, int timeout_ms)
    : host_(std::move(host)), port_(port), tls_(tls), server_name_(std::move(server_name)), timeout_ms_(timeout_ms) {
  if (server_name_.empty()) server_name_ = host_;
  if (!tls_) return;
  ctx_ = SSL_CTX_new(TLS_client_method());
  if (!ctx_) throw std::runtime_error("SSL_CTX_new: " + ssl_error_text());
  SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
  if (SSL_CTX_load_verify_locations(ctx_, ca_file.c_str(), nullptr) != 1) {
    const std::string why = ssl_error_text();
    SSL_CTX_free(ctx_);
    ctx_ = nullptr;
    throw std::runtime_error("cannot load CA file " + ca_file + ": " + why);
  }
}

TlsClientStream::~TlsClientStream() {
  close();
  if (ctx_) SSL_CTX_free(ctx_);
}

void TlsClientStream::close() {
  if (ssl_) {
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

bool TlsClientStream::connect(std::string& error) {
  close();
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  const int rc = getaddrinfo(host_.c_str(), std::to_string(port_).c_str(), &hints, &res);
  if (rc != 0) {
    error = "resolve " + host_ + ": " + gai_strerror(rc);
    return false;
  }
  error = "no address for " + host_;
  for (addrinfo* ai = res; ai; ai = ai->ai_next) {
    const int fd = ::socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) continue;
    int r = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (r != 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      r = ::poll(&p, 1, timeout_ms_) == 1 ? 0 : -1;
      int so_error = r == 0 ? 0 : ETIMEDOUT;
      socklen_t len = sizeof so_error;
      if (r == 0) getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len);
      if (so_error != 0) {
        errno = so_error;
        r = -1;
      }
    }
    if (r != 0) {
      error = "connect " + host_ + ":" + std::to_string(port_) + ": " + std::strerror(errno);
      ::close(fd);
      continue;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    timeval tv{timeout_ms_ / 1000, (timeout_ms_ % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    fd_ = fd;
    break;
  }
  freeaddrinfo(res);
  if (fd_ < 0) return false;
  if (!tls_) return true;
  ssl_ = SSL_new(ctx_);
  SSL_set_fd(ssl_, fd_);
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl_);
  if (is_ip_literal(server_name_)) {
    X509_VERIFY_PARAM_set1_ip_asc(param, server_name_.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl_, server_name_.c_str());
    SSL_set1_host(ssl_, server_name_.c_str());
  }
  if (SSL_connect(ssl_) != 1) {
    const long v = SSL_get_verify_result(ssl_);
    error = "TLS handshake with " + host_ + ":" + std::to_string(port_) + ": " +
            (v != X509_V_OK ? std::string("certificate verify failed: ") + X509_verify_cert_error_string(v)
                            : ssl_error_text());
    close();
    return false;
  }
  return true;
}

bool TlsClientStream::write_all(const std::string& data, std::string& error) {
  size_t off = 0;
  while (off < data.size()) {
    int n;
    if (ssl_) {
      n = SSL_write(ssl_, data.data() + off, static_cast<int>(data.size() - off));
      if (n <= 0) {
        error = "TLS write: " + ssl_error_text();
        close();
        return false;
      }
    } else {
      n = static_cast<int>(::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        error = std::string("send: ") + std::strerror(errno);
        close();
        return false;
      }
    }
    off += static_cast<size_t>(n);
  }
  return true;
}

bool TlsClientStream::peer_closed() {
  if (fd_ < 0) return true;
  pollfd p{fd_, POLLIN | POLLRDHUP, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  if (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) return true;
  // Readable: syslog receivers never send, so this is EOF or TLS close_notify.
  char c;
  const ssize_t n = ::recv(fd_, &c, 1, MSG_PEEK | MSG_DONTWAIT);
  return n <= 0;
}

}  // namespace weir::ctl
