#pragma once
// Reading a JSON Lines request corpus (format: cli/README.md, "Request
// corpus"). Every line becomes a CorpusRequest with its wire bytes built;
// the first malformed line stops the read with a CorpusError naming the
// file, the line, the key and what was expected, so a broken corpus never
// yields quality numbers over the wrong requests.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cli/corpus_request.h"

namespace weir::cli {

class CorpusError : public std::runtime_error {
 public:
  /// line 0: the file as a whole (cannot be read).
  CorpusError(const std::string& file, size_t line, const std::string& what)
      : std::runtime_error(file + (line ? ":" + std::to_string(line) : std::string()) + ": " + what),
        line_(line) {}
  size_t line() const { return line_; }

 private:
  size_t line_;
};

/// One line (without its newline). Throws CorpusError.
CorpusRequest parse_corpus_line(std::string_view line, const std::string& file, size_t line_no);

/// Every line of `text`; blank lines are skipped, ids must be unique.
std::vector<CorpusRequest> read_corpus_text(std::string_view text, const std::string& file);

/// Reads a file ("-": standard input). Throws CorpusError.
std::vector<CorpusRequest> read_corpus_file(const std::string& path);

}  // namespace weir::cli
