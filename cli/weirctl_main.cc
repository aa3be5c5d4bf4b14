// weirctl: the operator CLI for weir-control.

#include <iostream>
#include <string>
#include <vector>

#include "cli/weirctl_app.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  return weir::cli::run_weirctl(args, std::cout, std::cerr);
}
