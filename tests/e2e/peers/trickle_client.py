#!/usr/bin/env python3
"""TCP client for the stream e2e tests: sends PREFIX, then BODY one byte per
segment (TCP_NODELAY and a pause between bytes), and reports as JSON how the
connection ended. With --forge-rst, before the body it sends an RST with a
wrong sequence number into its own connection (scapy, raw socket), as an
attacker trying to make an inline inspector forget the flow would.

    trickle_client.py ADDR PORT PREFIX BODY [--forge-rst] [--gap-ms 30]
"""
import json
import socket
import sys
import time


def forge_rst(sock, dst, dport):
    from scapy.all import IP, TCP, send  # Debian's python3-scapy
    src, sport = sock.getsockname()[:2]
    # The kernel's next sequence number is unknown to us; any value far from
    # it is a wrong one, which RFC 5961 receivers (and Weir) must ignore.
    send(IP(src=src, dst=dst) / TCP(sport=sport, dport=dport, flags='R', seq=12345), verbose=False)


def main():
    addr, port, prefix, body = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    forge = '--forge-rst' in sys.argv
    gap = 0.03
    if '--gap-ms' in sys.argv:
        gap = int(sys.argv[sys.argv.index('--gap-ms') + 1]) / 1000
    s = socket.create_connection((addr, port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    result = {'sent': 0, 'error': None}
    try:
        s.sendall(prefix.encode())
        result['sent'] += len(prefix)
        time.sleep(gap)
        if forge:
            forge_rst(s, addr, port)
            time.sleep(0.2)
        for ch in body.encode():
            s.send(bytes([ch]))
            result['sent'] += 1
            time.sleep(gap)
        s.sendall(b' PING')
        s.settimeout(3)
        reply = s.recv(100)
        result['reply'] = reply.decode('latin-1')
    except (ConnectionResetError, BrokenPipeError) as e:
        result['error'] = type(e).__name__
    except socket.timeout:
        result['error'] = 'timeout'
    finally:
        s.close()
    print(json.dumps(result), flush=True)


if __name__ == '__main__':
    main()
