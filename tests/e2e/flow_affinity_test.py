#!/usr/bin/python3
"""e2e: with 2 workers, no flow is handled by two workers while a queue is flooded.

Two workers (lcores 1 and 2; the lab has two CPUs, so EAL maps lcores
0@0,1@0,2@1), af_packet with 2 queue pairs. tcpreplay floods 8 UDP flows
from the client namespace while a 50 MB IPv4 and a 50 MB IPv6 download run,
and each worker in turn is stalled for 300 ms (test hook, below the watchdog
threshold): its kernel ring fills and af_packet's fanout rollover delivers
its flows to the other worker. Weir must hand those packets to the owner:
  * handoff_sent > 0 (misdelivery happened and was handed off),
  * flow_owner_violations == 0 (the counter a second worker would raise),
  * flows_created is exactly the number of flows sent (8 UDP + 2 TCP): a
    flow seen by two workers would be created twice,
  * both downloads are intact (sha256).
"""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirlab as wl  # noqa: E402

UDP_SINK = '''
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('198.18.0.2', 7000))
print('READY', flush=True)
time.sleep(600)
'''


def write_flood_pcap(path):
    from scapy.all import IP, UDP, Ether, Raw, wrpcap
    frames = [Ether(src='02:00:c6:12:00:01', dst='02:00:c6:12:00:02') /
              IP(src=wl.IP4_CLIENT, dst=wl.IP4_SERVER) / UDP(sport=10000 + i, dport=7000) / Raw(b'f' * 64)
              for i in range(8)]
    wrpcap(path, frames)


def main():
    wl.require_weir()
    with wl.Lab() as lab:
        # This test is about the spine's flow affinity, so the flows are kept
        # out of scope (decode + flow table + hand-off, no TCP reassembly):
        # under these forced 300 ms worker stalls the stream stage does not
        # yet resync past holes left by uninspected (overload: pass) segments,
        # a known issue tracked for the reassembly work.
        cfg = lab.config({'dataplane': {'workers': [1, 2]}, 'watchdog': {'stall_ms': 5000},
                          # The kernel's own IPv6 chatter at lab start (MLD, RS) makes
                          # 'other' flows: let them expire before the test starts.
                          'flow': {'udp_timeout_s': 120, 'other_timeout_s': 5},
                          'scope': {'inspect': [], 'ports': [], 'bypass': ['0.0.0.0/0', '::/0']}})
        lab.start_bridge(workers=2, config=cfg, extra=['--enable-test-hooks'])
        wl.wait_for(lambda: lab.telemetry('/weir/stats')['flows_active'] == 0, 30, what='no active flow')
        base = lab.telemetry('/weir/stats')
        wl.check(base['workers'] == 2, 'dataplane runs 2 workers')

        pcap = os.path.join(lab.tmp, 'flood.pcap')
        write_flood_pcap(pcap)
        sink = wl.ns_popen(wl.NS_SERVER, ['/usr/bin/python3', '-c', UDP_SINK], stdout=wl.subprocess.PIPE,
                           text=True)
        flood = None
        try:
            wl.check(sink.stdout.readline().strip() == 'READY', 'UDP sink up in weir-server')
            flood = wl.ns_popen(wl.NS_CLIENT, ['tcpreplay', '-q', '-K', '--topspeed', '--loop', '0',
                                               '-i', 'veth-c', pcap],
                                stdout=wl.subprocess.DEVNULL, stderr=wl.subprocess.DEVNULL)
            results = {}

            def download(url, key):
                out = os.path.join(lab.tmp, f'{key}.bin')
                results[key] = (lab.curl(url, out=out, extra=['--limit-rate', '15M']), out)
            threads = [threading.Thread(target=download, args=(f'{u}/50m.bin', k))
                       for u, k in ((wl.URL4, 'v4'), (wl.URL6, 'v6'))]
            for t in threads:
                t.start()
            time.sleep(1)
            for round_ in range(3):
                for w in (0, 1):
                    lab.telemetry(f'/weir/test/stall,{w},300')
                    time.sleep(0.6)
            for t in threads:
                t.join(timeout=120)
        finally:
            if flood:
                flood.kill()
                flood.wait()
            sink.kill()
            sink.wait()

        want = lab.server_sha256('50m.bin')
        for key in ('v4', 'v6'):
            (code, secs, size), out = results[key]
            wl.check(code == 200 and wl.sha256_file(out) == want,
                     f'{key} download during the flood: HTTP {code}, {size} bytes, sha256 matches')
        time.sleep(0.5)
        s = lab.telemetry('/weir/stats')
        workers = lab.telemetry('/weir/workers')
        for name, w in sorted(workers.items()):
            wl.log(f'{name}: rx {w["rx_packets"]} handoff_sent {w["handoff_sent"]} '
                   f'handoff_received {w["handoff_received"]} ring_full {w["handoff_ring_full"]} '
                   f'flows_created {w["flows_created"]} violations {w["flow_owner_violations"]}')
        sent = s['handoff_sent'] - base['handoff_sent']
        wl.check(sent > 0, f'{sent} packets reached the wrong worker and were handed to their owner')
        wl.check(s['flow_owner_violations'] == 0, 'flow_owner_violations == 0')
        created = s['flows_created'] - base['flows_created']
        wl.check(created == 10, f'flows_created +{created} == 10 (8 UDP + 2 TCP): no flow created twice')


if __name__ == '__main__':
    main()
