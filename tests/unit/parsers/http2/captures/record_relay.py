# Loopback recording relay: accepts one connection on 127.0.0.1:<listen>,
# forwards to 127.0.0.1:<target>, writes every read as [dir u8][len u32 BE][bytes].
import socket, select, struct, sys
listen, target, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', listen)); srv.listen(1)
c, _ = srv.accept(); s = socket.create_connection(('127.0.0.1', target))
f = open(out, 'wb'); open_ = {c: True, s: True}
while any(open_.values()):
    r, _, _ = select.select([x for x in (c, s) if open_[x]], [], [], 5)
    if not r: break
    for x in r:
        d = x.recv(65536)
        peer = s if x is c else c
        if not d:
            open_[x] = False
            try: peer.shutdown(socket.SHUT_WR)
            except OSError: pass
            continue
        f.write(struct.pack('>BI', 0 if x is c else 1, len(d)) + d); f.flush()
        peer.sendall(d)
f.close()
