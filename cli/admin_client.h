#pragma once
// weirctl's client for the weir-control admin API: HTTP/1.1 + JSON over the
// admin Unix socket. Transport failures become CliError(Unreachable) with the
// reason (errno) and a hint; HTTP errors are returned for the caller to judge.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace weir::cli {

inline constexpr const char* kDefaultAdminSocket = "/run/weir/admin.sock";

struct ApiResponse {
  int status = 0;
  std::string body;
  nlohmann::json json;  ///< parsed body; discarded (is_discarded()) when not JSON

  bool ok() const { return status >= 200 && status < 300; }
};

/// Query parameters; empty values are left out.
using QueryParams = std::map<std::string, std::string>;

/// Percent-encodes a query component (RFC 3986 unreserved kept as is).
std::string url_encode(std::string_view text);
/// "path?k=v&..." with encoded values; params with empty values are omitted.
std::string with_query(std::string_view path, const QueryParams& params);

/// The message of an API error response: the error object's "message" (with
/// else the raw body, else the status.
std::string api_error_message(const ApiResponse& response);
/// The error object's "code" ("invalid_config", "not_found"), or "".
std::string api_error_code(const ApiResponse& response);

/// A remote weir-control: the admin API over HTTPS with a bearer token.
struct RemoteServer {
  std::string url;      ///< https://HOST:PORT (plain http:// is refused)
  std::string token;    ///< "weir_..." as printed by `weirctl token create`
  std::string ca_file;  ///< CA that signed the server's certificate; "" = system store
};

/// Checks a --server URL: https://HOST[:PORT] with nothing after; throws
/// CliError(Usage) otherwise (http:// is refused: tokens never go in clear).
void check_server_url(const std::string& url);

class AdminClient {
 public:
  explicit AdminClient(std::string socket_path);
  /// Talks to `remote` instead of the Unix socket.
  explicit AdminClient(RemoteServer remote);

  const std::string& socket_path() const { return socket_path_; }
  /// Read timeout per request; long-polls raise it above their wait.
  void set_read_timeout(std::chrono::seconds timeout) { read_timeout_ = timeout; }

  ApiResponse get(const std::string& target);
  ApiResponse post(const std::string& target, const nlohmann::json& body);
  ApiResponse put(const std::string& target, const nlohmann::json& body);
  ApiResponse del(const std::string& target);

  /// Same, but a non-2xx status throws CliError with the API's message.
  nlohmann::json get_ok(const std::string& target);
  nlohmann::json post_ok(const std::string& target, const nlohmann::json& body);
  nlohmann::json put_ok(const std::string& target, const nlohmann::json& body);
  nlohmann::json del_ok(const std::string& target);

 private:
  ApiResponse send(const char* method, const std::string& target, const std::string* body);
  [[noreturn]] void throw_unreachable(const std::string& what) const;

  ApiResponse send_remote(const char* method, const std::string& target, const std::string* body);

  std::string socket_path_;
  std::optional<RemoteServer> remote_;
  std::chrono::seconds read_timeout_{30};
};

/// Unless response is 2xx, throws CliError (code from exit_code_for_api_status)
/// with the API's error message;
/// returns the parsed JSON body (null for an empty body).
nlohmann::json expect_ok(const ApiResponse& response);

}  // namespace weir::cli
