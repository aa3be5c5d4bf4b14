// The reason text is consulted only where one llhttp code covers several
// smuggling causes (HPE_UNEXPECTED_CONTENT_LENGTH, HPE_INVALID_HEADER_TOKEN).
#include "parsers/http1/llhttp_error_names.h"

#include <llhttp.h>

namespace weir::parse {

std::string_view llhttp_error_finding_name(int error, std::string_view reason) {
  const auto has = [&](std::string_view s) { return reason.find(s) != std::string_view::npos; };
  switch (static_cast<llhttp_errno_t>(error)) {
    case HPE_UNEXPECTED_CONTENT_LENGTH:
      if (has("Transfer-Encoding")) return "http1.cl_te_conflict";
      if (has("Duplicate")) return "http1.duplicate_content_length";
      return "http1.unexpected_content_length";
    case HPE_INVALID_CONTENT_LENGTH: return "http1.invalid_content_length";
    case HPE_INVALID_TRANSFER_ENCODING: return "http1.invalid_transfer_encoding";
    case HPE_INVALID_CHUNK_SIZE: return "http1.chunk_size_invalid";
    case HPE_CR_EXPECTED:
    case HPE_LF_EXPECTED:
    case HPE_STRICT: return "http1.bad_line_ending";
    case HPE_UNEXPECTED_SPACE: return "http1.unexpected_space";
    case HPE_INVALID_HEADER_TOKEN:
      if (has("value")) return "http1.invalid_header_value";
      return "http1.invalid_header_name";
    case HPE_INVALID_METHOD: return "http1.invalid_method";
    case HPE_INVALID_URL: return "http1.invalid_target";
    case HPE_INVALID_CONSTANT: return "http1.invalid_start_line";
    case HPE_INVALID_VERSION: return "http1.invalid_version";
    case HPE_INVALID_STATUS: return "http1.invalid_status";
    case HPE_INVALID_EOF_STATE: return "http1.truncated_message";
    case HPE_CLOSED_CONNECTION: return "http1.data_after_close";
    default: return "http1.parse_error";
  }
}

}  // namespace weir::parse
