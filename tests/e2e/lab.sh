#!/usr/bin/env bash
# The Weir lab: two network namespaces joined to the appliance by veth pairs.
#
#   weir-client ns                root ns (appliance)                weir-server ns
#   veth-c 198.18.0.1/24  <-->  weir-c0 [DPDK net_af_packet0]
#          2001:2::1/64                  weir-dataplane          weir-s0 [net_af_packet1] <--> veth-s 198.18.0.2/24
#                                                                                                  2001:2::2/64, nginx :80
#
# The root-namespace ends carry no address: they exist only for DPDK's
# af_packet PMD. Client and server share one subnet because Weir is an L2 bump.
# Static neighbour entries keep ARP/ND off the wire during tests so flow
# counters are exact (ARP/ND transparency is tested by replay captures).
#
#   lab.sh up        namespaces, veths, addresses, offloads off, nginx
#   lab.sh down      stop the bridge and nginx, delete everything (idempotent)
#   lab.sh status    what exists
#   lab.sh bridge-start [weir|testpmd] [--workers N] [--config FILE] [-- extra app args]
#   lab.sh bridge-stop
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

NS_C=weir-client
NS_S=weir-server
IF_C=weir-c0        # root-ns end, client side (net_af_packet0)
IF_S=weir-s0        # root-ns end, server side (net_af_packet1)
IF_CN=veth-c        # inside weir-client
IF_SN=veth-s        # inside weir-server
MAC_C=02:00:c6:12:00:01
MAC_S=02:00:c6:12:00:02
IP4_C=198.18.0.1
IP4_S=198.18.0.2
IP6_C=2001:2::1
IP6_S=2001:2::2
LAB_MTU=${WEIR_LAB_MTU:-1500}
LAB_DIR=${WEIR_LAB_DIR:-/run/weir-lab}
FILE_PREFIX=weir
BUILD_DIR=${WEIR_BUILD_DIR:-$repo/build}

log() { echo "lab: $*" >&2; }

offloads_off() {  # $1: netns ("" = root), $2: ifname
  local pre=()
  [[ -n $1 ]] && pre=(ip netns exec "$1")
  # Every offload the veth driver exposes; unknown ones are ignored by ethtool
  # only one at a time, so set them one by one.
  for f in rx tx sg tso gso gro lro rxvlan txvlan rx-gro-list rx-udp-gro-forwarding \
           tx-udp-segmentation; do
    "${pre[@]}" ethtool -K "$2" "$f" off >/dev/null 2>&1 || true
  done
}

make_www() {
  local www=$LAB_DIR/www
  mkdir -p "$www"
  echo "weir lab ok" > "$www/index.html"
  head -c 1024 /dev/urandom > "$www/1k.bin"
  head -c $((1024 * 1024)) /dev/urandom > "$www/1m.bin"
  head -c $((50 * 1024 * 1024)) /dev/urandom > "$www/50m.bin"
  (cd "$www" && sha256sum 1k.bin 1m.bin 50m.bin > SHA256SUMS)
  printf '{"service":"weir-lab","ok":true}\n' > "$www/api.json"
}

lab_up() {
  if ip netns list | grep -qw "$NS_C"; then
    log "already up (run 'lab.sh down' first)"; return 1
  fi
  mkdir -p "$LAB_DIR"; chmod 755 "$LAB_DIR"
  ip netns add "$NS_C"
  ip netns add "$NS_S"
  ip link add "$IF_C" mtu "$LAB_MTU" type veth peer name "$IF_CN" mtu "$LAB_MTU" netns "$NS_C"
  ip link add "$IF_S" mtu "$LAB_MTU" type veth peer name "$IF_SN" mtu "$LAB_MTU" netns "$NS_S"

  # Root-ns ends: no IPv6 (no RS/MLD/DAD chatter), promiscuous, offloads off.
  for i in "$IF_C" "$IF_S"; do
    sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1"
    offloads_off "" "$i"
    ip link set "$i" promisc on up
  done

  local ns ifn mac ip4 ip6 peer_mac peer4 peer6
  for side in c s; do
    if [[ $side == c ]]; then ns=$NS_C ifn=$IF_CN mac=$MAC_C ip4=$IP4_C ip6=$IP6_C peer_mac=$MAC_S peer4=$IP4_S peer6=$IP6_S
    else                      ns=$NS_S ifn=$IF_SN mac=$MAC_S ip4=$IP4_S ip6=$IP6_S peer_mac=$MAC_C peer4=$IP4_C peer6=$IP6_C; fi
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 \
      net.ipv6.conf.all.router_solicitations=0 net.ipv6.conf.default.router_solicitations=0 \
      net.ipv6.conf.default.accept_dad=0 "net.ipv6.conf.$ifn.accept_dad=0" \
      "net.ipv6.conf.$ifn.accept_ra=0" "net.ipv6.conf.$ifn.router_solicitations=0" \
      "net.ipv6.conf.$ifn.addr_gen_mode=1"
    ip -n "$ns" link set lo up
    ip -n "$ns" link set "$ifn" address "$mac"
    offloads_off "$ns" "$ifn"
    ip -n "$ns" addr add "$ip4/24" dev "$ifn"
    ip -n "$ns" addr add "$ip6/64" dev "$ifn" nodad
    ip -n "$ns" link set "$ifn" up
    ip -n "$ns" neigh replace "$peer4" lladdr "$peer_mac" dev "$ifn" nud permanent
    ip -n "$ns" neigh replace "$peer6" lladdr "$peer_mac" dev "$ifn" nud permanent
  done

  make_www
  ip netns exec "$NS_S" nginx -p "$LAB_DIR/" -c "$here/nginx.conf" -e "$LAB_DIR/nginx-error.log"
  for _ in $(seq 50); do [[ -s $LAB_DIR/nginx.pid ]] && break; sleep 0.1; done
  [[ -s $LAB_DIR/nginx.pid ]] || { log "nginx did not start"; cat "$LAB_DIR/nginx-error.log" >&2; return 1; }
  log "up: $NS_C($IP4_C,$IP6_C) <-> $IF_C | appliance | $IF_S <-> $NS_S($IP4_S,$IP6_S) nginx:80"
}

# EAL arguments of the lab; $1 = number of workers (af_packet queue pairs).
eal_args() {
  local workers=${1:-1} lcores
  if [[ $workers -ge 2 ]]; then
    # Two cores in the lab: main lcore 0 and worker lcore 1 share CPU 0,
    # worker lcore 2 runs on CPU 1 (EAL maps logical lcores onto CPUs).
    lcores=(--lcores '0@0,1@0,2@1')
  else
    lcores=(-l 0,1)
  fi
  echo "${lcores[*]} --no-huge -m 1024 --no-pci --file-prefix $FILE_PREFIX" \
    "--vdev net_af_packet0,iface=$IF_C,qpairs=$workers" \
    "--vdev net_af_packet1,iface=$IF_S,qpairs=$workers"
}

find_dataplane() {
  for b in "$BUILD_DIR" "$repo"/build*; do
    [[ -x $b/dataplane/runtime/weir-dataplane ]] && { echo "$b/dataplane/runtime/weir-dataplane"; return 0; }
  done
  return 1
}

bridge_start() {
  local kind=${1:-auto}; shift || true
  local workers=1 config="" extra=()
  while [[ $# -gt 0 ]]; do
    case $1 in
      --workers) workers=$2; shift 2 ;;
      --config) config=$2; shift 2 ;;
      --) shift; extra=("$@"); break ;;
      *) log "bridge-start: unknown option $1"; return 2 ;;
    esac
  done
  if [[ $kind == auto ]]; then
    if find_dataplane >/dev/null; then kind=weir; else kind=testpmd; fi
  fi
  [[ -e $LAB_DIR/bridge.pid ]] && bridge_stop
  # shellcheck disable=SC2207
  local eal=($(eal_args "$workers")) cmd
  if [[ $kind == weir ]]; then
    local dp; dp=$(find_dataplane) || { log "weir-dataplane not built"; return 1; }
    cmd=("$dp" "${eal[@]}" -- ${config:+--config "$config"} "${extra[@]}")
  else
    cmd=(dpdk-testpmd "${eal[@]}" -- --forward-mode=io --stats-period 1 \
         --rxq="$workers" --txq="$workers" --nb-cores="$workers" "${extra[@]}")
  fi
  log "bridge ($kind): ${cmd[*]}"
  echo "$kind" > "$LAB_DIR/bridge.kind"
  setsid "${cmd[@]}" > "$LAB_DIR/bridge.log" 2>&1 < /dev/null &
  echo $! > "$LAB_DIR/bridge.pid"
  # Ready when the telemetry socket answers and ports are started.
  local sock=/var/run/dpdk/$FILE_PREFIX/dpdk_telemetry.v2
  for _ in $(seq 150); do
    if ! kill -0 "$(cat "$LAB_DIR/bridge.pid")" 2>/dev/null; then
      log "bridge exited during start:"; tail -20 "$LAB_DIR/bridge.log" >&2; rm -f "$LAB_DIR/bridge.pid"; return 1
    fi
    if [[ -S $sock ]] && ip netns exec "$NS_C" curl -sf -m 1 -o /dev/null "http://$IP4_S/index.html"; then
      log "bridge ready"; return 0
    fi
    sleep 0.2
  done
  log "bridge not forwarding after 30 s:"; tail -20 "$LAB_DIR/bridge.log" >&2
  bridge_stop
  return 1
}

bridge_stop() {
  [[ -e $LAB_DIR/bridge.pid ]] || return 0
  local pid; pid=$(cat "$LAB_DIR/bridge.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { log "bridge $pid ignored SIGINT, killing"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$LAB_DIR/bridge.pid"
}

lab_down() {
  bridge_stop || true
  if [[ -s $LAB_DIR/nginx.pid ]]; then
    local pid; pid=$(cat "$LAB_DIR/nginx.pid")
    kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  # Anything else still running inside the namespaces (curl from a failed test).
  for ns in "$NS_C" "$NS_S"; do
    if ip netns list | grep -qw "$ns"; then
      local pids; pids=$(ip netns pids "$ns" 2>/dev/null || true)
      [[ -n $pids ]] && kill -KILL $pids 2>/dev/null || true
      ip netns del "$ns"
    fi
  done
  ip link del "$IF_C" 2>/dev/null || true
  ip link del "$IF_S" 2>/dev/null || true
  rm -rf "$LAB_DIR" "/var/run/dpdk/$FILE_PREFIX"
}

lab_status() {
  local rc=0
  for ns in "$NS_C" "$NS_S"; do
    if ip netns list | grep -qw "$ns"; then echo "netns $ns: present"; else echo "netns $ns: absent"; rc=1; fi
  done
  for i in "$IF_C" "$IF_S"; do
    if ip link show "$i" >/dev/null 2>&1; then echo "link $i: $(cat /sys/class/net/$i/operstate)"; else echo "link $i: absent"; rc=1; fi
  done
  if [[ -s $LAB_DIR/nginx.pid ]] && kill -0 "$(cat "$LAB_DIR/nginx.pid")" 2>/dev/null; then
    echo "nginx: running (pid $(cat "$LAB_DIR/nginx.pid"))"; else echo "nginx: not running"; rc=1; fi
  if [[ -s $LAB_DIR/bridge.pid ]] && kill -0 "$(cat "$LAB_DIR/bridge.pid")" 2>/dev/null; then
    echo "bridge: $(cat "$LAB_DIR/bridge.kind") running (pid $(cat "$LAB_DIR/bridge.pid"))"; else echo "bridge: not running"; fi
  return $rc
}

[[ $(id -u) -eq 0 ]] || { log "run as root"; exit 1; }
case ${1:-} in
  up) lab_up ;;
  down) lab_down ;;
  status) lab_status ;;
  eal) shift; eal_args "$@" ;;
  bridge-start) shift; bridge_start "$@" ;;
  bridge-stop) bridge_stop ;;
  *) echo "usage: $0 up|down|status|eal [workers]|bridge-start [weir|testpmd|auto] [--workers N] [--config F] [-- args]|bridge-stop" >&2; exit 2 ;;
esac
