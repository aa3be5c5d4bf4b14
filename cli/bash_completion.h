#pragma once
// Bash completion generated from the CLI11 command tree, so a new command or
// option completes without anyone editing a word list.

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace weir::cli {

/// One command of the tree as completion sees it.
struct CompletionNode {
  std::string path;                       ///< "" for the root, "/alerts/list" below
  std::vector<std::string> words;         ///< subcommands, then options
  bool completes_files = false;           ///< a positional of type FILE/PATH
};

/// Every command of the tree, depth first; the root's options are offered
/// everywhere (weirctl lets global options follow subcommands), except
/// --help/-h (each command has its own) and --version (root only).
std::vector<CompletionNode> completion_nodes(const CLI::App& root);

/// A bash script defining _<program>() and registering it with complete -F.
std::string bash_completion_script(const CLI::App& root, const std::string& program);

}  // namespace weir::cli
