#pragma once
// A scratch folder holding a rules file for `weirctl inspect` tests, removed
// after each test, and the command run in-process with its output captured.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/weirctl_app.h"

namespace weir::cli {

struct RunResult {
  int code;
  std::string out;
  std::string err;
};

class InspectWorkdir : public ::testing::Test {
 protected:
  explicit InspectWorkdir(std::string rules) : rules_(std::move(rules)) {}

  void SetUp() override {
    char tmpl[] = "/tmp/weir-inspect-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    write("rules.yaml", rules_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const std::string file = path(name);
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }

  /// `weirctl inspect --rules DIR/rules.yaml ARGS...`
  RunResult inspect_cli(std::vector<std::string> args) {
    args.insert(args.begin(), {"weirctl", "inspect", "--rules", path("rules.yaml")});
    std::ostringstream out, err;
    const int code = run_weirctl(args, out, err);
    return {code, out.str(), err.str()};
  }

  std::string dir_;

 private:
  std::string rules_;
};

}  // namespace weir::cli
