#pragma once
// A client byte stream to HOST:PORT over TCP, optionally TLS (OpenSSL,
// TLS 1.2+, the peer's certificate verified against a CA file and the
// expected name or IP). Blocking with timeouts; one owner thread.

#include <openssl/ssl.h>

#include <string>

namespace weir::ctl {

class TlsClientStream {
 public:
  /// tls = false: plain TCP. ca_file/server_name only for TLS; server_name
  /// empty = host. Throws std::runtime_error when the CA file is unusable.
  TlsClientStream(std::string host, uint16_t port, bool tls, const std::string& ca_file,
                  std::string server_name, int timeout_ms);
  ~TlsClientStream();
  TlsClientStream(const TlsClientStream&) = delete;
  TlsClientStream& operator=(const TlsClientStream&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool connect(std::string& error);
  /// Writes all of `data`; on failure closes and says why.
  bool write_all(const std::string& data, std::string& error);
  /// True when the peer has closed or reset the connection (checked
  /// without blocking before a batch, so a restarted receiver is noticed
  /// before data goes into a dead socket).
  bool peer_closed();
  void close();

 private:
  std::string host_;
  uint16_t port_;
  bool tls_;
  std::string server_name_;
  int timeout_ms_;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
};

}  // namespace weir::ctl
