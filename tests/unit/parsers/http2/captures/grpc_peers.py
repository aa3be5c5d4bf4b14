# A gRPC server and client (python3-grpcio, no generated code: raw bytes)
# on loopback; the client talks through the recording relay.
import sys, time, threading, grpc
from concurrent import futures

def varint(v):
    out = b''
    while v >= 0x80:
        out += bytes([(v & 0x7f) | 0x80]); v >>= 7
    return out + bytes([v])
def pb_bytes(f, b): return varint((f << 3) | 2) + varint(len(b)) + b
def pb_varint(f, v): return varint(f << 3) + varint(v)

def add_item(request, context):
    context.set_trailing_metadata((('x-trace', 'abc'),))
    return pb_varint(1, 1)
def stream_items(request_iterator, context):
    for r in request_iterator:
        yield pb_bytes(2, r)

server_port, relay_port = int(sys.argv[1]), int(sys.argv[2])
server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler('shop.v1.Cart', {
    'AddItem': grpc.unary_unary_rpc_method_handler(add_item),
    'Stream': grpc.stream_stream_rpc_method_handler(stream_items),
}),))
server.add_insecure_port('127.0.0.1:%d' % server_port)
server.start()
time.sleep(0.5)
with grpc.insecure_channel('127.0.0.1:%d' % relay_port) as ch:
    req = pb_bytes(1, b"sku-1' OR '1'='1") + pb_bytes(2, pb_bytes(1, b'<script>mug</script>') + pb_varint(2, 6))
    reply = ch.unary_unary('/shop.v1.Cart/AddItem')(req, metadata=(('x-user', 'alice'),),
                                                  compression=grpc.Compression.Gzip)
    print('reply', reply)
    out = list(ch.stream_stream('/shop.v1.Cart/Stream')(iter([b'one', b'two ../../etc/passwd'])))
    print('stream', out)
server.stop(0)
