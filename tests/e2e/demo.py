#!/usr/bin/python3
"""The demo: real traffic through weir-dataplane in the lab, live counters, summary.

Started by demo.sh after the build; tears the lab down on every exit path.
"""
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirlab as wl  # noqa: E402

MB = 1024 * 1024


def banner(text):
    print(f'\n--- {text} ' + '-' * max(0, 70 - len(text)), flush=True)


class Counters:
    """Totals from telemetry, whichever bridge runs (weir or testpmd)."""

    def __init__(self, lab):
        self.lab = lab

    def totals(self):
        if self.lab.kind == 'weir':
            s = self.lab.telemetry('/weir/stats')
            return {k: s.get(k, 0) for k in ('rx_packets', 'tx_packets', 'rx_bytes', 'tx_bytes')}
        p = [self.lab.telemetry(f'/ethdev/stats,{i}') for i in (0, 1)]
        return {'rx_packets': p[0]['ipackets'] + p[1]['ipackets'],
                'tx_packets': p[0]['opackets'] + p[1]['opackets'],
                'rx_bytes': p[0]['ibytes'] + p[1]['ibytes'],
                'tx_bytes': p[0]['obytes'] + p[1]['obytes']}

    def flows(self):
        if self.lab.kind != 'weir':
            return None
        return self.lab.telemetry('/weir/stats')


def live_counters(counters, stop):
    prev, t_prev = counters.totals(), time.time()
    print(f'{"time":>8} {"rx pkt/s":>10} {"tx pkt/s":>10} {"rx Mbit/s":>10} {"flows active":>13}', flush=True)
    while not stop.wait(1.0):
        cur, t = counters.totals(), time.time()
        dt = t - t_prev
        flows = counters.flows()
        active = flows.get('flows_active', '-') if isinstance(flows, dict) else '-'
        print(f'{time.strftime("%H:%M:%S"):>8} {(cur["rx_packets"] - prev["rx_packets"]) / dt:10.0f} '
              f'{(cur["tx_packets"] - prev["tx_packets"]) / dt:10.0f} '
              f'{(cur["rx_bytes"] - prev["rx_bytes"]) * 8 / dt / 1e6:10.1f} {active:>13}', flush=True)
        prev, t_prev = cur, t


def print_dict(title, d, skip_zero=True):
    print(f'{title}:')
    if not isinstance(d, dict):
        print(f'  {d}')
        return
    for k, v in d.items():
        if isinstance(v, dict):
            print_dict(f'  {k}', v, skip_zero)
        elif isinstance(v, list):
            print(f'  {k:<28} {v if len(v) < 12 else str(v[:12]) + " ..."}')
        elif not (skip_zero and v == 0):
            print(f'  {k:<28} {v}')


def control_binaries():
    b = wl.build_dir()
    control = os.path.join(b, 'control', 'weir-control')
    weirctl = os.path.join(b, 'cli', 'weirctl')
    if os.access(control, os.X_OK) and os.access(weirctl, os.X_OK):
        return control, weirctl
    return None


class ControlPlane:
    """weir-control in the foreground with its sockets and state under the lab's temp dir."""

    def __init__(self, lab, control, weirctl):
        self.weirctl = weirctl
        self.admin = os.path.join(lab.tmp, 'admin.sock')
        self.dp_sock = os.path.join(lab.tmp, 'dataplane.sock')
        state = os.path.join(lab.tmp, 'state')
        os.makedirs(state, exist_ok=True)
        self.config = lab.config({'control': {'socket': self.dp_sock,
                                              'spool': os.path.join(lab.tmp, 'spool.bin')}}, name='demo.yaml')
        self.log = os.path.join(lab.tmp, 'control.log')
        self.proc = subprocess.Popen([control, '--foreground', '--config', self.config, '--state-dir', state,
                                      '--admin-socket', self.admin, '--dataplane-socket', self.dp_sock],
                                     stdout=open(self.log, 'w'), stderr=subprocess.STDOUT)
        for _ in range(50):
            if os.path.exists(self.admin) or self.proc.poll() is not None:
                break
            time.sleep(0.1)
        self.ok = self.proc.poll() is None and os.path.exists(self.admin)
        if not self.ok:
            print(f'(weir-control did not start; see {self.log}); continuing with the dataplane only')

    def weirctl_show(self, *args):
        banner('weirctl ' + ' '.join(args))
        subprocess.run([self.weirctl, '--socket', self.admin, *args], check=False, timeout=20)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def main():
    summary = []
    with wl.Lab() as lab:
        kind = wl.bridge_kind()
        if kind != 'weir':
            print('NOTE: weir-dataplane is not built; the demo bridges with dpdk-testpmd instead')
        control, config = None, None
        bins = control_binaries()
        if kind == 'weir' and bins:
            banner('starting weir-control (admin API for weirctl)')
            control = ControlPlane(lab, *bins)
            config = control.config if control.ok else None
        elif kind == 'weir':
            print('(weir-control / weirctl not built: dataplane only)')
        banner(f'starting the bridge ({kind}) on weir-c0 / weir-s0 with {config or wl.DEFAULT_CONFIG}')
        lab.start_bridge(kind, config=config or wl.DEFAULT_CONFIG)
        if control and control.ok:
            time.sleep(1)
            control.weirctl_show('status')

        banner('HTTP over IPv4 and IPv6 (curl in the weir-client namespace)')
        for url in (f'{wl.URL4}/index.html', f'{wl.URL6}/api.json'):
            code, secs, size = lab.curl(url)
            print(f'  GET {url:<36} -> {code}  {size} bytes  {secs * 1000:.1f} ms')
            summary.append((f'GET {url}', code == 200))

        banner('50 MB download over IPv4, live counters')
        counters = Counters(lab)
        stop = threading.Event()
        th = threading.Thread(target=live_counters, args=(counters, stop), daemon=True)
        th.start()
        out = os.path.join(lab.tmp, '50m.bin')
        code, secs, size = lab.curl(f'{wl.URL4}/50m.bin', out=out, extra=['--limit-rate', '10M'])
        time.sleep(1.1)
        stop.set()
        th.join()
        same = wl.sha256_file(out) == lab.server_sha256('50m.bin')
        print(f'  {size / MB:.0f} MB in {secs:.1f} s ({size * 8 / secs / 1e6:.0f} Mbit/s), sha256 '
              f'{"matches" if same else "DIFFERS"}')
        summary.append(('50 MB download, sha256 equal', code == 200 and same))
        os.unlink(out)

        banner('100 parallel short connections (50 IPv4 + 50 IPv6)')
        args = ['curl', '-sS', '--no-progress-meter', '-g', '--parallel', '--parallel-max', '100',
                '-H', 'Connection: close', '-w', '%{http_code}\\n']
        for i in range(50):
            args += ['-o', '/dev/null', f'{wl.URL4}/api.json?i={i}', '-o', '/dev/null', f'{wl.URL6}/api.json?i={i}']
        t0 = time.time()
        res = wl.ns_run(wl.NS_CLIENT, args, check=False, timeout=60)
        ok = res.stdout.split().count('200')
        print(f'  {ok}/100 answered 200 in {time.time() - t0:.2f} s')
        summary.append(('100 parallel connections', ok == 100))

        banner('counters (DPDK telemetry, /var/run/dpdk/weir/dpdk_telemetry.v2)')
        time.sleep(1)
        if lab.kind == 'weir':
            for cmd in ('/weir/stats', '/weir/latency', '/weir/ports', '/weir/pairs'):
                try:
                    print_dict(cmd, lab.telemetry(cmd))
                except Exception as e:  # a command missing in this build is shown, not fatal
                    print(f'{cmd}: unavailable ({e})')
        else:
            for port in (0, 1):
                print_dict(f'/ethdev/stats,{port}', lab.telemetry(f'/ethdev/stats,{port}'))
        if control and control.ok:
            for args in (('stats',), ('ports',), ('flows',)):
                control.weirctl_show(*args)
        if control:
            control.stop()

        banner('summary')
        for what, good in summary:
            print(f'  [{"PASS" if good else "FAIL"}] {what}')
        t = Counters(lab).totals()
        print(f'  bridge: {lab.kind}; {t["rx_packets"]} packets in, {t["tx_packets"]} out, '
              f'{t["rx_bytes"] / MB:.1f} MB crossed')
        if lab.kind == 'weir':
            s = lab.telemetry('/weir/stats')
            print(f'  flows: {s["flows_created"]} created, {s["flows_closed"]} closed, {s["flows_active"]} active; '
                  f'time in box p50 {s["latency_p50_ns"] / 1000:.1f} us, p99 {s["latency_p99_ns"] / 1000:.1f} us')
        banner('tearing the lab down')
    print('demo finished: lab removed')
    return 0 if all(g for _, g in summary) else 1


if __name__ == '__main__':
    sys.exit(main())
