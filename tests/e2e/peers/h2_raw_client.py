#!/usr/bin/python3
"""Raw HTTP/2 (h2c prior knowledge) client for the lab, for what nghttp and
curl cannot script: several connections interleaved, and mid-connection
HPACK table changes. Its HPACK encoder is hand-rolled (literals without
Huffman, incremental indexing, indexed references into its own dynamic
table, dynamic table size updates); responses are framed, not decoded
(the status is read when the server sends it as an indexed static entry).

    h2_raw_client.py ADDR PORT SCRIPT.json

SCRIPT: {"connections": N, "steps": [STEP, ...]}, STEP one of
  {"conn": i, "op": "request", "headers": [[name, value, MODE], ...], "body": "..."}
      MODE: "index" (literal with incremental indexing), "ref" (indexed
      reference to an entry this connection inserted earlier), "plain" (literal
      without indexing; the default)
  {"conn": i, "op": "table_size", "size": n}
      the next request's header block starts with a dynamic table size update
  {"conn": i, "op": "settings", "header_table_size": n}
      a SETTINGS frame mid-connection; waits for the server's ACK
Prints one JSON line: {"steps": [{"op", "result": "ok"|"reset"|"closed"|"timeout"|"skipped",
  "status": 200|"other"|null, "body_len": n, "acked": bool}...]}.
"""
import json
import socket
import struct
import sys
import time

PREFACE = b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'
DATA, HEADERS, PRIORITY, RST, SETTINGS, PUSH, PING, GOAWAY, WINDOW, CONT = range(10)
END_STREAM, ACK, END_HEADERS = 0x1, 0x1, 0x4


def frame(ftype, flags, stream, payload=b''):
    return struct.pack('>I', len(payload))[1:] + bytes([ftype, flags]) + struct.pack('>I', stream) + payload


def hpack_int(value, prefix_bits, first):
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([first | value])
    out = bytearray([first | limit])
    value -= limit
    while value >= 128:
        out.append((value & 0x7f) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def hpack_str(s):
    b = s.encode('utf-8')
    return hpack_int(len(b), 7, 0) + b


def skip_int(block, i, mask):
    """Index after the HPACK integer starting at block[i]."""
    more = block[i] & mask == mask
    i += 1
    while more and i < len(block):
        more = bool(block[i] & 0x80)
        i += 1
    return i


class Encoder:
    """Requests' HPACK encoder with its own dynamic table (RFC 7541)."""

    def __init__(self):
        self.table = []  # newest first: index 62 + position
        self.max_size = 4096
        self.pending_sizes = []

    def _size(self):
        return sum(32 + len(n.encode()) + len(v.encode()) for n, v in self.table)

    def _evict(self):
        while self.table and self._size() > self.max_size:
            self.table.pop()

    def encode(self, headers):
        out = bytearray()
        for size in self.pending_sizes:
            out += hpack_int(size, 5, 0x20)
            self.max_size = size
            self._evict()
        self.pending_sizes = []
        for h in headers:
            name, value = h[0], h[1]
            mode = h[2] if len(h) > 2 else 'plain'
            if mode == 'ref':
                idx = self.table.index((name, value))  # ValueError: the script is wrong
                out += hpack_int(62 + idx, 7, 0x80)
            elif mode == 'index':
                out += b'\x40' + hpack_str(name) + hpack_str(value)
                self.table.insert(0, (name, value))
                self._evict()
            else:
                out += b'\x00' + hpack_str(name) + hpack_str(value)
        return bytes(out)


class Conn:
    def __init__(self, addr, port):
        fam = socket.AF_INET6 if ':' in addr else socket.AF_INET
        self.sock = socket.create_connection((addr, port), timeout=5)
        self.enc = Encoder()
        self.next_stream = 1
        self.buf = b''
        self.dead = None
        self.settings_acked = 0
        self.streams = {}
        self.sock.sendall(PREFACE + frame(SETTINGS, 0, 0, struct.pack('>HI', 2, 0)))  # ENABLE_PUSH 0
        del fam

    def send(self, data):
        try:
            self.sock.sendall(data)
        except ConnectionResetError:
            self.dead = 'reset'
        except OSError:
            self.dead = 'closed'

    def pump(self, until, timeout=3.0):
        """Reads frames until until() or the connection ends; returns a result word."""
        deadline = time.monotonic() + timeout
        while not until():
            if self.dead:
                return self.dead
            left = deadline - time.monotonic()
            if left <= 0:
                return 'timeout'
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return 'timeout'
            except ConnectionResetError:
                self.dead = 'reset'
                continue
            if not chunk:
                self.dead = 'closed'
                continue
            self.buf += chunk
            while len(self.buf) >= 9:
                length = int.from_bytes(self.buf[:3], 'big')
                if len(self.buf) < 9 + length:
                    break
                ftype, flags = self.buf[3], self.buf[4]
                stream = int.from_bytes(self.buf[5:9], 'big') & 0x7fffffff
                payload = self.buf[9:9 + length]
                self.buf = self.buf[9 + length:]
                self.on_frame(ftype, flags, stream, payload)
        return 'ok'

    def on_frame(self, ftype, flags, stream, payload):
        st = self.streams.setdefault(stream, {'status': None, 'body_len': 0, 'done': False, 'reset': False})
        if ftype == SETTINGS:
            if flags & ACK:
                self.settings_acked += 1
            else:
                self.send(frame(SETTINGS, ACK, 0))
        elif ftype == PING and not flags & ACK:
            self.send(frame(PING, ACK, 0, payload))
        elif ftype == HEADERS:
            block = payload
            if flags & 0x8:  # PADDED
                block = block[1:len(block) - block[0]]
            if flags & 0x20:  # PRIORITY
                block = block[5:]
            if st['status'] is None:
                # A dynamic table size update may come first (after a SETTINGS change).
                i = 0
                while i < len(block) and block[i] & 0xe0 == 0x20:
                    i = skip_int(block, i, 0x1f)
                st['status'] = 200 if i < len(block) and block[i] == 0x88 else 'other'
            if flags & END_STREAM:
                st['done'] = True
        elif ftype == DATA:
            st['body_len'] += len(payload)
            if payload:
                self.send(frame(WINDOW, 0, 0, struct.pack('>I', len(payload))) +
                          frame(WINDOW, 0, stream, struct.pack('>I', len(payload))))
            if flags & END_STREAM:
                st['done'] = True
        elif ftype == RST:
            st['reset'] = True
            st['done'] = True
        elif ftype == GOAWAY:
            self.dead = self.dead or 'goaway'

    def request(self, headers, body=''):
        sid = self.next_stream
        self.next_stream += 2
        block = self.enc.encode(headers)
        body_b = body.encode('utf-8')
        flags = END_HEADERS | (0 if body_b else END_STREAM)
        data = frame(HEADERS, flags, sid, block)
        if body_b:
            data += frame(DATA, END_STREAM, sid, body_b)
        self.send(data)
        res = self.pump(lambda: self.streams.get(sid, {}).get('done'))
        st = self.streams.get(sid, {'status': None, 'body_len': 0, 'reset': False})
        if res == 'ok' and st['reset']:
            res = 'stream_reset'
        return {'op': 'request', 'stream': sid, 'result': res, 'status': st['status'], 'body_len': st['body_len']}

    def settings(self, table_size):
        before = self.settings_acked
        self.send(frame(SETTINGS, 0, 0, struct.pack('>HI', 1, table_size)))
        res = self.pump(lambda: self.settings_acked > before)
        return {'op': 'settings', 'result': res, 'acked': self.settings_acked > before}


def main():
    addr, port, script_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(script_path) as f:
        script = json.load(f)
    conns = [Conn(addr, port) for _ in range(script.get('connections', 1))]
    for c in conns:
        c.pump(lambda c=c: c.settings_acked > 0, timeout=3)  # the server's ACK of our SETTINGS
    out = []
    for step in script['steps']:
        c = conns[step.get('conn', 0)]
        if c.dead:
            out.append({'op': step['op'], 'result': 'skipped', 'why': c.dead})
            continue
        if step['op'] == 'request':
            out.append(c.request(step['headers'], step.get('body', '')))
        elif step['op'] == 'table_size':
            c.enc.pending_sizes.append(step['size'])
            out.append({'op': 'table_size', 'result': 'ok'})
        elif step['op'] == 'settings':
            out.append(c.settings(step['header_table_size']))
    print(json.dumps({'steps': out}), flush=True)


if __name__ == '__main__':
    main()
