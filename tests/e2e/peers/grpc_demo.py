#!/usr/bin/python3
"""Demo gRPC peer (grpcio, HTTP/2 prior knowledge, no TLS) for the lab: the
service's descriptors are built at run time (no protoc step), a server that
records every request message it decoded, and a client.

Usage (Debian python):
    grpc_demo.py serve ADDR PORT OUT.jsonl       # server namespace; prints `ready`
    grpc_demo.py call ADDR PORT METHOD JSON [JSON ...] [--same-channel] [--gzip]
        # client namespace; METHOD: GetUser | SearchOrders | CreateOrder;
        # --gzip: messages sent compressed (grpc-encoding gzip, compressed flag set);
        # prints one JSON line per call: {"ok": true, "reply": {...}} or
        # {"ok": false, "code": "UNAVAILABLE", "details": "..."}
    grpc_demo.py protoset OUT.protoset           # the FileDescriptorSet, for
        # Weir's named-field decoding (config parsers.grpc.protosets)

Service weir.demo.Orders (proto3):
    rpc GetUser(UserRequest{string user_id=1}) returns (User{string id=1; string name=2;
        string email=3; string ssn=4})
    rpc SearchOrders(SearchRequest{string user_id=1; string query=2; Filter filter=3
        {string field=1; string value=2}; int32 limit=4}) returns (SearchReply{repeated Order orders=1})
    rpc CreateOrder(Order{string id=1; string item=2; string note=3; string card_pan=4;
        string email=5}) returns (Order)
Record (one per line): {"proto": "grpc", "method": "/weir.demo.Orders/SearchOrders",
    "peer", "metadata" {k: v}, "request": {field: value} (proto3 JSON names)}.
"""
import json
import sys
import threading
from concurrent import futures

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

SERVICE = 'weir.demo.Orders'
F = descriptor_pb2.FieldDescriptorProto


def _file_descriptor():
    fdp = descriptor_pb2.FileDescriptorProto(name='weir_demo_orders.proto', package='weir.demo', syntax='proto3')

    def message(name, *fields):
        m = fdp.message_type.add(name=name)
        for fname, number, ftype, extra in fields:
            f = m.field.add(name=fname, number=number, type=ftype, label=extra.get('label', F.LABEL_OPTIONAL),
                            json_name=extra.get('json', fname))
            if 'type_name' in extra:
                f.type_name = extra['type_name']
        return m

    s = F.TYPE_STRING
    message('UserRequest', ('user_id', 1, s, {'json': 'userId'}))
    message('User', ('id', 1, s, {}), ('name', 2, s, {}), ('email', 3, s, {}), ('ssn', 4, s, {}))
    message('Filter', ('field', 1, s, {}), ('value', 2, s, {}))
    message('SearchRequest', ('user_id', 1, s, {'json': 'userId'}), ('query', 2, s, {}),
            ('filter', 3, F.TYPE_MESSAGE, {'type_name': '.weir.demo.Filter'}), ('limit', 4, F.TYPE_INT32, {}))
    message('Order', ('id', 1, s, {}), ('item', 2, s, {}), ('note', 3, s, {}),
            ('card_pan', 4, s, {'json': 'cardPan'}), ('email', 5, s, {}))
    message('SearchReply', ('orders', 1, F.TYPE_MESSAGE, {'type_name': '.weir.demo.Order', 'label': F.LABEL_REPEATED}))
    svc = fdp.service.add(name='Orders')
    for name, req, rep in (('GetUser', 'UserRequest', 'User'), ('SearchOrders', 'SearchRequest', 'SearchReply'),
                           ('CreateOrder', 'Order', 'Order')):
        svc.method.add(name=name, input_type=f'.weir.demo.{req}', output_type=f'.weir.demo.{rep}')
    return fdp


FDP = _file_descriptor()
_pool = descriptor_pool.DescriptorPool()
_pool.Add(FDP)
_factory = message_factory.MessageFactory(_pool)


def msg_class(name):
    desc = _pool.FindMessageTypeByName(f'weir.demo.{name}')
    if hasattr(message_factory, 'GetMessageClass'):
        return message_factory.GetMessageClass(desc)
    return _factory.GetPrototype(desc)


METHODS = {'GetUser': ('UserRequest', 'User'), 'SearchOrders': ('SearchRequest', 'SearchReply'),
           'CreateOrder': ('Order', 'Order')}


def _target(addr, port):
    return f'[{addr}]:{port}' if ':' in addr else f'{addr}:{port}'


def serve(addr, port, out):
    lock = threading.Lock()
    User, SearchReply, Order = msg_class('User'), msg_class('SearchReply'), msg_class('Order')

    def recorder(name, fn):
        def handle(req, ctx):
            rec = {'proto': 'grpc', 'method': f'/{SERVICE}/{name}', 'peer': ctx.peer(),
                   'metadata': {k: v for k, v in ctx.invocation_metadata() if isinstance(v, str)},
                   'request': json_format.MessageToDict(req)}
            with lock, open(out, 'a') as f:
                f.write(json.dumps(rec) + '\n')
            return fn(req)
        return handle

    def get_user(req):
        return User(id=req.user_id, name='Ada Lovelace', email='ada@example.org', ssn='078-05-1120')

    def search(req):
        return SearchReply(orders=[Order(id='A-1001', item=f'{req.query} engine', card_pan='4111111111111111',
                                         email='ada@example.org')])

    def create(req):
        return Order(id=req.id or 'A-2001', item=req.item, note=req.note, email='ada@example.org')

    impl = {'GetUser': get_user, 'SearchOrders': search, 'CreateOrder': create}
    handlers = {}
    for name, (req, rep) in METHODS.items():
        handlers[name] = grpc.unary_unary_rpc_method_handler(
            recorder(name, impl[name]), request_deserializer=msg_class(req).FromString,
            response_serializer=msg_class(rep).SerializeToString)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers),))
    server.add_insecure_port(_target(addr, port))
    server.start()
    print('ready', flush=True)
    server.wait_for_termination()


def call(addr, port, method, payloads, same_channel=True, timeout=5.0, gzip=False):
    """Calls METHOD once per payload (dicts); returns one result dict per call."""
    req_cls, rep_cls = (msg_class(n) for n in METHODS[method])
    results = []
    channel = None
    for p in payloads:
        if channel is None or not same_channel:
            if channel is not None:
                channel.close()
            channel = grpc.insecure_channel(_target(addr, port),
                                            compression=grpc.Compression.Gzip if gzip else None)
        rpc = channel.unary_unary(f'/{SERVICE}/{method}', request_serializer=req_cls.SerializeToString,
                                   response_deserializer=rep_cls.FromString)
        try:
            reply = rpc(json_format.ParseDict(p, req_cls()), timeout=timeout)
            results.append({'ok': True, 'reply': json_format.MessageToDict(reply)})
        except grpc.RpcError as e:
            results.append({'ok': False, 'code': e.code().name, 'details': e.details()})
    if channel is not None:
        channel.close()
    return results


def main():
    cmd = sys.argv[1]
    if cmd == 'serve':
        serve(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif cmd == 'call':
        args = [a for a in sys.argv[5:] if a not in ('--same-channel', '--gzip')]
        for r in call(sys.argv[2], int(sys.argv[3]), sys.argv[4], [json.loads(a) for a in args],
                      same_channel='--same-channel' in sys.argv, gzip='--gzip' in sys.argv):
            print(json.dumps(r), flush=True)
    elif cmd == 'protoset':
        with open(sys.argv[2], 'wb') as f:
            f.write(descriptor_pb2.FileDescriptorSet(file=[FDP]).SerializeToString())
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
