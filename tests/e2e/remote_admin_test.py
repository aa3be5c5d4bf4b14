#!/usr/bin/python3
"""Remote admin API end to end (issue 7 item 3), weir-control only:

* a config with admin.listen but no certificate is refused at start;
* plain HTTP on the TLS port gets no answer; TLS without a token is 401;
* `weirctl token create` prints the token once; `token list` shows no secret;
* weirctl --server https://... --token --cacert (and the WEIR_* variables)
  reads with a read token and changes with an admin token; a read token's
  change is refused (403), a wrong CA is refused;
* every change made remotely is in the audit log with the token's name;
* a revoked token stops working at once;
* repeated bad tokens from one address get 429 and are counted in /metrics.
"""
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from control_harness import Control, binary, check, free_port, make_ca  # noqa: E402


def https(port, path, ca, token=None, method='GET', body=None):
    ctx = ssl.create_default_context(cafile=ca)
    req = urllib.request.Request(f'https://127.0.0.1:{port}{path}', method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    if token:
        req.add_header('Authorization', 'Bearer ' + token)
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def main():
    weirctl = binary('WEIRCTL', 'cli/weirctl')
    ctl = Control()
    tmp = ctl.tmp
    ca, crt, key = make_ca(tmp)
    other = os.path.join(tmp, 'other')
    os.makedirs(other)
    wrong_ca, _, _ = make_ca(other)
    port, mport = free_port(), free_port()
    try:
        ctl.write_config(f'admin:\n  listen: "127.0.0.1:{port}"\n')
        rc = ctl.start(expect_fail=True)
        check(rc == 1 and 'listen needs tls_cert and tls_key' in ctl.log_text(),
              'admin.listen without a certificate: weir-control refuses to start (no plain TCP admin API)')

        ctl.write_config(f'admin:\n  listen: "127.0.0.1:{port}"\n  tls_cert: {crt}\n  tls_key: {key}\n'
                         f'  auth_failures_per_minute: 5\nmetrics:\n  listen: "127.0.0.1:{mport}"\n')
        ctl.start()

        def local(*args, code=0):
            r = subprocess.run([weirctl, '--socket', ctl.admin, *args], capture_output=True, text=True, timeout=30)
            assert r.returncode == code, (args, r.returncode, r.stdout, r.stderr)
            return r

        def remote(token, *args, code=0, cacert=ca, env_only=False):
            env = dict(os.environ)
            argv = [weirctl]
            if env_only:
                env.update(WEIR_SERVER=f'https://127.0.0.1:{port}', WEIR_TOKEN=token, WEIR_CACERT=cacert)
            else:
                argv += ['--server', f'https://127.0.0.1:{port}', '--token', token, '--cacert', cacert]
            r = subprocess.run(argv + list(args), capture_output=True, text=True, timeout=30, env=env)
            assert r.returncode == code, (args, r.returncode, r.stdout, r.stderr)
            return r

        # Plain TCP on the admin port: the TLS server never answers HTTP.
        with socket.create_connection(('127.0.0.1', port), timeout=5) as s:
            s.sendall(b'GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n')
            try:
                data = s.recv(100)
            except (ConnectionResetError, socket.timeout):
                data = b''
        check(b'HTTP/1.1 200' not in data and b'"version"' not in data,
              'plain HTTP to the admin port gets no API answer (TLS only)')
        status, body = https(port, '/v1/status', ca)
        check(status == 401 and 'unauthorized' in body, 'TLS without a token: 401 unauthorized')

        ro = local('token', 'create', '--name', 'grafana', '--scope', 'read').stdout.strip()
        admin = local('token', 'create', '--name', 'ops', '--scope', 'admin').stdout.strip()
        check(ro.startswith('weir_') and admin.startswith('weir_') and ro != admin,
              'weirctl token create prints a token (read and admin)')
        listed = local('token', 'list').stdout
        check('grafana' in listed and 'ops' in listed and ro not in listed and ro[-64:] not in listed,
              'weirctl token list shows names and scopes, never the secret')
        db = os.path.join(tmp, 'state', 'weir.db')
        with open(db, 'rb') as f:
            raw = f.read()
        check(ro[-64:].encode() not in raw and admin[-64:].encode() not in raw,
              'the store does not contain the token secrets (salted SHA-256 only)')

        st = json.loads(remote(ro, '--json', 'status').stdout)
        check(st['mode'] in ('monitor', 'block'), 'weirctl --server/--token/--cacert: status with a read token')
        remote(ro, 'mode', env_only=True)
        check(True, 'WEIR_SERVER/WEIR_TOKEN/WEIR_CACERT work the same')
        r = remote(ro, 'mode', 'block', code=1)
        check('scope' in r.stderr and 'read' in r.stderr, f'read token cannot change the mode: {r.stderr.strip()}')
        r = remote(ro, 'token', 'list', code=1)
        check('does not allow' in r.stderr, 'read token cannot list tokens')
        r = remote(ro, 'status', code=3, cacert=wrong_ca)
        check('certificate' in r.stderr, f'wrong CA: refused ({r.stderr.strip()})')
        r = subprocess.run([weirctl, '--server', f'http://127.0.0.1:{port}', '--token', ro, 'status'],
                           capture_output=True, text=True, timeout=30)
        check(r.returncode == 2 and 'plain http is refused' in r.stderr, 'weirctl refuses --server http://')

        remote(admin, 'mode', 'block')
        remote(admin, 'block', 'ip', '198.18.0.7', '--ttl', '10m')
        remote(admin, 'unblock', 'ip', '198.18.0.7')
        created = remote(admin, 'token', 'create', '--name', 'temp', '--scope', 'read').stdout.strip()
        remote(admin, 'mode', 'monitor')
        audit = json.loads(local('--json', 'audit', '--limit', '50').stdout)['entries']
        mine = [e for e in audit if e['user'] == 'token:ops@127.0.0.1']
        actions = sorted(e['action'] for e in mine)
        check(actions == ['block', 'mode', 'mode', 'token_create', 'unblock'],
              f'every remote change is audited with the token name: {actions}')
        check(all(e['uid'] == -1 for e in mine), 'remote audit entries carry uid -1 (not a local user)')

        status, _ = https(port, '/v1/mode', ca, token=created)
        check(status == 200, 'the token created remotely works')
        remote(admin, 'token', 'revoke', 'temp')
        status, _ = https(port, '/v1/mode', ca, token=created)
        check(status == 401, 'revoked token: 401 at once')

        bad = 'weir_0123456789abcdef_' + '0' * 64
        codes = [https(port, '/v1/mode', ca, token=bad)[0] for _ in range(8)]
        # Limit 5 a minute; the token-less request and the revoked token
        # already counted 2.
        check(codes == [401] * 3 + [429] * 5,
              f'bad tokens from one address: 401 until 5 failures, then 429 ({codes})')
        status, _ = https(port, '/v1/mode', ca, token=admin)
        check(status == 429, 'while limited even a valid token gets 429')
        with urllib.request.urlopen(f'http://127.0.0.1:{mport}/metrics', timeout=10) as r:
            metrics = r.read().decode()
        lines = {l.split(' ')[0]: float(l.split(' ')[1]) for l in metrics.splitlines() if l and l[0] != '#'}
        counted = (lines['weir_admin_auth_failures_total'], lines['weir_admin_forbidden_total'],
                   lines['weir_admin_rate_limited_total'])
        check(counted == (5, 2, 6), f'/metrics counts 5 auth failures, 2 forbidden, 6 rate limited: {counted}')
        status, body = https(port, '/v1/mode', ca, token=admin, method='PUT', body={'mode': 'block'})
        check(status == 429, 'mutations are rate limited too')
    finally:
        ctl.stop()
        if os.environ.get('WEIR_E2E_KEEP'):
            print('kept', tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print('remote admin e2e: all checks passed')


if __name__ == '__main__':
    main()
