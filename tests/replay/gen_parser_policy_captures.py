#!/usr/bin/python3
"""Generates the replay cases of the config's parser policies (`parsers:`):
tests/replay/graphql_introspection_{denied,allowed}/input.pcap and expect.yaml.

The same GraphQL introspection POST through weir-dataplane twice: with
`parsers.graphql.introspection: false` the parser reports
graphql.introspection (Fatal; http_rules blocks on parser_fatal) at the end
of the body, which is held and dropped and both ends are reset; with
`introspection: true` the workers' policy lets it through untouched. Shows
that the dataplane gives the config's policy to its workers' parsers.
Deterministic: re-running rewrites identical files.

Run: /usr/bin/python3 tests/replay/gen_parser_policy_captures.py [case ...]
"""
import sys

from gen_evasion_captures import Capture, Conn, write
from gen_http_captures import expect

BODY = b'{"query":"query IntrospectionQuery { __schema { types { name } } }"}'
HEAD = (b'POST /graphql HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json\r\n'
        b'Content-Length: ' + str(len(BODY)).encode() + b'\r\n\r\n')


def introspection(allowed):
    cap = Capture()
    c = Conn(cap)
    c.handshake()
    c.client('PA', 0, HEAD)   # the head is clean: forwarded at end of headers
    c.ack_client(len(HEAD))
    if allowed:
        c.client('PA', len(HEAD), BODY)
        c.finish(len(HEAD) + len(BODY))
        counters, resets = {'l7_http1_flows': 1, 'l7_blocks': 0, 'l7_alerts': 0, 'l7_decisions': '>= 2'}, 0
        doc = ('parsers.graphql.introspection: true — a GraphQL introspection query passes untouched, '
               'request and response.')
    else:
        c.client('PA', len(HEAD), BODY, forward=False)   # end of body: held, blocked
        counters, resets = {'l7_http1_flows': 1, 'l7_blocks': 1, 'l7_decisions': 2}, 2
        doc = ('parsers.graphql.introspection: false — the body of a GraphQL introspection query raises '
               'graphql.introspection (Fatal): the segment that completes it is dropped, both ends reset.')
    e = expect(doc, cap, counters, resets)
    e['config'] = {'parsers': {'graphql': {'introspection': allowed}}}
    return cap, e


CASES = {
    'graphql_introspection_denied': lambda: introspection(False),
    'graphql_introspection_allowed': lambda: introspection(True),
}


def main():
    only = set(sys.argv[1:])
    for case, gen in CASES.items():
        if not only or case in only:
            cap, exp = gen()
            write(case, cap, exp, generator='gen_parser_policy_captures.py')


if __name__ == '__main__':
    main()
