#!/usr/bin/env bash
# The demo command of the README (run as root on Debian 12, from a clone):
#   sudo tests/e2e/demo.sh
# Installs missing packages, configures build/ (or $WEIR_BUILD_DIR) and builds
# what the demo runs (weir-dataplane, weir-control, weirctl), then runs
# tests/e2e/demo.py: the lab (client and server namespaces, nginx and the demo
# API peers), the dataplane inline with weir-control, forwarding with live
# counters, benign API traffic over every protocol, attacks blocked, the
# alerts and the API inventory, a PASS/FAIL summary (exit 1 on any FAIL), and
# everything torn down, also on Ctrl-C.
#   sudo WEIR_BUILD_DIR=build-x tests/e2e/demo.sh   # another build dir
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
[[ $(id -u) -eq 0 ]] || { echo "demo.sh: run as root (packages, namespaces, DPDK)" >&2; exit 1; }

echo "=== dependencies ==="
tests/install_deps.sh
echo "=== build ==="
build=${WEIR_BUILD_DIR:-build}
[[ -f $build/build.ninja ]] || meson setup "$build"
# Only the demo's binaries (tests are built by run_tests.sh); a target this
# configuration does not have (e.g. -Ddataplane=disabled) is left out.
targets=()
for t in dataplane/runtime/weir-dataplane control/weir-control cli/weirctl; do
  ninja -C "$build" -t query "$t" >/dev/null 2>&1 && targets+=("$t")
done
ninja -C "$build" -j"$(nproc)" "${targets[@]}"
echo "=== demo ==="
WEIR_BUILD_DIR=$(cd "$build" && pwd) exec /usr/bin/python3 tests/e2e/demo.py "$@"
