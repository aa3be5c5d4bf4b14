#!/usr/bin/env python3
"""Issue 4 end to end: a stream signature on a marker, sent split into 1-byte
TCP segments through the lab.

* the capture on the client proves the 1-byte segmentation;
* the server application gets ECONNRESET and never reads the marker whole;
* the client is reset too, and an alert with the excerpt reaches weirctl;
* a concurrent benign connection is unaffected;
* a forged RST with a wrong sequence number does not blind Weir: the marker
  sent after it on the same connection is blocked as well.
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirlab  # noqa: E402
from weirlab import IP4_SERVER, LAB_DIR, NS_CLIENT, NS_SERVER, check, log, wait_for  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MARKER = 'WEIR-TEST-MARKER-7f3a'
PORT = 9000


def client(*args):
    res = weirlab.ns_run(NS_CLIENT, ['/usr/bin/python3', os.path.join(HERE, 'peers', 'trickle_client.py'),
                                     IP4_SERVER, str(PORT), *args], timeout=60)
    return json.loads(res.stdout.strip().splitlines()[-1])


def server_records(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    weirlab.require_weir()
    with weirlab.Lab() as lab:
        config = lab.config({'control': {'socket': os.path.join(LAB_DIR, 'dp.sock'),
                                         'spool': os.path.join(LAB_DIR, 'spool.bin')}})
        lab.start_bridge(config=config)
        records = os.path.join(lab.tmp, 'server.jsonl')
        srv = weirlab.ns_popen(NS_SERVER, ['/usr/bin/python3', os.path.join(HERE, 'peers', 'record_server.py'),
                                           IP4_SERVER, str(PORT), records], stdout=subprocess.PIPE, text=True)
        pcap = os.path.join(lab.tmp, 'client.pcap')
        dump = weirlab.ns_popen(NS_CLIENT, ['tcpdump', '-i', 'veth-c', '-U', '-w', pcap, f'tcp port {PORT}'],
                                stderr=subprocess.DEVNULL)
        try:
            assert srv.stdout.readline().strip() == 'ready'
            time.sleep(1)  # tcpdump attaches

            benign = client('hello ', 'benign-bytes', '--gap-ms', '5')
            check(benign.get('reply', '').startswith('PONG') and benign['error'] is None,
                  'benign connection through the stream stage answered')

            attack = client('hello ', MARKER)
            check(attack['error'] == 'ConnectionResetError', f'client reset while sending the marker ({attack})')
            wait_for(lambda: len(server_records(records)) >= 2, 10, what='server saw the attack connection end')
            rec = server_records(records)[-1]
            check(rec['end'] == 'reset', f"server application got ECONNRESET (read {rec['data']!r})")
            check(MARKER not in rec['data'], 'server never read the marker whole')
            check(rec['data'].startswith('hello ' + MARKER[:-1][:5]), 'bytes before the completing segment did pass')

            forged = client('hello ', MARKER, '--forge-rst')
            check(forged['error'] == 'ConnectionResetError', f'after a forged RST the marker is still blocked ({forged})')
            wait_for(lambda: len(server_records(records)) >= 3, 10, what='server saw the forged-RST connection end')
            rec = server_records(records)[-1]
            check(MARKER not in rec['data'] and rec['end'] == 'reset', 'forged RST did not blind Weir')

            again = client('hello ', 'still-fine', '--gap-ms', '5')
            check(again.get('reply', '').startswith('PONG'), 'other connections unaffected after the blocks')
        finally:
            time.sleep(0.5)
            dump.terminate()
            dump.wait()
            srv.kill()
        stats = lab.telemetry('/weir/stats')
        check(stats['stream_sig_blocks'] >= 2, f"stream signature blocks counted ({stats['stream_sig_blocks']})")
        check(stats['tcp_invalid_rst'] >= 1, f"forged RST dropped as invalid_rst ({stats['tcp_invalid_rst']})")
        check(stats['resets_sent'] >= 4, f"RSTs sent to both ends ({stats['resets_sent']})")
        out = weirlab.run(['tshark', '-r', pcap, '-Y', 'tcp.len == 1 && ip.src == 198.18.0.1', '-T', 'fields',
                           '-e', 'tcp.payload']).stdout.split()
        marker_bytes = ''.join(chr(int(h, 16)) for h in out)
        check(len(out) >= 2 * len(MARKER) - 2, f'the capture holds {len(out)} one-byte segments from the client')
        check(MARKER[:-1] in marker_bytes, 'the marker travelled as 1-byte segments')
    log('PASS')


if __name__ == '__main__':
    main()
