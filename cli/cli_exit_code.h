#pragma once
// The exit codes weirctl promises to scripts, and the one error type that
// carries a code from wherever an operation fails up to main().

#include <stdexcept>
#include <string>
#include <string_view>

namespace weir::cli {

enum class ExitCode : int {
  Ok = 0,           ///< the operation succeeded
  Failed = 1,       ///< weir-control refused or failed the operation (API error)
  Usage = 2,        ///< bad command line or invalid input (bad CIDR, bad TTL)
  Unreachable = 3,  ///< weir-control cannot be reached on its admin socket
};

/// An error that ends the command: message goes to stderr as one line,
/// prefixed "weirctl: ", and the process exits with code().
class CliError : public std::runtime_error {
 public:
  CliError(ExitCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

/// Exit code for an admin API answer: 2xx is success; 400 invalid_value is
/// the operator's input refused by the server (usage); everything else
/// (refused config, not found, dataplane away, internal) is a failed operation.
ExitCode exit_code_for_api_status(int status, std::string_view error_code);

/// Exit code for a CLI11 parse result: its own 0 (help, version) stays 0,
/// any parse error is a usage error.
ExitCode exit_code_for_parse_status(int cli11_status);

inline int to_int(ExitCode code) { return static_cast<int>(code); }

}  // namespace weir::cli
