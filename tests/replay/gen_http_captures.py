#!/usr/bin/python3
"""Generates the inline HTTP/1 inspection cases of issue 5:
tests/replay/http_*/input.pcap and expect.yaml.

Every case runs with the small fixed ruleset in tests/replay/http_rules (or
http_rules_monitor), not the default one. The rule the expectations follow:
the segment that completes a decision point (end of headers, end of body) is
held until the verdict; a blocked one never comes out, Weir resets both ends
(two RSTs it makes itself) and drops the rest of the flow. Bytes before the
decision point (an incomplete head) are forwarded: the server cannot act on
them. Deterministic: re-running rewrites identical files.

Run: /usr/bin/python3 tests/replay/gen_http_captures.py [case ...]
"""
import sys

from gen_evasion_captures import Capture, Conn, write

ATTACK = b'GET /search?q=1%20UNION%20SELECT%20password%20FROM%20users HTTP/1.1\r\nHost: lab\r\n\r\n'
BENIGN = b'GET /search?q=union%20station%20opening%20hours HTTP/1.1\r\nHost: lab\r\n\r\n'
REPLY = b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'


def expect(doc, cap, counters, resets, rules='../http_rules'):
    e = {'doc': doc, 'case_rules': rules}
    e['forward'] = 'all' if cap.forward == list(range(len(cap.frames))) else cap.forward
    e['resets'] = resets
    e['counters'] = counters
    return e


def blocked_request(doc, request, v6=False):
    cap = Capture()
    c = Conn(cap, v6=v6)
    c.handshake()
    c.client('PA', 0, request, forward=False)   # completes the head: held, blocked
    c.client('PA', 0, request, forward=False)   # the client retransmits: the flow stays blocked
    return cap, expect(doc, cap, {'l7_http1_flows': 1, 'l7_blocks': 1, 'l7_alerts': 1, 'flows_blocked': 1}, 2)


def http_block_query():
    return blocked_request('UNION SELECT in a query argument: the request segment is held and dropped, '
                           'both ends are reset, the retransmission is dropped too.', ATTACK)


def http_block_query_v6():
    return blocked_request('The same over IPv6.', ATTACK, v6=True)


def http_block_split_head():
    cap = Capture()
    c = Conn(cap)
    c.handshake()
    # The attack is in the first segment, but the head is not complete: no
    # decision yet, so it goes on (the server cannot act on half a head).
    c.client('PA', 0, ATTACK[:30])
    c.ack_client(30)
    c.client('PA', 30, ATTACK[30:60])
    c.ack_client(60)
    c.client('PA', 60, ATTACK[60:], forward=False)   # completes the head: held, blocked
    return cap, expect('An attack head cut into three segments: the two that leave the head incomplete are '
                       'forwarded, the one that completes it is held and dropped.', cap,
                       {'l7_blocks': 1, 'l7_decisions': 1}, 2)


def http_tiny_first_segments():
    cap = Capture()
    c = Conn(cap)
    c.handshake()
    # One byte at a time at first: the protocol cannot be told from "G", "GE", "GET".
    for i in range(4):
        c.client('PA', i, ATTACK[i:i + 1])
        c.ack_client(i + 1)
    c.client('PA', 4, ATTACK[4:], forward=False)
    return cap, expect('The first bytes arrive one per segment; the protocol is recognised once "GET " is '
                       'complete and the parser sees every byte: the attack is blocked.', cap,
                       {'l7_http1_flows': 1, 'l7_blocks': 1}, 2)


def http_keepalive_benign_then_attack():
    cap = Capture()
    c = Conn(cap)
    c.handshake()
    c.client('PA', 0, BENIGN)
    c.ack_client(len(BENIGN))
    c.server('PA', 0, REPLY)
    c.c_ack_seen = c.s_isn + 1 + len(REPLY)
    c.client('PA', len(BENIGN), ATTACK, forward=False)
    return cap, expect('Keep-alive: a benign request ("union station") and its response pass; the next '
                       'request on the same connection carries UNION SELECT and is blocked.', cap,
                       {'l7_http1_flows': 1, 'l7_blocks': 1, 'l7_alerts': 1, 'l7_decisions': '>= 4'}, 2)


def http_body_attack():
    body = b'{"filter": {"name": "x\' UNION SELECT password FROM users --"}}'
    head = (b'POST /api/items HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json\r\n'
            b'Content-Length: ' + str(len(body)).encode() + b'\r\n\r\n')
    cap = Capture()
    c = Conn(cap)
    c.handshake()
    c.client('PA', 0, head)          # the head is clean: forwarded at end of headers
    c.ack_client(len(head))
    c.client('PA', len(head), body, forward=False)   # end of body: held, blocked
    return cap, expect('The head of a JSON POST is clean and forwarded; the body holds UNION SELECT: '
                       'the segment that completes it is dropped.', cap,
                       {'l7_blocks': 1, 'l7_decisions': 2}, 2)


def http_monitor():
    cap = Capture()
    c = Conn(cap)
    c.handshake()
    c.client('PA', 0, ATTACK)
    c.finish(len(ATTACK), REPLY)
    return cap, expect('policy.mode monitor: the attack is alerted, everything is forwarded, nothing reset.',
                       cap, {'l7_alerts': 1, 'l7_blocks': 0, 'flows_blocked': 0}, 0, rules='../http_rules_monitor')


def http_smuggling_cl_te():
    req = (b'POST /api HTTP/1.1\r\nHost: lab\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n'
           b'0\r\n\r\n')
    cap = Capture()
    c = Conn(cap)
    c.handshake()
    c.client('PA', 0, req, forward=False)
    return cap, expect('Content-Length with Transfer-Encoding (request smuggling): the parser refuses the '
                       'stream, the fatal finding blocks it (policy.parser_fatal: block).', cap,
                       {'l7_parse_errors': 1, 'l7_blocks': 1, 'l7_alerts': 1}, 2)


def http_not_http():
    hello = b'SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'
    cap = Capture()
    c = Conn(cap)
    c.handshake()
    c.client('PA', 0, hello)
    c.finish(len(hello), b'SSH-2.0-OpenSSH_9.2p1\r\n')
    return cap, expect('Another protocol on port 80 is not fed to the HTTP parser (which would call it an '
                       'attack): forwarded, counted as another protocol.', cap,
                       {'l7_other_flows': 1, 'l7_http1_flows': 0, 'l7_parse_errors': 0, 'l7_blocks': 0}, 0)


def h2_frame(ftype, flags, stream, payload):
    return len(payload).to_bytes(3, 'big') + bytes([ftype, flags]) + stream.to_bytes(4, 'big') + payload


def hpack_literal(name, value):
    """Literal header field without indexing, new name, no Huffman (RFC 7541 6.2.2)."""
    assert len(name) < 127 and len(value) < 127
    return b'\x00' + bytes([len(name)]) + name + bytes([len(value)]) + value


def http2_prior_knowledge():
    preface = b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n' + h2_frame(4, 0, 0, b'')   # preface + empty SETTINGS
    block = b''.join(hpack_literal(n, v) for n, v in (
        (b':method', b'GET'), (b':scheme', b'http'), (b':authority', b'lab'),
        (b':path', b'/search?q=1%20UNION%20SELECT%20password%20FROM%20users')))
    headers = h2_frame(1, 0x4 | 0x1, 1, block)   # END_HEADERS | END_STREAM
    cap = Capture()
    c = Conn(cap)
    c.handshake()
    c.client('PA', 0, preface)                      # the preface alone decides nothing
    c.ack_client(len(preface))
    c.client('PA', len(preface), headers, forward=False)   # end of the stream's headers: held, blocked
    return cap, expect('HTTP/2 with prior knowledge (h2c): recognised by its preface, HPACK-decoded; '
                       'UNION SELECT in :path is blocked at the end of the stream\'s headers.', cap,
                       {'l7_http2_flows': 1, 'l7_http1_flows': 0, 'l7_blocks': 1}, 2)


def ws_frame(payload, mask=b'\x11\x22\x33\x44'):
    """One masked FIN text frame from the client (RFC 6455 5.2)."""
    assert len(payload) < 126
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x81, 0x80 | len(payload)]) + mask + masked


def websocket_message_attack():
    upgrade = (b'GET /chat HTTP/1.1\r\nHost: lab\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
               b'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n')
    accept = (b'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
              b'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n')
    benign = ws_frame(b'{"q": "union station timetable"}')
    attack = ws_frame(b'{"q": "1 UNION SELECT password FROM users"}')
    cap = Capture()
    c = Conn(cap)
    c.handshake()
    c.client('PA', 0, upgrade)
    c.ack_client(len(upgrade))
    c.server('PA', 0, accept)
    c.c_ack_seen = c.s_isn + 1 + len(accept)
    c.client('PA', len(upgrade), benign)
    c.ack_client(len(upgrade) + len(benign))
    c.client('PA', len(upgrade) + len(benign), attack, forward=False)   # one message: held, blocked
    return cap, expect('WebSocket after an HTTP/1 upgrade: each message is a decision; a benign JSON message '
                       'passes, the next one carries UNION SELECT in a JSON value and is blocked.', cap,
                       {'l7_http1_flows': 1, 'l7_websocket_flows': 1, 'l7_upgrades': 1, 'l7_blocks': 1}, 2)


CASES = {
    'http_block_query': http_block_query,
    'http_block_query_v6': http_block_query_v6,
    'http_block_split_head': http_block_split_head,
    'http_tiny_first_segments': http_tiny_first_segments,
    'http_keepalive_benign_then_attack': http_keepalive_benign_then_attack,
    'http_body_attack': http_body_attack,
    'http_monitor': http_monitor,
    'http_smuggling_cl_te': http_smuggling_cl_te,
    'http_not_http': http_not_http,
    'http2_prior_knowledge': http2_prior_knowledge,
    'websocket_message_attack': websocket_message_attack,
}


def main():
    only = set(sys.argv[1:])
    for case, gen in CASES.items():
        if not only or case in only:
            cap, exp = gen()
            write(case, cap, exp, generator='gen_http_captures.py')


if __name__ == '__main__':
    main()
