#!/usr/bin/env bash
# The test command of the README: installs missing packages, configures and
# builds build/, runs the unit, replay and e2e suites, then the fuzz smoke run,
# and ends with one line "N passed, N failed, N skipped". Exit status is
# non-zero when anything failed. Run as root (apt, network namespaces, DPDK).
#
#   sudo tests/run_tests.sh            # everything
#   WEIR_SUITES="unit replay" tests/run_tests.sh
#   CI=true tests/run_tests.sh         # -Dwerror=true, as .ci/run does
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
build=${WEIR_BUILD_DIR:-build}
suites=${WEIR_SUITES:-unit replay e2e}
jobs=$(nproc)
start=$(date +%s)

step() { echo; echo "=== $* ==="; }
die() { echo "run_tests.sh: $*" >&2; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

[[ $(id -u) -eq 0 ]] || die "run as root (packages, network namespaces, DPDK)"

step "dependencies"
tests/install_deps.sh || die "installing dependencies failed"

step "configure $build"
werror=false
[[ ${CI:-} == true ]] && werror=true
if [[ -f $build/build.ninja ]]; then
  meson configure "$build" -Dwerror=$werror || die "meson configure failed"
else
  meson setup "$build" -Dwerror=$werror || die "meson setup failed"
fi

step "build"
ninja -C "$build" -j"$jobs" || die "build failed"

passed=0 failed=0 skipped=0
step "meson test: $suites"
suite_args=()
for s in $suites; do suite_args+=(--suite "$s"); done
# The lab and DPDK use fixed names (netns, file prefix): e2e tests are
# is_parallel: false in meson, the rest run on every core.
timeout --signal=TERM 1500 meson test -C "$build" "${suite_args[@]}" --print-errorlogs \
  --num-processes "$jobs"
meson_rc=$?
log="$build/meson-logs/testlog.json"
if [[ -f $log ]]; then
  read -r p f s < <(/usr/bin/python3 - "$log" <<'PY'
import json, sys
p = f = s = 0
for line in open(sys.argv[1]):
    r = json.loads(line).get('result', '')
    if r in ('OK', 'EXPECTEDFAIL'): p += 1
    elif r == 'SKIP': s += 1
    else: f += 1
print(p, f, s)
PY
)
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
fi
# meson failing with no failed test (timeout of the whole run, setup error).
if [[ $meson_rc -ne 0 && $failed -eq 0 ]]; then
  echo "run_tests.sh: meson test exited $meson_rc"; failed=$((failed + 1))
fi

if [[ -x tests/fuzz/run_smoke.sh && " $suites " == *" unit "* ]]; then
  step "fuzz smoke"
  if timeout --signal=TERM 600 tests/fuzz/run_smoke.sh; then
    passed=$((passed + 1))
  else
    echo "run_tests.sh: fuzz smoke failed"; failed=$((failed + 1))
  fi
fi

echo
echo "run_tests.sh: finished in $(( $(date +%s) - start )) s"
echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
