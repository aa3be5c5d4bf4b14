#!/usr/bin/python3
"""e2e: link state is propagated inside a pair, where the PMD can set links.

net_tap can: a pair of two tap ports (wtap-c, wtap-s). Taking wtap-c down
in the kernel must take wtap-s down within 1 s, and bringing wtap-c up must
bring wtap-s back; then the same from the server side.
net_af_packet cannot: with the lab's af_packet pair, a fail-closed stall
makes the dataplane try, and it must say in its log that link state is not
propagated on that port and why.
"""
import os
import subprocess
import sys
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirlab as wl  # noqa: E402

TAP_C, TAP_S = 'wtap-c', 'wtap-s'


def admin_up(ifname):
    with open(f'/sys/class/net/{ifname}/flags') as f:
        return bool(int(f.read(), 16) & 0x1)   # IFF_UP


def wait_admin(ifname, up, timeout):
    t0 = time.time()
    wl.wait_for(lambda: admin_up(ifname) == up, timeout, interval=0.02,
                what=f'{ifname} {"up" if up else "down"}')
    return time.time() - t0


def tap_case(lab):
    with open(wl.DEFAULT_CONFIG) as f:
        pairs = yaml.safe_load(f)['pairs']
    pairs[0].update({'client_port': 'net_tap0', 'server_port': 'net_tap1', 'link_propagation': True})
    cfg = lab.config({'pairs': pairs}, name='tap.yaml')
    eal = ['-l', '0,1', '--no-huge', '-m', '512', '--no-pci', '--file-prefix', 'weir',
           '--vdev', f'net_tap0,iface={TAP_C}', '--vdev', f'net_tap1,iface={TAP_S}']
    logf = os.path.join(lab.tmp, 'tap-dataplane.log')
    proc = subprocess.Popen([wl.dataplane_binary(), *eal, '--', '--config', cfg],
                            stdout=open(logf, 'w'), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wl.wait_for(lambda: os.path.exists(f'/sys/class/net/{TAP_S}') and admin_up(TAP_C) and admin_up(TAP_S)
                    or proc.poll() is not None, 20, what='tap ports up')
        wl.check(proc.poll() is None, 'weir-dataplane runs on a net_tap pair')
        time.sleep(0.5)
        for down, peer in ((TAP_C, TAP_S), (TAP_S, TAP_C)):
            subprocess.run(['ip', 'link', 'set', down, 'down'], check=True)
            secs = wait_admin(peer, False, 1.0)
            wl.check(True, f'{down} down -> {peer} taken down in {secs:.2f} s (< 1 s)')
            subprocess.run(['ip', 'link', 'set', down, 'up'], check=True)
            secs = wait_admin(peer, True, 1.0)
            wl.check(True, f'{down} up -> {peer} brought back up in {secs:.2f} s')
            time.sleep(0.3)
    finally:
        os.killpg(proc.pid, 2)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
        print(open(logf).read()[-1500:])
    for t in (TAP_C, TAP_S):
        wl.check(not os.path.exists(f'/sys/class/net/{t}'), f'{t} removed with the dataplane')


def af_packet_case(lab):
    with open(wl.DEFAULT_CONFIG) as f:
        pairs = yaml.safe_load(f)['pairs']
    pairs[0]['fail'] = 'closed'
    cfg = lab.config({'pairs': pairs, 'watchdog': {'stall_ms': 300}}, name='afp.yaml')
    lab.start_bridge(config=cfg, extra=['--enable-test-hooks'])
    lab.telemetry('/weir/test/stall,0,1000')
    wl.wait_for(lambda: 'NOT propagated' in lab.bridge_log(), 3, what='log about link control')
    line = next(x for x in lab.bridge_log().splitlines() if 'NOT propagated' in x)
    wl.check('af_packet' in line, f'af_packet says it cannot set links: "{line.strip()}"')
    lab.stop_bridge()


def main():
    wl.require_weir()
    with wl.Lab() as lab:
        tap_case(lab)
        af_packet_case(lab)


if __name__ == '__main__':
    main()
