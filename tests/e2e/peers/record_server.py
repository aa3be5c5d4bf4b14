#!/usr/bin/env python3
"""TCP server for the stream e2e tests: records, per connection, every byte
the application read and how the connection ended (eof / reset), as JSON
lines in the file given. Runs in the server namespace.

    record_server.py ADDR PORT OUT.jsonl
"""
import json
import socket
import sys
import threading


def serve(conn, peer, out, lock):
    data = b''
    end = 'eof'
    try:
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
            if b'PING' in chunk:
                conn.sendall(b'PONG\n')
    except ConnectionResetError:
        end = 'reset'
    finally:
        conn.close()
    with lock, open(out, 'a') as f:
        f.write(json.dumps({'peer': f'{peer[0]}:{peer[1]}', 'data': data.decode('latin-1'), 'end': end}) + '\n')


def main():
    addr, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    lock = threading.Lock()
    s = socket.socket(socket.AF_INET6 if ':' in addr else socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(64)
    print('ready', flush=True)
    while True:
        conn, peer = s.accept()
        threading.Thread(target=serve, args=(conn, peer, out, lock), daemon=True).start()


if __name__ == '__main__':
    main()
