#!/usr/bin/python3
"""Generates the HTTP/2 hand-over cases of issue 6 (tests/replay/h2c_*/):
the ways an HTTP/2 connection starts that are not "client preface first".

* h2c_upgrade_attack: HTTP/1 `Upgrade: h2c` with HTTP2-Settings, the server's
  101 and SETTINGS, then the client's preface and a request on stream 3 with
  UNION SELECT in :path: followed as HTTP/2 after the 101 and blocked (before,
  the flow was counted in l7_upgrades_unparsed and nothing after the 101 was
  inspected).
* h2c_server_speaks_first: the server sends its SETTINGS as soon as it
  accepts (gRPC and nghttpx do), before the client's preface reaches Weir:
  still parsed as HTTP/2 and the attack blocked (before: "the server spoke
  first", not parsed).
* h2c_server_first_not_h2: the server's first bytes look like SETTINGS but
  the client does not send the preface: not ours, forwarded, counted as
  another protocol (no parse error, no block).

Same rules as gen_http_captures.py (tests/replay/http_rules). Deterministic.
Run: /usr/bin/python3 tests/replay/gen_h2c_captures.py [case ...]
"""
import sys

from gen_evasion_captures import Capture, Conn, write
from gen_http_captures import expect, h2_frame, hpack_literal

PREFACE = b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'
SETTINGS_EMPTY = h2_frame(4, 0, 0, b'')
SETTINGS_ACK = h2_frame(4, 1, 0, b'')
SERVER_SETTINGS = h2_frame(4, 0, 0, (3).to_bytes(2, 'big') + (100).to_bytes(4, 'big'))  # MAX_CONCURRENT_STREAMS


def attack_headers(stream):
    block = b''.join(hpack_literal(n, v) for n, v in (
        (b':method', b'GET'), (b':scheme', b'http'), (b':authority', b'lab'),
        (b':path', b'/search?q=1%20UNION%20SELECT%20password%20FROM%20users')))
    return h2_frame(1, 0x4 | 0x1, stream, block)   # END_HEADERS | END_STREAM


def h2c_upgrade_attack():
    upgrade = (b'GET /feed HTTP/1.1\r\nHost: lab\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n'
               b'HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n')
    switch = b'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n'
    # The server's preface (SETTINGS) and its answer to stream 1 (:status 200, indexed).
    server_h2 = SERVER_SETTINGS + h2_frame(1, 0x4 | 0x1, 1, b'\x88')
    client_start = PREFACE + SETTINGS_EMPTY + SETTINGS_ACK
    attack = attack_headers(3)
    cap = Capture()
    c = Conn(cap)
    c.handshake()
    c.client('PA', 0, upgrade)
    c.ack_client(len(upgrade))
    c.server('PA', 0, switch + server_h2)
    c.c_ack_seen = c.s_isn + 1 + len(switch) + len(server_h2)
    off = len(upgrade)
    c.client('PA', off, client_start)
    c.ack_client(off + len(client_start))
    c.client('PA', off + len(client_start), attack, forward=False)   # stream 3's headers: held, blocked
    return cap, expect('h2c by 101: the Upgrade request is HTTP/1 (stream 1), the 101 hands the connection to '
                       'HTTP/2 with the request\'s HTTP2-Settings; UNION SELECT in the :path of stream 3 is '
                       'blocked at the end of its headers.', cap,
                       {'l7_http1_flows': 1, 'l7_http2_flows': 1, 'l7_upgrades': 1, 'l7_upgrades_unparsed': 0,
                        'l7_blocks': 1}, 2)


def h2c_server_speaks_first():
    cap = Capture()
    c = Conn(cap)
    c.handshake()
    c.server('PA', 0, SERVER_SETTINGS)               # at accept, before the client's preface
    c.c_ack_seen = c.s_isn + 1 + len(SERVER_SETTINGS)
    start = PREFACE + SETTINGS_EMPTY + SETTINGS_ACK
    c.client('PA', 0, start)
    c.ack_client(len(start))
    c.client('PA', len(start), attack_headers(1), forward=False)   # held, blocked
    return cap, expect('An h2c server that sends its SETTINGS at accept (gRPC, nghttpx), before the client\'s '
                       'preface: parsed as HTTP/2 once the client\'s preface confirms it; UNION SELECT in :path '
                       'is blocked.', cap,
                       {'l7_http2_flows': 1, 'l7_other_flows': 0, 'l7_blocks': 1}, 2)


def h2c_server_first_not_h2():
    request = b'GET /search?q=union%20station HTTP/1.1\r\nHost: lab\r\n\r\n'
    cap = Capture()
    c = Conn(cap)
    c.handshake()
    c.server('PA', 0, SERVER_SETTINGS)
    c.c_ack_seen = c.s_isn + 1 + len(SERVER_SETTINGS)
    c.client('PA', 0, request)
    c.ack_client(len(request))
    return cap, expect('The server\'s first bytes look like HTTP/2 SETTINGS but the client does not send the '
                       'preface: not parsed (another protocol), forwarded, no parse error, no block.', cap,
                       {'l7_other_flows': 1, 'l7_parse_errors': 0, 'l7_blocks': 0}, 0)


CASES = {
    'h2c_upgrade_attack': h2c_upgrade_attack,
    'h2c_server_speaks_first': h2c_server_speaks_first,
    'h2c_server_first_not_h2': h2c_server_first_not_h2,
}


def main():
    only = set(sys.argv[1:])
    for case, gen in CASES.items():
        if not only or case in only:
            cap, exp = gen()
            write(case, cap, exp, generator='gen_h2c_captures.py')


if __name__ == '__main__':
    main()
