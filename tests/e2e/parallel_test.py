#!/usr/bin/python3
"""e2e: 200 parallel short connections (100 over IPv4, 100 over IPv6) all succeed.

Each request carries `Connection: close`, so every transfer is its own TCP
connection; nginx's access log proves 200 distinct connections arrived.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirlab as wl  # noqa: E402

N_PER_FAMILY = 100


def access_log_lines():
    path = os.path.join(wl.LAB_DIR, 'nginx-access.log')
    return open(path).read().splitlines() if os.path.exists(path) else []


def main():
    with wl.Lab() as lab:
        lab.start_bridge()
        before = len(access_log_lines())
        urls = []
        for i in range(N_PER_FAMILY):
            urls += [f'{wl.URL4}/api.json?c={i}', f'{wl.URL6}/api.json?c={i}']
        args = ['curl', '-sS', '--no-progress-meter', '-g', '--parallel', '--parallel-immediate', '--parallel-max', '200',
                '--max-time', '60', '-H', 'Connection: close', '-w', '%{http_code} %{num_connects}\\n']
        for u in urls:
            args += ['-o', '/dev/null', u]
        res = wl.ns_run(wl.NS_CLIENT, args, check=False, timeout=120)
        codes = [line.split() for line in res.stdout.splitlines() if line.strip()]
        ok = sum(1 for c in codes if c[0] == '200')
        new_conns = sum(int(c[1]) for c in codes if len(c) > 1)
        wl.check(res.returncode == 0, f'curl exit status {res.returncode} {res.stderr.strip()[:200]}')
        wl.check(ok == 2 * N_PER_FAMILY, f'{ok}/{2 * N_PER_FAMILY} requests answered 200')
        wl.check(new_conns == 2 * N_PER_FAMILY, f'{new_conns} TCP connections opened by curl')
        served = access_log_lines()[before:]
        v6 = sum(1 for line in served if line.startswith('2001:2::1'))
        v4 = sum(1 for line in served if line.startswith('198.18.0.1'))
        wl.check(v4 == N_PER_FAMILY and v6 == N_PER_FAMILY,
                 f'nginx served {v4} IPv4 and {v6} IPv6 requests')


if __name__ == '__main__':
    main()
