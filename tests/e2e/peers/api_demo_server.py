#!/usr/bin/python3
"""Demo API origin for the lab's server namespace (Flask on Werkzeug, HTTP/1.1
keep-alive): a REST API with nested resources, GraphQL, SOAP, multipart
upload and gzip'd JSON bodies. Records every request the application read
COMPLETELY (body included) as one JSON line, so a test can assert that the
server never received a whole message carrying an attack; a request whose
body never arrives in full is not recorded. Answers with JSON that contains
sensitive-looking data (an email, a Luhn-valid test PAN, an SSN-shaped value,
a JWT) for discovery / data-exposure tests.

Usage (Debian python, in the server namespace):
    /usr/bin/python3 api_demo_server.py ADDR PORT OUT.jsonl
prints `ready` once listening. ADDR may be IPv4 or IPv6.

Record (one per line): {"proto": "rest"|"graphql"|"soap"|"multipart",
  "method", "path", "query" (raw query string), "headers" {lower-case name: value},
  "body" (base64 of the bytes as received), "decoded" (base64, after
  Content-Encoding gzip/deflate; absent when not encoded), "json" (parsed JSON
  body or null), plus per protocol: "graphql" {query, variables, operationName}
  (list for batches), "soap" {action, operation}, "files" [{field, filename,
  content_type, size, sha256}], "form" {name: value}}.

Endpoints (stable; other tests rely on them):
  GET    /healthz
  POST   /api/v1/login                           JSON {user, password} -> {token: JWT}
  GET    /api/v1/users                           list (emails)
  POST   /api/v1/users                           JSON -> 201 user
  GET    /api/v1/users/{id}                      user: email, ssn, phone
  PUT    /api/v1/users/{id}   PATCH  same        JSON -> user
  DELETE /api/v1/users/{id}                      204
  GET    /api/v1/users/{id}/orders               list
  POST   /api/v1/users/{id}/orders               JSON (gzip/deflate accepted) -> 201 order
  GET    /api/v1/users/{id}/orders/{orderId}     order: card PAN, billing email
  POST   /api/v1/users/{id}/documents            multipart/form-data upload -> 201 {files}
  GET    /api/v1/products?q=&limit=               search
  POST   /graphql                                JSON {query, variables, operationName} or a batch list
  GET    /graphql?query=...&variables=...
  POST   /soap/orders                            SOAP 1.1 (SOAPAction) / 1.2 envelope -> envelope
  GET    /soap/orders?wsdl                       the service's WSDL (for zeep)
"""
import base64
import gzip
import hashlib
import json
import re
import sys
import threading
import xml.etree.ElementTree as ET
import zlib

from flask import Flask, Response, g, jsonify, request
from werkzeug.serving import WSGIRequestHandler, make_server

# Test data only: 4111 1111 1111 1111 is the standard Visa test PAN (Luhn-valid),
# 078-05-1120 the long-voided specimen SSN; the JWT's signature is not real.
JWT = ('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.'
       'eyJzdWIiOiI0MiIsIm5hbWUiOiJBZGEgTG92ZWxhY2UiLCJyb2xlIjoiYWRtaW4ifQ.'
       'c2lnbmF0dXJlLW5vdC1yZWFsLWZvci10ZXN0cw')
USERS = {
    1: {'id': 1, 'name': 'Ada Lovelace', 'email': 'ada@example.org', 'ssn': '078-05-1120', 'phone': '+1-555-0100'},
    2: {'id': 2, 'name': 'Alan Turing', 'email': 'alan@example.org', 'ssn': '078-05-1121', 'phone': '+1-555-0101'},
}
ORDERS = {
    (1, 'A-1001'): {'id': 'A-1001', 'item': 'analytical engine', 'qty': 1,
                    'card': {'pan': '4111111111111111', 'expiry': '12/30'}, 'billing_email': 'ada@example.org'},
}

app = Flask(__name__)
_lock = threading.Lock()
_out = None


def _record(rec):
    with _lock, open(_out, 'a') as f:
        f.write(json.dumps(rec) + '\n')


def _decoded_body(raw):
    enc = request.headers.get('Content-Encoding', '').lower().strip()
    if enc in ('gzip', 'x-gzip'):
        return gzip.decompress(raw)
    if enc == 'deflate':
        return zlib.decompress(raw)
    return None


@app.before_request
def read_whole_body():
    # Reading the body here means a request is recorded only once it arrived
    # entirely (a reset mid-body raises before the view runs).
    raw = request.get_data(cache=True)
    g.raw = raw
    g.decoded = _decoded_body(raw)
    body = g.decoded if g.decoded is not None else raw
    g.json = None
    if body and 'json' in request.headers.get('Content-Type', ''):
        try:
            g.json = json.loads(body)
        except ValueError:
            g.json = None
    g.rec = {'proto': 'rest', 'method': request.method, 'path': request.path,
             'query': request.query_string.decode('latin-1'),
             'headers': {k.lower(): v for k, v in request.headers.items()},
             'body': base64.b64encode(raw).decode(), 'json': g.json}
    if g.decoded is not None:
        g.rec['decoded'] = base64.b64encode(g.decoded).decode()


@app.after_request
def record(resp):
    if 'rec' in g:
        g.rec['status'] = resp.status_code
        _record(g.rec)
    return resp


@app.get('/healthz')
def healthz():
    return jsonify(ok=True)


@app.post('/api/v1/login')
def login():
    body = g.json or {}
    return jsonify(token=JWT, user=body.get('user'), expires_in=3600)


@app.get('/api/v1/users')
def users():
    return jsonify(users=[{'id': u['id'], 'name': u['name'], 'email': u['email']} for u in USERS.values()])


@app.post('/api/v1/users')
def create_user():
    body = g.json or {}
    return jsonify(dict(body, id=3)), 201


@app.route('/api/v1/users/<int:uid>', methods=['GET', 'PUT', 'PATCH', 'DELETE'])
def user(uid):
    if request.method == 'DELETE':
        return Response(status=204)
    u = dict(USERS.get(uid) or {'id': uid, 'name': 'user', 'email': f'user{uid}@example.org', 'ssn': '078-05-1120'})
    if request.method in ('PUT', 'PATCH'):
        u.update(g.json or {})
    return jsonify(u)


@app.route('/api/v1/users/<int:uid>/orders', methods=['GET', 'POST'])
def orders(uid):
    if request.method == 'POST':
        body = g.json or {}
        return jsonify(dict(body, id='A-2001', user=uid)), 201
    return jsonify(orders=[{'id': o['id'], 'item': o['item']} for (u, _), o in ORDERS.items() if u == uid])


@app.get('/api/v1/users/<int:uid>/orders/<order_id>')
def order(uid, order_id):
    o = ORDERS.get((uid, order_id))
    if o is None:
        o = {'id': order_id, 'item': 'widget', 'qty': 2, 'card': {'pan': '4111111111111111', 'expiry': '01/29'},
             'billing_email': f'user{uid}@example.org'}
    return jsonify(o)


@app.post('/api/v1/users/<int:uid>/documents')
def documents(uid):
    g.rec['proto'] = 'multipart'
    files = []
    for field, st in request.files.items(multi=True):
        data = st.read()
        files.append({'field': field, 'filename': st.filename, 'content_type': st.content_type,
                      'size': len(data), 'sha256': hashlib.sha256(data).hexdigest()})
    g.rec['files'] = files
    g.rec['form'] = request.form.to_dict()
    return jsonify(user=uid, files=[{'filename': f['filename'], 'size': f['size']} for f in files]), 201


@app.get('/api/v1/products')
def products():
    q = request.args.get('q', '')
    return jsonify(q=q, products=[{'sku': 'P-1', 'name': f'{q} widget'}])


def _graphql_one(op):
    if not isinstance(op, dict):
        return {'errors': [{'message': 'operation must be an object'}]}
    query = str(op.get('query', ''))
    variables = op.get('variables') or {}
    data = {}
    # Not a GraphQL engine: enough of a resolver that clients get plausible shapes.
    if re.search(r'\buser\b', query):
        uid = int(variables.get('id', 1)) if str(variables.get('id', 1)).isdigit() else 1
        data['user'] = dict(USERS.get(uid, USERS[1]))
    if re.search(r'\busers\b', query):
        data['users'] = [{'id': u['id'], 'email': u['email']} for u in USERS.values()]
    if re.search(r'\bsearch\b', query):
        data['search'] = [{'sku': 'P-1', 'name': str(variables.get('term', ''))}]
    if re.search(r'\bcreateOrder\b', query):
        data['createOrder'] = {'id': 'A-3001', 'card': {'pan': '4111111111111111'}}
    return {'data': data}


@app.route('/graphql', methods=['GET', 'POST'])
def graphql():
    g.rec['proto'] = 'graphql'
    if request.method == 'GET':
        variables = request.args.get('variables')
        try:
            variables = json.loads(variables) if variables else {}
        except ValueError:
            variables = {}
        ops = {'query': request.args.get('query', ''), 'variables': variables,
               'operationName': request.args.get('operationName')}
    else:
        ops = g.json
        if ops is None and request.content_type and 'graphql' in request.content_type:
            ops = {'query': (g.decoded or g.raw).decode('utf-8', 'replace')}
    g.rec['graphql'] = ops
    if isinstance(ops, list):
        return jsonify([_graphql_one(o) for o in ops])
    return jsonify(_graphql_one(ops or {}))


WSDL = '''<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:weir:demo:orders" targetNamespace="urn:weir:demo:orders">
  <types><xsd:schema targetNamespace="urn:weir:demo:orders" elementFormDefault="qualified">
    <xsd:element name="GetOrder"><xsd:complexType><xsd:sequence>
      <xsd:element name="orderId" type="xsd:string"/><xsd:element name="note" type="xsd:string" minOccurs="0"/>
    </xsd:sequence></xsd:complexType></xsd:element>
    <xsd:element name="GetOrderResponse"><xsd:complexType><xsd:sequence>
      <xsd:element name="orderId" type="xsd:string"/><xsd:element name="item" type="xsd:string"/>
      <xsd:element name="email" type="xsd:string"/><xsd:element name="pan" type="xsd:string"/>
    </xsd:sequence></xsd:complexType></xsd:element>
  </xsd:schema></types>
  <message name="GetOrderIn"><part name="parameters" element="tns:GetOrder"/></message>
  <message name="GetOrderOut"><part name="parameters" element="tns:GetOrderResponse"/></message>
  <portType name="OrdersPort"><operation name="GetOrder"><input message="tns:GetOrderIn"/>
    <output message="tns:GetOrderOut"/></operation></portType>
  <binding name="OrdersBinding" type="tns:OrdersPort">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="GetOrder"><soap:operation soapAction="urn:weir:demo:orders#GetOrder"/>
      <input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>
  </binding>
  <service name="OrdersService"><port name="OrdersPort" binding="tns:OrdersBinding">
    <soap:address location="{location}"/></port></service>
</definitions>
'''


@app.route('/soap/orders', methods=['GET', 'POST'])
def soap():
    g.rec['proto'] = 'soap'
    if request.method == 'GET':
        return Response(WSDL.replace('{location}', request.base_url), content_type='text/xml; charset=utf-8')
    action = request.headers.get('SOAPAction', '').strip('"')
    operation = None
    order_id = ''
    try:
        # ElementTree never fetches external entities; an undefined one is a parse error.
        root = ET.fromstring(g.decoded or g.raw)
        body = next((c for c in root if c.tag.endswith('}Body') or c.tag == 'Body'), None)
        op = body[0] if body is not None and len(body) else None
        if op is not None:
            operation = op.tag.split('}')[-1]
            oid = next((c for c in op if c.tag.split('}')[-1] == 'orderId'), None)
            order_id = (oid.text or '') if oid is not None else ''
    except ET.ParseError as e:
        g.rec['soap'] = {'action': action, 'operation': None, 'error': str(e)}
        return Response(_soap_fault(str(e)), status=500, content_type='text/xml; charset=utf-8')
    g.rec['soap'] = {'action': action, 'operation': operation}
    resp = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
            '<GetOrderResponse xmlns="urn:weir:demo:orders">'
            f'<orderId>{_xml_escape(order_id)}</orderId><item>analytical engine</item>'
            '<email>ada@example.org</email><pan>4111111111111111</pan>'
            '</GetOrderResponse></soap:Body></soap:Envelope>')
    return Response(resp, content_type='text/xml; charset=utf-8')


def _xml_escape(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def _soap_fault(msg):
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>'
            f'<faultcode>soap:Client</faultcode><faultstring>{_xml_escape(msg)}</faultstring>'
            '</soap:Fault></soap:Body></soap:Envelope>')


def main():
    global _out
    addr, port, _out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    WSGIRequestHandler.protocol_version = 'HTTP/1.1'  # keep-alive
    srv = make_server(addr, port, app, threaded=True)
    print('ready', flush=True)
    srv.serve_forever()


if __name__ == '__main__':
    main()
