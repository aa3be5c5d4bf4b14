#!/usr/bin/python3
"""Issue 8 end to end in the lab: API discovery from real traffic through
weir-dataplane. A scripted client in weir-client talks to the demo API peers
in weir-server (tests/e2e/peers: api_demo_server.py -- REST with nested
resources, GraphQL, SOAP --, grpc_demo.py over HTTP/2, ws_demo.py with
permessage-deflate); the workers observe each request/response pair, ship it
as ApiCall chunk events to weir-control, which reassembles, decodes and
ingests it into the inventory. Then, with weirctl:
* the inventory lists exactly the endpoints exercised, with their templates
  (/api/v1/users/{id}/orders/{orderId}), protocols and parameter types;
* a spec that omits two endpoints and deprecates one gives 2 shadow +
  1 zombie + the orphans it lists that nobody called;
* the OpenAPI export validates (swagger-parser from npm when node/npm are
  there, else that step is skipped with a message) and round-trips through
  `inventory diff` with no change;
* PAN, SSN, JWT and e-mail in responses are flagged on the right endpoints
  and parameters, and no raw
  value is in the store, the alerts or the export;
* the transport counted what it did (dataplane discovery_* counters,
  weir-control's api_calls), nothing was dropped, and no ApiCall event
  became an alert.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirlab  # noqa: E402
from lab_control import Control  # noqa: E402
from weirlab import IP4_SERVER, LAB_DIR, NS_CLIENT, NS_SERVER, check, log, wait_for  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(HERE, 'peers')
PY = '/usr/bin/python3'
SRV = IP4_SERVER
PORT_API, PORT_GRPC, PORT_WS = 8080, 50051, 8765
NPM_DIR = os.environ.get('WEIR_NPM_CACHE', os.path.join(tempfile.gettempdir(), 'weir-npm-openapi'))

# A valid SSN goes out in a PUT and comes back in its response (the demo's
# users have 078-05-1120, the famous specimen the SSN checks reject, and
# 078-05-1121).
SSN = '536-22-1234'
PAN = '4111111111111111'
EMAILS = ('ada@example.org', 'alan@example.org', 'grace@example.org')
JWT_PART = 'eyJzdWIiOiI0MiIsIm5hbWUiOiJBZGEgTG92ZWxhY2UiLCJyb2xlIjoiYWRtaW4ifQ'  # the demo token's payload
PASSWORD = 'correct-horse-battery'

SOAP_ACTION = 'urn:weir:demo:orders#GetOrder'
SOAP_BODY = ('<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
             '<soap:Body><GetOrder xmlns="urn:weir:demo:orders"><orderId>A-1001</orderId></GetOrder>'
             '</soap:Body></soap:Envelope>')

EXPECTED = {
    'POST /api/v1/login', 'GET /api/v1/users', 'GET /api/v1/users/{id}', 'PUT /api/v1/users/{id}',
    'GET /api/v1/users/{id}/orders', 'POST /api/v1/users/{id}/orders', 'GET /api/v1/users/{id}/orders/{orderId}',
    'GET /api/v1/products', 'POST /graphql #GetUser', 'POST /soap/orders #' + SOAP_ACTION,
    'POST /weir.demo.Orders/GetUser', 'GET /ws/prices #prices',
}

PROBE = 'GET /index.html'

# The operator's spec for the demo host: leaves out GET /api/v1/users and
# POST /api/v1/users/{id}/orders (2 shadow), deprecates the products search
# (1 zombie), lists two operations nobody calls (2 orphans).
SPEC = f"""
openapi: 3.0.3
info: {{title: demo api, version: "2.0"}}
servers: [{{url: "http://{SRV}:{PORT_API}"}}]
paths:
  /index.html:
    get: {{responses: {{'200': {{description: the lab's static page}}}}}}
  /api/v1/login:
    post: {{responses: {{'200': {{description: ok}}}}}}
  /api/v1/users/{{userId}}:
    parameters: [{{$ref: '#/components/parameters/UserId'}}]
    get: {{responses: {{'200': {{description: ok}}}}}}
    put: {{responses: {{'200': {{description: ok}}}}}}
    delete: {{responses: {{'204': {{description: gone}}}}}}
  /api/v1/users/{{userId}}/orders:
    parameters: [{{$ref: '#/components/parameters/UserId'}}]
    get: {{responses: {{'200': {{description: ok}}}}}}
  /api/v1/users/{{userId}}/orders/{{orderId}}:
    parameters:
      - {{$ref: '#/components/parameters/UserId'}}
      - {{name: orderId, in: path, required: true, schema: {{type: string}}}}
    get: {{responses: {{'200': {{description: ok}}}}}}
  /api/v1/products:
    get:
      deprecated: true
      parameters: [{{name: q, in: query, schema: {{type: string}}}}]
      responses: {{'200': {{description: ok}}}}
  /api/v1/reports:
    get: {{responses: {{'200': {{description: ok}}}}}}
  /graphql:
    post: {{responses: {{'200': {{description: ok}}}}}}
  /soap/orders:
    post: {{responses: {{'200': {{description: ok}}}}}}
  /weir.demo.Orders/GetUser:
    post: {{responses: {{'200': {{description: ok}}}}}}
  /ws/prices:
    get: {{responses: {{'101': {{description: upgrade}}}}}}
components:
  parameters:
    UserId: {{name: userId, in: path, required: true, schema: {{type: string}}}}
"""


Peer = weirlab.RecordingPeer


def client(args, timeout=30):
    return weirlab.ns_run(NS_CLIENT, args, check=False, timeout=timeout)


def curl(path, *extra):
    res = client(['curl', '-sS', '-g', '--max-time', '8', '-o', '/dev/null', '-w', '%{http_code}', *extra,
                  f'http://{SRV}:{PORT_API}{path}'])
    return res.stdout.strip()


def curl_json(method, path, body):
    return curl(path, '-X', method, '-H', 'Content-Type: application/json', '--data-binary', json.dumps(body))


def wait_port(port):
    # A raw connect, no request: the inventory must hold only the calls below.
    wait_for(lambda: weirlab.ns_run(NS_SERVER, ['bash', '-c', f'echo > /dev/tcp/{SRV}/{port}'],
                                    check=False).returncode == 0, 10, what=f'port {port} listening')


def scripted_client():
    """Every call the inventory must show, and nothing else."""
    codes = []
    codes.append(curl_json('POST', '/api/v1/login', {'user': 'ada', 'password': PASSWORD}))
    codes.append(curl('/api/v1/users'))
    for uid in (1, 2, 3):
        codes.append(curl(f'/api/v1/users/{uid}'))
    codes.append(curl_json('PUT', '/api/v1/users/3', {'name': 'Grace Hopper', 'email': EMAILS[2], 'ssn': SSN,
                                                      'age': 85}))
    for uid in (1, 2):
        codes.append(curl(f'/api/v1/users/{uid}/orders'))
    codes.append(curl_json('POST', '/api/v1/users/1/orders', {'item': 'difference engine', 'qty': 2,
                                                              'gift': True}))
    for uid, oid in ((1, 'A-1001'), (2, 'A-2002'), (1, 'A-1003')):
        codes.append(curl(f'/api/v1/users/{uid}/orders/{oid}'))
    for q, limit in (('engine', 5), ('loom', 10)):
        codes.append(curl(f'/api/v1/products?q={q}&limit={limit}'))
    gql = {'query': 'query GetUser($id: ID!) { user(id: $id) { id email } }', 'operationName': 'GetUser',
           'variables': {'id': '2'}}
    codes.append(curl_json('POST', '/graphql', gql))
    codes.append(curl('/soap/orders', '-H', 'Content-Type: text/xml; charset=utf-8', '-H',
                      f'SOAPAction: "{SOAP_ACTION}"', '--data-binary', SOAP_BODY))
    check(all(c in ('200', '201') for c in codes), f'client: every HTTP/1 call answered ({codes})')
    res = client([PY, os.path.join(PEERS, 'grpc_demo.py'), 'call', SRV, str(PORT_GRPC), 'GetUser',
                  json.dumps({'userId': '1'}), json.dumps({'userId': '2'}), '--same-channel'], timeout=40)
    out = [json.loads(line) for line in res.stdout.splitlines() if line.startswith('{')]
    check(len(out) == 2 and all(o['ok'] for o in out), f'client: two gRPC GetUser calls answered ({out})')
    msgs = [json.dumps({'action': 'subscribe', 'symbol': 'WEIR', 'depth': 5}),
            json.dumps({'action': 'unsubscribe', 'symbol': 'WEIR', 'depth': 0})]
    res = client([PY, os.path.join(PEERS, 'ws_demo.py'), 'send', SRV, str(PORT_WS), '/ws/prices', *msgs], timeout=30)
    ws = json.loads(res.stdout.strip().splitlines()[-1])
    check(ws['closed'] is None and len(ws['echoes']) == 2, f'client: two WebSocket messages echoed ({ws})')
    # HTTP/1 calls + the gRPC calls + the WebSocket handshake and its two messages
    return len(codes) + 2 + 3


def key(e):
    return f"{e['method']} {e['path']}" + (f" #{e['operation']}" if e.get('operation') else '')


def openapi_validator(tmp):
    if not (shutil.which('node') and shutil.which('npm')):
        return None
    if not os.path.isdir(os.path.join(NPM_DIR, 'node_modules', '@apidevtools', 'swagger-parser')):
        os.makedirs(NPM_DIR, exist_ok=True)
        r = subprocess.run(['npm', 'install', '--no-audit', '--no-fund', '--silent', '@apidevtools/swagger-parser@10'],
                           cwd=NPM_DIR, capture_output=True, timeout=300)
        if r.returncode != 0:
            return None
    script = os.path.join(tmp, 'validate.js')
    with open(script, 'w') as f:
        f.write("const P = require('@apidevtools/swagger-parser');\n"
                "P.validate(process.argv[2]).then(() => console.log('valid'))"
                ".catch(e => { console.error(e.message); process.exit(1); });\n")
    return script


def diagnose(lab, ctl):
    stats = lab.telemetry('/weir/stats')
    log('  dataplane: ' + json.dumps({k: v for k, v in stats.items() if k.startswith(('discovery_', 'l7_', 'events'))}))
    log('  weir-control: ' + json.dumps(ctl.json('status')['dataplane']))
    log('  inventory: ' + ', '.join(f"{key(e)} x{e['calls']}" for e in ctl.json('inventory', 'list')['endpoints']))


def check_inventory(lab, ctl, calls):
    def endpoints():
        return {key(e): e for e in ctl.json('inventory', 'list')['endpoints']}

    def all_in():
        return sum(e['calls'] for k, e in endpoints().items() if k in EXPECTED) >= calls
    try:
        wait_for(all_in, 20, what=f'{calls} calls in the inventory')
    except AssertionError:
        diagnose(lab, ctl)
        raise
    time.sleep(1)  # anything late would be an extra
    eps = endpoints()
    log('  inventory: ' + ', '.join(f'{k} x{e["calls"]}' for k, e in sorted(eps.items())))
    # The lab's own readiness probe (curl of nginx's /index.html in lab.sh
    # bridge-start) went through the dataplane too.
    probe = eps.pop(PROBE, None)
    check(probe is not None, f'inventory: the lab\'s readiness probe {PROBE} is there')
    check(set(eps) == EXPECTED, f'inventory: besides it, exactly the {len(EXPECTED)} endpoints exercised '
                                f'(missing {EXPECTED - set(eps)}, extra {set(eps) - EXPECTED})')
    check(sum(e['calls'] for e in eps.values()) == calls, f'inventory: {calls} calls, each observed once')
    check(all(e['host'] == SRV for e in eps.values()), 'inventory: one host, the server address without its port')
    protocols = {k: e['protocol'] for k, e in eps.items()}
    check(protocols['POST /graphql #GetUser'] == 'graphql' and
          protocols['POST /soap/orders #' + SOAP_ACTION] == 'soap' and
          protocols['POST /weir.demo.Orders/GetUser'] == 'grpc' and protocols['GET /ws/prices #prices'] == 'websocket'
          and protocols['GET /api/v1/users/{id}/orders/{orderId}'] == 'rest',
          f'inventory: protocols rest, graphql, soap, grpc (HTTP/2), websocket ({protocols})')
    check(eps['GET /api/v1/users/{id}']['calls'] == 3 and eps['GET /api/v1/users/{id}/orders/{orderId}']['calls'] == 3
          and eps['POST /weir.demo.Orders/GetUser']['calls'] == 2 and eps['GET /ws/prices #prices']['calls'] == 3,
          'inventory: call counts per endpoint (3 users, 3 orders, 2 gRPC, WebSocket handshake + 2 messages)')

    def params(k):
        show = ctl.json('inventory', 'show', str(eps[k]['id']))['endpoint']
        return {(p['in'], p['zone'], p['name']): p for p in show['params']}, show
    p, show = params('GET /api/v1/products')
    check(p[('request', 'query_arg', 'limit')]['type'] == 'integer' and
          p[('request', 'query_arg', 'q')]['type'] == 'string',
          'parameters: products ?limit is an integer, ?q a string')
    p, show = params('POST /api/v1/users/{id}/orders')
    check(p[('request', 'body_json', 'qty')]['type'] == 'integer' and
          p[('request', 'body_json', 'gift')]['type'] == 'boolean' and
          p[('request', 'body_json', 'item')]['type'] == 'string' and show['status'] == {'201': 1},
          'parameters: order JSON body qty integer, gift boolean, item string; status 201')
    check(show['latency_us']['p50'] > 0, f'latency measured on the worker ({show["latency_us"]})')
    p, show = params('PUT /api/v1/users/{id}')
    check(p[('request', 'body_json', 'age')]['type'] == 'integer' and
          p[('response', 'resp_body', 'email')]['format'] == 'email',
          'parameters: PUT body age integer, response email in e-mail format')
    p, show = params('GET /ws/prices #prices')
    check(show['status'].get('101') == 1, f'websocket: the handshake answered 101 ({show["status"]})')
    return eps, probe['calls']


def check_sensitive(ctl, eps):
    findings = ctl.json('inventory', 'sensitive')['findings']
    where = {}
    for f in findings:
        where.setdefault((f['class'], f['in']), {})[key(f['endpoint'])] = set(f['params'])
    log('  sensitive: ' + json.dumps({f'{c}/{i}': {e: sorted(p) for e, p in v.items()}
                                      for (c, i), v in where.items()}))
    pan = where.get(('pan', 'response'), {})
    check(pan.get('GET /api/v1/users/{id}/orders/{orderId}') == {'resp_body:card.pan'} and
          set(pan) == {'GET /api/v1/users/{id}/orders/{orderId}', 'POST /soap/orders #' + SOAP_ACTION},
          f'sensitive: PAN in responses on the order (card.pan) and the SOAP GetOrder, nowhere else ({pan})')
    ssn = where.get(('us_ssn', 'response'), {})
    # Alan's 078-05-1121 (user 2: GET and GraphQL) and the SSN the PUT sent back;
    # the specimen 078-05-1120 of the others alone would not be flagged.
    check(ssn == {'GET /api/v1/users/{id}': {'resp_body:ssn'}, 'PUT /api/v1/users/{id}': {'resp_body:ssn'},
                  'POST /graphql #GetUser': {'resp_body:data.user.ssn'}},
          f'sensitive: SSN in the responses of the user endpoints that return one ({ssn})')
    jwt = where.get(('jwt', 'response'), {})
    check(jwt == {'POST /api/v1/login': {'resp_body:token'}}, f'sensitive: JWT in the login response ({jwt})')
    email = where.get(('email', 'response'), {})
    check(email.get('GET /api/v1/users/{id}') == {'resp_body:email'} and
          email.get('GET /api/v1/users') == {'resp_body:users[].email'} and
          email.get('GET /api/v1/users/{id}/orders/{orderId}') == {'resp_body:billing_email'} and
          email.get('POST /graphql #GetUser') == {'resp_body:data.user.email'},
          f'sensitive: e-mail in responses on the user, user list, order and GraphQL endpoints ({email})')
    pw = where.get(('password', 'request'), {})
    check(pw == {'POST /api/v1/login': {'body_json:password'}}, f'sensitive: the login password by key ({pw})')
    only_pan = {key(e) for e in ctl.json('inventory', 'list', '--sensitive', 'pan')['endpoints']}
    check(only_pan == set(pan), 'weirctl inventory list --sensitive pan: the same endpoints')


def check_spec(ctl, tmp):
    spec = os.path.join(tmp, 'spec.yaml')
    with open(spec, 'w') as f:
        f.write(SPEC)
    d = ctl.json('inventory', 'diff', '--spec', spec)
    shadow = {f"{x['method']} {x['path']}" for x in d['shadow']}
    zombie = [(f"{x['method']} {x['path']}", x['reason']) for x in d['zombie']]
    orphan = {f"{x['method']} {x['path']}" for x in d['orphan']}
    log(f'  diff: shadow {sorted(shadow)}, zombie {zombie}, orphan {sorted(orphan)}')
    check(d['host'] == SRV and shadow == {'GET /api/v1/users', 'POST /api/v1/users/{id}/orders'},
          'spec diff: the two endpoints the spec omits are shadow')
    check(zombie == [('GET /api/v1/products', 'deprecated')], 'spec diff: the deprecated products search is a zombie')
    check(orphan == {'GET /api/v1/reports', 'DELETE /api/v1/users/{userId}'},
          'spec diff: the two documented operations nobody called are orphans')
    ctl.weirctl('inventory', 'import', '--spec', spec)
    st = {s: {key(e) for e in ctl.json('inventory', 'list', '--status', s)['endpoints']} for s in ('shadow', 'zombie')}
    check(st == {'shadow': {'GET /api/v1/users', 'POST /api/v1/users/{id}/orders'},
                 'zombie': {'GET /api/v1/products'}},
          f'imported: weirctl inventory list --status shadow|zombie agree ({st})')


def check_export(ctl, tmp):
    out = os.path.join(tmp, 'learned.json')
    ctl.weirctl('inventory', 'export', 'openapi', '--host', SRV, '-o', out)
    with open(out) as f:
        doc = json.load(f)
    check(doc['openapi'].startswith('3.1') and '/api/v1/users/{id}/orders/{orderId}' in doc['paths'],
          'export: OpenAPI 3.1 with the learned templates')
    d = ctl.json('inventory', 'diff', '--spec', out)
    check(not d['changed'] and len(d['documented']) == len(EXPECTED) + 1 and not d['shadow'] and not d['orphan'],
          f'export: diff against the export itself shows no change ({len(d["documented"])} documented)')
    validator = openapi_validator(tmp)
    if validator is None:
        log('SKIP openapi validation: node/npm or @apidevtools/swagger-parser not available')
        return out
    r = subprocess.run(['node', validator, out], capture_output=True, text=True, timeout=120,
                       env={**os.environ, 'NODE_PATH': os.path.join(NPM_DIR, 'node_modules')})
    check(r.returncode == 0, f'export: swagger-parser validates the document ({r.stdout.strip()}{r.stderr.strip()})')
    return out


def check_no_raw_values(ctl, export_path):
    alerts = ctl.api('/v1/alerts?limit=1000')
    blobs = {'alerts': json.dumps(alerts), 'inventory': ctl.weirctl('--json', 'inventory', 'list').stdout,
             'sensitive': ctl.weirctl('--json', 'inventory', 'sensitive').stdout,
             'changes': ctl.weirctl('--json', 'inventory', 'changes', '-n', '1000').stdout,
             'export': open(export_path).read()}
    for e in ctl.json('inventory', 'list')['endpoints']:
        blobs[f'show {e["id"]}'] = ctl.weirctl('--json', 'inventory', 'show', str(e['id'])).stdout
    state = os.path.join(ctl.dir, 'state')
    for name in os.listdir(state):
        path = os.path.join(state, name)
        if os.path.isfile(path):
            with open(path, 'rb') as f:
                blobs[name] = f.read().decode('latin-1')
    leaks = [(secret, where) for secret in (PAN, SSN, JWT_PART, PASSWORD, *EMAILS)
             for where, text in blobs.items() if secret in text]
    check(not leaks, f'no raw PAN/SSN/JWT/password/e-mail in the store files, alerts, inventory or export ({leaks})')
    kinds = {a.get('kind') for a in alerts['alerts']}
    log(f"  alerts: {sorted({a['class'] for a in alerts['alerts']})}")
    check('api_call' not in kinds, 'alerts: no ApiCall event was stored as an alert')
    check(sum(c == 'inventory.new_endpoint' for c in (a['class'] for a in alerts['alerts'])) == len(EXPECTED) + 1,
          'alerts: one new_endpoint per endpoint')


def check_counters(lab, ctl, calls):
    # `calls`: the scripted client's and the lab's probes.
    stats = lab.telemetry('/weir/stats')
    disc = {k: v for k, v in stats.items() if k.startswith('discovery_')}
    log('  dataplane: ' + json.dumps(disc))
    check(disc.get('discovery_emitted') == calls and disc.get('discovery_ring_full') == 0 and
          disc.get('discovery_pool_full') == 0 and disc.get('discovery_no_link') == 0 and
          disc.get('discovery_in_flight') == 0,
          f'dataplane: {calls} observations emitted, none lost to a full ring or pool, none left in flight')
    st = ctl.json('status')['dataplane']['api_calls']
    log('  weir-control: ' + json.dumps(st))
    check(st['ingested'] == calls and st['dropped'] == 0 and st['decode_errors'] == 0 and
          st['chunks'] == disc.get('discovery_chunks'),
          'weir-control: every chunk arrived, every record reassembled, decoded and ingested')
    text = ctl.weirctl('status').stdout
    check(f'{calls} ingested, 0 dropped' in text, 'weirctl status shows the api calls line')


def main():
    weirlab.require_weir()
    t_start = time.monotonic()
    with weirlab.Lab() as lab:
        config = lab.config({'control': {'socket': os.path.join(LAB_DIR, 'dp.sock'),
                                         'spool': os.path.join(LAB_DIR, 'spool.bin')}})
        ctl = Control(lab, config)
        peers = []
        try:
            ctl.start()
            lab.start_bridge(config=config, extra=['--state-dir', os.path.join(lab.tmp, 'dp-state')])
            wait_for(ctl.connected, 15, what='dataplane connected to weir-control')
            peers = [Peer(lab.tmp, 'api', [os.path.join(PEERS, 'api_demo_server.py'), SRV, str(PORT_API)]),
                     Peer(lab.tmp, 'grpc', [os.path.join(PEERS, 'grpc_demo.py'), 'serve', SRV, str(PORT_GRPC)]),
                     Peer(lab.tmp, 'ws', [os.path.join(PEERS, 'ws_demo.py'), 'serve', SRV, str(PORT_WS)])]
            for port in (PORT_API, PORT_GRPC, PORT_WS):
                wait_port(port)
            log(f'lab, dataplane, weir-control and peers up after {time.monotonic() - t_start:.1f} s')
            calls = scripted_client()
            eps, probes = check_inventory(lab, ctl, calls)
            check_sensitive(ctl, eps)
            check_spec(ctl, lab.tmp)
            export = check_export(ctl, lab.tmp)
            check_no_raw_values(ctl, export)
            check_counters(lab, ctl, calls + probes)
        finally:
            for p in peers:
                p.stop()
            ctl.stop()
    log(f'PASS in {time.monotonic() - t_start:.1f} s')


if __name__ == '__main__':
    main()
