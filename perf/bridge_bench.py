#!/usr/bin/python3
"""Bridge benchmark: dpdk-testpmd io-forward vs weir-dataplane, same vdevs, one worker core.

    sudo perf/bridge_bench.py [--seconds 5] [--scenarios null,pcap-10k,pcap-100k,pcap-1m]
                              [--build-dir build] [--no-huge] [--repeat N]

Scenarios (both ports of one pair, one worker lcore, main lcore 0):
  null       net_null on both ports: zero-filled 64-byte frames, non-IP, i.e.
             plain bridging (decode of L2 and forward).
  pcap-N     net_pcap with infinite_rx=1 on both ports, replaying generated
             captures of N flows (one 60..78-byte frame per flow and direction;
             mixed TCP/UDP, IPv4/IPv6, 1 in 8 VLAN-tagged; see
             flow_capture_gen.cc): decode + flow tracking at N flows.
Throughput is read from DPDK telemetry (/ethdev/stats,<port>: opackets of
both ports) over a fixed interval after a warm-up. The forwarding lcore's CPU
time over the same interval (/proc/<pid>/task/<tid>/schedstat) gives a second
rate, Mpps per CPU-second: on a shared machine the worker gets only a share
of its core, so wall Mpps and their ratio depend on the other load, while the
CPU-normalised ratio (cpu ratio) compares the cost per packet. Weir's memory per flow and
time-in-box p50/p99 come from /weir/flows and /weir/latency. DPDK runs on
hugepages this script mounts itself (released afterwards), or --no-huge.
--repeat N runs testpmd and weir N times each, alternating, and reports
the median of each metric. This is not part of the test suite: run it by
hand, on an idle machine.
"""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
OUT = os.path.join(HERE, 'out')
PREFIX = 'weir-perf'
SOCK = f'/var/run/dpdk/{PREFIX}/dpdk_telemetry.v2'
HUGE_DIR = '/run/weir-perf-huge'
MBUF_BYTES = 2432  # 2048 data room + 128 headroom + mbuf header, rounded: for sizing only


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Telemetry:
    def __init__(self):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.s.settimeout(5)
        self.s.connect(SOCK)
        self.max = json.loads(self.s.recv(16384))['max_output_len']

    def cmd(self, c):
        self.s.send(c.encode())
        reply = json.loads(self.s.recv(self.max + 1024))
        return reply.get(c.split(',', 1)[0], reply)


def build_dir(arg):
    if arg:
        return os.path.abspath(arg)
    for d in ['build'] + sorted(x for x in os.listdir(REPO) if x.startswith('build')):
        if os.path.exists(os.path.join(REPO, d, 'dataplane', 'runtime', 'weir-dataplane')):
            return os.path.join(REPO, d)
    return os.path.join(REPO, 'build')


def capture_generator(bdir):
    built = os.path.join(bdir, 'perf', 'weir-flow-capture-gen')
    if os.access(built, os.X_OK):
        return built
    exe = os.path.join(OUT, 'weir-flow-capture-gen')
    src = os.path.join(HERE, 'flow_capture_gen.cc')
    if not os.path.exists(exe) or os.path.getmtime(exe) < os.path.getmtime(src):
        subprocess.run(['g++', '-std=c++20', '-O2', '-o', exe, src], check=True)
    return exe


def captures(bdir, flows):
    prefix = os.path.join(OUT, f'flows_{flows}')
    if not os.path.exists(prefix + '_s2c.pcap'):
        subprocess.run([capture_generator(bdir), str(flows), prefix], check=True, stdout=subprocess.DEVNULL)
    return prefix + '_c2s.pcap', prefix + '_s2c.pcap'


class Hugepages:
    """Mounts a private hugetlbfs and reserves enough 2 MB pages; restores on exit."""

    def __init__(self, mbytes):
        self.pages = (mbytes + 1) // 2 + 64
        self.old = None

    def __enter__(self):
        path = '/proc/sys/vm/nr_hugepages'
        self.old = int(open(path).read())
        if self.old < self.pages:
            with open(path, 'w') as f:
                f.write(str(self.pages))
        got = int(open(path).read())
        if got < self.pages:
            raise RuntimeError(f'only {got} of {self.pages} hugepages could be reserved (try --no-huge)')
        os.makedirs(HUGE_DIR, exist_ok=True)
        subprocess.run(['mount', '-t', 'hugetlbfs', '-o', 'pagesize=2M', 'nodev', HUGE_DIR], check=True)
        return self

    def __exit__(self, *exc):
        subprocess.run(['umount', HUGE_DIR], check=False)
        os.rmdir(HUGE_DIR)
        with open('/proc/sys/vm/nr_hugepages', 'w') as f:
            f.write(str(self.old))


def scenario_vdevs(name, bdir):
    if name == 'null':
        return ['net_null0', 'net_null1'], 0
    flows = {'10k': 10_000, '100k': 100_000, '1m': 1_000_000}[name.split('-', 1)[1]]
    c2s, s2c = captures(bdir, flows)
    return [f'net_pcap0,rx_pcap={c2s},infinite_rx=1', f'net_pcap1,rx_pcap={s2c},infinite_rx=1'], flows


def weir_config(tmp, ports, mbufs, flows):
    with open(os.path.join(REPO, 'configs', 'weir.yaml')) as f:
        cfg = yaml.safe_load(f)
    cap = 1 << max(18, (int(flows * 1.25) - 1).bit_length())
    cfg['dataplane'].update({'workers': [1], 'main_lcore': 0, 'mbufs': mbufs, 'idle_backoff_us': 0})
    cfg['pairs'] = [{'name': 'bench', 'client_port': ports[0], 'server_port': ports[1], 'fail': 'open',
                     'link_propagation': False}]
    cfg['flow']['capacity'] = cap
    if flows == 0:
        # Plain bridging: the pair in bypass mode forwards bursts untouched.
        cfg['pairs'][0]['mode'] = 'bypass'
    elif os.environ.get('WEIR_BENCH_STAGES', 'spine') == 'spine':
        # Decode + flow tracking (the spine): every flow out of scope, so no
        # stream stage; WEIR_BENCH_STAGES=full measures the whole pipeline.
        cfg['scope'] = {'inspect': [], 'ports': [], 'bypass': ['0.0.0.0/0', '::/0']}
    rules = cfg.get('rules')   # relative to configs/, and bench.yaml is written elsewhere
    if isinstance(rules, dict) and isinstance(rules.get('dir'), str) and not os.path.isabs(rules['dir']):
        rules['dir'] = os.path.join(REPO, 'configs', rules['dir'])
    path = os.path.join(tmp, 'bench.yaml')
    with open(path, 'w') as f:
        yaml.safe_dump(cfg, f, sort_keys=False)
    return path


def lcore_thread(pid, lcore=1):
    """The thread DPDK runs `lcore` on (named rte-worker-<n> or lcore-worker-<n>)."""
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            with open(f'/proc/{pid}/task/{tid}/comm') as f:
                name = f.read().strip()
        except OSError:
            continue
        if name in (f'rte-worker-{lcore}', f'lcore-worker-{lcore}'):
            return tid
    return None


def thread_cpu_ns(pid, tid):
    """Nanoseconds `tid` has spent on a CPU (first field of schedstat)."""
    try:
        with open(f'/proc/{pid}/task/{tid}/schedstat') as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def run_one(app, vdevs, flows, args, bdir, tmp):
    mbufs = 2 * flows + 65536
    mem = max(1024, mbufs * MBUF_BYTES // (1 << 20) + 512 + (flows * 1024 >> 20))
    eal = ['-l', '0,1', '--no-pci', '--file-prefix', PREFIX, '-m', str(mem), '--log-level', 'lib.eal:warning']
    eal += ['--no-huge'] if args.no_huge else ['--huge-dir', HUGE_DIR]
    for v in vdevs:
        eal += ['--vdev', v]
    if app == 'testpmd':
        cmd = ['dpdk-testpmd', *eal, '--', '--forward-mode=io', '--nb-cores=1', '--rxq=1', '--txq=1',
               '--stats-period', '5', f'--total-num-mbufs={mbufs}']
    else:
        names = [v.split(',', 1)[0] for v in vdevs]
        cmd = [os.path.join(bdir, 'dataplane', 'runtime', 'weir-dataplane'), *eal, '--',
               '--config', weir_config(tmp, names, mbufs, flows)]
    logf = open(os.path.join(tmp, f'{app}.log'), 'w')
    proc = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    result = {'mpps': None}
    try:
        t = None
        for _ in range(600):
            if proc.poll() is not None:
                raise RuntimeError(f'{app} exited with {proc.returncode}; see {logf.name}')
            try:
                t = Telemetry()
                if t.cmd('/ethdev/stats,0').get('opackets', 0) > 0:
                    break
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError(f'{app} did not start forwarding; see {logf.name}')
        time.sleep(args.warmup)

        tid = lcore_thread(proc.pid)

        def sample():
            cpu = thread_cpu_ns(proc.pid, tid) if tid else None
            return time.monotonic(), sum(t.cmd(f'/ethdev/stats,{p}')['opackets'] for p in (0, 1)), cpu
        t0, p0, c0 = sample()
        time.sleep(args.seconds)
        t1, p1, c1 = sample()
        result['mpps'] = (p1 - p0) / (t1 - t0) / 1e6
        if c0 is not None and c1 is not None and c1 > c0:
            result['cpu_share'] = (c1 - c0) / 1e9 / (t1 - t0)
            result['cpu_mpps'] = (p1 - p0) / ((c1 - c0) / 1e9) / 1e6
        if app == 'weir':
            try:
                st = t.cmd('/weir/stats')
                result['flows_active'] = st.get('flows_active')
                result['bytes_per_flow'] = st.get('flow_bytes_per_flow', st.get('bytes_per_flow'))
                result['rx'] = st.get('rx_packets')
                lat = t.cmd('/weir/latency')
                result['p50'] = lat.get('p50_ns')
                result['p99'] = lat.get('p99_ns')
            except (OSError, ValueError, KeyError, AttributeError) as e:
                log(f'  weir telemetry incomplete: {e}')
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        logf.close()
    return result


def median_result(results):
    """Per metric, the median over the runs that produced it."""
    out = {}
    for k in {k for r in results for k in r}:
        vals = sorted(r[k] for r in results if isinstance(r.get(k), (int, float)))
        out[k] = vals[len(vals) // 2] if vals else None
    return out


def fmt(v, spec):
    if isinstance(v, (int, float)):
        return format(v, spec)
    width = ''.join(ch for ch in spec.split('.')[0] if ch.isdigit())
    return format('-', f'>{width}') if width else '-'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--seconds', type=float, default=5.0, help='measurement interval')
    ap.add_argument('--warmup', type=float, default=2.0)
    ap.add_argument('--scenarios', default='null,pcap-10k,pcap-100k,pcap-1m')
    ap.add_argument('--apps', default='testpmd,weir')
    ap.add_argument('--build-dir')
    ap.add_argument('--no-huge', action='store_true', help='run DPDK with --no-huge instead of hugepages')
    ap.add_argument('--repeat', type=int, default=1, help='runs per app and scenario, alternating; medians')
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit('bridge_bench: run as root')
    os.makedirs(OUT, exist_ok=True)
    load1 = os.getloadavg()[0]
    if load1 > 0.5:
        log(f'WARNING: load average {load1:.1f}: other work competes for the cores, numbers will be low '
            f'and noisy')
    bdir = build_dir(args.build_dir)
    apps = args.apps.split(',')
    if 'weir' in apps and not os.access(os.path.join(bdir, 'dataplane', 'runtime', 'weir-dataplane'), os.X_OK):
        log(f'weir-dataplane not found in {bdir}: measuring testpmd only')
        apps = [a for a in apps if a != 'weir']
    scenarios = args.scenarios.split(',')
    max_flows = max(scenario_vdevs(s, bdir)[1] for s in scenarios)   # also generates the captures
    need_mb = max(1024, (2 * max_flows + 65536) * MBUF_BYTES // (1 << 20) + 512 + (max_flows * 1024 >> 20))
    tmp = tempfile.mkdtemp(prefix='weir-perf-')
    rows = []
    ctx = Hugepages(need_mb) if not args.no_huge else None
    if ctx:
        ctx.__enter__()
    try:
        for sc in scenarios:
            vdevs, flows = scenario_vdevs(sc, bdir)
            runs = {app: [] for app in apps}
            for rep in range(args.repeat):
                for app in apps:
                    log(f'{sc}: {app} ({rep + 1}/{args.repeat}) ...')
                    try:
                        r = run_one(app, vdevs, flows, args, bdir, tmp)
                    except RuntimeError as e:
                        log(f'  {e}')
                        r = {'mpps': None}
                    log(f'  {fmt(r["mpps"], ".2f")} Mpps, {fmt(r.get("cpu_mpps"), ".2f")} Mpps per '
                        f'CPU-second (lcore got {fmt(r.get("cpu_share"), ".2f")} of its core)')
                    runs[app].append(r)
            rows.append((sc, flows, {app: median_result(rs) for app, rs in runs.items()}))
    finally:
        if ctx:
            ctx.__exit__(None, None, None)

    print()
    print(f'bridge benchmark: one worker lcore, {args.seconds:.0f} s per run, Mpps = frames out of both ports '
          f'(load average at start {load1:.1f})')
    print('Mpps: wall clock; cpu: Mpps per CPU-second of the forwarding lcore; ratio = weir / testpmd')
    print(f'{"scenario":<11} {"flows":>9} {"testpmd Mpps":>13} {"weir Mpps":>10} {"ratio":>6} '
          f'{"testpmd cpu":>12} {"weir cpu":>9} {"cpu ratio":>9} '
          f'{"flows active":>12} {"B/flow":>7} {"p50 ns":>7} {"p99 ns":>7}')
    ratios = {}
    cpu_ratios = {}
    for sc, flows, res in rows:
        tp = res.get('testpmd', {})
        w = res.get('weir', {})

        def div(a, b):
            return a / b if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else None
        ratios[sc] = div(w.get('mpps'), tp.get('mpps'))
        cpu_ratios[sc] = div(w.get('cpu_mpps'), tp.get('cpu_mpps'))
        print(f'{sc:<11} {flows:>9} {fmt(tp.get("mpps"), "13.2f")} {fmt(w.get("mpps"), "10.2f")} '
              f'{fmt(ratios[sc], "6.2f")} {fmt(tp.get("cpu_mpps"), "12.2f")} {fmt(w.get("cpu_mpps"), "9.2f")} '
              f'{fmt(cpu_ratios[sc], "9.2f")} {fmt(w.get("flows_active"), "12d")} '
              f'{fmt(w.get("bytes_per_flow"), "7d")} {fmt(w.get("p50"), "7d")} {fmt(w.get("p99"), "7d")}')
    print()
    print('targets: null ratio >= 0.90; pcap-10k ratio >= 0.50; ratio(pcap-1m) >= 0.8 x ratio(pcap-10k)')
    for label, rs in (('wall', ratios), ('cpu', cpu_ratios)):
        checks = []
        if rs.get('null') is not None:
            checks.append(('plain bridging (null) >= 0.90', rs['null'] >= 0.9))
        if rs.get('pcap-10k') is not None:
            checks.append(('decode+flow at 10k >= 0.50', rs['pcap-10k'] >= 0.5))
            if rs.get('pcap-1m') is not None:
                checks.append(('ratio at 1M >= 0.8 x ratio at 10k', rs['pcap-1m'] >= 0.8 * rs['pcap-10k']))
        for what, ok in checks:
            print(f'  [{"met" if ok else "MISSED"}] {what} ({label} ratio)')
    print(f'(logs in {tmp})')


if __name__ == '__main__':
    main()
