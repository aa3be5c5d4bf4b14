#!/usr/bin/env python3
"""Sends raw HTTP requests over ONE TCP connection, one after the other
(waiting for each response), and reports what happened as one JSON line:
the responses read and whether/when the connection was reset. Runs in the
client namespace.

    http_raw_client.py ADDR PORT REQUESTS.json [--hold-ms N]

REQUESTS.json: a list of base64 strings (the exact bytes of each request).
--hold-ms: after sending the last request, keep the connection open that
long waiting for a response or a reset (for requests whose body never comes).
"""
import argparse
import base64
import json
import socket
import time


def read_response(sock, deadline):
    """Reads one response (Content-Length framing); b'' on EOF."""
    buf = b''
    while b'\r\n\r\n' not in buf:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            return buf
        buf += chunk
    end = buf.index(b'\r\n\r\n') + 4
    length = 0
    for line in buf[:end].decode('latin-1').split('\r\n')[1:]:
        name, _, value = line.partition(':')
        if name.strip().lower() == 'content-length':
            length = int(value.strip())
    while len(buf) < end + length:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            break
        buf += chunk
    return buf


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('addr')
    ap.add_argument('port', type=int)
    ap.add_argument('requests')
    ap.add_argument('--hold-ms', type=int, default=3000)
    args = ap.parse_args()
    with open(args.requests) as f:
        requests = [base64.b64decode(r) for r in json.load(f)]
    fam = socket.AF_INET6 if ':' in args.addr else socket.AF_INET
    sock = socket.socket(fam, socket.SOCK_STREAM)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    result = {'responses': [], 'error': None, 'error_after_request': None}
    t0 = time.monotonic()
    try:
        sock.settimeout(5)
        sock.connect((args.addr, args.port))
        for i, req in enumerate(requests):
            result['error_after_request'] = i
            sock.sendall(req)
            resp = read_response(sock, time.monotonic() + args.hold_ms / 1000)
            if not resp:
                result['error'] = 'eof'
                break
            result['responses'].append(resp.decode('latin-1').split('\r\n', 1)[0])
        else:
            result['error_after_request'] = None
    except ConnectionResetError:
        result['error'] = 'reset'
    except socket.timeout:
        result['error'] = 'timeout'
    except OSError as e:
        result['error'] = f'oserror: {e}'
    result['seconds'] = round(time.monotonic() - t0, 3)
    sock.close()
    print(json.dumps(result), flush=True)


if __name__ == '__main__':
    main()
