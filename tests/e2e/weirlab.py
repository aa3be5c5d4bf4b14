"""Python side of the Weir lab, used by the e2e tests and the demo.

Wraps tests/e2e/lab.sh (namespaces, veths, nginx, the bridge process), reads
DPDK telemetry over its SOCK_SEQPACKET socket and runs clients inside the
namespaces. Runs with /usr/bin/python3 (Debian's, which has PyYAML).

A test does:
    with weirlab.Lab() as lab:              # lab.sh down (leftovers), up
        lab.start_bridge(config=lab.config({'flow': {'udp_timeout_s': 2}}))
        lab.curl('http://198.18.0.2/index.html')
        stats = lab.telemetry('/weir/stats')
and the lab is torn down on exit, on an exception, on SIGTERM from meson's
timeout, and on SIGINT.
"""
import atexit
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
REPO = os.path.dirname(os.path.dirname(HERE))
LAB_SH = os.path.join(HERE, 'lab.sh')
LAB_DIR = os.environ.get('WEIR_LAB_DIR', '/run/weir-lab')
TELEMETRY_SOCK = '/var/run/dpdk/weir/dpdk_telemetry.v2'
DEFAULT_CONFIG = os.path.join(REPO, 'configs', 'weir.yaml')

NS_CLIENT = 'weir-client'
NS_SERVER = 'weir-server'
IP4_CLIENT, IP4_SERVER = '198.18.0.1', '198.18.0.2'
IP6_CLIENT, IP6_SERVER = '2001:2::1', '2001:2::2'
URL4 = 'http://198.18.0.2'
URL6 = 'http://[2001:2::2]'

SKIP = 77  # meson's exit code for a skipped test


def log(msg):
    print(f'[{time.strftime("%H:%M:%S")}] {msg}', flush=True)


def skip(reason):
    log(f'SKIP: {reason}')
    sys.exit(SKIP)


def build_dir():
    env = os.environ.get('WEIR_BUILD_DIR')
    if env:
        return env
    for name in ['build'] + sorted(d for d in os.listdir(REPO) if d.startswith('build')):
        if os.path.exists(os.path.join(REPO, name, 'dataplane', 'runtime', 'weir-dataplane')):
            return os.path.join(REPO, name)
    return os.path.join(REPO, 'build')


def dataplane_binary():
    path = os.path.join(build_dir(), 'dataplane', 'runtime', 'weir-dataplane')
    return path if os.access(path, os.X_OK) else None


def bridge_kind():
    """weir | testpmd, from WEIR_BRIDGE (default: weir when it is built)."""
    kind = os.environ.get('WEIR_BRIDGE', 'auto')
    if kind == 'auto':
        kind = 'weir' if dataplane_binary() else 'testpmd'
    return kind


def require_weir():
    if bridge_kind() != 'weir':
        skip('needs weir-dataplane (not built, or WEIR_BRIDGE=testpmd)')


class Telemetry:
    """Client of DPDK's telemetry v2 socket (one JSON reply per command)."""

    def __init__(self, path=TELEMETRY_SOCK, timeout=5.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        hello = json.loads(self.sock.recv(16384).decode())
        self.max_len = int(hello.get('max_output_len', 16384))

    def cmd(self, command):
        self.sock.send(command.encode())
        reply = json.loads(self.sock.recv(self.max_len + 1024).decode())
        key = command.split(',', 1)[0]
        return reply.get(key, reply) if isinstance(reply, dict) else reply

    def close(self):
        self.sock.close()


def telemetry(command, path=TELEMETRY_SOCK):
    t = Telemetry(path)
    try:
        return t.cmd(command)
    finally:
        t.close()


def run(args, check=True, timeout=None, capture=True, **kw):
    res = subprocess.run(args, check=False, timeout=timeout, text=True,
                         stdout=subprocess.PIPE if capture else None,
                         stderr=subprocess.PIPE if capture else None, **kw)
    if check and res.returncode != 0:
        raise RuntimeError(f'{" ".join(args)} -> {res.returncode}\n{res.stdout}\n{res.stderr}')
    return res


def ns_run(ns, args, **kw):
    return run(['ip', 'netns', 'exec', ns] + list(args), **kw)


def ns_popen(ns, args, **kw):
    return subprocess.Popen(['ip', 'netns', 'exec', ns] + list(args), **kw)


class RecordingPeer:
    """A demo server of tests/e2e/peers in the server namespace: started with
    its record file as the last argument, ready once it prints `ready`; each
    message it read completely is one JSON line in that file."""

    def __init__(self, tmp, name, argv, python='/usr/bin/python3'):
        self.name = name
        self.path = os.path.join(tmp, f'{name}.jsonl')
        self.proc = ns_popen(NS_SERVER, [python, *argv, self.path], stdout=subprocess.PIPE,
                             stderr=open(os.path.join(tmp, f'{name}.err'), 'w'), text=True)
        line = self.proc.stdout.readline().strip()
        if line != 'ready':
            self.stop()
            raise RuntimeError(f'{name} did not start: {line!r} (see {tmp}/{name}.err)')

    def lines(self):
        if not os.path.exists(self.path):
            return []
        with open(self.path) as f:
            return [line for line in f if line.strip()]

    def records(self):
        return [json.loads(line) for line in self.lines()]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Lab:
    """The lab as a context manager; tears down on every exit path."""

    def __init__(self, keep_nginx=True):
        self.tmp = tempfile.mkdtemp(prefix='weir-e2e-')
        self.kind = None
        self._down_done = False

    # -- lifecycle ---------------------------------------------------------
    def __enter__(self):
        run([LAB_SH, 'down'], check=False)          # leftovers of a killed run
        atexit.register(self.down)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        run([LAB_SH, 'up'], capture=False)
        return self

    def __exit__(self, *exc):
        if exc[0] is not None and os.path.exists(os.path.join(LAB_DIR, 'bridge.log')):
            log('bridge log (tail):')
            print(open(os.path.join(LAB_DIR, 'bridge.log'), errors='replace').read()[-4000:])
        self.down()
        return False

    def _on_signal(self, signum, _frame):
        log(f'signal {signum}: tearing the lab down')
        self.down()
        sys.exit(128 + signum)

    def down(self):
        if not self._down_done:
            self._down_done = True
            run([LAB_SH, 'down'], check=False)

    # -- the bridge --------------------------------------------------------
    def config(self, overrides=None, base=DEFAULT_CONFIG, name='weir-test.yaml'):
        """Writes base config with `overrides` merged in; returns its path."""
        with open(base) as f:
            cfg = yaml.safe_load(f)

        def merge(dst, src):
            for k, v in src.items():
                if isinstance(v, dict) and isinstance(dst.get(k), dict):
                    merge(dst[k], v)
                else:
                    dst[k] = v
        merge(cfg, overrides or {})
        # The copy lives in a temp dir: keep rules.dir pointing at the base's folder.
        rules = cfg.get('rules') or {}
        if rules.get('dir') and not os.path.isabs(rules['dir']):
            rules['dir'] = os.path.join(os.path.dirname(os.path.abspath(base)), rules['dir'])
        path = os.path.join(self.tmp, name)
        with open(path, 'w') as f:
            yaml.safe_dump(cfg, f, sort_keys=False)
        return path

    def start_bridge(self, kind=None, workers=1, config=None, extra=()):
        self.kind = kind or bridge_kind()
        args = [LAB_SH, 'bridge-start', self.kind, '--workers', str(workers)]
        if config and self.kind == 'weir':
            args += ['--config', config]
        if extra:
            args += ['--'] + list(extra)
        env = dict(os.environ, WEIR_BUILD_DIR=build_dir())
        # Compiled rule databases are reused across starts (exact-input keys).
        env.setdefault('WEIR_HS_CACHE_DIR', os.path.join(tempfile.gettempdir(), f'weir-hs-cache-{os.getuid()}'))
        os.makedirs(env['WEIR_HS_CACHE_DIR'], exist_ok=True)
        run(args, capture=False, env=env)

    def stop_bridge(self):
        run([LAB_SH, 'bridge-stop'], check=False)

    def bridge_pid(self):
        with open(os.path.join(LAB_DIR, 'bridge.pid')) as f:
            return int(f.read())

    def bridge_log(self):
        with open(os.path.join(LAB_DIR, 'bridge.log'), errors='replace') as f:
            return f.read()

    def telemetry(self, command):
        return telemetry(command)

    # -- clients -----------------------------------------------------------
    def curl(self, url, out='/dev/null', extra=(), timeout=120):
        """curl from the client namespace; returns (http_code, seconds, bytes)."""
        res = ns_run(NS_CLIENT, ['curl', '-sS', '-g', '--max-time', str(timeout), '-o', out,
                                 '-w', '%{http_code} %{time_total} %{size_download}', *extra, url],
                     check=False, timeout=timeout + 10)
        if res.returncode != 0:
            return (0, 0.0, 0) if not res.stdout else _parse_w(res.stdout)
        return _parse_w(res.stdout)

    def server_sha256(self, name):
        with open(os.path.join(LAB_DIR, 'www', 'SHA256SUMS')) as f:
            for line in f:
                digest, fname = line.split()
                if fname == name:
                    return digest
        raise KeyError(name)


def _parse_w(out):
    code, secs, size = out.split()
    return int(code), float(secs), int(size)


def sha256_file(path):
    import hashlib
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def wait_for(predicate, timeout, interval=0.2, what='condition'):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f'timed out after {timeout}s waiting for {what}')


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)
    log(f'ok: {msg}')
