#!/usr/bin/env bash
# Fuzz smoke run: builds every libFuzzer target (executables named *_fuzz) in a
# clang build directory and runs each for FUZZ_SECONDS (default 20) over a
# temporary copy of its seed corpus tests/fuzz/corpus/<name without _fuzz>/.
# Prints "fuzz <name>: ok (<execs> execs)" or the crash; exits non-zero if any
# target crashed, failed to build or none was found.
#
# Environment: FUZZ_SECONDS, FUZZ_BUILD_DIR (default <repo>/build-fuzz),
# FUZZ_ONLY (run just this target name), WEIR_HS_CACHE_DIR (default
# <build>/hs-cache).
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-20}

if [[ ! -f "$build/build.ninja" ]]; then
  echo "configuring $build"
  if ! CC=clang-14 CXX=clang++-14 meson setup "$build" "$root" \
      -Dfuzz=true -Ddataplane=disabled -Dtests=disabled >"$build.setup.log" 2>&1; then
    cat "$build.setup.log"
    echo "fuzz: meson setup failed" >&2
    exit 1
  fi
fi

# Pick up meson.build changes (targets added since the last run) before
# listing the targets.
if ! ninja -C "$build" build.ninja >"$build.regen.log" 2>&1; then
  tail -n 20 "$build.regen.log"
  echo "fuzz: regenerating $build failed" >&2
  exit 1
fi

mapfile -t targets < <(meson introspect "$build" --targets |
  jq -r '.[] | select(.type == "executable") | select(.name | endswith("_fuzz")) | .name' | sort -u)
if [[ -n "${FUZZ_ONLY:-}" ]]; then targets=("$FUZZ_ONLY"); fi
if [[ ${#targets[@]} -eq 0 ]]; then
  echo "fuzz: no *_fuzz targets in $build" >&2
  exit 1
fi

artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"
# inspection_engine_fuzz compiles the default ruleset before its first
# input: ~30 s under ASan, ~3 s when the databases were compiled before.
export WEIR_HS_CACHE_DIR=${WEIR_HS_CACHE_DIR:-$build/hs-cache}
mkdir -p "$WEIR_HS_CACHE_DIR"
failed=0
for name in "${targets[@]}"; do
  if ! meson compile -C "$build" "$name" >"$artifacts/$name.build.log" 2>&1; then
    tail -n 30 "$artifacts/$name.build.log"
    echo "fuzz $name: BUILD FAILED (log: $artifacts/$name.build.log)"
    failed=1
    continue
  fi
  exe=$(meson introspect "$build" --targets |
    jq -r --arg n "$name" '.[] | select(.name == $n) | .filename[0]' | head -n 1)
  work=$(mktemp -d "${TMPDIR:-/tmp}/weir-fuzz-$name.XXXXXX")
  mkdir -p "$work/corpus"
  seeds="$root/tests/fuzz/corpus/${name%_fuzz}"
  if [[ -d "$seeds" ]]; then cp -r "$seeds/." "$work/corpus/"; fi
  log="$artifacts/$name.log"
  "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/" "$work/corpus" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  crash=$(find "$work" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | head -n 1)
  if [[ $rc -eq 0 && -z "$crash" ]]; then
    echo "fuzz $name: ok (${execs:-?} execs)"
    rm -rf "$work"
  else
    grep -m 1 -A 25 -E 'ERROR: (libFuzzer|AddressSanitizer|UndefinedBehaviorSanitizer)|runtime error|deadly signal' "$log"
    if [[ -n "$crash" ]]; then
      cp "$crash" "$artifacts/"
      echo "fuzz $name: CRASH (exit $rc; input $artifacts/$(basename "$crash"); log $log)"
    else
      echo "fuzz $name: FAILED (exit $rc; log $log)"
    fi
    failed=1
  fi
done
exit $failed
