#!/usr/bin/env python3
"""HTTP/1.1 origin for the inspection e2e test: keep-alive, Content-Length
and chunked bodies; records every request exactly as the application read it
(raw bytes, base64) and how each connection ended, as JSON lines; answers
each request `200 ok`. Runs in the server namespace.

    http_record_server.py ADDR PORT OUT.jsonl
"""
import base64
import json
import socket
import sys
import threading


def read_request(conn, buf):
    """Returns (raw request bytes, rest of buffer) or (None, buf) at EOF."""
    while b'\r\n\r\n' not in buf:
        chunk = conn.recv(65536)
        if not chunk:
            return None, buf
        buf += chunk
    end = buf.index(b'\r\n\r\n') + 4
    head = buf[:end].decode('latin-1').lower()
    length = 0
    chunked = False
    for line in head.split('\r\n')[1:]:
        name, _, value = line.partition(':')
        if name.strip() == 'content-length':
            length = int(value.strip())
        if name.strip() == 'transfer-encoding' and 'chunked' in value:
            chunked = True
    if chunked:
        pos = end
        while True:
            while b'\r\n' not in buf[pos:]:
                chunk = conn.recv(65536)
                if not chunk:
                    return None, buf
                buf += chunk
            line_end = buf.index(b'\r\n', pos)
            size = int(buf[pos:line_end].split(b';')[0], 16)
            need = line_end + 2 + size + 2
            while len(buf) < need:
                chunk = conn.recv(65536)
                if not chunk:
                    return None, buf
                buf += chunk
            pos = need
            if size == 0:
                return buf[:pos], buf[pos:]
    while len(buf) < end + length:
        chunk = conn.recv(65536)
        if not chunk:
            return None, buf
        buf += chunk
    return buf[:end + length], buf[end + length:]


def serve(conn, peer, out, lock):
    buf = b''
    ended = 'eof'
    try:
        while True:
            req, buf = read_request(conn, buf)
            if req is None:
                break
            with lock, open(out, 'a') as f:
                f.write(json.dumps({'peer': f'{peer[0]}:{peer[1]}', 'request': base64.b64encode(req).decode()}) + '\n')
            conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok')
    except ConnectionResetError:
        ended = 'reset'
    except (ValueError, OSError):
        ended = 'error'
    finally:
        conn.close()
    with lock, open(out, 'a') as f:
        f.write(json.dumps({'peer': f'{peer[0]}:{peer[1]}', 'end': ended, 'partial': base64.b64encode(buf).decode()}) + '\n')


def main():
    addr, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    fam = socket.AF_INET6 if ':' in addr else socket.AF_INET
    srv = socket.socket(fam, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, port))
    srv.listen(256)
    lock = threading.Lock()
    print('ready', flush=True)
    while True:
        conn, peer = srv.accept()
        threading.Thread(target=serve, args=(conn, peer, out, lock), daemon=True).start()


if __name__ == '__main__':
    main()
