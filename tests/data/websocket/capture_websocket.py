#!/usr/bin/python3
"""Records a real WebSocket conversation on loopback for the parser tests.

A python3-websockets echo server and client talk through a recording TCP
relay (all on 127.0.0.1). permessage-deflate is negotiated by the library's
defaults (context takeover, client_max_window_bits). The client sends a JSON
text message, a fragmented text message, a binary message, a large
compressible message, a ping, and closes. Writes, next to this script:
  ws_client.bin  every byte the client sent (HTTP handshake, then frames)
  ws_server.bin  every byte the server sent
Run: /usr/bin/python3 tests/data/websocket/capture_websocket.py
"""
import asyncio
import os
import sys

import websockets

HERE = os.path.dirname(os.path.abspath(__file__))
MESSAGES = [
    '{"action":"subscribe","channel":"orders","filter":{"user":"1\' OR \'1\'=\'1"}}',
    "plain text with unicode \u20ac and <script>alert(1)</script>",
    "A" * 70000,
]


async def echo(ws, path=None):
    async for msg in ws:
        await ws.send(msg)


async def relay(reader, writer, sink):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            sink.extend(data)
            writer.write(data)
            await writer.drain()
    finally:
        writer.close()


async def main():
    client_bytes = bytearray()
    server_bytes = bytearray()
    server = await websockets.serve(echo, "127.0.0.1", 0)
    server_port = server.sockets[0].getsockname()[1]

    async def on_client(c_reader, c_writer):
        s_reader, s_writer = await asyncio.open_connection("127.0.0.1", server_port)
        await asyncio.gather(relay(c_reader, s_writer, client_bytes),
                             relay(s_reader, c_writer, server_bytes))

    proxy = await asyncio.start_server(on_client, "127.0.0.1", 0)
    proxy_port = proxy.sockets[0].getsockname()[1]
    uri = f"ws://127.0.0.1:{proxy_port}/chat/v1?room=lobby"
    async with websockets.connect(uri, max_size=None) as ws:
        await ws.send(MESSAGES[0])
        assert await ws.recv() == MESSAGES[0]
        await ws.send(iter(["frag", "mented ", "message"]))  # one message, three frames
        assert await ws.recv() == "fragmented message"
        await ws.send(b"\x00\x01binary\xff")
        assert await ws.recv() == b"\x00\x01binary\xff"
        await ws.send(MESSAGES[1])
        assert await ws.recv() == MESSAGES[1]
        await ws.send(MESSAGES[2])
        assert await ws.recv() == MESSAGES[2]
        await (await ws.ping(b"are you there"))
    await asyncio.sleep(0.2)
    proxy.close()
    server.close()
    await server.wait_closed()
    with open(os.path.join(HERE, "ws_client.bin"), "wb") as f:
        f.write(client_bytes)
    with open(os.path.join(HERE, "ws_server.bin"), "wb") as f:
        f.write(server_bytes)
    print(f"client {len(client_bytes)} bytes, server {len(server_bytes)} bytes")
    head = bytes(server_bytes[: server_bytes.find(b"\r\n\r\n")]).decode()
    print(head)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
