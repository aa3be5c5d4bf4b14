"""Helpers for e2e tests that need weir-control but no lab: the real daemon
in a temp dir, the stand-in dataplane (cli/fake_dataplane.py, the real wire
protocol) to raise events, admin API calls over the Unix socket, free
loopback ports, and a throwaway CA for TLS tests."""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
sys.path.insert(0, os.path.join(HERE, 'cli'))
import fake_dataplane  # noqa: E402

MINIMAL_CONFIG = """\
pairs:
  - name: lab
    client_port: net_af_packet0
    server_port: net_af_packet1
"""


def log(msg):
    print(msg, flush=True)


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)
    log('ok: ' + msg)


def skip(reason):
    print('SKIP: ' + reason, flush=True)
    sys.exit(77)


def binary(env_name, rel):
    path = os.environ.get(env_name) or os.path.join(os.environ.get('WEIR_BUILD_DIR', ''), rel)
    if not os.access(path, os.X_OK):
        skip(f'{rel} not built (set {env_name} or WEIR_BUILD_DIR)')
    return path


def wait_for(pred, timeout, interval=0.05, what='condition'):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if pred():
                return
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(interval)
    raise AssertionError('timed out waiting for ' + what)


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def unix_api(sock_path, method, path, body=None, headers=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else b''
    extra = ''.join(f'{k}: {v}\r\n' for k, v in (headers or {}).items())
    raw = b''
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(sock_path)
        s.sendall(f'{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{extra}'
                  f'Content-Length: {len(data)}\r\n\r\n'.encode() + data)
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            raw += chunk
    head, _, payload = raw.partition(b'\r\n\r\n')
    status = int(head.split(b' ')[1])
    ctype = [l for l in head.split(b'\r\n') if l.lower().startswith(b'content-type:')]
    if ctype and b'json' in ctype[0]:
        return status, json.loads(payload)
    return status, payload.decode()


def make_ca(dirpath, names=('127.0.0.1',), prefix='server'):
    """A CA and a server certificate for `names` (IPs or DNS names).
    Returns (ca_cert, cert, key)."""
    ca_key, ca_crt = os.path.join(dirpath, 'ca.key'), os.path.join(dirpath, 'ca.crt')
    key, csr, crt = (os.path.join(dirpath, prefix + ext) for ext in ('.key', '.csr', '.crt'))
    run = lambda *a: subprocess.run(a, check=True, capture_output=True)  # noqa: E731
    if not os.path.exists(ca_crt):
        run('openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
            '-keyout', ca_key, '-out', ca_crt, '-days', '2', '-subj', '/CN=weir test CA')
    run('openssl', 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
        '-keyout', key, '-out', csr, '-subj', '/CN=' + names[0])
    san = ','.join(('IP:' if n[0].isdigit() or ':' in n else 'DNS:') + n for n in names)
    ext = os.path.join(dirpath, prefix + '.ext')
    with open(ext, 'w') as f:
        f.write('subjectAltName=' + san + '\n')
    run('openssl', 'x509', '-req', '-in', csr, '-CA', ca_crt, '-CAkey', ca_key, '-CAcreateserial',
        '-out', crt, '-days', '2', '-extfile', ext)
    return ca_crt, crt, key


class HarnessDataplane(fake_dataplane.FakeDataplane):
    """FakeDataplane whose test-event hook answers like the real one (kind
    test, class test, severity info) without waiting for the ack on its
    own reader thread."""

    def _handle(self, env):
        if env.WhichOneof('body') != 'raise_test_events':
            return super()._handle(env)
        with self.cond:
            self.received.append(env)
            self.cond.notify_all()
        reply = self.pb.Envelope()
        reply.ref = env.seq
        reply.ack.ref = env.seq
        reply.ack.ok = True
        self.send(reply)
        n = env.raise_test_events.count
        for start in range(0, n, 256):
            self.send_events([dict(kind=4, severity=0, class_name='test', zone='', rule_id=0,
                                   text=f'test event {i}') for i in range(start, min(n, start + 256))],
                             wait_ack=False)


class Control:
    """weir-control in a temp dir with a stand-in dataplane."""

    def __init__(self, extra_yaml='', tmp=None):
        self.bin = binary('WEIR_CONTROL', 'control/weir-control')
        self.tmp = tmp or tempfile.mkdtemp(prefix='weir-ctl-e2e-')
        os.chmod(self.tmp, 0o755)
        self.admin = os.path.join(self.tmp, 'admin.sock')
        self.dp_sock = os.path.join(self.tmp, 'dataplane.sock')
        self.config = os.path.join(self.tmp, 'weir.yaml')
        self.write_config(extra_yaml)
        self.proc = None
        self.dp = None
        self.pb = None

    def write_config(self, extra_yaml):
        with open(self.config, 'w') as f:
            f.write(MINIMAL_CONFIG + extra_yaml)

    def start(self, expect_fail=False):
        self.logf = open(os.path.join(self.tmp, 'weir-control.log'), 'a')
        self.proc = subprocess.Popen(
            [self.bin, '--config', self.config, '--state-dir', os.path.join(self.tmp, 'state'),
             '--admin-socket', self.admin, '--dataplane-socket', self.dp_sock, '--foreground'],
            stdout=self.logf, stderr=subprocess.STDOUT)
        if expect_fail:
            return self.proc.wait(10)
        deadline = time.time() + 10
        while True:
            try:
                unix_api(self.admin, 'GET', '/v1/mode')
                return 0
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError('weir-control did not start; log:\n' + self.log_text())
                time.sleep(0.05)

    def log_text(self):
        with open(os.path.join(self.tmp, 'weir-control.log')) as f:
            return f.read()

    def connect_dataplane(self, boot_id=7):
        """A new stand-in dataplane; a new boot_id gives new event ids."""
        if self.pb is None:
            self.pb = fake_dataplane.load_ipc_module(
                os.path.join(SOURCE_ROOT, 'control', 'ipc', 'weir_ipc.proto'), self.tmp)
        self.dp = HarnessDataplane(self.pb, self.dp_sock, boot_id=boot_id)
        self.dp.connect()
        return self.dp

    def stop(self, sig=signal.SIGTERM):
        if self.dp is not None:
            self.dp.close()
            self.dp = None
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def api(self, method, path, body=None):
        return unix_api(self.admin, method, path, body)

    def all_alerts(self):
        out, after = [], 0
        while True:
            status, body = self.api('GET', f'/v1/alerts?after_id={after}&limit=1000')
            assert status == 200, body
            if not body['alerts']:
                return out
            out += body['alerts']
            after = body['last_id']
