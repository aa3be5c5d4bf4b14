#include "cli/admin_client.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <httplib.h>
#include <openssl/x509.h>

#include "cli/cli_exit_code.h"

namespace weir::cli {

namespace {

constexpr const char* kJsonType = "application/json";

// httplib reports a failed connect without errno; repeating the connect on
// our own socket gives the operator the real reason (ENOENT, EACCES, ...).
int probe_connect_errno(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path) return ENAMETOOLONG;
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  int err = 0;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) err = errno;
  ::close(fd);
  return err;
}

}  // namespace

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

std::string with_query(std::string_view path, const QueryParams& params) {
  std::string out(path);
  char sep = '?';
  for (const auto& [key, value] : params) {
    if (value.empty()) continue;
    out += sep;
    out += url_encode(key);
    out += '=';
    out += url_encode(value);
    sep = '&';
  }
  return out;
}

std::string api_error_message(const ApiResponse& response) {
  const auto& j = response.json;
  if (!j.is_discarded() && j.is_object()) {
    const nlohmann::json* err = &j;
    if (j.contains("error") && j["error"].is_object()) err = &j["error"];
    if (err->contains("message") && (*err)["message"].is_string()) {
      return (*err)["message"].get<std::string>();
    }
    if (j.contains("error") && j["error"].is_string()) return j["error"].get<std::string>();
  }
  std::string body = response.body;
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
  if (!body.empty()) return "HTTP " + std::to_string(response.status) + ": " + body;
  return "HTTP " + std::to_string(response.status);
}

std::string api_error_code(const ApiResponse& response) {
  const auto& j = response.json;
  if (!j.is_discarded() && j.is_object() && j.contains("error") && j["error"].is_object() &&
      j["error"].contains("code") && j["error"]["code"].is_string()) {
    return j["error"]["code"].get<std::string>();
  }
  return "";
}

nlohmann::json expect_ok(const ApiResponse& response) {
  if (!response.ok()) {
    throw CliError(exit_code_for_api_status(response.status, api_error_code(response)),
                   api_error_message(response));
  }
  if (response.json.is_discarded()) {
    if (response.body.empty()) return nullptr;
    throw CliError(ExitCode::Failed, "weir-control sent a response that is not JSON");
  }
  return response.json;
}

AdminClient::AdminClient(std::string socket_path) : socket_path_(std::move(socket_path)) {}

AdminClient::AdminClient(RemoteServer remote) : socket_path_(remote.url), remote_(std::move(remote)) {}

void check_server_url(const std::string& url) {
  if (url.rfind("http://", 0) == 0)
    throw CliError(ExitCode::Usage, "--server " + url + ": plain http is refused; the admin API is only served over https");
  if (url.rfind("https://", 0) != 0 || url.size() <= 8)
    throw CliError(ExitCode::Usage, "--server must be https://HOST:PORT, got '" + url + "'");
  const std::string rest = url.substr(8);
  if (rest.find('/') != std::string::npos && rest.find('/') != rest.size() - 1)
    throw CliError(ExitCode::Usage, "--server takes no path: https://HOST:PORT, got '" + url + "'");
}

ApiResponse AdminClient::send_remote(const char* method, const std::string& target, const std::string* body) {
  std::string base = remote_->url;
  if (!base.empty() && base.back() == '/') base.pop_back();
  httplib::Client client(base);
  client.enable_server_certificate_verification(true);
  if (!remote_->ca_file.empty()) client.set_ca_cert_path(remote_->ca_file.c_str());
  if (!remote_->token.empty()) client.set_bearer_token_auth(remote_->token.c_str());
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(read_timeout_);
  client.set_write_timeout(std::chrono::seconds(10));
  const httplib::Headers headers = {{"Accept", kJsonType}};
  const std::string m(method);
  auto result = [&] {
    if (m == "GET") return client.Get(target, headers);
    if (m == "POST") return client.Post(target, headers, *body, kJsonType);
    if (m == "PUT") return client.Put(target, headers, *body, kJsonType);
    return client.Delete(target, headers);
  }();
  if (!result) {
    std::string why = httplib::to_string(result.error());
    const long verify = client.get_openssl_verify_result();
    if (verify != X509_V_OK) why += std::string(" (certificate: ") + X509_verify_cert_error_string(verify) + ")";
    throw CliError(ExitCode::Unreachable, "cannot talk to " + remote_->url + ": " + why);
  }
  ApiResponse response;
  response.status = result->status;
  response.body = result->body;
  response.json = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  return response;
}

void AdminClient::throw_unreachable(const std::string& what) const {
  throw CliError(ExitCode::Unreachable, what + " (is weir-control running?)");
}

ApiResponse AdminClient::send(const char* method, const std::string& target,
                              const std::string* body) {
  if (remote_) return send_remote(method, target, body);
  sockaddr_un probe{};
  if (socket_path_.size() >= sizeof probe.sun_path) {
    throw CliError(ExitCode::Usage, "socket path too long (max " +
                                        std::to_string(sizeof probe.sun_path - 1) +
                                        " bytes): " + socket_path_);
  }
  httplib::Client client(socket_path_, 80);
  client.set_address_family(AF_UNIX);
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(read_timeout_);
  client.set_write_timeout(std::chrono::seconds(10));
  // The path is not a host name; some servers reject a Host with slashes.
  const httplib::Headers headers = {{"Host", "localhost"}, {"Accept", kJsonType}};
  const std::string m(method);
  auto result = [&] {
    if (m == "GET") return client.Get(target, headers);
    if (m == "POST") return client.Post(target, headers, *body, kJsonType);
    if (m == "PUT") return client.Put(target, headers, *body, kJsonType);
    return client.Delete(target, headers);
  }();
  if (!result) {
    const auto error = result.error();
    if (error == httplib::Error::Connection || error == httplib::Error::ConnectionTimeout) {
      const int err = probe_connect_errno(socket_path_);
      throw_unreachable("cannot connect to " + socket_path_ + ": " +
                        (err != 0 ? std::strerror(err) : httplib::to_string(error)));
    }
    throw_unreachable("lost the connection to " + socket_path_ + " during " + m + " " + target +
                      ": " + httplib::to_string(error));
  }
  ApiResponse response;
  response.status = result->status;
  response.body = result->body;
  response.json = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  return response;
}

ApiResponse AdminClient::get(const std::string& target) { return send("GET", target, nullptr); }

ApiResponse AdminClient::post(const std::string& target, const nlohmann::json& body) {
  const std::string text = body.dump();
  return send("POST", target, &text);
}

ApiResponse AdminClient::put(const std::string& target, const nlohmann::json& body) {
  const std::string text = body.dump();
  return send("PUT", target, &text);
}

ApiResponse AdminClient::del(const std::string& target) { return send("DELETE", target, nullptr); }

nlohmann::json AdminClient::get_ok(const std::string& target) { return expect_ok(get(target)); }
nlohmann::json AdminClient::post_ok(const std::string& target, const nlohmann::json& body) {
  return expect_ok(post(target, body));
}
nlohmann::json AdminClient::put_ok(const std::string& target, const nlohmann::json& body) {
  return expect_ok(put(target, body));
}
nlohmann::json AdminClient::del_ok(const std::string& target) { return expect_ok(del(target)); }

}  // namespace weir::cli
