#pragma once
// A small HTTP/1.1 server on a Unix stream socket for the admin API:
// requests parsed by llhttp, one thread per connection (bounded), keep-alive
// and pipelining, hard limits on header and body size, an idle timeout, and
// the peer's credentials (SO_PEERCRED) handed to the handler for auditing.
// The socket is created mode 0600. Any malformed request gets a 400 error
// object and the connection is closed.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace weir::ctl {

struct HttpRequest {
  std::string method;  ///< "GET", "POST", ...
  std::string target;  ///< as sent: path and query
  std::string path;    ///< target before '?', not decoded
  std::vector<std::pair<std::string, std::string>> query;  ///< decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  ///< names lowercased
  std::string body;
  bool query_ok = true;  ///< false: a bad %-escape in the query
};

struct HttpResponse {
  int status = 200;
  std::string body;  ///< JSON
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type = "application/json";
};

/// Which listener a request came in on.
enum class AdminTransport : uint8_t {
  Unix,     ///< the 0600 Unix socket: trusted as its owner
  Tls,      ///< TCP with TLS: bearer token required
  Metrics,  ///< plain TCP, GET /metrics only
};

struct PeerCred {
  int64_t pid = -1;
  int64_t uid = -1;
  int64_t gid = -1;
  AdminTransport transport = AdminTransport::Unix;
  std::string address;  ///< TCP peer address (no port); "" on the Unix socket
};

/// A TCP listener: HOST:PORT, with a certificate and key for TLS (required
/// for AdminTransport::Tls, unused for Metrics).
struct TcpListenSpec {
  AdminTransport transport = AdminTransport::Tls;
  std::string address;
  std::string tls_cert;
  std::string tls_key;
};

struct HttpLimits {
  size_t max_header_bytes = 64 * 1024;
  size_t max_body_bytes = 4 * 1024 * 1024;
  unsigned max_connections = 32;
  int idle_timeout_ms = 65000;  ///< longer than the longest long-poll (60 s)
};

class AdminHttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&, const PeerCred&)>;

  AdminHttpServer(std::string socket_path, Handler handler, HttpLimits limits = {});
  /// A TCP listener (TLS admin API or plain /metrics).
  AdminHttpServer(TcpListenSpec tcp, Handler handler, HttpLimits limits = {});
  ~AdminHttpServer();

  /// Binds (0600) and starts accepting; throws std::runtime_error.
  void start();
  /// Stops accepting, shuts down open connections and waits for them.
  void stop();

  /// The error body used for protocol-level errors, shared with the API.
  static std::string error_body(const std::string& code, const std::string& message);

 private:
  void accept_loop();
  void serve(int fd);

  void start_tcp();

  std::string socket_path_;
  std::optional<TcpListenSpec> tcp_;
  ::ssl_ctx_st* tls_ctx_ = nullptr;
  Handler handler_;
  HttpLimits limits_;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  std::atomic<bool> running_{false};
  std::thread acceptor_;
  std::mutex mu_;
  std::condition_variable idle_cv_;
  std::set<int> open_fds_;
  unsigned active_ = 0;
};

/// Percent-decoding for query strings ('+' is a space). False on a bad escape.
bool url_decode(std::string_view in, std::string& out);

}  // namespace weir::ctl
