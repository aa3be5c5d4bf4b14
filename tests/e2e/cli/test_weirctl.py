#!/usr/bin/python3
"""weirctl against a running weir-control: every command, its output and its
exit code. weir-control runs in a temp dir with its own sockets and state; a
fake dataplane (fake_dataplane.py, the real wire protocol) connects to it so
stats, ports, flows and alerts have something to show and commands pushed
down can be checked.

Run: WEIRCTL=build/cli/weirctl WEIR_CONTROL=build/control/weir-control \
       /usr/bin/python3 tests/e2e/cli/test_weirctl.py
(meson test weirctl_e2e sets both.)"""

import json
import os
import re
import select
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
sys.path.insert(0, HERE)
import fake_dataplane  # noqa: E402

MINIMAL_CONFIG = """\
# weirctl e2e: one port pair, everything else default.
pairs:
  - name: lab
    client_port: net_af_packet0
    server_port: net_af_packet1

flow:
  capacity: 262144
"""

WEIRCTL = os.environ.get('WEIRCTL', '')
WEIR_CONTROL = os.environ.get('WEIR_CONTROL', '')


def api(sock_path, method, path, body=None):
    """A raw admin API call (to compare weirctl's output with the API's)."""
    data = json.dumps(body).encode() if body is not None else b''
    raw = b''
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(sock_path)
        s.sendall(f'{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n'
                  f'Content-Length: {len(data)}\r\n\r\n'.encode() + data)
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            raw += chunk
    head, _, payload = raw.partition(b'\r\n\r\n')
    status = int(head.split(b' ')[1])
    return status, json.loads(payload)


class WeirctlE2E(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not (os.access(WEIRCTL, os.X_OK) and os.access(WEIR_CONTROL, os.X_OK)):
            raise unittest.SkipTest('set WEIRCTL and WEIR_CONTROL to the built binaries')
        cls.tmp = tempfile.mkdtemp(prefix='weirctl-e2e-')
        # World-traversable dir: only the socket's own mode keeps others out.
        os.chmod(cls.tmp, 0o755)
        cls.admin = os.path.join(cls.tmp, 'admin.sock')
        cls.dp_sock = os.path.join(cls.tmp, 'dataplane.sock')
        cls.config = os.path.join(cls.tmp, 'weir.yaml')
        # A small config of our own: this test is about weirctl, and the
        # default config grows with every stage.
        with open(cls.config, 'w') as f:
            f.write(MINIMAL_CONFIG)
        cls.log = open(os.path.join(cls.tmp, 'weir-control.log'), 'w')
        cls.start_control()
        pb = fake_dataplane.load_ipc_module(
            os.path.join(SOURCE_ROOT, 'control', 'ipc', 'weir_ipc.proto'), cls.tmp)
        cls.dp = fake_dataplane.FakeDataplane(pb, cls.dp_sock)
        cls.dp.connect()

    @classmethod
    def start_control(cls):
        cls.control = subprocess.Popen(
            [WEIR_CONTROL, '--config', cls.config, '--state-dir', os.path.join(cls.tmp, 'state'),
             '--admin-socket', cls.admin, '--dataplane-socket', cls.dp_sock, '--foreground'],
            stdout=cls.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 10
        while True:
            try:
                api(cls.admin, 'GET', '/v1/mode')
                return
            except OSError:
                if cls.control.poll() is not None or time.time() > deadline:
                    raise RuntimeError('weir-control did not start; log in ' + cls.log.name)
                time.sleep(0.05)

    @classmethod
    def tearDownClass(cls):
        cls.dp.close()
        cls.control.send_signal(signal.SIGTERM)
        try:
            cls.control.wait(timeout=10)
        except subprocess.TimeoutExpired:
            cls.control.kill()
        cls.log.close()
        if os.environ.get('WEIRCTL_E2E_KEEP'):
            print('kept', cls.tmp)
        else:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        if not self.dp.connected:
            self.dp.connect()

    # -- helpers ----------------------------------------------------------------
    def weirctl(self, *args, code=0, env=None, input=None):
        full_env = dict(os.environ)
        full_env.pop('WEIR_ADMIN_SOCKET', None)
        full_env.update(env or {})
        argv = [WEIRCTL] + (['--socket', self.admin] if 'WEIR_ADMIN_SOCKET' not in (env or {})
                            else []) + list(args)
        r = subprocess.run(argv, capture_output=True, text=True, env=full_env, input=input,
                           timeout=30)
        if code is not None:
            self.assertEqual(r.returncode, code,
                             f'{args}: exit {r.returncode}\nstdout:\n{r.stdout}\nstderr:\n{r.stderr}')
        return r

    def one_error_line(self, r):
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertTrue(lines[0].startswith('weirctl: '), r.stderr)
        return lines[0][len('weirctl: '):]

    # -- reaching weir-control --------------------------------------------------
    def test_admin_socket_mode_0600(self):
        mode = os.stat(self.admin).st_mode
        self.assertTrue(stat.S_ISSOCK(mode))
        self.assertEqual(stat.S_IMODE(mode), 0o600)

    def test_other_user_cannot_use_socket(self):
        if os.geteuid() != 0 or shutil.which('setpriv') is None:
            self.skipTest('needs root and setpriv')
        r = subprocess.run(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups',
                            WEIRCTL, '--socket', self.admin, 'status'],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertEqual(r.stderr, f'weirctl: cannot connect to {self.admin}: Permission denied '
                                   '(is weir-control running?)\n')

    def test_missing_socket_exit_3(self):
        missing = os.path.join(self.tmp, 'nope.sock')
        r = subprocess.run([WEIRCTL, '--socket', missing, 'status'], capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(r.returncode, 3)
        self.assertEqual(r.stdout, '')
        self.assertEqual(r.stderr, f'weirctl: cannot connect to {missing}: No such file or '
                                   'directory (is weir-control running?)\n')

    def test_socket_from_environment(self):
        r = self.weirctl('mode', env={'WEIR_ADMIN_SOCKET': self.admin})
        self.assertIn(r.stdout.strip(), ('monitor', 'block'))

    # -- status -----------------------------------------------------------------
    def test_status(self):
        r = self.weirctl('status')
        self.assertRegex(r.stdout, r'(?m)^weir-control: +0\.1\.0$')
        self.assertRegex(r.stdout, r'(?m)^dataplane: +connected \(fake-dp\)$')
        self.assertRegex(r.stdout, r'(?m)^config: +generation \d+ from ')
        j = json.loads(self.weirctl('--json', 'status').stdout)
        self.assertEqual(j, {**j, 'version': '0.1.0'})
        self.assertTrue(j['dataplane']['connected'])
        self.assertEqual(j['dataplane']['instance_id'], 'fake-dp')

    # -- stats / ports ------------------------------------------------------------
    def test_stats_one_shot(self):
        ts = time.time_ns()
        self.dp.send_counters(ts, {'rx_packets': 123456, 'tx_packets': 123400, 'drop.blocked': 56,
                                   'port.net_af_packet0.rx_packets': 1000},
                              {0: {'rx_packets': 60000}, 1: {'rx_packets': 63456}})
        self.wait_counters(ts)
        r = self.weirctl('stats')
        self.assertRegex(r.stdout, r'(?m)^rx_packets +123456$')
        self.assertRegex(r.stdout, r'(?m)^drop\.blocked +56$')
        r = self.weirctl('stats', '--workers', '--filter', 'rx_packets')
        self.assertRegex(r.stdout, r'(?m)^COUNTER +TOTAL +W0 +W1$')
        self.assertRegex(r.stdout, r'(?m)^rx_packets +123456 +60000 +63456$')
        self.assertNotIn('tx_packets', r.stdout)
        j = json.loads(self.weirctl('stats', '--json').stdout)
        self.assertEqual(j['totals']['tx_packets'], 123400)

    def wait_counters(self, ts_ns):
        deadline = time.time() + 5
        while time.time() < deadline:
            status, j = api(self.admin, 'GET', '/v1/stats')
            if status == 200 and j['totals'].get('rx_packets') is not None and \
                    j['at'] == time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(ts_ns // 10**9)) + \
                    '.%03dZ' % ((ts_ns // 10**6) % 1000):
                return
            time.sleep(0.02)
        self.fail('counter snapshot did not reach weir-control')

    def test_stats_watch_rates(self):
        # Snapshots 1 s apart by their own clock, 1000 packets each: 1000/s,
        # whatever the real pacing (the rate is timed by the snapshots).
        base = time.time_ns()
        proc = subprocess.Popen([WEIRCTL, '--socket', self.admin, 'stats', '--watch', '0.2',
                                 '--filter', 'watch_rx'],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(6):
            self.dp.send_counters(base + i * 10**9, {'watch_rx': 5000 + 1000 * i})
            time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
        self.assertEqual(proc.returncode, 0, err)
        self.assertIn('RATE/S', out)
        self.assertRegex(out, r'(?m)^watch_rx +\d+ +1000$')
        self.assertGreaterEqual(out.count('Ctrl-C to quit'), 3)

    def test_ports(self):
        ts = time.time_ns()
        self.dp.send_counters(ts, {'rx_packets': 1, 'port.net_af_packet0.rx_packets': 10,
                                   'port.net_af_packet0.link_up': 1,
                                   'port.net_af_packet1.link_up': 0})
        self.wait_counters(ts)
        r = self.weirctl('ports')
        self.assertRegex(r.stdout, r'(?m)^PORT +PAIR +SIDE +LINK +RX_PACKETS$')
        self.assertRegex(r.stdout, r'(?m)^net_af_packet0 +lab +client +up +10$')
        self.assertRegex(r.stdout, r'(?m)^net_af_packet1 +lab +server +down +-$')
        j = json.loads(self.weirctl('--json', 'ports').stdout)
        self.assertEqual(len(j['ports']), 2)

    # -- flows --------------------------------------------------------------------
    def test_flows(self):
        self.dp.flows = [
            dict(client='198.18.0.10', client_port=40000, server='198.19.0.20', server_port=80,
                 packets=120, bytes=80211),
            dict(client='198.18.0.11', client_port=40001, server='198.19.0.20', server_port=80,
                 packets=500, bytes=1000),
            dict(client='2001:2::10', client_port=40002, server='2001:2:1::20', server_port=443,
                 packets=7, bytes=9000, age_ms=65000),
        ]
        r = self.weirctl('flows')
        lines = r.stdout.splitlines()
        self.assertRegex(lines[0], r'^WORKER +PROTO +CLIENT +SERVER +PACKETS +BYTES')
        self.assertIn('198.18.0.10:40000', lines[1])  # by bytes: 80211 first
        self.assertIn('[2001:2::10]:40002', lines[2])
        self.assertEqual(lines[-1], '3 shown of 3 live flows')
        r = self.weirctl('flows', '--sort', 'packets', '--limit', '1')
        self.assertIn('198.18.0.11:40001', r.stdout.splitlines()[1])
        self.assertIn('(more match; raise --limit)', r.stdout)
        mark = self.dp.mark()
        r = self.weirctl('flows', '--addr', '198.18.0.10')
        q = self.dp.wait_for(lambda e: e.WhichOneof('body') == 'flow_query', since=mark)
        self.assertTrue(q.flow_query.has_filter)
        self.assertEqual(q.flow_query.filter_prefix_len, 128)
        self.assertEqual(len(r.stdout.splitlines()), 3)
        j = json.loads(self.weirctl('--json', 'flows', '--addr', '2001:2::/48').stdout)
        self.assertEqual([f['client'] for f in j['flows']], ['2001:2::10'])
        self.assertEqual(self.weirctl('flows', '--addr', '198.18.0.0/8', code=2).returncode, 2)

    def test_flows_without_dataplane(self):
        self.dp.close()
        deadline = time.time() + 5
        while api(self.admin, 'GET', '/v1/status')[1]['dataplane']['connected']:
            self.assertLess(time.time(), deadline)
            time.sleep(0.02)
        r = self.weirctl('flows', code=1)
        self.assertIn('not connected', self.one_error_line(r))
        self.weirctl('status')
        self.dp.connect()

    # -- alerts -------------------------------------------------------------------
    def inject(self, text, severity=3, **kw):
        self.dp.send_events([dict(text=text, severity=severity, **kw)])
        _, j = api(self.admin, 'GET', '/v1/alerts?limit=1000')
        for a in j['alerts']:
            if a['text'] == text:
                return a
        self.fail('injected alert not stored')

    def test_alerts_list_and_show(self):
        low = self.inject('list-low id=1', severity=1)
        high = self.inject("list-high id=1' OR '1'='1", severity=4,
                           client='2001:2::99', server='2001:2:1::1', server_port=443)
        r = self.weirctl('alerts', 'list', '--limit', '1000')
        self.assertRegex(r.stdout.splitlines()[0], r'^ID +TIME \(UTC\) +SEVERITY +KIND +CLASS')
        self.assertIn('list-low id=1', r.stdout)
        self.assertIn("tcp [2001:2::99]:40000 -> [2001:2:1::1]:443", r.stdout)
        r = self.weirctl('alerts', 'list', '--severity', 'critical', '--limit', '1000')
        self.assertIn('list-high', r.stdout)
        self.assertNotIn('list-low', r.stdout)
        j = json.loads(self.weirctl('--json', 'alerts', 'list', '--since', '1m').stdout)
        self.assertIn(high['id'], [a['id'] for a in j['alerts']])
        old = self.inject('list-old', ts_ns=time.time_ns() - 2 * 3600 * 10**9)
        j = json.loads(self.weirctl('alerts', 'list', '--since', '1h', '--json').stdout)
        ids = [a['id'] for a in j['alerts']]
        self.assertNotIn(old['id'], ids)
        self.assertIn(low['id'], ids)
        r = self.weirctl('alerts', 'show', str(high['id']))
        self.assertRegex(r.stdout, rf'(?m)^id: +{high["id"]}$')
        self.assertRegex(r.stdout, r'(?m)^severity: +critical$')
        self.assertRegex(r.stdout, r"(?m)^text: +list-high id=1' OR '1'='1$")
        j = json.loads(self.weirctl('alerts', 'show', str(high['id']), '--json').stdout)
        self.assertEqual(j['alert']['event_id'], high['event_id'])
        r = self.weirctl('alerts', 'show', '999999999', code=1)
        self.one_error_line(r)
        self.weirctl('alerts', 'list', '--since', 'yesterday', code=2)
        self.weirctl('alerts', 'list', '--severity', 'urgent', code=2)

    def test_rules_except_from_alert(self):
        text = 'block sqli-100,lexical-sqli | GET /api/notes?q=O%27Brien | query_arg q | O\'Brien'
        a = self.inject(text, severity=4, class_name='sqli', zone='query_arg')
        r = self.weirctl('rules', 'except', '--from-alert', str(a['id']))
        self.assertIn(f'- id: "alert-{a["id"]}"', r.stdout)
        self.assertIn('endpoint: {regex: "^/api/notes$"}', r.stdout)
        self.assertIn('names: ["q"]', r.stdout)
        self.assertIn('rules: ["sqli-100", "lexical-sqli"]', r.stdout)
        j = json.loads(self.weirctl('--json', 'rules', 'except', '--from-alert', str(a['id']),
                                    '--scope', 'zone,rule', '--id', 'notes-q').stdout)
        self.assertEqual(j['exception'], {'id': 'notes-q', 'comment': j['exception']['comment'],
                                          'zones': ['query_arg'], 'rules': ['sqli-100', 'lexical-sqli']})
        # Errors are one line with the right exit code.
        self.assertIn('not a detection alert', self.one_error_line(
            self.weirctl('rules', 'except', '--from-alert', str(self.inject('plain text', kind=4)['id']), code=1)))
        self.assertIn('protocol finding', self.one_error_line(self.weirctl(
            'rules', 'except', '--from-alert',
            str(self.inject('block http1.cl_te_conflict | POST /x | message | CL and TE', zone='message')['id']),
            code=1)))
        self.one_error_line(self.weirctl('rules', 'except', '--from-alert', '999999999', code=1))
        self.assertIn('--dry-run needs --corpus', self.one_error_line(
            self.weirctl('rules', 'except', '--from-alert', str(a['id']), '--dry-run', code=2)))
        self.assertIn("invalid --scope 'host'", self.one_error_line(
            self.weirctl('rules', 'except', '--from-alert', str(a['id']), '--scope', 'zone,host', code=2)))

    def test_alerts_text_is_escaped(self):
        self.inject('esc \x1b[2J\x1b]0;pwned\x07 done')
        r = self.weirctl('alerts', 'list', '--limit', '5')
        self.assertNotIn('\x1b', r.stdout)
        self.assertIn('esc \\x1b[2J\\x1b]0;pwned\\x07 done', r.stdout)

    def test_alerts_tail(self):
        for i in range(3):
            self.inject(f'tail-{i}')
        r = self.weirctl('alerts', 'tail', '-n', '3')
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), 3)
        self.assertTrue(all(f'tail-{i}' in lines[i] for i in range(3)), r.stdout)

    def test_alerts_tail_follow_within_a_second(self):
        proc = subprocess.Popen([WEIRCTL, '--socket', self.admin, '--json', 'alerts', 'tail',
                                 '-f', '-n', '0'], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            time.sleep(0.5)  # it is now parked in the long-poll
            latencies = []
            for i in range(3):
                start = time.time()
                self.dp.send_events([dict(text=f'follow-{i}')], wait_ack=False)
                ready, _, _ = select.select([proc.stdout], [], [], 2.0)
                self.assertTrue(ready, 'tail -f printed nothing within 2 s')
                line = proc.stdout.readline()
                latencies.append(time.time() - start)
                self.assertEqual(json.loads(line)['text'], f'follow-{i}')
            self.assertLess(max(latencies), 1.0, latencies)
            print(f'\ntail -f latency: {", ".join("%.0f ms" % (l * 1000) for l in latencies)}',
                  file=sys.stderr)
        finally:
            proc.send_signal(signal.SIGINT)
            proc.communicate(timeout=5)

    def test_alerts_tail_follow_severity(self):
        proc = subprocess.Popen([WEIRCTL, '--socket', self.admin, '--json', 'alerts', 'tail',
                                 '-f', '-n', '0', '--severity', 'high'],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            time.sleep(0.5)
            self.dp.send_events([dict(text='sev-low', severity=1)])
            self.dp.send_events([dict(text='sev-critical', severity=4)])
            ready, _, _ = select.select([proc.stdout], [], [], 2.0)
            self.assertTrue(ready, 'tail -f --severity printed nothing within 2 s')
            self.assertEqual(json.loads(proc.stdout.readline())['text'], 'sev-critical')
        finally:
            proc.send_signal(signal.SIGINT)
            proc.communicate(timeout=5)

    def test_alerts_tail_follow_survives_control_restart(self):
        before = self.inject('restart-before')
        proc = subprocess.Popen([WEIRCTL, '--socket', self.admin, '--json', 'alerts', 'tail',
                                 '-f', '-n', '1'], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            self.assertEqual(json.loads(proc.stdout.readline())['id'], before['id'])
            self.control.kill()  # kill -9
            self.control.wait()
            self.dp.close()
            time.sleep(1.5)  # tail -f sees the daemon gone and retries
            type(self).start_control()
            self.dp.connect()
            self.dp.send_events([dict(text='restart-after')])
            ready, _, _ = select.select([proc.stdout], [], [], 5.0)
            self.assertTrue(ready, 'tail -f did not resume after weir-control restarted')
            self.assertEqual(json.loads(proc.stdout.readline())['text'], 'restart-after')
        finally:
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=5)
        self.assertIn(b'retrying every second', err)
        self.assertIn(b'reconnected to ' + self.admin.encode(), err)

    # -- blocks -------------------------------------------------------------------
    def test_block_unblock(self):
        mark = self.dp.mark()
        r = self.weirctl('block', 'ip', '198.18.0.7', '--ttl', '10m', '--reason', 'e2e')
        self.assertEqual(r.stdout, 'blocked 198.18.0.7/32, expires in 10m\n')
        add = self.dp.wait_for(lambda e: e.WhichOneof('body') == 'block_add', since=mark)
        self.assertEqual(add.block_add.cidr, '198.18.0.7/32')
        self.assertTrue(590 <= add.block_add.ttl_s <= 600)
        r = self.weirctl('block', 'cidr', '2001:2:0:1::/64')
        self.assertEqual(r.stdout, 'blocked 2001:2:0:1::/64, expires never\n')
        r = self.weirctl('blocks')
        self.assertRegex(r.stdout, r'(?m)^198\.18\.0\.7/32 +in (10m|9m\d+s) +\S+ \S+ +\S+ +e2e$')
        self.assertRegex(r.stdout, r'(?m)^2001:2:0:1::/64 +never ')
        j = json.loads(self.weirctl('--json', 'blocks').stdout)
        self.assertIn('198.18.0.7/32', [b['cidr'] for b in j['blocks']])
        mark = self.dp.mark()
        self.assertEqual(self.weirctl('unblock', 'ip', '198.18.0.7').stdout,
                         'unblocked 198.18.0.7/32\n')
        rm = self.dp.wait_for(lambda e: e.WhichOneof('body') == 'block_remove', since=mark)
        self.assertEqual(rm.block_remove.cidr, '198.18.0.7/32')
        self.weirctl('unblock', 'cidr', '2001:2:0:1::/64')
        r = self.weirctl('unblock', 'ip', '198.18.0.7', code=1)
        self.one_error_line(r)
        self.assertNotIn('198.18.0.7', self.weirctl('blocks').stdout)

    def test_block_invalid_input_exit_2(self):
        r = self.weirctl('block', 'cidr', '198.18.0.1/15', code=2)
        self.assertEqual(self.one_error_line(r),
                         "invalid CIDR '198.18.0.1/15': host bits are set (did you mean "
                         "198.18.0.0/15?)")
        self.weirctl('block', 'cidr', '2001:2::/129', code=2)
        self.weirctl('block', 'ip', '198.18.0.0/24', code=2)
        self.weirctl('block', 'ip', 'not-an-ip', code=2)
        r = self.weirctl('block', 'ip', '198.18.0.8', '--ttl', '10y', code=2)
        self.assertIn("invalid --ttl '10y'", r.stderr)
        self.weirctl('block', 'ip', '198.18.0.8', '--ttl', '0s', code=2)
        self.assertNotIn('198.18.0.8', self.weirctl('blocks').stdout)

    def test_block_ttl_expires(self):
        self.weirctl('block', 'cidr', '198.18.9.0/24', '--ttl', '1s')
        self.assertIn('198.18.9.0/24', self.weirctl('blocks').stdout)
        deadline = time.time() + 5
        while '198.18.9.0/24' in self.weirctl('blocks').stdout:
            self.assertLess(time.time(), deadline, 'TTL block still listed after 5 s')
            time.sleep(0.2)

    # -- mode ---------------------------------------------------------------------
    def test_mode(self):
        self.weirctl('mode', 'monitor')
        self.assertEqual(self.weirctl('mode').stdout, 'monitor\n')
        mark = self.dp.mark()
        self.assertEqual(self.weirctl('mode', 'block').stdout, 'mode block (was monitor)\n')
        m = self.dp.wait_for(lambda e: e.WhichOneof('body') == 'set_mode', since=mark)
        self.assertTrue(m.set_mode.block)
        self.assertEqual(json.loads(self.weirctl('--json', 'mode').stdout), {'mode': 'block'})
        self.weirctl('mode', 'monitor')
        self.weirctl('mode', 'enforce', code=2)

    # -- config -------------------------------------------------------------------
    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, 'w') as f:
            f.write(text)
        return path

    def read(self, path):
        with open(path) as f:
            return f.read()

    def test_config_validate_diff_apply_show(self):
        live = self.weirctl('config', 'show')
        self.assertIn('flow:', live.stdout)
        before = json.loads(self.weirctl('--json', 'config', 'show').stdout)
        good = self.write('good.yaml', re.sub(r'(?m)^(  capacity:) \d+', r'\1 4096', before['yaml']))
        bad = self.write('bad.yaml', re.sub(r'(?m)^(  capacity:) \d+', r'\1 -1', before['yaml']))

        self.assertEqual(self.weirctl('config', 'validate', good).stdout, f'{good}: valid\n')
        r = self.weirctl('config', 'validate', bad, code=1)
        status, err = api(self.admin, 'POST', '/v1/config/validate',
                          {'yaml': self.read(bad), 'source': bad})
        self.assertEqual(status, 422)
        self.assertEqual(r.stderr, 'weirctl: ' + err['error']['message'] + '\n')
        self.assertIn(f'{bad}:', r.stderr)

        r = self.weirctl('config', 'diff', good)
        self.assertIn('-  capacity:', r.stdout)
        self.assertIn('+  capacity: 4096', r.stdout)

        # A broken file is refused with the exact error; the old config stays.
        r = self.weirctl('config', 'apply', bad, code=1)
        self.assertEqual(r.stderr, 'weirctl: ' + err['error']['message'] + '\n')
        after_bad = json.loads(self.weirctl('--json', 'config', 'show').stdout)
        self.assertEqual(after_bad['generation'], before['generation'])
        self.assertEqual(after_bad['yaml'], before['yaml'])
        audit = json.loads(self.weirctl('--json', 'audit', '--limit', '5').stdout)
        self.assertIn('config_refused', [e['action'] for e in audit['entries']])

        mark = self.dp.mark()
        r = self.weirctl('config', 'apply', good, '-m', 'e2e capacity')
        gen = before['generation'] + 1
        self.assertIn(f'applied: generation {gen}, pushed to the dataplane', r.stdout)
        push = self.dp.wait_for(lambda e: e.WhichOneof('body') == 'config', since=mark)
        self.assertEqual(push.config.generation, gen)
        self.assertIn('capacity: 4096', push.config.yaml)
        self.assertEqual(self.weirctl('config', 'diff', good).stdout,
                         f'no changes: {good} is the live config\n')
        self.assertEqual(self.weirctl('config', 'apply', good).stdout,
                         f'no changes: generation {gen} stays live\n')
        r = self.weirctl('config', 'validate', '-', input=self.read(good))
        self.assertEqual(r.stdout, '-: valid\n')
        self.weirctl('config', 'apply', os.path.join(self.tmp, 'missing.yaml'), code=2)
        # Put the original back for the other tests.
        self.weirctl('config', 'apply', self.write('orig.yaml', before['yaml']))

    # -- audit --------------------------------------------------------------------
    def test_audit(self):
        self.weirctl('block', 'ip', '198.18.0.77', '--reason', 'audit-e2e')
        self.weirctl('unblock', 'ip', '198.18.0.77')
        r = self.weirctl('audit', '--limit', '2')
        lines = r.stdout.splitlines()
        self.assertRegex(lines[0], r'^ID +TIME \(UTC\) +USER +ACTION +TARGET +DETAIL$')
        self.assertRegex(lines[1], r'root +unblock +198\.18\.0\.77/32')
        self.assertRegex(lines[2], r'root +block +198\.18\.0\.77/32 .*audit-e2e')
        j = json.loads(self.weirctl('--json', 'audit').stdout)
        self.assertGreaterEqual(len(j['entries']), 2)

    # -- help and completion ---------------------------------------------------------
    def subcommands(self, path):
        out = self.weirctl(*path, '--help').stdout
        self.assertIn('\nExamples:\n', out, path)
        self.assertIn('weirctl ' + ' '.join(path), out, path)
        names = []
        if '\nSubcommands:\n' in out:
            for line in out.split('\nSubcommands:\n', 1)[1].splitlines():
                m = re.match(r'^  (\S+) ', line)
                if not m:
                    break
                names.append(m.group(1))
        return names

    def test_help_with_examples_everywhere(self):
        pending, seen = [[]], 0
        while pending:
            path = pending.pop()
            seen += 1
            pending += [path + [name] for name in self.subcommands(path)]
        self.assertGreaterEqual(seen, 25)

    def test_bash_completion(self):
        script = self.write('weirctl.bash', self.weirctl('completion', 'bash').stdout)

        def complete(words, cword):
            r = subprocess.run(['bash', '-c', f'source {script}; COMP_WORDS=({words}); '
                                f'COMP_CWORD={cword}; _weirctl; echo "${{COMPREPLY[*]}}"'],
                               capture_output=True, text=True, timeout=10)
            return r.stdout.strip()

        self.assertEqual(complete('weirctl al', 1), 'alerts')
        self.assertEqual(complete('weirctl alerts tail -', 3).split()[:2], ['--help', '-h'])
        self.assertIn('--follow', complete('weirctl alerts tail -', 3).split())
        self.assertEqual(complete('weirctl config ap', 2), 'apply')
        self.assertIn(os.path.join(self.tmp, 'weirctl.bash'),
                      complete(f'weirctl config validate {self.tmp}/weirctl.b', 3).split())


if __name__ == '__main__':
    unittest.main(verbosity=2)
