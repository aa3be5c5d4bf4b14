"""A stand-in for weir-dataplane on the control socket, for the weirctl e2e
test: it speaks the real protocol (control/ipc/weir_ipc.proto, u32 LE length +
protobuf Envelope), sends counters and events, answers flow queries and
records every command weir-control pushes down."""

import importlib
import ipaddress
import os
import socket
import struct
import subprocess
import sys
import threading
import time


def load_ipc_module(proto_path, out_dir):
    """Compiles weir_ipc.proto with protoc and imports the generated module."""
    proto_dir = os.path.dirname(os.path.abspath(proto_path))
    subprocess.run(['protoc', f'--proto_path={proto_dir}', f'--python_out={out_dir}',
                    os.path.basename(proto_path)], check=True)
    sys.path.insert(0, out_dir)
    return importlib.import_module('weir_ipc_pb2')


def mapped(addr):
    """16-byte form the protocol uses: IPv4 as ::ffff:a.b.c.d."""
    ip = ipaddress.ip_address(addr)
    if ip.version == 4:
        return b'\x00' * 10 + b'\xff\xff' + ip.packed
    return ip.packed


class FakeDataplane:
    def __init__(self, pb, socket_path, instance_id='fake-dp', boot_id=7):
        self.pb = pb
        self.socket_path = socket_path
        self.instance_id = instance_id
        self.boot_id = boot_id
        self.flows = []           # FlowRecord kwargs served to FlowQuery
        self.received = []        # every Envelope weir-control sent
        self.acked = set()        # seqs of our EventBatches weir-control acked
        self.cond = threading.Condition()
        self.sock = None
        self.seq = 0
        self.event_seq = 0
        self.reader = None

    # -- link ---------------------------------------------------------------
    def connect(self, timeout=5.0):
        deadline = time.time() + timeout
        while True:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.socket_path)
                break
            except OSError:
                s.close()
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        self.sock = s
        # Envelope seqs restart with the link: acks of the old link must not
        # count for new batches (send_events would return before the store).
        with self.cond:
            self.seq = 0
            self.acked.clear()
        self.reader = threading.Thread(target=self._read_loop, daemon=True)
        self.reader.start()
        env = self.pb.Envelope()
        env.hello.version = 1
        env.hello.instance_id = self.instance_id
        env.hello.boot_id = self.boot_id
        env.hello.software = 'fake-dataplane (weirctl e2e)'
        self.send(env)
        self.wait_for(lambda e: e.WhichOneof('body') == 'hello')

    def close(self):
        if self.sock is not None:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()
            self.sock = None
        if self.reader is not None:
            self.reader.join(timeout=2)
            self.reader = None

    @property
    def connected(self):
        return self.sock is not None

    def send(self, env):
        self.seq += 1
        env.seq = self.seq
        data = env.SerializeToString()
        self.sock.sendall(struct.pack('<I', len(data)) + data)
        return env.seq

    def _read_exact(self, sock, n):
        buf = b''
        while len(buf) < n:
            chunk = sock.recv(n - len(buf))
            if not chunk:
                return None
            buf += chunk
        return buf

    def _read_loop(self):
        sock = self.sock
        while True:
            try:
                head = self._read_exact(sock, 4)
                if head is None:
                    return
                body = self._read_exact(sock, struct.unpack('<I', head)[0])
                if body is None:
                    return
            except OSError:
                return
            env = self.pb.Envelope()
            env.ParseFromString(body)
            self._handle(env)

    def _handle(self, env):
        kind = env.WhichOneof('body')
        with self.cond:
            self.received.append(env)
            if kind == 'ack':
                self.acked.add(env.ack.ref)
            self.cond.notify_all()
        if kind in ('config', 'block_add', 'block_remove', 'set_mode', 'raise_test_events'):
            reply = self.pb.Envelope()
            reply.ref = env.seq
            reply.ack.ref = env.seq
            reply.ack.ok = True
            self.send(reply)
        if kind == 'raise_test_events':
            self.send_events([dict(kind=4, severity=0, text=f'test event {i}')
                              for i in range(env.raise_test_events.count)])
        if kind == 'flow_query':
            self._answer_flows(env)

    def _answer_flows(self, query):
        q = query.flow_query
        net = None
        if q.has_filter:
            net = ipaddress.ip_network((ipaddress.IPv6Address(q.filter_addr), q.filter_prefix_len))
        matched = []
        for f in self.flows:
            if net is not None:
                hits = [ipaddress.IPv6Address(mapped(f[k])) in net for k in ('client', 'server')]
                if not any(hits):
                    continue
            matched.append(f)
        matched.sort(key=lambda f: f['packets' if q.sort_by_packets else 'bytes'], reverse=True)
        reply = self.pb.Envelope()
        reply.ref = query.seq
        for f in matched[:q.limit]:
            r = reply.flow_list.flows.add()
            r.worker = f.get('worker', 0)
            r.proto = f.get('proto', 6)
            r.client_addr = mapped(f['client'])
            r.client_port = f['client_port']
            r.server_addr = mapped(f['server'])
            r.server_port = f['server_port']
            r.packets = f['packets']
            r.bytes = f['bytes']
            r.age_ms = f.get('age_ms', 1000)
            r.idle_ms = f.get('idle_ms', 5)
            r.state = f.get('state', 'established')
        reply.flow_list.total_flows = len(self.flows)
        reply.flow_list.truncated = len(matched) > q.limit
        self.send(reply)

    # -- what weir-control sent ----------------------------------------------
    def wait_for(self, predicate, timeout=5.0, since=0):
        """First received Envelope (index >= since) matching predicate."""
        deadline = time.time() + timeout
        with self.cond:
            while True:
                for env in self.received[since:]:
                    if predicate(env):
                        return env
                left = deadline - time.time()
                if left <= 0:
                    raise AssertionError('weir-control did not send the expected message')
                self.cond.wait(left)

    def mark(self):
        with self.cond:
            return len(self.received)

    # -- up ------------------------------------------------------------------
    def send_counters(self, ts_ns, totals, workers=None):
        env = self.pb.Envelope()
        env.counters.ts_ns = ts_ns
        for name, value in totals.items():
            c = env.counters.totals.add()
            c.name, c.value = name, value
        for worker, counters in (workers or {}).items():
            w = env.counters.workers.add()
            w.worker = worker
            for name, value in counters.items():
                c = w.counters.add()
                c.name, c.value = name, value
        self.send(env)

    def send_events(self, events, wait_ack=True):
        """events: dicts with kind, severity, rule_id, class_name, zone, text,
        client, client_port, server, server_port. Returns the event ids."""
        env = self.pb.Envelope()
        ids = []
        for e in events:
            self.event_seq += 1
            worker = e.get('worker', 0)
            ev = env.events.events.add()
            ev.id = (self.boot_id << 44) | (worker << 36) | self.event_seq
            ev.kind = e.get('kind', 1)
            ev.worker = worker
            ev.sequence = self.event_seq
            ev.ts_ns = e.get('ts_ns', time.time_ns())
            ev.severity = e.get('severity', 3)
            ev.rule_id = e.get('rule_id', 942100)
            ev.class_name = e.get('class_name', 'sqli')
            ev.zone = e.get('zone', 'query_arg')
            ev.proto = 6
            ev.client_addr = mapped(e.get('client', '198.18.0.10'))
            ev.client_port = e.get('client_port', 40000)
            ev.server_addr = mapped(e.get('server', '198.19.0.20'))
            ev.server_port = e.get('server_port', 80)
            ev.text = e.get('text', '').encode()
            ids.append(ev.id)
        seq = self.send(env)
        if wait_ack:
            deadline = time.time() + 5
            with self.cond:
                while seq not in self.acked:
                    left = deadline - time.time()
                    if left <= 0:
                        raise AssertionError('weir-control did not ack the event batch')
                    self.cond.wait(left)
        return ids
