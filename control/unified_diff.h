#pragma once
// Line-based unified diff (the `diff -u` format) of two texts, for
// `config diff` and the audit log. Configs are small; the LCS table is
// bounded and larger inputs degrade to one whole-file hunk.

#include <string>

namespace weir::ctl {

/// "" when equal; otherwise "--- from\n+++ to\n@@ ... @@\n..." with
/// `context` lines around each change.
std::string unified_diff(const std::string& from_text, const std::string& to_text,
                         const std::string& from_label, const std::string& to_label, int context = 3);

}  // namespace weir::ctl
