#!/usr/bin/python3
"""Demo WebSocket peer (python3-websockets) for the lab: a server that echoes
every message (JSON messages get {"echo": <parsed>, "n": k}) and records each
message it received COMPLETELY, and a client.

Usage (Debian python):
    ws_demo.py serve ADDR PORT OUT.jsonl        # server namespace; prints `ready`
    ws_demo.py send ADDR PORT PATH MSG [MSG ...] [--no-compression] [--fragment] [--timeout S]
        # client namespace; one connection, sends each MSG (text) and waits for
        # its echo; prints one JSON line:
        # {"echoes": [text, ...], "closed": null | {"code": int, "reason": str} | "error: ..."}

Any PATH is accepted (e.g. /ws/chat, /ws/orders). permessage-deflate is
negotiated unless the client passes --no-compression; --fragment sends each
message as three frames (a text frame and two continuations).
Record (one per line): {"proto": "ws", "path", "peer", "headers" {lower-case: value}
(the handshake), "message": text (or "binary": base64)}; plus one
{"proto": "ws", "path", "peer", "closed": code} when a connection ends.
"""
import asyncio
import base64
import json
import sys

import websockets


def _record(out, rec):
    with open(out, 'a') as f:  # one event loop: no lock needed
        f.write(json.dumps(rec) + '\n')


async def _serve(addr, port, out):
    async def handler(ws, path=None):
        path = getattr(ws, 'path', path)
        peer = f'{ws.remote_address[0]}:{ws.remote_address[1]}'
        headers = {k.lower(): v for k, v in ws.request_headers.raw_items()}
        n = 0
        try:
            async for msg in ws:
                n += 1
                rec = {'proto': 'ws', 'path': path, 'peer': peer, 'headers': headers}
                if isinstance(msg, bytes):
                    rec['binary'] = base64.b64encode(msg).decode()
                    _record(out, rec)
                    await ws.send(msg)
                    continue
                rec['message'] = msg
                _record(out, rec)
                try:
                    reply = json.dumps({'echo': json.loads(msg), 'n': n})
                except ValueError:
                    reply = msg
                await ws.send(reply)
        except websockets.ConnectionClosed:
            pass
        _record(out, {'proto': 'ws', 'path': path, 'peer': peer, 'closed': ws.close_code})

    async with websockets.serve(handler, addr, port, max_size=1 << 20):
        print('ready', flush=True)
        await asyncio.Future()


def _fragments(m):
    third = max(1, len(m) // 3)
    return [m[:third], m[third:2 * third], m[2 * third:]]


async def _send(addr, port, path, msgs, compression, timeout, fragment=False):
    host = f'[{addr}]' if ':' in addr else addr
    res = {'echoes': [], 'closed': None}
    try:
        async with websockets.connect(f'ws://{host}:{port}{path}', compression=compression,
                                      open_timeout=timeout, close_timeout=1) as ws:
            for m in msgs:
                await ws.send(_fragments(m) if fragment else m)
                res['echoes'].append(await asyncio.wait_for(ws.recv(), timeout))
    except websockets.ConnectionClosed as e:
        res['closed'] = {'code': e.code, 'reason': e.reason}
    except (OSError, asyncio.TimeoutError, websockets.InvalidHandshake) as e:
        res['closed'] = f'error: {type(e).__name__}: {e}'
    return res


def main():
    cmd = sys.argv[1]
    if cmd == 'serve':
        asyncio.run(_serve(sys.argv[2], int(sys.argv[3]), sys.argv[4]))
    elif cmd == 'send':
        args = sys.argv[2:]
        compression = None if '--no-compression' in args else 'deflate'
        timeout = 5.0
        if '--timeout' in args:
            i = args.index('--timeout')
            timeout = float(args[i + 1])
            del args[i:i + 2]
        fragment = '--fragment' in args
        args = [a for a in args if a not in ('--no-compression', '--fragment')]
        addr, port, path, msgs = args[0], int(args[1]), args[2], args[3:]
        print(json.dumps(asyncio.run(_send(addr, port, path, msgs, compression, timeout, fragment))), flush=True)
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
