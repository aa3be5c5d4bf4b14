#!/usr/bin/python3
"""e2e: the dataplane's flow counters match the traffic that was sent.

With short timeouts, from a quiet baseline (no active flow):
  * 100 short TCP connections (50 IPv4, 50 IPv6, FIN on both sides):
    created +100, then closed +100 after the linger;
  * 10 UDP exchanges (5 IPv4, 5 IPv6, distinct source ports):
    created +10, then expired +10 after udp_timeout_s;
  * 4 TCP connections left open and idle:
    created +4, then expired +4 after tcp_established_timeout_s;
and nothing evicted. Counters come from /weir/stats (DPDK telemetry).
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirlab as wl  # noqa: E402

TIMEOUTS = {'tcp_syn_timeout_s': 3, 'tcp_established_timeout_s': 3, 'tcp_closed_timeout_s': 1,
            'udp_timeout_s': 2, 'other_timeout_s': 2}
UDP_SERVER = '''
import socket, select
socks = []
for fam, addr in ((socket.AF_INET, '198.18.0.2'), (socket.AF_INET6, '2001:2::2')):
    s = socket.socket(fam, socket.SOCK_DGRAM); s.bind((addr, 7000)); socks.append(s)
print('READY', flush=True)
while True:
    for s in select.select(socks, [], [])[0]:
        data, peer = s.recvfrom(2048); s.sendto(b'echo:' + data, peer)
'''
UDP_CLIENT = '''
import socket
ok = 0
for fam, addr in ((socket.AF_INET, '198.18.0.2'), (socket.AF_INET6, '2001:2::2')):
    for i in range(5):
        s = socket.socket(fam, socket.SOCK_DGRAM); s.settimeout(2)
        s.sendto(b'ping%d' % i, (addr, 7000))
        ok += s.recv(100).startswith(b'echo:')
        s.close()
print(ok)
'''
IDLE_CLIENT = '''
import socket, sys, time
conns = [socket.create_connection((a, 80)) for a in ('198.18.0.2', '198.18.0.2', '2001:2::2', '2001:2::2')]
print('OPEN', flush=True)
sys.stdin.readline()
'''


def stats(lab):
    return lab.telemetry('/weir/stats')


def delta(now, base, key):
    return now[key] - base[key]


def wait_quiet(lab, timeout=15):
    wl.wait_for(lambda: stats(lab)['flows_active'] == 0, timeout, what='flows_active == 0')


def main():
    wl.require_weir()
    with wl.Lab() as lab:
        lab.start_bridge(config=lab.config({'flow': TIMEOUTS}))
        wait_quiet(lab)            # the readiness probe's connection has closed
        base = stats(lab)
        wl.log(f'baseline: created {base["flows_created"]} closed {base["flows_closed"]} '
               f'expired {base["flows_expired"]}')

        # 100 short TCP connections.
        args = ['curl', '-sS', '--no-progress-meter', '-g', '--parallel', '--parallel-max', '50',
                '-H', 'Connection: close', '-w', '%{http_code}\\n']
        for i in range(50):
            args += ['-o', '/dev/null', f'{wl.URL4}/index.html?{i}', '-o', '/dev/null', f'{wl.URL6}/index.html?{i}']
        res = wl.ns_run(wl.NS_CLIENT, args, check=False, timeout=60)
        wl.check(res.stdout.split().count('200') == 100, '100 short TCP connections answered 200')
        s = stats(lab)
        wl.check(delta(s, base, 'flows_created') == 100, f'flows_created +{delta(s, base, "flows_created")} == +100')
        wait_quiet(lab)
        s = stats(lab)
        wl.check(delta(s, base, 'flows_closed') == 100, f'flows_closed +{delta(s, base, "flows_closed")} == +100')
        wl.check(delta(s, base, 'flows_expired') == 0, f'flows_expired +{delta(s, base, "flows_expired")} == +0')

        # 10 UDP exchanges.
        server = wl.ns_popen(wl.NS_SERVER, ['/usr/bin/python3', '-c', UDP_SERVER], stdout=wl.subprocess.PIPE,
                             text=True)
        try:
            wl.check(server.stdout.readline().strip() == 'READY', 'UDP echo server up in weir-server')
            base = stats(lab)
            res = wl.ns_run(wl.NS_CLIENT, ['/usr/bin/python3', '-c', UDP_CLIENT], timeout=30)
            wl.check(res.stdout.strip() == '10', f'{res.stdout.strip()}/10 UDP echoes received')
            s = stats(lab)
            wl.check(delta(s, base, 'flows_created') == 10, f'flows_created +{delta(s, base, "flows_created")} == +10')
            t0 = time.time()
            wait_quiet(lab)
            s = stats(lab)
            wl.check(delta(s, base, 'flows_expired') == 10,
                     f'flows_expired +{delta(s, base, "flows_expired")} == +10 (after {time.time() - t0:.1f} s)')
            wl.check(delta(s, base, 'flows_closed') == 0, f'flows_closed +{delta(s, base, "flows_closed")} == +0')
        finally:
            server.kill()
            server.wait()

        # 4 idle TCP connections.
        base = stats(lab)
        idle = wl.ns_popen(wl.NS_CLIENT, ['/usr/bin/python3', '-c', IDLE_CLIENT], stdin=wl.subprocess.PIPE,
                           stdout=wl.subprocess.PIPE, text=True)
        try:
            wl.check(idle.stdout.readline().strip() == 'OPEN', '4 TCP connections open and idle')
            s = stats(lab)
            wl.check(delta(s, base, 'flows_created') == 4, f'flows_created +{delta(s, base, "flows_created")} == +4')
            t0 = time.time()
            wait_quiet(lab)
            s = stats(lab)
            wl.check(delta(s, base, 'flows_expired') == 4,
                     f'flows_expired +{delta(s, base, "flows_expired")} == +4 (after {time.time() - t0:.1f} s)')
            wl.check(s['flows_evicted'] == 0, 'no flow evicted')
        finally:
            idle.kill()
            idle.wait()


if __name__ == '__main__':
    main()
