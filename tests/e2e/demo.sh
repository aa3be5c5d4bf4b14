#!/usr/bin/env bash
# The demo command of the README (run as root on Debian 12, from a clone):
#   sudo tests/e2e/demo.sh
# Installs missing packages, builds build/, brings the lab up (client and
# server namespaces, nginx), starts weir-dataplane on the veth ends with the
# default config (configs/weir.yaml), sends real traffic with curl over IPv4
# and IPv6, prints the live counters and a summary, and tears everything down.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
[[ $(id -u) -eq 0 ]] || { echo "demo.sh: run as root (packages, namespaces, DPDK)" >&2; exit 1; }

echo "=== dependencies ==="
tests/install_deps.sh
echo "=== build ==="
build=${WEIR_BUILD_DIR:-build}
[[ -f $build/build.ninja ]] || meson setup "$build"
ninja -C "$build" -j"$(nproc)"
echo "=== demo ==="
WEIR_BUILD_DIR=$(cd "$build" && pwd) exec /usr/bin/python3 tests/e2e/demo.py "$@"
