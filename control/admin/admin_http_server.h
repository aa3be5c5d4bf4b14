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
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

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
};

struct PeerCred {
  int64_t pid = -1;
  int64_t uid = -1;
  int64_t gid = -1;
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

  std::string socket_path_;
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
