#pragma once
// A listening Unix stream socket only its owner (and root) can connect to:
// born 0600 under a umask, so there is no window in which another user could
// connect. Shared by the admin API and the dataplane channel.

#include <string>

namespace weir::ctl {

/// Creates parent folders, replaces a stale socket file, binds and listens.
/// Returns the listening fd (SOCK_CLOEXEC). Throws std::runtime_error naming
/// `what` and the path on failure.
int listen_private_unix_socket(const std::string& path, int backlog, const std::string& what);

}  // namespace weir::ctl
