#!/usr/bin/python3
"""Generates the TCP-reassembly and IP-defragmentation evasion cases of issue 4:
tests/replay/{tcp_*,frag_*}/input.pcap and expect.yaml.

The rule every expectation follows: a byte reaches the server only after Weir
inspected it, in the order the server (Linux) will read it. The expectations
are written here by hand next to the frames they talk about (`forward=False`
marks a frame that must not come out; `stream` is the exact byte stream the
inspection must see) -- they are the specification, not a record of what the
binary does. Deterministic: re-running rewrites identical files.

Run: /usr/bin/python3 tests/replay/gen_evasion_captures.py [case ...]
"""
import os
import struct
import sys

import yaml
from scapy.all import IP, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, TCP, Ether, Raw, conf

conf.verb = 0
HERE = os.path.dirname(os.path.abspath(__file__))

MAC_C, MAC_S = '02:00:c6:12:00:01', '02:00:c6:12:00:02'
IP4_C, IP4_S = '198.18.0.1', '198.18.0.2'
IP6_C, IP6_S = '2001:2::1', '2001:2::2'
CPORT, SPORT = 40000, 80
# 41 bytes: long enough to cut into segments and fragments at 8-byte multiples.
REQUEST = b'GET /account?id=7 HTTP/1.1\r\nHost: lab\r\n\r\n'
assert len(REQUEST) == 41
REPLY = b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'


def pad(raw):
    return raw + b'\0' * (60 - len(raw)) if len(raw) < 60 else raw


def stream_name(cip, cport, sip, sport, direction):
    return f'{cip}_{cport}-{sip}_{sport}.{direction}'


class Capture:
    """Frames in wire order plus the input indices that must be forwarded."""

    def __init__(self):
        self.frames = []
        self.forward = []
        self.times = []        # microseconds since the first frame; 1 ms apart unless advance() says more
        self.next_time = 0

    def advance(self, us):
        self.next_time += us

    def add(self, frame, forward=True):
        self.times.append(self.next_time)
        self.next_time += 1000
        self.frames.append(pad(bytes(frame)))
        if forward:
            self.forward.append(len(self.frames) - 1)
        return len(self.frames) - 1


class Conn:
    """One TCP connection; client data offsets are relative to ISN+1."""

    def __init__(self, cap, v6=False, cip=None, sip=None, cport=CPORT, sport=SPORT,
                 c_isn=1000, s_isn=5000, s_window=65160, timestamps=False):
        self.cap, self.v6 = cap, v6
        # timestamps: every segment carries TSopt; each side's TSval grows by one per segment it sends.
        self.timestamps, self.c_ts, self.s_ts = timestamps, 100000, 900000
        self.cip = cip or (IP6_C if v6 else IP4_C)
        self.sip = sip or (IP6_S if v6 else IP4_S)
        self.cport, self.sport = cport, sport
        self.c_isn, self.s_isn, self.s_window = c_isn, s_isn, s_window
        self.c_ack_seen = s_isn + 1   # what the client acknowledges
        self.s_ack = c_isn + 1        # what the server acknowledges

    def ip(self, src, dst, ttl=64):
        return IPv6(src=src, dst=dst, hlim=ttl) if self.v6 else IP(src=src, dst=dst, ttl=ttl, id=1)

    def client(self, flags, off=0, data=b'', ttl=64, chksum=None, forward=True, seq=None, options=None,
               tsval=None):
        s = (self.c_isn + 1 + off) & 0xffffffff if seq is None else seq
        if self.timestamps:
            self.c_ts += 1
            options = (options or []) + [('Timestamp', (self.c_ts if tsval is None else tsval, self.s_ts))]
        tcp = TCP(sport=self.cport, dport=self.sport, flags=flags, seq=s,
                  ack=self.c_ack_seen & 0xffffffff if 'A' in flags else 0, window=64240,
                  options=options or [])
        if chksum is not None:
            tcp.chksum = chksum
        f = Ether(src=MAC_C, dst=MAC_S) / self.ip(self.cip, self.sip, ttl) / tcp / Raw(data)
        return self.cap.add(f, forward)

    def server(self, flags, off=0, data=b'', forward=True, ack_off=None, seq=None, options=None, window=None):
        s = (self.s_isn + 1 + off) & 0xffffffff if seq is None else seq
        if self.timestamps:
            self.s_ts += 1
            options = (options or []) + [('Timestamp', (self.s_ts, self.c_ts))]
        ack = self.s_ack if ack_off is None else self.c_isn + 1 + ack_off
        f = (Ether(src=MAC_S, dst=MAC_C) / self.ip(self.sip, self.cip) /
             TCP(sport=self.sport, dport=self.cport, flags=flags, seq=s, ack=ack & 0xffffffff,
                 window=self.s_window if window is None else window, options=options or []) / Raw(data))
        return self.cap.add(f, forward)

    def handshake(self, c_opts=None, s_opts=None, s_syn_window=None):
        self.client('S', seq=self.c_isn, options=c_opts)
        self.server('SA', seq=self.s_isn, ack_off=0, options=s_opts, window=s_syn_window)
        self.client('A')

    def ack_client(self, upto):
        """Server ACKs client data up to offset `upto`."""
        self.s_ack = self.c_isn + 1 + upto
        self.server('A', ack_off=upto)

    def finish(self, c_len, reply=REPLY):
        """Server ACKs c_len request bytes, replies, both sides close."""
        self.ack_client(c_len)
        self.server('PA', 0, reply)
        self.c_ack_seen = self.s_isn + 1 + len(reply)
        self.client('A', c_len)
        self.client('FA', c_len)
        self.s_ack = self.c_isn + 1 + c_len + 1
        self.server('FA', len(reply), ack_off=c_len + 1)
        self.c_ack_seen += 1
        self.client('A', c_len + 1)

    def req_name(self):
        return stream_name(self.cip, self.cport, self.sip, self.sport, 'req')

    def resp_name(self):
        return stream_name(self.cip, self.cport, self.sip, self.sport, 'resp')


def tcp_case(doc, build, counters, config=None, full=True):
    """Runs build(conn, cap) on a fresh IPv4 connection; returns (frames, expect)."""
    cap = Capture()
    conn = Conn(cap)
    conn.handshake()
    stream = build(conn, cap)
    if full:
        conn.finish(len(REQUEST))
    streams = {conn.req_name(): stream}
    if full:
        streams[conn.resp_name()] = REPLY
    return cap, expect(doc, cap, streams, counters, config)


def expect(doc, cap, streams, counters, config=None, config_file=None):
    e = {'doc': doc}
    if config_file:
        e['config_file'] = config_file
    if config:
        e['config'] = config
    e['forward'] = 'all' if cap.forward == list(range(len(cap.frames))) else cap.forward
    e['streams'] = {k: v.decode('latin-1') for k, v in streams.items()}
    e['counters'] = counters
    return e


def seg(off, n):
    return REQUEST[off:off + n]


# ---------------------------------------------------------------- TCP cases

def one_byte_segments():
    def b(conn, cap):
        for i in range(len(REQUEST)):
            conn.client('PA', i, seg(i, 1))
        return REQUEST
    return tcp_case('The request in 41 one-byte segments: all forwarded, the stream is the request (in_order: 41 + the '
                    'reply + a FIN each way).', b,
                    {'tcp_in_order': 44, 'segment_findings': 0, 'tcp_overlap_mismatch': 0})


def one_byte_reverse():
    def b(conn, cap):
        for i in reversed(range(len(REQUEST))):
            conn.client('PA', i, seg(i, 1))
        return REQUEST
    return tcp_case('The request in 41 one-byte segments, last byte first: 40 stored out of order, the first '
                    'byte fills the gap, the stream is the request.', b,
                    {'tcp_out_of_order': 40, 'segment_findings': 0, 'tcp_overlap_mismatch': 0})


def out_of_order():
    def b(conn, cap):
        conn.client('PA', 30, seg(30, 11))   # third
        conn.client('PA', 10, seg(10, 20))   # second
        conn.client('PA', 0, seg(0, 10))     # first: fills the gap, all 41 bytes go to inspection in order
        return REQUEST
    return tcp_case('Request segments sent 3,2,1: stored, forwarded, delivered in sequence order once the gap '
                    'is filled.', b, {'tcp_out_of_order': 2, 'segment_findings': 0})


def retransmission_same():
    def b(conn, cap):
        conn.client('PA', 0, seg(0, 16))
        conn.client('PA', 16, seg(16, 25))
        conn.client('PA', 0, seg(0, 16))     # exact retransmission
        conn.client('PA', 8, seg(8, 20))     # spans both segments, same bytes
        return REQUEST
    return tcp_case('Retransmissions with the same bytes (exact, and spanning two segments): forwarded, the '
                    'stream holds each byte once.', b,
                    {'tcp_retransmission': 2, 'tcp_overlap_mismatch': 0, 'segment_findings': 0})


def evil(n):
    return b'Z' * n


def overlap_inorder(where):
    # O = [10,20) is the last inspected segment; X overlaps it with other bytes.
    x = {'start': (10, 4), 'middle': (13, 4), 'end': (16, 8)}[where]

    def b(conn, cap):
        conn.client('PA', 0, seg(0, 10))
        conn.client('PA', 10, seg(10, 10))
        conn.client('PA', x[0], evil(x[1]), forward=False)
        conn.client('PA', 20, seg(20, 21))
        return REQUEST
    return tcp_case(f'A segment with different bytes overlapping the {where} of an inspected segment arrives after '
                    f'it: dropped and alerted, the stream keeps the first bytes.', b,
                    {'tcp_overlap_mismatch': 1, 'segment_findings': 1})


def overlap_ooo(where):
    # S1 = [0,10) inspected; O = [15,25) stored out of order; X overlaps O with other bytes
    # before the gap is filled; the first bytes (O's) win.
    x = {'start': (10, 8), 'middle': (17, 5), 'end': (22, 8)}[where]

    def b(conn, cap):
        conn.client('PA', 0, seg(0, 10))
        conn.client('PA', 15, seg(15, 10))
        conn.client('PA', x[0], evil(x[1]), forward=False)
        conn.client('PA', 10, seg(10, 5))
        conn.client('PA', 25, seg(25, 16))
        return REQUEST
    return tcp_case(f'A segment with different bytes overlapping the {where} of a stored out-of-order segment '
                    f'(before the gap is filled): dropped and alerted, the stored bytes win.', b,
                    {'tcp_overlap_mismatch': 1, 'segment_findings': 1, 'tcp_out_of_order': 1})


def bad_checksum_decoy():
    def b(conn, cap):
        conn.client('PA', 0, seg(0, 10))
        conn.client('PA', 10, evil(10), chksum=0x1234, forward=False)   # the server discards it
        conn.client('PA', 10, seg(10, 31))
        return REQUEST
    return tcp_case('A decoy with a bad TCP checksum and other bytes, then the real segment: the decoy is neither '
                    'inspected nor forwarded.', b,
                    {'tcp_bad_checksum': 1, 'tcp_overlap_mismatch': 0, 'segment_findings': 1})


def low_ttl_decoy(v6=False):
    cap = Capture()
    conn = Conn(cap, v6=v6)
    conn.handshake()
    conn.client('PA', 0, seg(0, 10))
    conn.client('PA', 10, evil(10), ttl=3, forward=False)   # expires before the server
    conn.client('PA', 10, seg(10, 31))
    conn.finish(len(REQUEST))
    what = 'hop limit' if v6 else 'TTL'
    return cap, expect(f'A decoy with {what} 3 (stream.min_ttl 10, in case.yaml) and other bytes, then the real '
                       f'segment: the decoy is neither inspected nor forwarded.', cap,
                       {conn.req_name(): REQUEST, conn.resp_name(): REPLY},
                       {'tcp_ttl_expires': 1, 'tcp_overlap_mismatch': 0, 'segment_findings': 1},
                       config='case.yaml', config_file={'stream': {'min_ttl': 10}})


def beyond_window():
    # The server offers a 64-byte window (no window scaling: no options in the SYNs).
    cap = Capture()
    conn = Conn(cap, s_window=64)
    conn.handshake()
    conn.client('PA', 100, evil(10), forward=False)   # [100,110): past ACK + 64
    conn.client('PA', 0, REQUEST)
    conn.finish(len(REQUEST))
    return cap, expect('Data wholly beyond the receiver window: dropped and alerted; '
                       'the request in the window is forwarded.', cap,
                       {conn.req_name(): REQUEST, conn.resp_name(): REPLY},
                       {'tcp_out_of_window': 1, 'segment_findings': 1})


def beyond_window_scaled():
    # Client shift 7, server shift 1: the server's window 32 means 64 bytes (its own shift, not the client's:
    # with the client's it would be 4096). The SYN-ACK window is never scaled.
    cap = Capture()
    conn = Conn(cap, s_window=32)
    conn.handshake(c_opts=[('MSS', 1460), ('NOP', None), ('WScale', 7)], s_opts=[('MSS', 1460), ('NOP', None), ('WScale', 1)],
                   s_syn_window=64)
    conn.server('A', ack_off=0)                        # window update: 32 << 1 = 64
    conn.client('PA', 100, evil(10), forward=False)    # [100,110): past ACK + 64
    conn.client('PA', 0, REQUEST)
    conn.finish(len(REQUEST))
    return cap, expect('Window scaling (client shift 7, server shift 1, server window 32 = 64 bytes): data wholly '
                       'beyond the server window is dropped and alerted; the request in the window is forwarded.', cap,
                       {conn.req_name(): REQUEST, conn.resp_name(): REPLY},
                       {'tcp_out_of_window': 1, 'segment_findings': 1})


def paws_decoy():
    cap = Capture()
    conn = Conn(cap, timestamps=True)
    conn.handshake()
    conn.client('PA', 0, seg(0, 10))
    conn.client('PA', 10, evil(10), tsval=50000, forward=False)   # older TSval: PAWS, the server discards it
    conn.client('PA', 10, seg(10, 31))
    conn.finish(len(REQUEST))
    return cap, expect('Both SYNs negotiate timestamps; a decoy with an old TSval and other bytes, then the real '
                       'segment: the decoy fails PAWS at the server, so it is neither inspected nor forwarded.', cap,
                       {conn.req_name(): REQUEST, conn.resp_name(): REPLY},
                       {'tcp_paws': 1, 'tcp_overlap_mismatch': 0, 'segment_findings': 1})


def data_after_fin():
    cap = Capture()
    conn = Conn(cap)
    conn.handshake()
    n = len(REQUEST)
    conn.client('PA', 0, REQUEST)
    conn.client('FA', n)
    conn.client('PA', n, evil(8), forward=False)        # at the FIN's position
    conn.client('PA', n + 1, evil(8), forward=False)    # past the FIN
    conn.s_ack = conn.c_isn + 1 + n + 1
    conn.server('PA', 0, REPLY, ack_off=n + 1)
    conn.server('FA', len(REPLY), ack_off=n + 1)
    conn.c_ack_seen = conn.s_isn + 1 + len(REPLY) + 1
    conn.client('A', n + 1)
    return cap, expect('Data after the client FIN (at and past the FIN sequence): dropped and alerted, the stream '
                       'ends with the request.', cap,
                       {conn.req_name(): REQUEST, conn.resp_name(): REPLY},
                       {'tcp_after_fin': 2, 'segment_findings': 2})


def sequence_wrap():
    cap = Capture()
    conn = Conn(cap, c_isn=0xffffffee, s_isn=0xfffffffa)   # both directions wrap within the exchange
    conn.handshake()
    conn.client('PA', 0, seg(0, 10))
    conn.client('PA', 20, seg(20, 21))                 # out of order across 2^32
    conn.client('PA', 10, seg(10, 10))
    conn.client('PA', 5, seg(5, 10))                   # identical retransmission across the wrap
    conn.client('PA', 14, evil(6), forward=False)      # different bytes across the wrap (offset 17 is 2^32)
    conn.finish(len(REQUEST))
    return cap, expect('Client ISN 2^32-18, server ISN 2^32-6: both streams wrap; out-of-order, retransmission and '
                       'overlap handling hold across the wrap.', cap,
                       {conn.req_name(): REQUEST, conn.resp_name(): REPLY},
                       {'tcp_out_of_order': 1, 'tcp_retransmission': 1, 'tcp_overlap_mismatch': 1,
                        'segment_findings': 1})


def rst_right_seq():
    cap = Capture()
    conn = Conn(cap)
    conn.handshake()
    conn.client('PA', 0, seg(0, 20))
    conn.ack_client(20)
    conn.client('RA', 20)                               # exact: RCV.NXT of the server
    conn.client('PA', 20, seg(20, 21), forward=False)   # the server has no connection any more
    return cap, expect('Mid-stream RST with the exact sequence number: forwarded and accepted; data after it is '
                       'not forwarded.', cap,
                       {conn.req_name(): REQUEST[:20]},
                       {'tcp_rst_accepted': 1, 'tcp_after_rst': 1, 'tcp_invalid_rst': 0, 'segment_findings': 0})


def rst_wrong_seq():
    cap = Capture()
    conn = Conn(cap)
    conn.handshake()
    conn.client('PA', 0, seg(0, 20))
    conn.ack_client(20)
    conn.client('RA', 21, forward=False)      # in window but not exact: Linux answers a challenge ACK
    conn.client('R', 1020, forward=False)     # further in the window
    conn.server('RA', -1, forward=False, ack_off=20)  # forged from the server side, seq one before RCV.NXT
    conn.client('PA', 20, seg(20, 21))
    conn.finish(len(REQUEST))
    return cap, expect('RSTs with wrong (in-window, inexact) sequence numbers from both sides: dropped and alerted; '
                       'Weir keeps the flow and inspects the rest of the request.', cap,
                       {conn.req_name(): REQUEST, conn.resp_name(): REPLY},
                       {'tcp_invalid_rst': 3, 'tcp_rst_accepted': 0, 'segment_findings': 3})


def rst_server_right_seq():
    cap = Capture()
    conn = Conn(cap)
    conn.handshake()
    conn.client('PA', 0, seg(0, 20))
    conn.ack_client(20)
    conn.server('RA', 0, ack_off=20)                    # exact: the client's RCV.NXT
    conn.client('PA', 20, seg(20, 21), forward=False)   # the connection is gone at both ends
    return cap, expect('Mid-stream RST from the server with the exact sequence number: forwarded and accepted; '
                       'client data after it is not forwarded.', cap,
                       {conn.req_name(): REQUEST[:20]},
                       {'tcp_rst_accepted': 1, 'tcp_after_rst': 1, 'tcp_invalid_rst': 0, 'segment_findings': 0})


def rst_syn_sent():
    cap = Capture()
    conn = Conn(cap)
    conn.client('S', seq=conn.c_isn)
    conn.server('RA', seq=0, ack_off=4, forward=False)   # blind RST: ACK is not ISN+1, Linux ignores it
    conn.server('SA', seq=conn.s_isn, ack_off=0)
    conn.client('A')
    conn.client('PA', 0, REQUEST)
    conn.finish(len(REQUEST))
    return cap, expect('A blind RST during the handshake (ACK not the SYN ISN + 1): dropped and alerted; the '
                       'handshake completes and the request is inspected.', cap,
                       {conn.req_name(): REQUEST, conn.resp_name(): REPLY},
                       {'tcp_invalid_rst': 1, 'tcp_rst_accepted': 0, 'segment_findings': 1})


def syn_flood():
    cap = Capture()
    flood = 500
    for i in range(flood):
        src = f'198.19.{i // 250}.{i % 250 + 1}'
        cap.add(Ether(src=MAC_C, dst=MAC_S) / IP(src=src, dst=IP4_S, ttl=64, id=1) /
                TCP(sport=1024 + i, dport=SPORT, flags='S', seq=100000 + i, window=64240))
    conn = Conn(cap, cport=41000)
    conn.handshake()
    conn.client('PA', 0, REQUEST)
    conn.finish(len(REQUEST))
    return cap, expect('500 SYNs from different sources with flow.capacity 64, then a legitimate connection: the '
                       'flow table stays within its cap (oldest evicted), the legitimate flow is fully forwarded '
                       'and inspected.', cap,
                       {conn.req_name(): REQUEST, conn.resp_name(): REPLY},
                       {'flows_created': flood + 1, 'flows_evicted': '>= 437', 'flows_active': '<= 64',
                        'segment_findings': 0},
                       config={'flow': {'capacity': 64}})


def syn_flood_established():
    cap = Capture()
    flood = 500
    conn = Conn(cap, cport=41001)
    conn.handshake()
    conn.client('PA', 0, seg(0, 20))
    conn.ack_client(20)
    for i in range(flood):
        src = f'198.19.{i // 250}.{i % 250 + 1}'
        cap.add(Ether(src=MAC_C, dst=MAC_S) / IP(src=src, dst=IP4_S, ttl=64, id=1) /
                TCP(sport=1024 + i, dport=SPORT, flags='S', seq=100000 + i, window=64240))
    conn.client('PA', 20, seg(20, 21))
    conn.finish(len(REQUEST))
    return cap, expect('An established connection sends half its request, 500 SYNs from different sources follow '
                       '(flow.capacity 64), then the rest: half-open flows are evicted, not the established one '
                       '(its state, and the inspection context, survive: one flow created for it, not two).', cap,
                       {conn.req_name(): REQUEST, conn.resp_name(): REPLY},
                       {'flows_created': flood + 1, 'flows_evicted': '>= 437', 'flows_active': '<= 64',
                        'segment_findings': 0},
                       config={'flow': {'capacity': 64}})


def frag_overlap_identical(v6):
    def b(conn, p):
        fragment(conn, p, 0, 32, True)
        fragment(conn, p, 24, 48, True)    # [24,32) again, same bytes
        fragment(conn, p, 40, 61, False)   # [40,48) again, same bytes
    return frag_case(v6, 'Fragments overlapping with identical bytes: every position has one value, the datagram '
                     'is inspected and the originals forwarded.', b,
                     {'frag_overlap_identical': 2, 'frag_complete': 1, 'datagrams_reassembled': 1,
                      'fragment_findings': 0})


# ---------------------------------------------------------------- fragment cases

def tcp_bytes(conn, off, data):
    """The TCP segment (header + data, checksum over the whole) a fragment set carries."""
    ip = IPv6(src=conn.cip, dst=conn.sip) if conn.v6 else IP(src=conn.cip, dst=conn.sip)
    pkt = ip / TCP(sport=conn.cport, dport=conn.sport, flags='PA', seq=conn.c_isn + 1 + off,
                   ack=conn.c_ack_seen, window=64240) / Raw(data)
    raw = bytes(pkt)
    return raw[40:] if conn.v6 else raw[20:]


def fragment(conn, payload, start, end, more, ident=0x4242, forward=True, dstopts=False, ttl=64):
    """One fragment holding payload[start:end] (start a multiple of 8); dstopts: a Destination
    Options header before the Fragment header (IPv6)."""
    piece = payload[start:end]
    if conn.v6:
        ip = IPv6(src=conn.cip, dst=conn.sip, hlim=ttl)
        if dstopts:
            ip = ip / IPv6ExtHdrDestOpt()
        f = (Ether(src=MAC_C, dst=MAC_S) / ip /
             IPv6ExtHdrFragment(nh=6, offset=start // 8, m=int(more), id=ident) / Raw(piece))
    else:
        f = (Ether(src=MAC_C, dst=MAC_S) /
             IP(src=conn.cip, dst=conn.sip, ttl=ttl, id=ident, proto=6, flags='MF' if more else 0,
                frag=start // 8) / Raw(piece))
    return conn.cap.add(f, forward)


def frag_case(v6, doc, build, counters, whole=True, config=None):
    """whole: build() gets the request as one TCP segment (20 + 41 = 61 bytes) to fragment."""
    cap = Capture()
    conn = Conn(cap, v6=v6)
    conn.handshake()
    seg_bytes = tcp_bytes(conn, 0, REQUEST)
    assert len(seg_bytes) == 61
    build(conn, seg_bytes if whole else None)
    conn.finish(len(REQUEST))
    return cap, expect(doc, cap, {conn.req_name(): REQUEST, conn.resp_name(): REPLY}, counters, config)


def frag_out_of_order(v6):
    def b(conn, p):
        fragment(conn, p, 48, 61, False)
        fragment(conn, p, 24, 48, True)
        fragment(conn, p, 0, 24, True)
    return frag_case(v6, 'The request segment in three fragments sent last first: held until complete, the '
                     'datagram inspected, the originals forwarded in arrival order.', b,
                     {'frag_complete': 1, 'datagrams_reassembled': 1, 'fragment_findings': 0})


def frag_after_dstopts():
    def b(conn, p):
        fragment(conn, p, 48, 61, False, dstopts=True)
        fragment(conn, p, 0, 24, True, dstopts=True)
        fragment(conn, p, 24, 48, True, dstopts=True)
    return frag_case(True, 'IPv6 fragments with the Fragment header after a Destination Options header, out of '
                     'order: reassembled, inspected, the originals forwarded.', b,
                     {'frag_complete': 1, 'datagrams_reassembled': 1, 'fragment_findings': 0})


def frag_tcp_overlap(v6):
    def b(conn, p):
        conn.client('PA', 0, seg(0, 20))       # not yet acknowledged: [10,20) is still compared
        forged = tcp_bytes(conn, 10, evil(31))   # [10,41): overlaps inspected [10,20) with other bytes
        fragment(conn, forged, 0, 24, True, forward=False)
        fragment(conn, forged, 24, 51, False, forward=False)
        conn.client('PA', 20, seg(20, 21))
    return frag_case(v6, 'A fragmented TCP segment that overlaps inspected stream bytes with other bytes: the '
                     'datagram is reassembled, the stream drops it (overlap), so none of its fragments is '
                     'forwarded; the stream keeps the first bytes.', b,
                     {'frag_complete': 1, 'datagrams_reassembled': 1, 'fragment_findings': 0,
                      'tcp_overlap_mismatch': 1, 'segment_findings': 1}, whole=False)


def frag_tcp_decoy(v6, kind):
    def b(conn, p):
        conn.client('PA', 0, seg(0, 10))
        forged = bytearray(tcp_bytes(conn, 10, evil(31)))   # [10,41) with other bytes
        if kind == 'checksum':
            forged[16] ^= 0xff                                # TCP checksum wrong
        ttl = 3 if kind == 'ttl' else 64
        fragment(conn, bytes(forged), 0, 24, True, forward=False, ttl=ttl)
        fragment(conn, bytes(forged), 24, 51, False, forward=False, ttl=ttl)
        conn.client('PA', 10, seg(10, 31))
    what = {'checksum': 'a bad TCP checksum', 'ttl': 'TTL/hop limit 3 (stream.min_ttl 10)'}[kind]
    counters = {'checksum': {'tcp_bad_checksum': 1}, 'ttl': {'tcp_ttl_expires': 1}}[kind]
    counters.update({'frag_complete': 1, 'datagrams_reassembled': 1, 'tcp_overlap_mismatch': 0,
                     'segment_findings': 1})
    return frag_case(v6, f'A fragmented decoy TCP segment with {what} and other bytes, then the real segment: '
                       f'the server would discard the decoy, so it is neither inspected nor forwarded (no '
                     f'fragment of it).', b, counters, whole=False,
                     config={'stream': {'min_ttl': 10}} if kind == 'ttl' else None)


def frag_too_many(v6):
    def b(conn, p):
        cuts = [0, 24, 32, 40, 48, 56, 61]             # 6 fragments, defrag.max_fragments 4
        for a, z in zip(cuts, cuts[1:]):
            fragment(conn, p, a, z, z < 61, forward=False)
        conn.client('PA', 0, REQUEST)                  # the sender retransmits whole
    return frag_case(v6, 'A datagram in more fragments than defrag.max_fragments (4): dropped and alerted, no '
                     'fragment forwarded; the unfragmented retransmission passes.', b,
                     {'frag_too_many_fragments': 1, 'fragment_findings': 1, 'datagrams_reassembled': 0},
                     config={'defrag': {'max_fragments': 4}})


def frag_timeout(v6):
    def b(conn, p):
        fragment(conn, p, 0, 24, True, forward=False)
        conn.cap.advance(2000000)                       # 2 s later: past defrag.timeout_s 1
        fragment(conn, p, 24, 48, True, forward=False)  # these two never complete a datagram
        fragment(conn, p, 48, 61, False, forward=False)
        conn.client('PA', 0, REQUEST)                   # the sender retransmits whole
    return frag_case(v6, 'The first fragment, then the rest 2 s later (defrag.timeout_s 1): the incomplete '
                     'datagram times out and is dropped; the late fragments never complete one; nothing of it is '
                     'forwarded; the unfragmented retransmission passes.', b,
                     {'frag_timeout': 1, 'datagrams_reassembled': 0},
                     config={'defrag': {'timeout_s': 1}})


def frag_duplicate(v6):
    def b(conn, p):
        fragment(conn, p, 0, 24, True)
        fragment(conn, p, 24, 48, True)
        fragment(conn, p, 24, 48, True, forward=False)   # exact duplicate: the receiver discards it too
        fragment(conn, p, 48, 61, False)
    return frag_case(v6, 'A fragment sent twice: the duplicate is dropped, the datagram reassembled once and '
                     'forwarded.', b,
                     {'frag_duplicate': 1, 'frag_complete': 1, 'datagrams_reassembled': 1, 'fragment_findings': 0})


def frag_overlap(v6):
    def b(conn, p):
        evil_p = p[:32] + b'Z' * 16 + p[48:]
        fragment(conn, p, 0, 24, True, forward=False)
        fragment(conn, p, 24, 48, True, forward=False)
        fragment(conn, evil_p, 32, 61, False, forward=False)   # overlaps [32,48) with other bytes
        conn.client('PA', 0, REQUEST)                            # the sender retransmits whole
    return frag_case(v6, 'Overlapping fragments with different bytes: the whole datagram is dropped and alerted '
                     '(never inspected, never forwarded); the unfragmented retransmission passes.', b,
                     {'frag_overlap_mismatch': 1, 'fragment_findings': 1, 'datagrams_reassembled': 0})


def frag_tiny(v6):
    def b(conn, p):
        fragment(conn, p, 0, 8, True, forward=False)   # 8 bytes: ports and sequence only, no flags/offset
        fragment(conn, p, 8, 61, False, forward=False)   # offset 8 rewrites the TCP flags (RFC 1858)
        conn.client('PA', 0, REQUEST)
    return frag_case(v6, 'A tiny first fragment splitting the TCP header (8 of 20 bytes): rejected and alerted, '
                     'the datagram never inspected nor forwarded; the unfragmented retransmission passes.', b,
                     {'frag_tiny_first_fragment': 1, 'frag_tcp_header_overlap': 1, 'fragment_findings': 2,
                      'datagrams_reassembled': 0})


CASES = {
    'tcp_one_byte_segments': one_byte_segments,
    'tcp_one_byte_reverse': one_byte_reverse,
    'tcp_out_of_order': out_of_order,
    'tcp_retransmission_same': retransmission_same,
    'tcp_overlap_start_after': lambda: overlap_inorder('start'),
    'tcp_overlap_middle_after': lambda: overlap_inorder('middle'),
    'tcp_overlap_end_after': lambda: overlap_inorder('end'),
    'tcp_overlap_start_before': lambda: overlap_ooo('start'),
    'tcp_overlap_middle_before': lambda: overlap_ooo('middle'),
    'tcp_overlap_end_before': lambda: overlap_ooo('end'),
    'tcp_bad_checksum_decoy': bad_checksum_decoy,
    'tcp_low_ttl_decoy': low_ttl_decoy,
    'tcp_low_ttl_decoy_v6': lambda: low_ttl_decoy(True),
    'tcp_beyond_window': beyond_window,
    'tcp_beyond_window_scaled': beyond_window_scaled,
    'tcp_paws_decoy': paws_decoy,
    'tcp_data_after_fin': data_after_fin,
    'tcp_sequence_wrap': sequence_wrap,
    'tcp_rst_right_seq': rst_right_seq,
    'tcp_rst_wrong_seq': rst_wrong_seq,
    'tcp_rst_server_right_seq': rst_server_right_seq,
    'tcp_rst_syn_sent': rst_syn_sent,
    'tcp_syn_flood': syn_flood,
    'tcp_syn_flood_established': syn_flood_established,
    'frag_out_of_order_v4': lambda: frag_out_of_order(False),
    'frag_out_of_order_v6': lambda: frag_out_of_order(True),
    'frag_duplicate_v4': lambda: frag_duplicate(False),
    'frag_duplicate_v6': lambda: frag_duplicate(True),
    'frag_overlap_v4': lambda: frag_overlap(False),
    'frag_overlap_v6': lambda: frag_overlap(True),
    'frag_overlap_identical_v4': lambda: frag_overlap_identical(False),
    'frag_overlap_identical_v6': lambda: frag_overlap_identical(True),
    'frag_v6_after_dstopts': frag_after_dstopts,
    'frag_tcp_overlap_v4': lambda: frag_tcp_overlap(False),
    'frag_tcp_overlap_v6': lambda: frag_tcp_overlap(True),
    'frag_tcp_bad_checksum_v4': lambda: frag_tcp_decoy(False, 'checksum'),
    'frag_tcp_bad_checksum_v6': lambda: frag_tcp_decoy(True, 'checksum'),
    'frag_tcp_low_ttl_v4': lambda: frag_tcp_decoy(False, 'ttl'),
    'frag_tcp_low_ttl_v6': lambda: frag_tcp_decoy(True, 'ttl'),
    'frag_too_many_v4': lambda: frag_too_many(False),
    'frag_too_many_v6': lambda: frag_too_many(True),
    'frag_timeout_v4': lambda: frag_timeout(False),
    'frag_timeout_v6': lambda: frag_timeout(True),
    'frag_tiny_v4': lambda: frag_tiny(False),
    'frag_tiny_v6': lambda: frag_tiny(True),
}


def write(case, cap, exp, generator='gen_evasion_captures.py'):
    d = os.path.join(HERE, case)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'input.pcap'), 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for t, raw in zip(cap.times, cap.frames):
            f.write(struct.pack('<IIII', 1700000000 + t // 1000000, t % 1000000, len(raw), len(raw)))
            f.write(raw)
    doc = exp.pop('doc')
    config_file = exp.pop('config_file', None)
    if config_file:
        with open(os.path.join(d, exp['config']), 'w') as f:
            f.write('# Config overrides of this case (merged into configs/weir.yaml by replay_runner.py).\n')
            yaml.safe_dump(config_file, f, sort_keys=False)
    with open(os.path.join(d, 'expect.yaml'), 'w') as f:
        f.write('# ' + doc + f'\n# Written by {generator} (the expectations are specified there).\n')
        for key, value in exp.items():
            if key == 'forward':   # one line: 'all' or the list of input indices
                f.write(f'forward: {value if value == "all" else "[" + ", ".join(map(str, value)) + "]"}\n')
            else:
                f.write(yaml.safe_dump({key: value}, sort_keys=False, default_flow_style=False, width=10000))
    print(f'{case}: {len(cap.frames)} frames, forward {exp["forward"] if exp["forward"] == "all" else len(exp["forward"])}')


def main():
    only = set(sys.argv[1:])
    for case, gen in CASES.items():
        if not only or case in only:
            cap, exp = gen()
            write(case, cap, exp)


if __name__ == '__main__':
    main()
