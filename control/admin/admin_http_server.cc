// AdminHttpServer (see admin_http_server.h).
#include "control/admin/admin_http_server.h"
#include "control/private_unix_socket.h"

#include <fcntl.h>
#include <arpa/inet.h>
#include <llhttp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <strings.h>
#include <stdexcept>

namespace weir::ctl {

namespace {

const char* reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 429: return "Too Many Requests";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
  }
}

// Per-connection parse state; llhttp calls back into it through data.
struct Conn {
  HttpRequest req;
  std::string header_field;
  std::string header_value;
  size_t header_bytes = 0;
  bool too_large = false;
  const HttpLimits* limits = nullptr;
  int fd = -1;
  SSL* ssl = nullptr;
};

bool write_all(int fd, SSL* ssl, const std::string& data);

Conn& conn_of(llhttp_t* p) { return *static_cast<Conn*>(p->data); }

int on_message_begin(llhttp_t* p) {
  Conn& c = conn_of(p);
  c.req = HttpRequest();
  c.header_bytes = 0;
  return 0;
}
int on_url(llhttp_t* p, const char* at, size_t len) {
  Conn& c = conn_of(p);
  c.header_bytes += len;
  if (c.header_bytes > c.limits->max_header_bytes) {
    c.too_large = true;
    return -1;
  }
  c.req.target.append(at, len);
  return 0;
}
int on_header_field(llhttp_t* p, const char* at, size_t len) {
  Conn& c = conn_of(p);
  c.header_bytes += len;
  if (c.header_bytes > c.limits->max_header_bytes) {
    c.too_large = true;
    return -1;
  }
  c.header_field.append(at, len);
  return 0;
}
int on_header_value(llhttp_t* p, const char* at, size_t len) {
  Conn& c = conn_of(p);
  c.header_bytes += len;
  if (c.header_bytes > c.limits->max_header_bytes) {
    c.too_large = true;
    return -1;
  }
  c.header_value.append(at, len);
  return 0;
}
int on_header_value_complete(llhttp_t* p) {
  Conn& c = conn_of(p);
  for (char& ch : c.header_field) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  c.req.headers.emplace_back(std::move(c.header_field), std::move(c.header_value));
  c.header_field.clear();
  c.header_value.clear();
  return 0;
}
// curl sends "Expect: 100-continue" before bodies over 1 KiB and waits a
// second for this interim answer; give it at once.
int on_headers_complete(llhttp_t* p) {
  Conn& c = conn_of(p);
  for (const auto& [name, value] : c.req.headers) {
    if (name == "expect" && strcasecmp(value.c_str(), "100-continue") == 0) {
      write_all(c.fd, c.ssl, "HTTP/1.1 100 Continue\r\n\r\n");
    }
  }
  return 0;
}
int on_body(llhttp_t* p, const char* at, size_t len) {
  Conn& c = conn_of(p);
  if (c.req.body.size() + len > c.limits->max_body_bytes) {
    c.too_large = true;
    return -1;
  }
  c.req.body.append(at, len);
  return 0;
}
int on_message_complete(llhttp_t* p) {
  Conn& c = conn_of(p);
  c.req.method = llhttp_method_name(static_cast<llhttp_method_t>(p->method));
  // Stop after each message so pipelined requests are answered in order.
  return HPE_PAUSED;
}

void split_target(HttpRequest& req) {
  const size_t q = req.target.find('?');
  req.path = req.target.substr(0, q);
  if (q == std::string::npos) return;
  std::string_view rest(req.target);
  rest.remove_prefix(q + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view item = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    std::string key, value;
    if (!url_decode(item.substr(0, eq), key) ||
        (eq != std::string_view::npos && !url_decode(item.substr(eq + 1), value)))
      req.query_ok = false;
    req.query.emplace_back(std::move(key), std::move(value));
  }
}

bool write_all(int fd, SSL* ssl, const std::string& data) {
  size_t off = 0;
  while (ssl && off < data.size()) {
    const int n = SSL_write(ssl, data.data() + off, static_cast<int>(data.size() - off));
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  while (off < data.size()) {
    const ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

std::string render(const HttpResponse& r, bool keep_alive) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + reason_phrase(r.status) + "\r\n";
  out += "Content-Type: " + r.content_type + "\r\nContent-Length: " + std::to_string(r.body.size()) + "\r\n";
  out += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  for (const auto& [k, v] : r.headers) out += k + ": " + v + "\r\n";
  out += "\r\n";
  out += r.body;
  return out;
}


}  // namespace

bool url_decode(std::string_view in, std::string& out) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= in.size() || !std::isxdigit(static_cast<unsigned char>(in[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(in[i + 2])))
        return false;
      out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += c;
    }
  }
  return true;
}

std::string AdminHttpServer::error_body(const std::string& code, const std::string& message) {
  // Fixed codes and messages without quotes or backslashes: no escaping needed.
  return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}";
}

AdminHttpServer::AdminHttpServer(std::string socket_path, Handler handler, HttpLimits limits)
    : socket_path_(std::move(socket_path)), handler_(std::move(handler)), limits_(limits) {}

AdminHttpServer::AdminHttpServer(TcpListenSpec tcp, Handler handler, HttpLimits limits)
    : tcp_(std::move(tcp)), handler_(std::move(handler)), limits_(limits) {}

AdminHttpServer::~AdminHttpServer() {
  stop();
  if (tls_ctx_) SSL_CTX_free(tls_ctx_);
}

namespace {
std::string tls_error() {
  const unsigned long e = ERR_get_error();
  char buf[256] = "unknown TLS error";
  if (e) ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}
}  // namespace

// Binds HOST:PORT; for TLS loads the certificate and key first, so a bad
// file is a start-up error naming the file.
void AdminHttpServer::start_tcp() {
  if (tcp_->transport == AdminTransport::Tls) {
    tls_ctx_ = SSL_CTX_new(TLS_server_method());
    if (!tls_ctx_) throw std::runtime_error("TLS: " + tls_error());
    SSL_CTX_set_min_proto_version(tls_ctx_, TLS1_2_VERSION);
    if (SSL_CTX_use_certificate_chain_file(tls_ctx_, tcp_->tls_cert.c_str()) != 1)
      throw std::runtime_error("admin.tls_cert " + tcp_->tls_cert + ": " + tls_error());
    if (SSL_CTX_use_PrivateKey_file(tls_ctx_, tcp_->tls_key.c_str(), SSL_FILETYPE_PEM) != 1)
      throw std::runtime_error("admin.tls_key " + tcp_->tls_key + ": " + tls_error());
    if (SSL_CTX_check_private_key(tls_ctx_) != 1)
      throw std::runtime_error("admin.tls_key does not match admin.tls_cert: " + tls_error());
  }
  std::string host, port;
  const std::string& a = tcp_->address;
  const size_t colon = a.rfind(':');
  host = a.substr(0, colon);
  port = a.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* res = nullptr;
  const int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0) throw std::runtime_error("listen " + a + ": " + gai_strerror(rc));
  std::string error = "no address";
  for (addrinfo* ai = res; ai && listen_fd_ < 0; ai = ai->ai_next) {
    const int fd = ::socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, 64) == 0) {
      listen_fd_ = fd;
    } else {
      error = std::strerror(errno);
      ::close(fd);
    }
  }
  freeaddrinfo(res);
  if (listen_fd_ < 0) throw std::runtime_error("listen " + a + ": " + error);
}

void AdminHttpServer::start() {
  if (tcp_) {
    start_tcp();
  } else {
    listen_fd_ = listen_private_unix_socket(socket_path_, 64, "admin");
  }
  if (pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("pipe2 failed");
  running_ = true;
  acceptor_ = std::thread([this] { accept_loop(); });
}

void AdminHttpServer::stop() {
  if (!running_.exchange(false)) return;
  const char c = 'x';
  (void)!write(wake_pipe_[1], &c, 1);
  if (acceptor_.joinable()) acceptor_.join();
  std::unique_lock lock(mu_);
  for (int fd : open_fds_) shutdown(fd, SHUT_RDWR);
  idle_cv_.wait(lock, [&] { return active_ == 0; });
  close(listen_fd_);
  if (!tcp_) unlink(socket_path_.c_str());
  close(wake_pipe_[0]);
  close(wake_pipe_[1]);
}

void AdminHttpServer::accept_loop() {
  while (running_) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0 && errno != EINTR) break;
    if (!(fds[0].revents & POLLIN)) continue;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::unique_lock lock(mu_);
    if (!running_ || active_ >= limits_.max_connections) {
      lock.unlock();
      HttpResponse busy{503, error_body("busy", "too many admin connections"), {}};
      // On a TLS listener the client expects a handshake, not text: just close.
      if (!tls_ctx_) write_all(fd, nullptr, render(busy, false));
      close(fd);
      continue;
    }
    ++active_;
    open_fds_.insert(fd);
    lock.unlock();
    std::thread([this, fd] {
      serve(fd);
      std::lock_guard guard(mu_);
      open_fds_.erase(fd);
      close(fd);
      --active_;
      idle_cv_.notify_all();
    }).detach();
  }
}

void AdminHttpServer::serve(int fd) {
  PeerCred cred;
  SSL* ssl = nullptr;
  if (tcp_) {
    cred.transport = tcp_->transport;
    sockaddr_storage peer{};
    socklen_t plen = sizeof peer;
    char text[INET6_ADDRSTRLEN] = "";
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &plen) == 0) {
      if (peer.ss_family == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&peer)->sin_addr, text, sizeof text);
      else if (peer.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&peer)->sin6_addr, text, sizeof text);
    }
    cred.address = text;
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  } else {
    ucred uc{};
    socklen_t len = sizeof uc;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == 0) {
      cred.pid = uc.pid;
      cred.uid = uc.uid;
      cred.gid = uc.gid;
    }
  }
  // The handshake gets a short timeout; the idle timeout applies after it.
  timeval hs{5, 0};
  timeval tv{limits_.idle_timeout_ms / 1000, (limits_.idle_timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tls_ctx_ ? &hs : &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, tls_ctx_ ? &hs : &tv, sizeof tv);
  if (tls_ctx_) {
    ssl = SSL_new(tls_ctx_);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) != 1) {
      ERR_clear_error();
      SSL_free(ssl);
      return;
    }
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
  struct SslGuard {
    SSL* s;
    ~SslGuard() {
      if (s) {
        SSL_shutdown(s);
        SSL_free(s);
      }
    }
  } guard{ssl};

  llhttp_settings_t settings;
  llhttp_settings_init(&settings);
  settings.on_message_begin = on_message_begin;
  settings.on_url = on_url;
  settings.on_header_field = on_header_field;
  settings.on_header_value = on_header_value;
  settings.on_header_value_complete = on_header_value_complete;
  settings.on_headers_complete = on_headers_complete;
  settings.on_body = on_body;
  settings.on_message_complete = on_message_complete;
  llhttp_t parser;
  llhttp_init(&parser, HTTP_REQUEST, &settings);
  Conn conn;
  conn.limits = &limits_;
  conn.fd = fd;
  conn.ssl = ssl;
  parser.data = &conn;

  char buf[16384];
  while (running_) {
    const ssize_t n = ssl ? SSL_read(ssl, buf, sizeof buf) : recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;  // closed, idle timeout or shutdown
    size_t off = 0;
    while (off < static_cast<size_t>(n)) {
      const llhttp_errno_t err = llhttp_execute(&parser, buf + off, static_cast<size_t>(n) - off);
      if (err == HPE_OK) break;
      if (err != HPE_PAUSED) {
        HttpResponse bad = conn.too_large
                               ? HttpResponse{413, error_body("payload_too_large", "request too large"), {}}
                               : HttpResponse{400, error_body("bad_request", "malformed HTTP request"), {}};
        write_all(fd, ssl, render(bad, false));
        return;
      }
      off = static_cast<size_t>(llhttp_get_error_pos(&parser) - buf);
      const bool keep_alive = llhttp_should_keep_alive(&parser) != 0;
      split_target(conn.req);
      HttpResponse resp;
      try {
        resp = handler_(conn.req, cred);
      } catch (const std::exception& e) {
        resp = HttpResponse{500, error_body("internal", "internal error"), {}};
      }
      if (!write_all(fd, ssl, render(resp, keep_alive)) || !keep_alive) return;
      llhttp_resume(&parser);
    }
  }
}

}  // namespace weir::ctl
