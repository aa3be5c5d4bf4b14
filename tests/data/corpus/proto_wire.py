"""Wire encoders for the protocol corpus: HTTP/2 (frames, HPACK), gRPC
(length-prefixed messages, protobuf), WebSocket frames (masking,
fragmentation, permessage-deflate) and content codings (gzip, deflate,
brotli). Standard library only, deterministic: every byte is a function of
the arguments (masks and keys come from the caller's rng).
"""

import base64
import gzip
import struct
import zlib

# ---------------------------------------------------------------- codings


def gzip_raw(data):
    return gzip.compress(data, compresslevel=6, mtime=0)


def deflate_zlib(data):
    """HTTP "deflate" as RFC 9110 defines it: a zlib stream."""
    return zlib.compress(data, 6)


def deflate_raw(data):
    """Raw DEFLATE without the zlib wrapper: what some clients (old IE,
    some SDKs) send as "deflate" anyway."""
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


class _Bits:
    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, value, width):
        for i in range(width):
            self.acc |= ((value >> i) & 1) << self.n
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                self.acc = 0
                self.n = 0

    def align(self):
        if self.n:
            self.out.append(self.acc)
            self.acc = 0
            self.n = 0


def brotli_stored(data, block=65536):
    """A valid RFC 7932 brotli stream of uncompressed meta-blocks.

    The generator is standard library only, which has no brotli encoder;
    every brotli decoder must accept stored meta-blocks (encoders emit them
    for incompressible input), so the inspector's brotli path is exercised
    exactly as for a compressed stream: the payload is invisible until the
    body is decoded."""
    w = _Bits()
    w.put(0, 1)  # WBITS = 16
    for off in range(0, len(data), block):
        chunk = data[off:off + block]
        mlen = len(chunk) - 1
        w.put(0, 1)  # ISLAST = 0
        w.put(0, 2)  # MNIBBLES = 4
        w.put(mlen, 16)
        w.put(1, 1)  # ISUNCOMPRESSED
        w.align()
        w.out += chunk
    w.put(1, 1)  # ISLAST
    w.put(1, 1)  # ISLASTEMPTY
    w.align()
    return bytes(w.out)


def encode_body(data, codings):
    """Applies Content-Encoding codings in order ("gzip", "deflate",
    "deflate-raw", "br"); returns the bytes and the header value."""
    names = []
    for c in codings:
        if c == "gzip":
            data = gzip_raw(data)
            names.append("gzip")
        elif c == "x-gzip":
            data = gzip_raw(data)
            names.append("x-gzip")
        elif c == "deflate":
            data = deflate_zlib(data)
            names.append("deflate")
        elif c == "deflate-raw":
            data = deflate_raw(data)
            names.append("deflate")
        elif c == "br":
            data = brotli_stored(data)
            names.append("br")
        else:
            raise ValueError(c)
    return data, ", ".join(names)


# ---------------------------------------------------------------- HPACK / HTTP/2

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

# RFC 7541 Appendix A (the entries a client request uses).
STATIC = [
    (":authority", ""), (":method", "GET"), (":method", "POST"), (":path", "/"), (":path", "/index.html"),
    (":scheme", "http"), (":scheme", "https"), (":status", "200"), (":status", "204"), (":status", "206"),
    (":status", "304"), (":status", "400"), (":status", "404"), (":status", "500"), ("accept-charset", ""),
    ("accept-encoding", "gzip, deflate"), ("accept-language", ""), ("accept-ranges", ""), ("accept", ""),
    ("access-control-allow-origin", ""), ("age", ""), ("allow", ""), ("authorization", ""), ("cache-control", ""),
    ("content-disposition", ""), ("content-encoding", ""), ("content-language", ""), ("content-length", ""),
    ("content-location", ""), ("content-range", ""), ("content-type", ""), ("cookie", ""), ("date", ""),
    ("etag", ""), ("expect", ""), ("expires", ""), ("from", ""), ("host", ""), ("if-match", ""),
    ("if-modified-since", ""), ("if-none-match", ""), ("if-range", ""), ("if-unmodified-since", ""),
    ("last-modified", ""), ("link", ""), ("location", ""), ("max-forwards", ""), ("proxy-authenticate", ""),
    ("proxy-authorization", ""), ("range", ""), ("referer", ""), ("refresh", ""), ("retry-after", ""),
    ("server", ""), ("set-cookie", ""), ("strict-transport-security", ""), ("transfer-encoding", ""),
    ("user-agent", ""), ("vary", ""), ("via", ""), ("www-authenticate", ""),
]
STATIC_FULL = {pair: i + 1 for i, pair in enumerate(STATIC) if pair[1]}
STATIC_NAME = {}
for _i, (_n, _v) in enumerate(STATIC):
    STATIC_NAME.setdefault(_n, _i + 1)


def hpack_int(value, prefix_bits, first_byte_flags):
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([first_byte_flags | value])
    out = bytearray([first_byte_flags | limit])
    value -= limit
    while value >= 128:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def hpack_str(s):
    b = s.encode("utf-8") if isinstance(s, str) else s
    return hpack_int(len(b), 7, 0x00) + b


class HpackEncoder:
    """Static-table indexing, literal headers with incremental indexing into
    a dynamic table (so a later request on the connection refers back by
    index, as browsers and nghttp2 do), no Huffman coding (allowed, rarer)."""

    def __init__(self):
        self.dynamic = []  # newest first

    def _dyn_index(self, name, value):
        for i, (n, v) in enumerate(self.dynamic):
            if n == name and v == value:
                return len(STATIC) + 1 + i
        return None

    def encode(self, headers, index=True):
        out = bytearray()
        for name, value in headers:
            full = STATIC_FULL.get((name, value)) or self._dyn_index(name, value)
            if full:
                out += hpack_int(full, 7, 0x80)
                continue
            name_idx = STATIC_NAME.get(name, 0)
            never = name in ("authorization", "cookie") and not index
            if index and not never and len(value) < 512:
                out += hpack_int(name_idx, 6, 0x40)
                self.dynamic.insert(0, (name, value))
                # Keep the table under 4096 octets as RFC 7541 4.1 counts them.
                while sum(len(n) + len(v) + 32 for n, v in self.dynamic) > 4096:
                    self.dynamic.pop()
            else:
                out += hpack_int(name_idx, 4, 0x10 if never else 0x00)
            if name_idx == 0:
                out += hpack_str(name)
            out += hpack_str(value)
        return bytes(out)


DATA, HEADERS, SETTINGS, WINDOW_UPDATE, CONTINUATION, PING = 0x0, 0x1, 0x4, 0x8, 0x9, 0x6
END_STREAM, END_HEADERS, PADDED = 0x1, 0x4, 0x8


def frame(ftype, flags, stream, payload):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + struct.pack(">I", stream) + payload


def client_settings(rng):
    """A client's first SETTINGS, as curl, nghttp2, Go and grpc-core send them."""
    style = rng.choice(["curl", "chrome", "go", "grpc"])
    if style == "curl":
        s = [(3, 100), (4, 10485760), (2, 0)]
    elif style == "chrome":
        s = [(1, 65536), (2, 0), (4, 6291456), (6, 262144)]
    elif style == "go":
        s = [(2, 0), (4, 4194304), (6, 10485760)]
    else:
        s = [(2, 0), (4, 4194304), (6, 8192), (0xFE03, 1)]
    return frame(SETTINGS, 0, 0, b"".join(struct.pack(">HI", k, v) for k, v in s))


def h2_request(rng, headers, body=b"", stream=1, encoder=None, split_headers=0, pad=0, data_chunk=16384):
    """HEADERS (+CONTINUATION when split_headers > 0, cut into that many
    extra pieces) and DATA frames of one request stream."""
    encoder = encoder or HpackEncoder()
    block = encoder.encode(headers)
    out = bytearray()
    flags = 0 if body else END_STREAM
    if split_headers > 0 and len(block) > split_headers + 1:
        cuts = sorted(rng.sample(range(1, len(block)), split_headers))
        pieces = [block[a:b] for a, b in zip([0] + cuts, cuts + [len(block)])]
        out += frame(HEADERS, flags, stream, pieces[0])
        for i, p in enumerate(pieces[1:]):
            out += frame(CONTINUATION, END_HEADERS if i == len(pieces) - 2 else 0, stream, p)
    else:
        out += frame(HEADERS, flags | END_HEADERS, stream, block)
    if body:
        chunks = [body[i:i + data_chunk] for i in range(0, len(body), data_chunk)]
        for i, c in enumerate(chunks):
            f = END_STREAM if i == len(chunks) - 1 else 0
            if pad:
                out += frame(DATA, f | PADDED, stream, bytes([pad]) + c + b"\x00" * pad)
            else:
                out += frame(DATA, f, stream, c)
    return bytes(out)


def h2_connection(rng, requests):
    """Client bytes of an h2c prior-knowledge connection: preface, SETTINGS,
    a connection WINDOW_UPDATE, then each (headers, body, opts) on streams
    1, 3, 5 ... sharing one HPACK context."""
    enc = HpackEncoder()
    out = bytearray(PREFACE) + client_settings(rng)
    if rng.random() < 0.6:
        out += frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", rng.choice([1048576, 15663105, 983041])))
    for i, (headers, body, opts) in enumerate(requests):
        out += h2_request(rng, headers, body, stream=1 + 2 * i, encoder=enc, **opts)
    return bytes(out)


# ---------------------------------------------------------------- protobuf / gRPC


def varint(n):
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def pb(fields):
    """fields: list of (number, value): int -> varint, float -> fixed64
    double, str -> UTF-8 string, bytes -> bytes, list -> nested message,
    ("fixed32", n) -> fixed32."""
    out = bytearray()
    for num, v in fields:
        if isinstance(v, bool):
            out += varint(num << 3) + varint(int(v))
        elif isinstance(v, int):
            out += varint(num << 3) + varint(v)
        elif isinstance(v, float):
            out += varint((num << 3) | 1) + struct.pack("<d", v)
        elif isinstance(v, tuple) and v[0] == "fixed32":
            out += varint((num << 3) | 5) + struct.pack("<I", v[1])
        else:
            if isinstance(v, str):
                b = v.encode("utf-8")
            elif isinstance(v, list):
                b = pb(v)
            else:
                b = v
            out += varint((num << 3) | 2) + varint(len(b)) + b
    return bytes(out)


def grpc_message(msg, compressed=False):
    if compressed:
        msg = gzip_raw(msg)
    return bytes([1 if compressed else 0]) + struct.pack(">I", len(msg)) + msg


def grpc_web_text(body):
    return base64.b64encode(body).decode("ascii")


# ---------------------------------------------------------------- WebSocket


def ws_frame(payload, opcode, mask, fin=True, rsv1=False):
    b0 = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode
    n = len(payload)
    if n < 126:
        head = bytes([b0, 0x80 | n])
    elif n <= 0xFFFF:
        head = bytes([b0, 0x80 | 126]) + struct.pack(">H", n)
    else:
        head = bytes([b0, 0x80 | 127]) + struct.pack(">Q", n)
    masked = bytes(c ^ mask[i % 4] for i, c in enumerate(payload))
    return head + bytes(mask) + masked


class WsDeflate:
    """permessage-deflate sender (RFC 7692) with context takeover unless
    no_context_takeover: one raw deflate stream, each message flushed with
    Z_SYNC_FLUSH and its trailing 00 00 ff ff removed."""

    def __init__(self, no_context_takeover=False):
        self.no_ctx = no_context_takeover
        self.c = None

    def compress(self, data):
        if self.c is None or self.no_ctx:
            self.c = zlib.compressobj(6, zlib.DEFLATED, -15)
        out = self.c.compress(data) + self.c.flush(zlib.Z_SYNC_FLUSH)
        assert out.endswith(b"\x00\x00\xff\xff")
        return out[:-4]


def ws_stream(rng, messages, deflate=None, fragment=0.0, pings=0.0):
    """Client frames for a list of (opcode, payload bytes) messages."""
    out = bytearray()
    for opcode, payload in messages:
        if pings and rng.random() < pings:
            out += ws_frame(b"", 0x9, [rng.randrange(256) for _ in range(4)])
        rsv1 = False
        if deflate is not None:
            payload = deflate.compress(payload)
            rsv1 = True
        if fragment and len(payload) > 8 and rng.random() < fragment:
            n = rng.randrange(2, 5)
            cuts = sorted(rng.sample(range(1, len(payload)), min(n - 1, len(payload) - 1)))
            pieces = [payload[a:b] for a, b in zip([0] + cuts, cuts + [len(payload)])]
            for i, p in enumerate(pieces):
                out += ws_frame(p, opcode if i == 0 else 0x0, [rng.randrange(256) for _ in range(4)],
                                fin=i == len(pieces) - 1, rsv1=rsv1 and i == 0)
                if pings and i == 0 and rng.random() < 0.3:
                    out += ws_frame(b"keepalive", 0x9, [rng.randrange(256) for _ in range(4)])
        else:
            out += ws_frame(payload, opcode, [rng.randrange(256) for _ in range(4)], rsv1=rsv1)
    return bytes(out)
