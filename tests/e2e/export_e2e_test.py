#!/usr/bin/python3
"""Alert export end to end (issue 7 item 2), weir-control and a stand-in
dataplane, no lab:

* a real rsyslogd (own config, pid and work dir in a temp dir, loopback
  ports) receives alerts over UDP (RFC 5424, JSON payload) and TCP (octet
  counting, CEF payload); what rsyslog wrote is parsed back and matched
  field by field, including text that needs CEF escaping;
* syslog over TLS to a TLS receiver whose certificate is checked against
  the configured CA (and refused with the wrong CA);
* JSON lines file with size rotation;
* a webhook receiver is killed, 1,000 alerts are raised (POST
  /v1/test/events), weir-control is restarted while the receiver is down,
  the receiver comes back: every one of the 1,000 arrives, duplicates only
  with the same event id; the delivery counters show it.
"""
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from control_harness import Control, check, free_port, log, make_ca, skip, wait_for  # noqa: E402

TRICKY = 'id=1\' OR a|b \\ c=d\nnext\rline ]"'

RECEIVER = r'''
import http.server, json, sys
out = open(sys.argv[2], 'a')
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def do_POST(self):
        body = self.rfile.read(int(self.headers['Content-Length']))
        out.write(body.decode() + '\n'); out.flush()
        # One write: headers and body apart would meet Nagle + delayed ACK.
        self.wfile.write(b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
'''


class Rsyslog:
    def __init__(self, tmp, udp_port, tcp_port):
        self.dir = os.path.join(tmp, 'rsyslog')
        os.makedirs(os.path.join(self.dir, 'work'), exist_ok=True)
        self.udp_log = os.path.join(self.dir, 'udp.log')
        self.tcp_log = os.path.join(self.dir, 'tcp.log')
        self.conf = os.path.join(self.dir, 'rsyslog.conf')
        with open(self.conf, 'w') as f:
            f.write(f'''
global(workDirectory="{self.dir}/work" maxMessageSize="16k")
module(load="imudp")
module(load="imtcp")
template(name="weir" type="string" string="%syslogseverity%|%app-name%|%msgid%|%structured-data%|%msg%\\n")
input(type="imudp" address="127.0.0.1" port="{udp_port}" ruleset="udp")
input(type="imtcp" address="127.0.0.1" port="{tcp_port}" ruleset="tcp")
ruleset(name="udp") {{ action(type="omfile" file="{self.udp_log}" template="weir") }}
ruleset(name="tcp") {{ action(type="omfile" file="{self.tcp_log}" template="weir") }}
''')
        self.tcp_port = tcp_port
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(['rsyslogd', '-n', '-f', self.conf, '-i', os.path.join(self.dir, 'pid')],
                                     stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.dir, 'err'), 'a'))

        def listening():
            with socket.create_connection(('127.0.0.1', self.tcp_port), timeout=0.5):
                return True
        wait_for(listening, 10, what='rsyslogd listening')

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    @staticmethod
    def lines(path):
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [l.rstrip('\n') for l in f if l.strip()]


def parse_cef(line):
    """CEF:0|vendor|product|version|sig|name|sev|ext -> (header list, ext dict), undoing escapes."""
    header, i, cur = [], 0, ''
    while len(header) < 7:
        c = line[i]
        if c == '\\' and line[i + 1] in '\\|':
            cur += line[i + 1]
            i += 2
            continue
        if c == '|':
            header.append(cur)
            cur = ''
        else:
            cur += c
        i += 1
    ext_text = line[i:]
    # Keys are [A-Za-z0-9]+ right before an unescaped '='.
    ext, key, val, j = {}, None, '', 0
    tokens = re.finditer(r'(?:^| )([A-Za-z0-9]+)=', ext_text)
    starts = []
    for m in tokens:
        k = m.start(1)
        esc = 0
        while k - 1 - esc >= 0 and ext_text[k - 1 - esc] == '\\':
            esc += 1
        starts.append((m.start(), m.end(), m.group(1)))
    for n, (s, e, k) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(ext_text)
        raw = ext_text[e:end]
        out, q = '', 0
        while q < len(raw):
            if raw[q] == '\\' and q + 1 < len(raw):
                out += {'n': '\n', 'r': '\r'}.get(raw[q + 1], raw[q + 1])
                q += 2
            else:
                out += raw[q]
                q += 1
        ext[k] = out
    del key, val, j
    return header, ext


def sd_event_id(sd):
    m = re.search(r'event_id="([0-9a-f]{16})"', sd)
    return m.group(1) if m else None


def test_syslog_and_file(ctl, rs, tmp, jsonl):
    dp = ctl.dp
    events = [dict(severity=3, rule_id=942100, class_name='sqli', zone='query_arg', text=TRICKY),
              dict(severity=4, rule_id=930100, class_name='traversal', zone='path', text='../../etc/passwd'),
              dict(severity=1, rule_id=1, class_name='scanner', zone='header', text='low one')]
    ids = ['%016x' % i for i in dp.send_events(events)]

    def got(path, n):
        return len(rs.lines(path)) >= n
    wait_for(lambda: got(rs.udp_log, 3) and got(rs.tcp_log, 2), 10, what='rsyslog files')
    udp = rs.lines(rs.udp_log)
    tcp = rs.lines(rs.tcp_log)
    # UDP: JSON payload, every alert.
    seen = {}
    for line in udp:
        sev, app, msgid, sd, msg = line.split('|', 4)
        body = json.loads(msg.strip())
        check(sd_event_id(sd) == body['event_id'], f'UDP: SD event_id = JSON event_id ({body["event_id"]})')
        seen[body['event_id']] = (int(sev), app, msgid, body)
    check(sorted(seen) == sorted(ids), 'UDP (RFC 5424, JSON): all 3 alerts reached rsyslog, once each')
    sev, app, msgid, body = seen[ids[0]]
    check((sev, app, msgid) == (3, 'weir', 'alert'), 'UDP: severity high -> syslog err(3), app weir, msgid alert')
    check(body['text'] == TRICKY and body['class'] == 'sqli' and body['rule_id'] == 942100,
          'UDP: JSON alert fields (text with quotes, pipes, newlines) round-trip')
    # TCP: CEF payload, min_severity medium -> 2 alerts.
    cef = {}
    for line in tcp:
        sev, app, msgid, sd, msg = line.split('|', 4)
        header, ext = parse_cef(msg.strip())
        check(header[0] == 'CEF:0' and header[1] == 'Weir', 'TCP: CEF:0 header from Weir')
        cef[ext['externalId']] = (header, ext, sd)
    check(sorted(cef) == sorted(ids[:2]), 'TCP (octet counting, CEF): the 2 alerts >= medium, once each (low filtered)')
    header, ext, sd = cef[ids[0]]
    check(header[4] == '942100' and header[6] == '8', 'CEF: signature id = rule id, severity high -> 8')
    check(ext['msg'] == TRICKY, 'CEF: msg with \\, =, |, CR and LF escaped and parsed back exactly')
    check(ext['src'] == '198.18.0.10' and ext['dpt'] == '80' and ext['cs1'] == 'sqli',
          'CEF: src/dpt/cs1 extension fields')
    # JSON lines file.
    with open(jsonl) as f:
        rows = [json.loads(l) for l in f]
    check([r['event_id'] for r in rows] == ids, 'JSON lines: the 3 alerts in order')
    return ids


def test_tls(ctl_tmp, tls_port, ca, crt, key, wrong_ca):
    """A TLS syslog receiver; returns received frames."""
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(crt, key)
    srv = socket.create_server(('127.0.0.1', tls_port))
    frames = []

    def serve():
        srv.settimeout(20)
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            try:
                with ctx.wrap_socket(conn, server_side=True) as s:
                    buf = b''
                    while True:
                        data = s.recv(65536)
                        if not data:
                            break
                        buf += data
                        while b' ' in buf:
                            n, rest = buf.split(b' ', 1)
                            if len(rest) < int(n):
                                break
                            frames.append(rest[:int(n)].decode())
                            buf = rest[int(n):]
            except (ssl.SSLError, OSError):
                continue
    th = threading.Thread(target=serve, daemon=True)
    th.start()
    return srv, frames


def exporter(ctl, name):
    status, body = ctl.api('GET', '/v1/export')
    assert status == 200, body
    for e in body['exporters']:
        if e['name'] == name:
            return e
    raise KeyError(name)


def main():
    if not shutil.which('rsyslogd'):
        skip('rsyslogd not installed (Debian package rsyslog)')
    ctl = Control()
    tmp = ctl.tmp
    udp_port, tcp_port = free_port(socket.SOCK_DGRAM), free_port()
    hook_port, tls_port, bad_tls_port = free_port(), free_port(), free_port()
    ca, crt, key = make_ca(tmp)
    other = os.path.join(tmp, 'other')
    os.makedirs(other)
    wrong_ca, _, _ = make_ca(other)
    jsonl = os.path.join(tmp, 'alerts.jsonl')
    hook_log = os.path.join(tmp, 'hook.jsonl')
    ctl.write_config(f'''
export:
  exporters:
    - {{name: file, type: jsonl, path: {jsonl}, max_mb: 1, keep: 2}}
    - {{name: siem-udp, type: syslog, address: "127.0.0.1:{udp_port}", transport: udp, format: json}}
    - {{name: siem-tcp, type: syslog, address: "127.0.0.1:{tcp_port}", transport: tcp, format: cef,
       min_severity: medium, retry_initial_ms: 100, retry_max_ms: 500}}
    - {{name: siem-tls, type: syslog, address: "127.0.0.1:{tls_port}", transport: tls, format: cef, ca_file: {ca}}}
    - {{name: siem-badca, type: syslog, address: "127.0.0.1:{bad_tls_port}", transport: tls, ca_file: {wrong_ca},
       retry_initial_ms: 100, retry_max_ms: 400}}
    - {{name: soar, type: webhook, url: "http://127.0.0.1:{hook_port}/hook", retry_initial_ms: 100,
       retry_max_ms: 1000, classes: [test]}}
''')
    rs = Rsyslog(tmp, udp_port, tcp_port)
    receiver = None
    tls_srv, tls_frames = test_tls(tmp, tls_port, ca, crt, key, wrong_ca)
    bad_srv, bad_frames = test_tls(tmp, bad_tls_port, ca, crt, key, wrong_ca)
    try:
        rs.start()
        ctl.start()
        ctl.connect_dataplane()
        ids = test_syslog_and_file(ctl, rs, tmp, jsonl)

        # rsyslog restarted: TCP notices the closed peer, spools, reconnects.
        rs.stop()
        down_ids = ['%016x' % i for i in ctl.dp.send_events([dict(severity=3, text=f'while down {n}')
                                                               for n in range(50)])]
        wait_for(lambda: exporter(ctl, 'siem-tcp')['spool_records'] == 50, 10, what='TCP alerts spooled')
        rs.start()
        wait_for(lambda: set(down_ids) <= {parse_cef(l.split('|', 4)[4].strip())[1]['externalId']
                                           for l in rs.lines(rs.tcp_log)}, 20, what='TCP alerts after restart')
        check(True, 'syslog TCP: rsyslog restarted, the 50 alerts raised meanwhile all arrived (spooled, retried)')
        wait_for(lambda: len(tls_frames) >= 3, 10, what='TLS syslog frames')
        wait_for(lambda: len(tls_frames) >= 53, 10, what='TLS syslog frames')
        tls_ids = {sd_event_id(f) for f in tls_frames}
        check(tls_ids == set(ids) | set(down_ids), 'TLS (RFC 5425, CA-verified): all 53 alerts arrived')
        wait_for(lambda: exporter(ctl, 'siem-badca')['failed'] >= 2, 10, what='bad-CA failures')
        bad = exporter(ctl, 'siem-badca')
        check(not bad_frames and 'certificate verify failed' in bad['last_error'] and bad['spool_records'] == 53,
              f'TLS with the wrong CA: refused ("{bad["last_error"]}"), 53 alerts kept in the spool')

        # Webhook: receiver down, 1,000 alerts, weir-control restarted, receiver back.
        check(exporter(ctl, 'soar')['filtered'] == 53, 'webhook filter classes: [test] skipped the 53 attack alerts')
        status, _ = ctl.api('POST', '/v1/test/events', {'count': 1000})
        check(status == 202, 'POST /v1/test/events count 1000 accepted')
        wait_for(lambda: sum(1 for a in ctl.all_alerts() if a['kind'] == 'test') == 1000, 20,
                 what='1,000 test alerts stored')
        test_ids = {a['event_id'] for a in ctl.all_alerts() if a['kind'] == 'test'}
        wait_for(lambda: exporter(ctl, 'soar')['spool_records'] == 1000, 20, what='1,000 spooled')
        e = exporter(ctl, 'soar')
        check(e['sent'] == 0 and e['failed'] >= 1 and e['spooled'] == 1000,
              f'receiver down: 0 sent, {e["failed"]} failed attempts, 1000 spooled ({e["last_error"]})')
        ctl.stop()
        ctl.start()
        ctl.connect_dataplane(boot_id=8)
        e = exporter(ctl, 'soar')
        check(e['spool_records'] == 1000, 'weir-control restarted: the spool still holds 1000 payloads')
        t0 = time.time()
        receiver = subprocess.Popen([sys.executable, '-c', RECEIVER, str(hook_port), hook_log])

        def received():
            if not os.path.exists(hook_log):
                return set()
            with open(hook_log) as f:
                return [json.loads(l) for l in f if l.strip()]
        wait_for(lambda: {b['event_id'] for b in received()} >= test_ids, 60, interval=0.2,
                 what='all 1,000 at the webhook')
        took = time.time() - t0
        bodies = received()
        got = [b['event_id'] for b in bodies]
        dups = len(got) - len(set(got))
        check(set(got) == test_ids, f'webhook: all 1000 alerts arrived after the outage ({took:.1f} s after '
              f'the receiver came back), none lost, {dups} duplicates')
        check(all(b['alert']['event_id'] == b['event_id'] for b in bodies), 'webhook: event_id in every body')
        wait_for(lambda: exporter(ctl, 'soar')['spool_records'] == 0, 10, what='spool drained')
        e = exporter(ctl, 'soar')
        check(e['sent'] >= 1000 and e['retried'] >= 1000, f'counters after restart: sent {e["sent"]}, '
              f'retried {e["retried"]}, spool empty')
        log(f'measured: 1000 spooled alerts delivered in {took:.2f} s, duplicates {dups}')
        # Live reconfiguration: an applied config with one more exporter
        # starts it; the others resume from their cursors.
        with open(ctl.config) as f:
            text = f.read()
        extra = os.path.join(tmp, 'late.jsonl')
        text += f'    - {{name: late, type: jsonl, path: {extra}}}\n'
        status, body = ctl.api('POST', '/v1/config/apply', {'yaml': text, 'comment': 'add exporter late'})
        check(status == 200 and body['applied'], 'config apply with a new exporter')
        names = [e['name'] for e in ctl.api('GET', '/v1/export')[1]['exporters']]
        check('late' in names and 'soar' in names, f'exporters after apply: {names}')
        new_ids = ['%016x' % i for i in ctl.dp.send_events([dict(severity=2, text='after apply')])]
        wait_for(lambda: os.path.exists(extra) and json.loads(open(extra).readline())['event_id'] == new_ids[0],
                 10, what='the new exporter delivering')
        wait_for(lambda: new_ids[0] in {json.loads(l)['event_id'] for l in open(jsonl)}, 10,
                 what='the old file exporter resuming')
        check(True, 'the new exporter delivers; the existing ones resume from their cursors')
        status, body = ctl.api('POST', '/v1/config/validate',
                               {'yaml': text.replace('type: jsonl, path: ' + extra, 'type: jsonl'), 'source': 'w.yaml'})
        check(status == 422 and 'path' in body['error']['message'],
              f'an exporter without its required key is refused: {body["error"]["message"]}')
    finally:
        if receiver:
            receiver.kill()
        tls_srv.close()
        bad_srv.close()
        ctl.stop()
        rs.stop()
        if os.environ.get('WEIR_E2E_KEEP'):
            print('kept', tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print('export e2e: all checks passed')


if __name__ == '__main__':
    main()
