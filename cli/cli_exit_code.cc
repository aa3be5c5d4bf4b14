#include "cli/cli_exit_code.h"

namespace weir::cli {

ExitCode exit_code_for_api_status(int status, std::string_view error_code) {
  if (status >= 200 && status < 300) return ExitCode::Ok;
  if (status == 400 && error_code == "invalid_value") return ExitCode::Usage;
  return ExitCode::Failed;
}

ExitCode exit_code_for_parse_status(int cli11_status) {
  return cli11_status == 0 ? ExitCode::Ok : ExitCode::Usage;
}

}  // namespace weir::cli
