#!/usr/bin/python3
"""The demo: Weir inline between the lab's client and server namespaces.

1. forwarding: HTTP over IPv4/IPv6, a 50 MB download with live counters,
   100 parallel connections;
2. the demo API (REST, GraphQL, SOAP, gRPC, WebSocket, HTTP/2) next to nginx
   in the server namespace: benign calls pass, one attack per class and
   protocol is blocked inline (connection reset, the server never reads it),
   `weirctl alerts` lists them;
3. the API inventory discovered from that traffic: list, one templated
   endpoint, sensitive data, shadow/zombie against an imported spec,
   business flows;
4. counters and a PASS/FAIL summary; exit 1 on any FAIL.

Started by demo.sh after the build (or by the e2e test e2e_demo); tears the
lab, weir-control and the peers down on every exit path, Ctrl-C included.
"""
import argparse
import json
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import demo_api  # noqa: E402
import weirlab as wl  # noqa: E402

MB = 1024 * 1024


def banner(text):
    print(f'\n--- {text} ' + '-' * max(0, 70 - len(text)), flush=True)


def part(text):
    print('\n' + '=' * 78 + f'\n  {text}\n' + '=' * 78, flush=True)


def line(proto, what, outcome, width=44):
    print(f'  {proto:<10} {what:<{width}} -> {outcome}', flush=True)


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
        return subprocess.run([self.weirctl, '--socket', self.admin, *args], check=False, timeout=20).returncode

    def json(self, *args):
        res = subprocess.run([self.weirctl, '--socket', self.admin, '--json', *args], check=False, timeout=20,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if res.returncode != 0:
            raise RuntimeError(f'weirctl {" ".join(args)}: {res.stderr.strip()}')
        return json.loads(res.stdout)

    def quiet(self, *args):
        return subprocess.run([self.weirctl, '--socket', self.admin, *args], check=False, timeout=20,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def connected(self):
        try:
            return self.json('status')['dataplane'].get('connected', False)
        except Exception:  # noqa: BLE001 - not up yet
            return False

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def forwarding(lab, control, summary):
    part('1. forwarding: Weir is a transparent bump in the wire')
    banner('HTTP over IPv4 and IPv6 (curl in the weir-client namespace)')
    for url in (f'{wl.URL4}/index.html', f'{wl.URL6}/api.json'):
        code, secs, size = lab.curl(url)
        print(f'  GET {url:<36} -> {code}  {size} bytes  {secs * 1000:.1f} ms')
        summary.append((f'GET {url}', code == 200))

    banner('50 MB download over IPv4 (curl --limit-rate 15M), live counters')
    counters = Counters(lab)
    stop = threading.Event()
    th = threading.Thread(target=live_counters, args=(counters, stop), daemon=True)
    th.start()
    out = os.path.join(lab.tmp, '50m.bin')
    code, secs, size = lab.curl(f'{wl.URL4}/50m.bin', out=out, extra=['--limit-rate', '15M'])
    time.sleep(1.1)
    stop.set()
    th.join()
    same = code == 200 and wl.sha256_file(out) == lab.server_sha256('50m.bin')
    print(f'  {size / MB:.0f} MB in {secs:.1f} s ({size * 8 / max(secs, 1e-3) / 1e6:.0f} Mbit/s), sha256 '
          f'{"matches" if same else "DIFFERS"}')
    summary.append(('50 MB download, sha256 equal', same))
    if os.path.exists(out):
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


def api_traffic(lab, control, servers, summary):
    part('2. the demo API: benign traffic over every protocol passes')
    print(f'  server namespace: nginx :80, demo API :{demo_api.PORT_API} (REST, GraphQL, SOAP, multipart), '
          f'nginx h2c :{demo_api.PORT_H2C},\n  gRPC :{demo_api.PORT_GRPC}, WebSocket :{demo_api.PORT_WS}; '
          f'clients: curl, zeep, grpcio, websockets')
    banner('benign calls (status as the client saw it)')
    calls = demo_api.benign_calls(lab.tmp)
    passed = 0
    failed = []
    for proto, what, fn in calls:
        ok, text = fn()
        passed += ok
        line(proto, what, f'passed, {text}' if ok else f'FAILED: {text}')
        if not ok:
            failed.append(f'{proto} {" ".join(what.split())}: {text}')
    # The failures are named here too: CI keeps only the log's last lines.
    summary.append((f'benign API calls answered ({passed}/{len(calls)})' + ''.join(f'\n         failed: {f}' for f in failed),
                    passed == len(calls)))
    codes = demo_api.session_calls()
    ok = all(c in ('200', '201') for c in codes)
    line('REST', '3 signed-in sessions: search, order, status', ('passed, ' if ok else 'FAILED: ') + ' '.join(codes))
    summary.append(('3 customer sessions answered', ok))

    part('3. attacks: blocked inline, one per class and protocol')
    print('  "blocked" = the client saw the connection reset and the server never read the message')
    banner('attacks')
    t_attacks, last_id = time.time(), alert_last_id(control)
    n_blocked, results = 0, []
    for proto, what, fn in demo_api.attacks(servers, lab.tmp):
        blocked, text = fn()
        n_blocked += blocked
        results.append(blocked)
        line(proto, what, text if blocked else text if text.startswith('NOT BLOCKED') else f'NOT BLOCKED ({text})')
        summary.append((f'attack blocked: {proto} {what}', blocked))
    ok, text = demo_api.http_ok(demo_api.curl(f'{demo_api.API}/api/v1/users/1'))
    line('REST', 'after the attacks: GET /api/v1/users/1', f'passed, {text}' if ok else f'FAILED: {text}')
    summary.append(('the API still answers after the blocks', ok))
    print(f'\n  {n_blocked}/{len(results)} attacks blocked', flush=True)
    return n_blocked, t_attacks, last_id


def alert_last_id(control):
    return max([0] + [a['id'] for a in control.json('alerts', 'list', '-n', '1')['alerts']])


def attack_alerts(control, after_id):
    """Detection alerts stored since the attacks began (the inventory's own
    change alerts, class inventory.*, left out)."""
    alerts = control.json('alerts', 'list', '-n', '500')['alerts']
    return [a for a in alerts if a['id'] > after_id and a.get('kind') == 'alert'
            and not a.get('class', '').startswith('inventory.')]


def alerts_section(control, n_blocked, t_attacks, last_id, summary):
    try:
        found = wl.wait_for(lambda: (lambda b: b if len(b) >= n_blocked else None)(attack_alerts(control, last_id)),
                            10, what='the attacks\' alerts in weir-control')
    except AssertionError:
        found = attack_alerts(control, last_id)
    since = f'{int(time.time() - t_attacks) + 1}s'
    control.weirctl_show('alerts', 'list', '--since', since, '--severity', 'medium', '-n', '30')
    classes = sorted({a.get('class', '') for a in found})
    print(f'\n  {len(found)} detection alerts (classes: {", ".join(classes)}) for {n_blocked} blocked attacks')
    summary.append((f'weirctl alerts: an alert per blocked attack ({len(found)} for {n_blocked})',
                    n_blocked > 0 and len(found) >= n_blocked))


def key(e):
    return f"{e['method']} {e['path']}" + (f" #{e['operation']}" if e.get('operation') else '')


def inventory_section(lab, control, summary):
    part('4. API inventory: discovered from the traffic above')
    templated = 'GET /api/v1/users/{id}/orders/{orderId}'

    def learned():
        eps = {key(e): e for e in control.json('inventory', 'list')['endpoints']}
        protos = {e['protocol'] for e in eps.values()}
        return eps if templated in eps and {'grpc', 'websocket', 'soap', 'graphql'} <= protos else None
    try:
        eps = wl.wait_for(learned, 20, interval=0.5, what='the API endpoints in the inventory')
    except AssertionError:
        eps = {key(e): e for e in control.json('inventory', 'list')['endpoints']}
    control.weirctl_show('inventory', 'list')
    protos = sorted({e['protocol'] for e in eps.values()})
    summary.append((f'inventory: {len(eps)} endpoints, protocols {", ".join(protos)}',
                    templated in eps and {'rest', 'grpc', 'websocket', 'soap', 'graphql'} <= set(protos)))
    if templated in eps:
        control.weirctl_show('inventory', 'show', str(eps[templated]['id']))

    control.weirctl_show('inventory', 'sensitive')
    findings = control.json('inventory', 'sensitive')['findings']
    classes = sorted({f['class'] for f in findings})
    pan_on = {key(f['endpoint']) for f in findings if f['class'] == 'pan'}
    summary.append((f'sensitive data found ({", ".join(classes)})', templated in pan_on))

    spec = os.path.join(lab.tmp, 'demo-api-spec.yaml')
    with open(spec, 'w') as f:
        f.write(demo_api.SPEC)
    banner(f'the operator\'s spec ({spec}): omits 2 endpoints, deprecates the product search')
    control.weirctl_show('inventory', 'diff', '--spec', spec)
    control.weirctl_show('inventory', 'import', '--spec', spec)
    status = {}
    for s in ('shadow', 'zombie'):
        control.weirctl_show('inventory', 'list', '--status', s)
        status[s] = {key(e) for e in control.json('inventory', 'list', '--status', s)['endpoints']}
    summary.append((f'shadow endpoints: {", ".join(sorted(status["shadow"])) or "none"}',
                    status['shadow'] == demo_api.SHADOW))
    summary.append((f'zombie endpoints: {", ".join(sorted(status["zombie"])) or "none"}',
                    status['zombie'] == demo_api.ZOMBIE))

    flows = control.json('business-flows', 'list')['flows']
    if flows:
        control.weirctl_show('business-flows', 'list')
    else:
        banner('weirctl business-flows list')
        print('  (no business flow mined yet)')


def counters_section(lab, control):
    part('5. counters')
    banner('DPDK telemetry, /var/run/dpdk/weir/dpdk_telemetry.v2')
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
    if control:
        for args in (('stats',), ('ports',), ('flows', '-n', '10')):
            control.weirctl_show(*args)


def print_summary(lab, summary, t_start):
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
    failed = sum(not g for _, g in summary)
    print(f'  {len(summary) - failed} PASS, {failed} FAIL in {time.monotonic() - t_start:.0f} s', flush=True)


def parse_args():
    ap = argparse.ArgumentParser(description='The Weir lab demo (run by tests/e2e/demo.sh as root).')
    ap.add_argument('--mode', choices=('block', 'monitor'), default='block',
                    help='enforcement mode; monitor lets the attacks through (alerts only): the summary FAILs')
    ap.add_argument('--require-weir', action='store_true',
                    help='exit 77 (skip) when weir-dataplane is not built (the e2e test)')
    return ap.parse_args()


def main():
    args = parse_args()
    if args.require_weir:
        wl.require_weir()
    summary = []
    t_start = time.monotonic()
    control, servers = None, None
    with wl.Lab() as lab:
        try:
            kind = wl.bridge_kind()
            if kind != 'weir':
                print('NOTE: weir-dataplane is not built; the demo bridges with dpdk-testpmd instead '
                      '(nothing is inspected: the attack part fails)')
            config = None
            bins = control_binaries()
            if kind == 'weir' and bins:
                banner('starting weir-control (admin API for weirctl, alerts, API inventory)')
                control = ControlPlane(lab, *bins)
                config = control.config if control.ok else None
                if not control.ok:
                    control.stop()
                    control = None
            elif kind == 'weir':
                print('(weir-control / weirctl not built: dataplane only)')
            banner(f'starting the bridge ({kind}) on weir-c0 / weir-s0 with {config or wl.DEFAULT_CONFIG}')
            extra = ['--state-dir', os.path.join(lab.tmp, 'dp-state')] if control else []
            lab.start_bridge(kind, config=config or wl.DEFAULT_CONFIG, extra=extra)
            if control:
                wl.wait_for(control.connected, 15, what='the dataplane connected to weir-control')
                control.weirctl_show('mode', args.mode)
                control.weirctl_show('status')

            forwarding(lab, control, summary)

            if control:
                servers = demo_api.Servers(lab.tmp)
                servers.start()
                n_blocked, t_attacks, last_id = api_traffic(lab, control, servers, summary)
                alerts_section(control, n_blocked, t_attacks, last_id, summary)
                inventory_section(lab, control, summary)
            else:
                summary.append(('API protection and inventory (need weir-dataplane and weir-control)', False))
            counters_section(lab, control)
            print_summary(lab, summary, t_start)
        except Exception as e:  # the summary still shows what ran; the lab still goes down
            print(f'\nERROR: {type(e).__name__}: {e}', flush=True)
            summary.append((f'demo aborted: {e}', False))
            print_summary(lab, summary, t_start)
        finally:
            banner('tearing the lab down (peers, weir-control, dataplane, nginx, namespaces)')
            if servers:
                servers.stop()
            if control:
                control.stop()
    print('demo finished: lab removed', flush=True)
    return 0 if summary and all(g for _, g in summary) else 1


if __name__ == '__main__':
    sys.exit(main())
