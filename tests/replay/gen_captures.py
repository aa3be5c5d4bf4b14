#!/usr/bin/python3
"""Generates the input captures of the replay cases: tests/replay/<case>/input.pcap.

Deterministic (fixed addresses, ports, sequence numbers and timestamps), so
re-running it rewrites identical files. Each case's expect.yaml (written by
hand, it is the specification) says which frames must come out and which
counters must move. Run: /usr/bin/python3 tests/replay/gen_captures.py
"""
import os
import struct
import sys

from scapy.all import (ARP, ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr,
                       IP, IPv6, LLC, STP, TCP, UDP, Dot1AD, Dot1Q, Ether, Raw, conf)
from scapy.contrib.lacp import LACP
from scapy.contrib.lldp import (LLDPDU, LLDPDUChassisID, LLDPDUEndOfLLDPDU, LLDPDUPortID,
                                LLDPDUTimeToLive)

conf.verb = 0
HERE = os.path.dirname(os.path.abspath(__file__))

MAC_C, MAC_S = '02:00:c6:12:00:01', '02:00:c6:12:00:02'
IP4_C, IP4_S = '198.18.0.1', '198.18.0.2'
IP6_C, IP6_S = '2001:2::1', '2001:2::2'
CPORT, SPORT = 40000, 80


def pad(frame):
    """Pads to the 60-byte Ethernet minimum, as a frame on the wire would be."""
    raw = bytes(frame)
    return raw + b'\0' * (60 - len(raw)) if len(raw) < 60 else raw


def tcp_session(l2c, l2s, ipc, ips, payload=b'GET / HTTP/1.1\r\nHost: lab\r\n\r\n',
                reply=b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'):
    """A complete TCP connection: handshake, one request/response, FIN/ACK both ways.

    l2c/l2s build the L2 (+VLAN) prefix for client->server / server->client,
    ipc/ips the L3 header; returns frames in wire order.
    """
    c_isn, s_isn = 1000, 5000
    c, s = c_isn, s_isn
    seg = []

    def cs(flags, data=b''):
        nonlocal c
        f = l2c() / ipc() / TCP(sport=CPORT, dport=SPORT, flags=flags, seq=c, ack=s if 'A' in flags else 0,
                                window=64240) / Raw(data)
        c += len(data) + (1 if 'S' in flags or 'F' in flags else 0)
        seg.append(f)

    def sc(flags, data=b''):
        nonlocal s
        f = l2s() / ips() / TCP(sport=SPORT, dport=CPORT, flags=flags, seq=s, ack=c, window=65160) / Raw(data)
        s += len(data) + (1 if 'S' in flags or 'F' in flags else 0)
        seg.append(f)

    cs('S')
    sc('SA')
    cs('A')
    cs('PA', payload)
    sc('A')
    sc('PA', reply)
    cs('A')
    cs('FA')
    sc('FA')
    cs('A')
    return [pad(f) for f in seg]


def eth_c(*inner):
    def f():
        pkt = Ether(src=MAC_C, dst=MAC_S)
        for layer in inner:
            pkt = pkt / layer.copy()
        return pkt
    return f


def eth_s(*inner):
    def f():
        pkt = Ether(src=MAC_S, dst=MAC_C)
        for layer in inner:
            pkt = pkt / layer.copy()
        return pkt
    return f


def v4c():
    return IP(src=IP4_C, dst=IP4_S, ttl=64, id=1)


def v4s():
    return IP(src=IP4_S, dst=IP4_C, ttl=64, id=2)


def v6c():
    return IPv6(src=IP6_C, dst=IP6_S, hlim=64)


def v6s():
    return IPv6(src=IP6_S, dst=IP6_C, hlim=64)


def udp_pairs():
    out = []
    for i in range(3):
        out.append(pad(Ether(src=MAC_C, dst=MAC_S) / IP(src=IP4_C, dst=IP4_S, id=10 + i) /
                       UDP(sport=50000 + i, dport=53) / Raw(b'q%d' % i)))
        out.append(pad(Ether(src=MAC_S, dst=MAC_C) / IP(src=IP4_S, dst=IP4_C, id=20 + i) /
                       UDP(sport=53, dport=50000 + i) / Raw(b'answer%d' % i)))
        out.append(pad(Ether(src=MAC_C, dst=MAC_S) / IPv6(src=IP6_C, dst=IP6_S) /
                       UDP(sport=51000 + i, dport=5353) / Raw(b'v6q%d' % i)))
        out.append(pad(Ether(src=MAC_S, dst=MAC_C) / IPv6(src=IP6_S, dst=IP6_C) /
                       UDP(sport=5353, dport=51000 + i) / Raw(b'v6answer%d' % i)))
    return out


def vlan_priority():
    # VLAN 100 with PCP 5 and DEI set, then a priority-tagged (VLAN 0, PCP 3) flow.
    tagged = tcp_session(eth_c(Dot1Q(vlan=100, prio=5, id=1)), eth_s(Dot1Q(vlan=100, prio=5, id=1)),
                         v4c, v4s)
    prio = tcp_session(eth_c(Dot1Q(vlan=0, prio=3)), eth_s(Dot1Q(vlan=0, prio=3)), v6c, v6s)
    return tagged + prio


def qinq():
    # 802.1ad outer tag (0x88a8, S-VLAN 200, PCP 6) over 802.1Q (C-VLAN 100, PCP 2).
    return tcp_session(eth_c(Dot1AD(vlan=200, prio=6), Dot1Q(vlan=100, prio=2)),
                       eth_s(Dot1AD(vlan=200, prio=6), Dot1Q(vlan=100, prio=2)), v4c, v4s)


def arp():
    return [pad(Ether(src=MAC_C, dst='ff:ff:ff:ff:ff:ff') / ARP(op=1, hwsrc=MAC_C, psrc=IP4_C, pdst=IP4_S)),
            pad(Ether(src=MAC_S, dst=MAC_C) / ARP(op=2, hwsrc=MAC_S, psrc=IP4_S, hwdst=MAC_C, pdst=IP4_C)),
            # gratuitous ARP, VLAN-tagged
            pad(Ether(src=MAC_S, dst='ff:ff:ff:ff:ff:ff') / Dot1Q(vlan=100, prio=7) /
                ARP(op=1, hwsrc=MAC_S, psrc=IP4_S, pdst=IP4_S))]


def nd():
    solicited = 'ff02::1:ff00:2'
    return [pad(Ether(src=MAC_C, dst='33:33:ff:00:00:02') / IPv6(src=IP6_C, dst=solicited, hlim=255) /
                ICMPv6ND_NS(tgt=IP6_S) / ICMPv6NDOptSrcLLAddr(lladdr=MAC_C)),
            pad(Ether(src=MAC_S, dst=MAC_C) / IPv6(src=IP6_S, dst=IP6_C, hlim=255) /
                ICMPv6ND_NA(tgt=IP6_S, R=0, S=1, O=1) / ICMPv6NDOptDstLLAddr(lladdr=MAC_S))]


def lldp():
    return [pad(Ether(src=MAC_C, dst='01:80:c2:00:00:0e', type=0x88cc) /
                LLDPDU() / LLDPDUChassisID(subtype=4, id=MAC_C) /
                LLDPDUPortID(subtype=5, id=b'eth0') / LLDPDUTimeToLive(ttl=120) / LLDPDUEndOfLLDPDU())]


def lacp():
    return [pad(Ether(src=MAC_C, dst='01:80:c2:00:00:02', type=0x8809) / LACP()),
            pad(Ether(src=MAC_S, dst='01:80:c2:00:00:02', type=0x8809) / LACP(actor_system=MAC_S))]


def stp():
    return [pad(Ether(src=MAC_S, dst='01:80:c2:00:00:00') / LLC() / STP())]


def jumbo(l3_len):
    """One TCP connection whose request segment makes an L3 packet of l3_len bytes."""
    frames = []
    data = bytes((i * 7) & 0xff for i in range(l3_len - 40))
    frames += tcp_session(eth_c(), eth_s(), v4c, v4s, payload=data)
    return frames


def truncated():
    full = Ether(src=MAC_C, dst=MAC_S) / IP(src=IP4_C, dst=IP4_S, id=7) / TCP(sport=CPORT, dport=SPORT,
                                                                              flags='S', seq=1)
    raw4 = bytes(full)
    full6 = bytes(Ether(src=MAC_C, dst=MAC_S) / IPv6(src=IP6_C, dst=IP6_S) / UDP(sport=5000, dport=6000) /
                  Raw(b'x' * 40))
    ok = pad(Ether(src=MAC_S, dst=MAC_C) / IP(src=IP4_S, dst=IP4_C, id=8) / UDP(sport=7000, dport=50000) /
             Raw(b'fine'))
    # IPv4 total length claims more than the frame holds (no Ethernet padding hides it).
    long_len = bytearray(bytes(Ether(src=MAC_C, dst=MAC_S) / IP(src=IP4_C, dst=IP4_S, id=9, len=1000) /
                               UDP(sport=5001, dport=6001) / Raw(b'y' * 40)))
    tcp_cut = pad(Ether(src=MAC_C, dst=MAC_S) / IP(src=IP4_C, dst=IP4_S, id=7, proto=6) /
                  Raw(bytes(TCP(sport=CPORT, dport=SPORT, flags='S', seq=1))[:8]))
    return [
        ok,
        raw4[:10],                # shorter than an Ethernet header
        ok,
        raw4[:14 + 12],           # IPv4 header cut
        tcp_cut,                  # TCP header cut (IPv4 length consistent: 28)
        full6[:14 + 30],          # IPv6 header cut
        bytes(long_len),          # IPv4 length past the frame
        ok,
    ]


CASES = {
    'tcp_ipv4': lambda: tcp_session(eth_c(), eth_s(), v4c, v4s),
    'tcp_ipv6': lambda: tcp_session(eth_c(), eth_s(), v6c, v6s),
    'udp_ipv4_ipv6': udp_pairs,
    'vlan_8021q_priority': vlan_priority,
    'qinq_88a8': qinq,
    'arp': arp,
    'nd': nd,
    'lldp': lldp,
    'lacp': lacp,
    'stp': stp,
    'jumbo_within_mtu': lambda: jumbo(9000),
    'jumbo_over_mtu': lambda: jumbo(1600),
    'truncated': truncated,
}


def write(case, frames):
    d = os.path.join(HERE, case)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, 'input.pcap')
    with open(path, 'wb') as f:
        # pcap, microsecond timestamps, DLT_EN10MB, snaplen 65535
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, raw in enumerate(frames):
            f.write(struct.pack('<IIII', 1700000000, i * 1000, len(raw), len(raw)))
            f.write(raw)
    print(f'{path}: {len(frames)} frames')


def main():
    only = set(sys.argv[1:])
    for case, gen in CASES.items():
        if not only or case in only:
            write(case, gen())


if __name__ == '__main__':
    main()
