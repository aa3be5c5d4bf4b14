#!/usr/bin/env python3
"""Issue 5: the optional 403 block page (policy.block_response: page).

Through the lab with weir-control, rules folder = SQLi rules + a policy with
`block_response: page`:
* curl sending an SQLi attack in the query gets `HTTP/1.1 403 Forbidden`
  with an X-Request-Id and Connection: close (not a reset);
* the request id is the alert's event id: `weirctl alerts show` prints it;
* nginx logged nothing of the request (access and error log);
* the same over IPv6;
* a benign request on a fresh connection is answered by nginx as usual;
* with `block_response: reset` (reloaded) the same attack is reset again.
"""
import os
import re
import shutil
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirlab  # noqa: E402
from lab_control import Control  # noqa: E402
from weirlab import LAB_DIR, NS_CLIENT, REPO, URL4, URL6, check, log, wait_for  # noqa: E402

SQLI = "1' UNION SELECT username, password FROM users--"
POLICY = """policy:
  mode: block
  threshold: 5
  scores: {critical: 5, error: 4, warning: 3, notice: 2}
  block_action: reset
  block_response: %s
"""


def nginx_log(name):
    path = os.path.join(LAB_DIR, name)
    return open(path, errors='replace').read() if os.path.exists(path) else ''


def curl(url):
    res = weirlab.ns_run(NS_CLIENT, ['curl', '-sS', '-g', '-i', '--max-time', '5', url], check=False, timeout=15)
    return res.returncode, res.stdout, res.stderr


def main():
    weirlab.require_weir()
    with weirlab.Lab() as lab:
        rules_dir = os.path.join(lab.tmp, 'rules')
        os.makedirs(rules_dir)
        shutil.copy(os.path.join(REPO, 'configs', 'rules', 'sqli.yaml'), rules_dir)
        with open(os.path.join(rules_dir, 'policy.yaml'), 'w') as f:
            f.write(POLICY % 'page')
        config = lab.config({'rules': {'dir': rules_dir},
                             'control': {'socket': os.path.join(LAB_DIR, 'dp.sock'),
                                         'spool': os.path.join(LAB_DIR, 'spool.bin')}})
        ctl = Control(lab, config)
        try:
            ctl.start()
            lab.start_bridge(config=config, extra=['--state-dir', os.path.join(lab.tmp, 'dp-state')])
            wait_for(ctl.connected, 15, what='dataplane connected to weir-control')
            ctl.weirctl('mode', 'block')

            marker = f'page-{time.monotonic_ns()}'
            rc, out, err = curl(f'{URL4}/{marker}?id=' + urllib.parse.quote(SQLI))
            log(f'  curl rc {rc}: ' + out.replace('\n', ' | ')[:300] + (' ' + err.strip() if err.strip() else ''))
            check(out.startswith('HTTP/1.1 403 Forbidden'), 'the client gets HTTP/1.1 403 Forbidden')
            m = re.search(r'X-Request-Id: ([0-9a-f]{16})', out)
            check(m is not None and 'Connection: close' in out, 'with X-Request-Id and Connection: close')
            rid = m.group(1)
            check(f'Request id: {rid}' in out, 'the page body names the request id')

            def alert_with_marker():
                for a in ctl.json('alerts', 'list', '--limit', '50').get('alerts', []):
                    if marker in a.get('text', ''):
                        return a
                return None
            wait_for(lambda: alert_with_marker() is not None, 10, what='the alert of the blocked request')
            alert = alert_with_marker()
            check(alert['event_id'] == rid, f'the request id is the alert\'s event id ({alert["event_id"]})')
            shown = ctl.weirctl('alerts', 'show', str(alert['id'])).stdout
            check(rid in shown, '`weirctl alerts show` prints the request id')

            time.sleep(1.0)
            logs = nginx_log('nginx-access.log') + nginx_log('nginx-error.log')
            check(marker not in logs, 'nginx logged nothing of the blocked request (the server received nothing)')

            rc, out, _ = curl(f'{URL6}/{marker}-v6?id=' + urllib.parse.quote(SQLI))
            check(out.startswith('HTTP/1.1 403 Forbidden') and re.search(r'X-Request-Id: [0-9a-f]{16}', out),
                  'over IPv6 too the client gets the 403 with a request id')
            time.sleep(0.5)
            check(f'{marker}-v6' not in nginx_log('nginx-access.log') + nginx_log('nginx-error.log'),
                  'nginx logged nothing of the IPv6 request either')

            rc, out, _ = curl(f'{URL4}/index.html?q=shoes')
            check(rc == 0 and out.startswith('HTTP/1.1 200'), 'a benign request is answered by nginx')

            with open(os.path.join(rules_dir, 'policy.yaml'), 'w') as f:
                f.write(POLICY % 'reset')
            ctl.json('rules', 'reload', timeout=150)
            rc, out, _ = curl(f'{URL4}/{marker}-2?id=' + urllib.parse.quote(SQLI))
            check(rc != 0 and '403' not in out, f'with block_response: reset the attack is reset (curl rc {rc})')
        finally:
            ctl.stop()
    log('PASS')


if __name__ == '__main__':
    main()
