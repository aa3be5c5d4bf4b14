#!/usr/bin/python3
"""e2e: a 50 MB download over IPv4 and over IPv6 through the bridge, sha256 equal.

Also checks the bridge saw the bytes (so the transfer did not bypass it).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirlab as wl  # noqa: E402


def main():
    with wl.Lab() as lab:
        lab.start_bridge()
        want = lab.server_sha256('50m.bin')
        for url in (wl.URL4, wl.URL6):
            out = os.path.join(lab.tmp, 'download.bin')
            code, secs, size = lab.curl(f'{url}/50m.bin', out=out)
            wl.check(code == 200 and size == 50 * 1024 * 1024,
                     f'{url}/50m.bin: HTTP {code}, {size} bytes in {secs:.2f} s')
            got = wl.sha256_file(out)
            wl.check(got == want, f'{url}/50m.bin sha256 {got[:16]}... matches the server file')
            os.unlink(out)
        if lab.kind == 'weir':
            stats = lab.telemetry('/weir/stats')
            wl.check(stats['rx_bytes'] > 2 * 50 * 1024 * 1024,
                     f'dataplane received {stats["rx_bytes"]} bytes (> 2 x 50 MB)')
        else:
            s = lab.telemetry('/ethdev/stats,1')   # server side: the downloads
            wl.check(s['ibytes'] > 2 * 50 * 1024 * 1024, f'testpmd server port received {s["ibytes"]} bytes')


if __name__ == '__main__':
    main()
