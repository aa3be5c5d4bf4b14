#!/usr/bin/python3
"""API discovery end to end without a lab: weir-control (--test-hooks) is fed
recorded HTTP exchanges of a demo shop (REST with nested resources, GraphQL,
gRPC, SOAP, a WebSocket channel) through POST /v1/test/observations -- the
same parser, observation builder and wire codec a worker runs -- and weirctl
reads the inventory back: templates, parameter types, sensitive data, the
diff against a spec (2 shadow, 1 zombie, 1 orphan), the OpenAPI export
(validated with swagger-parser from npm when node/npm are present, else that
step is skipped with a message) and its round trip through diff, business
flows, alerts, persistence across a restart, and no raw sensitive value in
the store, the alerts or the export.

Run: WEIRCTL=build/cli/weirctl WEIR_CONTROL=build/control/weir-control \
       /usr/bin/python3 tests/e2e/inventory_test.py"""

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
WEIRCTL = os.environ.get('WEIRCTL', '')
WEIR_CONTROL = os.environ.get('WEIR_CONTROL', '')
NPM_DIR = os.environ.get('WEIR_NPM_CACHE', os.path.join(tempfile.gettempdir(), 'weir-npm-openapi'))

HOST = 'shop.weir.test'
PAN = '4111111111111111'
SSN = '536-22-1234'
EMAIL = 'carol.customer@example.com'


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode()


def jwt(sub):
    return '.'.join([b64url(b'{"alg":"HS256","typ":"JWT"}'), b64url(json.dumps({'sub': sub}).encode()),
                     b64url(b'signature-bytes-' + sub.encode())])


TOKENS = [jwt(f'user{i}') for i in range(4)]


def request(method, path, token=None, body=None, ctype='application/json', headers=()):
    lines = [f'{method} {path} HTTP/1.1', f'Host: {HOST}', 'User-Agent: demo-client/1.0', 'Accept: */*']
    if token:
        lines.append(f'Authorization: Bearer {token}')
    lines.extend(headers)
    data = b''
    if body is not None:
        data = body if isinstance(body, bytes) else (json.dumps(body) if not isinstance(body, str) else body).encode()
        lines.append(f'Content-Type: {ctype}')
        lines.append(f'Content-Length: {len(data)}')
    return ('\r\n'.join(lines) + '\r\n\r\n').encode().decode('latin-1') + data.decode('latin-1')


def response(status=200, body=None, ctype='application/json'):
    data = b'' if body is None else (json.dumps(body) if not isinstance(body, str) else body).encode()
    head = f'HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {len(data)}\r\n\r\n'
    return head + data.decode('latin-1')


def exchange(req, resp, latency_us=1500, client='198.18.0.10', **extra):
    x = {'request': req, 'response': resp, 'latency_us': latency_us, 'client': client}
    x.update(extra)
    return x


def demo_traffic():
    """The scripted client: what each endpoint of the demo shop sees."""
    ex = []
    for i in range(1, 31):
        ex.append(exchange(request('GET', f'/api/v1/users/{i}?expand=true', TOKENS[i % 4]),
                           response(200, {'id': i, 'name': f'user {i}', 'email': f'u{i}@example.com'})))
    ex.append(exchange(request('GET', '/api/v1/users/me', TOKENS[0]), response(200, {'id': 1})))
    for i in range(1, 6):
        ex.append(exchange(request('GET', f'/api/v1/users/{i}/orders', TOKENS[0]), response(200, [])))
    order_ids = ['550e8400-e29b-41d4-a716-44665544000%d' % i for i in range(5)]
    for oid in order_ids:
        ex.append(exchange(request('GET', f'/api/v1/orders/{oid}', TOKENS[1]),
                           response(200, {'id': oid, 'card': PAN, 'ssn': SSN, 'owner': {'email': EMAIL},
                                          'total': 12.5})))
    for n in range(3):
        ex.append(exchange(request('POST', '/api/v1/orders', TOKENS[2],
                                   {'items': [{'sku': 'A-1', 'qty': 2}, {'sku': 'B-2', 'qty': 1}], 'note': 'gift'}),
                           response(201, {'id': order_ids[n]})))
    ex.append(exchange(request('POST', '/login', None, {'username': 'carol', 'password': 'hunter2'}),
                       response(200, {'token': TOKENS[3]})))
    # Three sessions walk cart -> checkout -> pay (business flow).
    for t in TOKENS[:3]:
        ex.append(exchange(request('POST', '/api/v1/cart', t, {'sku': 'A-1'}), response(200, {'ok': True})))
        ex.append(exchange(request('POST', '/api/v1/checkout', t, {'cart': 1}), response(200, {'ok': True})))
        ex.append(exchange(request('POST', '/api/v1/pay', t, {'method': 'card'}), response(200, {'ok': True})))
    ex.append(exchange(request('GET', '/internal/debug', None), response(200, {'heap': 1})))
    ex.append(exchange(request('DELETE', f'/api/v1/orders/{order_ids[0]}', TOKENS[1]), response(204)))
    ex.append(exchange(request('GET', '/api/v1/legacy/export', TOKENS[1]), response(200, {'rows': 0})))
    gql = {'query': 'query GetProduct($id: ID!) { product(id: $id) { name } }', 'operationName': 'GetProduct',
           'variables': {'id': '7'}}
    ex.append(exchange(request('POST', '/graphql', TOKENS[0], gql), response(200, {'data': {'product': {}}})))
    soap = '<soap:Envelope><soap:Body><GetInvoice><id>7</id></GetInvoice></soap:Body></soap:Envelope>'
    ex.append(exchange(request('POST', '/soap/billing', TOKENS[0], soap, 'text/xml',
                               headers=['SOAPAction: "urn:GetInvoice"']),
                       response(200, '<ok/>', 'text/xml')))
    ex.append(exchange(request('POST', '/shop.Cart/AddItem', TOKENS[0], b'\x00\x00\x00\x00\x00', 'application/grpc'),
                       response(200, '', 'application/grpc')))
    ex.append(exchange(request('GET', '/ws/prices', TOKENS[0], headers=['X-Channel: prices']), '',
                       protocol='websocket', operation='prices'))
    return ex


EXPECTED_ENDPOINTS = {
    'GET /api/v1/users/{id}', 'GET /api/v1/users/me', 'GET /api/v1/users/{id}/orders', 'GET /api/v1/orders/{id}',
    'POST /api/v1/orders', 'POST /login', 'POST /api/v1/cart', 'POST /api/v1/checkout', 'POST /api/v1/pay',
    'GET /internal/debug', 'DELETE /api/v1/orders/{id}', 'GET /api/v1/legacy/export', 'POST /graphql #GetProduct',
    'POST /soap/billing #urn:GetInvoice', 'POST /shop.Cart/AddItem', 'GET /ws/prices #prices',
}

# The operator's spec: omits GET /internal/debug and DELETE /api/v1/orders/{id}
# (2 shadow), deprecates the legacy export (1 zombie), lists /api/v1/reports
# that nobody calls (1 orphan). Components and $ref on purpose.
SPEC = f"""
openapi: 3.0.3
info: {{title: demo shop, version: "1.4"}}
servers: [{{url: "https://{HOST}"}}]
paths:
  /api/v1/users/{{userId}}:
    parameters: [{{$ref: '#/components/parameters/UserId'}}]
    get:
      parameters: [{{name: expand, in: query, schema: {{type: boolean}}}}]
      responses: {{'200': {{description: ok}}}}
  /api/v1/users/me:
    get: {{responses: {{'200': {{description: ok}}}}}}
  /api/v1/users/{{userId}}/orders:
    parameters: [{{$ref: '#/components/parameters/UserId'}}]
    get: {{responses: {{'200': {{description: ok}}}}}}
  /api/v1/orders:
    post:
      requestBody:
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/NewOrder'}}
      responses: {{'201': {{description: created}}}}
  /api/v1/orders/{{orderId}}:
    get:
      parameters: [{{name: orderId, in: path, required: true, schema: {{type: string}}}}]
      responses: {{'200': {{description: ok}}}}
  /login:
    post: {{responses: {{'200': {{description: ok}}}}}}
  /api/v1/cart:
    post: {{responses: {{'200': {{description: ok}}}}}}
  /api/v1/checkout:
    post: {{responses: {{'200': {{description: ok}}}}}}
  /api/v1/pay:
    post: {{responses: {{'200': {{description: ok}}}}}}
  /api/v1/legacy/export:
    get: {{deprecated: true, responses: {{'200': {{description: ok}}}}}}
  /api/v1/reports:
    get: {{responses: {{'200': {{description: ok}}}}}}
  /graphql:
    post: {{responses: {{'200': {{description: ok}}}}}}
  /soap/billing:
    post: {{responses: {{'200': {{description: ok}}}}}}
  /shop.Cart/AddItem:
    post: {{responses: {{'200': {{description: ok}}}}}}
  /ws/prices:
    get: {{responses: {{'101': {{description: upgrade}}}}}}
components:
  parameters:
    UserId: {{name: userId, in: path, required: true, schema: {{type: string}}}}
  schemas:
    NewOrder:
      type: object
      properties:
        note: {{type: string}}
        items: {{type: array, items: {{$ref: '#/components/schemas/Item'}}}}
    Item:
      type: object
      properties: {{sku: {{type: string}}, qty: {{type: integer}}}}
"""


def api(sock_path, method, path, body=None):
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
    return int(head.split(b' ')[1]), json.loads(payload)


def key(e):
    k = f"{e['method']} {e['path']}"
    return k + (f" #{e['operation']}" if e.get('operation') else '')


class InventoryE2E(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not (os.access(WEIRCTL, os.X_OK) and os.access(WEIR_CONTROL, os.X_OK)):
            raise unittest.SkipTest('set WEIRCTL and WEIR_CONTROL to the built binaries')
        cls.tmp = tempfile.mkdtemp(prefix='weir-inventory-e2e-')
        cls.admin = os.path.join(cls.tmp, 'admin.sock')
        cls.state = os.path.join(cls.tmp, 'state')
        cls.log = open(os.path.join(cls.tmp, 'weir-control.log'), 'w')
        cls.start_control()
        status, body = api(cls.admin, 'POST', '/v1/test/observations', {'exchanges': demo_traffic()})
        assert status == 202, body
        cls.ingested = body['ingested']

    @classmethod
    def start_control(cls, test_hooks=True):
        args = [WEIR_CONTROL, '--foreground', '--state-dir', cls.state, '--admin-socket', cls.admin,
                '--dataplane-socket', os.path.join(cls.tmp, 'dp.sock')]
        if test_hooks:
            args.append('--test-hooks')
        cls.proc = subprocess.Popen(args, stdout=cls.log, stderr=cls.log)
        for _ in range(200):
            if os.path.exists(cls.admin):
                try:
                    api(cls.admin, 'GET', '/v1/status')
                    return
                except OSError:
                    pass
            time.sleep(0.05)
        raise RuntimeError('weir-control did not start; see ' + cls.log.name)

    @classmethod
    def stop_control(cls):
        cls.proc.terminate()
        cls.proc.wait(timeout=10)

    @classmethod
    def tearDownClass(cls):
        if hasattr(cls, 'proc'):
            cls.stop_control()
        if os.environ.get('WEIR_KEEP_TMP') is None:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def weirctl(self, *args, expect=0):
        r = subprocess.run([WEIRCTL, '--socket', self.admin, *args], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, expect, f'weirctl {" ".join(args)}: {r.stdout}{r.stderr}')
        return r.stdout

    def weirctl_json(self, *args):
        return json.loads(self.weirctl('--json', *args))

    def endpoints(self, *filters):
        return {key(e): e for e in self.weirctl_json('inventory', 'list', *filters)['endpoints']}

    def test_01_lists_exactly_the_exercised_endpoints(self):
        self.assertEqual(self.ingested, len(demo_traffic()))
        eps = self.endpoints()
        self.assertEqual(set(eps), EXPECTED_ENDPOINTS)
        self.assertEqual(eps['GET /api/v1/users/{id}']['calls'], 30)
        self.assertEqual(eps['POST /graphql #GetProduct']['protocol'], 'graphql')
        self.assertEqual(eps['POST /shop.Cart/AddItem']['protocol'], 'grpc')
        self.assertEqual(eps['POST /soap/billing #urn:GetInvoice']['protocol'], 'soap')
        self.assertEqual(eps['GET /ws/prices #prices']['protocol'], 'websocket')
        self.assertIn('bearer_jwt', eps['GET /api/v1/users/{id}']['auth'])
        self.assertIn('payment', eps['POST /api/v1/pay']['tags'])
        self.assertIn('auth', eps['POST /login']['tags'])
        table = self.weirctl('inventory', 'list', '--host', HOST)
        self.assertIn('/api/v1/users/{id}/orders', table)
        self.assertIn('16 endpoints', table)

    def test_02_parameter_types_and_formats(self):
        eps = self.endpoints()
        show = self.weirctl_json('inventory', 'show', str(eps['POST /api/v1/orders']['id']))['endpoint']
        params = {(p['in'], p['zone'], p['name']): p for p in show['params']}
        self.assertEqual(params[('request', 'body_json', 'items[].qty')]['type'], 'integer')
        self.assertEqual(params[('request', 'body_json', 'items[].sku')]['type'], 'string')
        self.assertTrue(params[('request', 'body_json', 'note')]['required'])
        self.assertEqual(params[('response', 'resp_body', 'id')]['format'], 'uuid')
        self.assertEqual(show['request_schema']['properties']['items']['items']['properties']['qty']['type'],
                         'integer')
        self.assertEqual(show['response_schema']['properties']['id']['format'], 'uuid')
        users = self.weirctl_json('inventory', 'show', str(eps['GET /api/v1/users/{id}']['id']))['endpoint']
        up = {(p['zone'], p['name']): p for p in users['params']}
        self.assertEqual(up[('query_arg', 'expand')]['type'], 'boolean')
        self.assertEqual(up[('resp_body', 'email')]['format'], 'email')
        self.assertEqual(users['status'], {'200': 30})
        self.assertGreater(users['latency_us']['p50'], 0)
        text = self.weirctl('inventory', 'show', str(eps['GET /api/v1/users/{id}']['id']))
        self.assertIn('expand', text)

    def test_03_sensitive_data_on_the_right_endpoints_and_parameters(self):
        findings = self.weirctl_json('inventory', 'sensitive')['findings']
        where = {(f['class'], f['in'], key(f['endpoint'])): set(f['params']) for f in findings}
        self.assertEqual(where[('pan', 'response', 'GET /api/v1/orders/{id}')], {'resp_body:card'})
        self.assertEqual(where[('us_ssn', 'response', 'GET /api/v1/orders/{id}')], {'resp_body:ssn'})
        self.assertEqual(where[('email', 'response', 'GET /api/v1/orders/{id}')], {'resp_body:owner.email'})
        self.assertEqual(where[('jwt', 'response', 'POST /login')], {'resp_body:token'})
        self.assertEqual(where[('password', 'request', 'POST /login')], {'body_json:password'})
        self.assertFalse(any(c == 'pan' and e != 'GET /api/v1/orders/{id}' for c, _, e in where))
        only_pan = self.endpoints('--sensitive', 'pan')
        self.assertEqual(set(only_pan), {'GET /api/v1/orders/{id}'})

    def test_04_spec_diff_shadow_zombie_orphan(self):
        spec = os.path.join(self.tmp, 'spec.yaml')
        with open(spec, 'w') as f:
            f.write(SPEC)
        d = self.weirctl_json('inventory', 'diff', '--spec', spec)
        self.assertEqual(d['host'], HOST)
        self.assertEqual({f"{x['method']} {x['path']}" for x in d['shadow']},
                         {'GET /internal/debug', 'DELETE /api/v1/orders/{id}'})
        self.assertEqual([(x['path'], x['reason']) for x in d['zombie']], [('/api/v1/legacy/export', 'deprecated')])
        self.assertEqual([f"{x['method']} {x['path']}" for x in d['orphan']], ['GET /api/v1/reports'])
        # The spec leaves out the request bodies of these operations.
        self.assertEqual({(f"{x['endpoint']['method']} {x['endpoint']['path']}", x['kind'], x['in'], x['name'])
                          for x in d['drift']},
                         {('POST /login', 'undocumented_parameter', 'body', 'username'),
                          ('POST /login', 'undocumented_parameter', 'body', 'password'),
                          ('POST /api/v1/cart', 'undocumented_parameter', 'body', 'sku'),
                          ('POST /api/v1/checkout', 'undocumented_parameter', 'body', 'cart'),
                          ('POST /api/v1/pay', 'undocumented_parameter', 'body', 'method')})
        # POST /graphql is parsed as GraphQL (its operation is the endpoint's
        # operation), not as a JSON body: the envelope keys are no OpenAPI drift.
        text = self.weirctl('inventory', 'diff', '--spec', spec)
        self.assertIn('shadow: seen, not in the spec (2)', text)
        # Imported, the spec classifies the list.
        self.weirctl('inventory', 'import', '--spec', spec)
        self.assertEqual(set(self.endpoints('--status', 'shadow')), {'GET /internal/debug', 'DELETE /api/v1/orders/{id}'})
        self.assertEqual(set(self.endpoints('--status', 'zombie')), {'GET /api/v1/legacy/export'})
        orphans = self.weirctl_json('inventory', 'list', '--status', 'orphan')['orphans']
        self.assertEqual([o['path'] for o in orphans], ['/api/v1/reports'])

    def test_05_openapi_export_validates_and_round_trips(self):
        out = os.path.join(self.tmp, 'learned.json')
        self.weirctl('inventory', 'export', 'openapi', '--host', HOST, '-o', out)
        with open(out) as f:
            doc = json.load(f)
        self.assertEqual(doc['openapi'], '3.1.0')
        self.assertIn('/api/v1/users/{id}/orders', doc['paths'])
        d = self.weirctl_json('inventory', 'diff', '--spec', out)
        self.assertFalse(d['changed'], d)
        self.assertEqual(len(d['documented']), len(EXPECTED_ENDPOINTS))
        validator = self.openapi_validator()
        if validator is None:
            print('\nSKIP openapi validation: node/npm or @apidevtools/swagger-parser not available', file=sys.stderr)
            return
        r = subprocess.run(['node', validator, out], capture_output=True, text=True, timeout=120,
                           env={**os.environ, 'NODE_PATH': os.path.join(NPM_DIR, 'node_modules')})
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        # The validator does reject a broken document (a response without its description).
        path, method = '/api/v1/users/{id}', 'get'
        doc['paths'][path][method]['responses']['200'].pop('description')
        broken = os.path.join(self.tmp, 'broken.json')
        with open(broken, 'w') as f:
            json.dump(doc, f)
        r = subprocess.run(['node', validator, broken], capture_output=True, text=True, timeout=120,
                           env={**os.environ, 'NODE_PATH': os.path.join(NPM_DIR, 'node_modules')})
        self.assertNotEqual(r.returncode, 0, 'the validator accepted a broken document')

    def openapi_validator(self):
        if not (shutil.which('node') and shutil.which('npm')):
            return None
        if not os.path.isdir(os.path.join(NPM_DIR, 'node_modules', '@apidevtools', 'swagger-parser')):
            os.makedirs(NPM_DIR, exist_ok=True)
            r = subprocess.run(['npm', 'install', '--no-audit', '--no-fund', '--silent',
                                '@apidevtools/swagger-parser@10'], cwd=NPM_DIR, capture_output=True, timeout=300)
            if r.returncode != 0:
                return None
        script = os.path.join(self.tmp, 'validate.js')
        with open(script, 'w') as f:
            f.write("const P = require('@apidevtools/swagger-parser');\n"
                    "P.validate(process.argv[2]).then(() => console.log('valid'))"
                    ".catch(e => { console.error(e.message); process.exit(1); });\n")
        return script

    def test_06_business_flows_mined_and_promoted(self):
        flows = self.weirctl_json('business-flows', 'list')['flows']
        want = [f'{HOST} POST /api/v1/cart', f'{HOST} POST /api/v1/checkout', f'{HOST} POST /api/v1/pay']
        mined = [f for f in flows if f['steps'][-3:] == want]
        self.assertEqual(len(mined), 1, flows)
        self.assertGreaterEqual(mined[0]['support'], 3)
        out = self.weirctl('business-flows', 'promote', mined[0]['id'], '--name', 'checkout')
        self.assertIn('promoted flow checkout', out)
        shown = self.weirctl_json('business-flows', 'show', 'checkout')['flow']
        self.assertEqual(shown['name'], 'checkout')
        self.assertEqual(shown['steps'][-3:], want)
        self.weirctl('business-flows', 'promote', '--name', 'x', '--step', 'a', expect=2)

    def test_07_changes_raise_alerts(self):
        status, body = api(self.admin, 'GET', '/v1/alerts?limit=1000')
        classes = [a['class'] for a in body['alerts']]
        self.assertEqual(classes.count('inventory.new_endpoint'), len(EXPECTED_ENDPOINTS))
        pan = [a for a in body['alerts'] if a['class'] == 'inventory.new_sensitive_data' and 'pan' in a['text']]
        self.assertEqual(len(pan), 1)
        self.assertEqual(pan[0]['severity'], 'high')
        changes = self.weirctl_json('inventory', 'changes', '-n', '1000')['changes']
        self.assertIn('new_sensitive_data', {c['kind'] for c in changes})

    def test_08_no_raw_sensitive_value_anywhere(self):
        status, body = api(self.admin, 'GET', '/v1/alerts?limit=1000')
        blobs = [json.dumps(body), self.weirctl('--json', 'inventory', 'list'),
                 self.weirctl('inventory', 'export', 'openapi', '--host', HOST),
                 self.weirctl('--json', 'inventory', 'sensitive')]
        for name in os.listdir(self.state):
            path = os.path.join(self.state, name)
            if os.path.isfile(path):
                with open(path, 'rb') as f:
                    blobs.append(f.read().decode('latin-1'))
        for secret in (PAN, SSN, EMAIL, TOKENS[3], 'hunter2'):
            for b in blobs:
                self.assertNotIn(secret, b)

    def test_09_survives_restart_and_hook_is_off_by_default(self):
        before = self.endpoints()
        self.stop_control()
        self.start_control(test_hooks=False)
        after = self.endpoints()
        self.assertEqual(set(after), set(before))
        self.assertEqual(after['GET /api/v1/users/{id}']['calls'], 30)
        status, body = api(self.admin, 'POST', '/v1/test/observations', {'exchanges': []})
        self.assertEqual(status, 404)
        self.stop_control()
        self.start_control(test_hooks=True)

    def test_10_flows_declared_in_config(self):
        status, live = api(self.admin, 'GET', '/v1/config')
        self.assertEqual(status, 200)
        text = live['yaml'] + (f"\ndiscovery:\n  flows:\n    - name: signup\n"
                               f"      steps: ['{HOST} POST /login', '{HOST} GET /api/v1/users/me']\n")
        path = os.path.join(self.tmp, 'with-flows.yaml')
        with open(path, 'w') as f:
            f.write(text)
        self.weirctl('config', 'apply', path)
        flow = self.weirctl_json('business-flows', 'show', 'signup')['flow']
        self.assertEqual(flow['source'], 'declared')
        self.assertEqual(flow['steps'], [f'{HOST} POST /login', f'{HOST} GET /api/v1/users/me'])


if __name__ == '__main__':
    unittest.main(verbosity=2)
