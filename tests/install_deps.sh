#!/usr/bin/env bash
# Installs every Debian 12 package Weir needs to build, test and run the demo.
# Idempotent: when all packages are already installed it does not touch apt
# (dpkg-query fast path), so the test and demo commands can call it each time.
set -euo pipefail

packages=(
  # build
  meson ninja-build pkg-config g++ clang-14 libclang-rt-14-dev
  libdpdk-dev dpdk dpdk-dev
  libhyperscan-dev libssl-dev node-llhttp libnghttp2-dev libsimdjson-dev
  libtbb-dev libcli11-dev libgtest-dev libgmock-dev libyaml-cpp-dev
  libprotobuf-dev protobuf-compiler libsqlite3-dev sqlite3 libpcap-dev
  libexpat1-dev zlib1g-dev libbrotli-dev libcpp-httplib-dev nlohmann-json3-dev
  # lab, demo and tests
  nginx-light curl iproute2 ethtool procps kmod tcpdump tshark jq
  python3 python3-scapy python3-websockets python3-pytest python3-yaml python3-protobuf
  nghttp2-client nghttp2-proxy wrk tcpreplay
  # API protocol peers in the lab (tests/e2e/peers): gRPC, REST/GraphQL/SOAP demo API
  python3-grpcio python3-flask
  # weir-control e2e: syslog receiver for the exporters, promtool for /metrics
  rsyslog prometheus
  python3-zeep
  # perf: detection vs ModSecurity + CRS (perf/inspect_bench.py)
  libmodsecurity-dev modsecurity-crs
)

if [[ $(id -u) -ne 0 ]]; then
  echo "install_deps.sh: run as root (apt-get install)" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ $status == installed ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install_deps.sh: all ${#packages[@]} packages present"
  exit 0
fi

echo "install_deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
