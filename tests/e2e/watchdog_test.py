#!/usr/bin/python3
"""e2e: the watchdog sees a stalled worker and the pair's fail mode applies.

Two workers; worker 0 is stalled for 2 s through the test hook
(/weir/test/stall,0,2000; stall_ms is 500). While it is stuck, UDP from 200
source ports is sent, so packets also reach the healthy worker:
  fail: open   -> /weir/pairs shows "bypass" within 1 s of the threshold,
                  the healthy worker bridges uninspected (fail_open_bypassed
                  grows), and the pair returns to "inspect" after the stall;
  fail: closed -> /weir/pairs shows "fail_closed", packets are dropped
                  (fail_closed_dropped grows); af_packet cannot take links
                  down, which the dataplane logs; back to "inspect" after.
The watchdog's log names the stuck worker in both cases.
"""
import os
import sys
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirlab as wl  # noqa: E402

UDP_BURST = '''
import socket
for i in range(200):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b'during the stall', ('198.18.0.2', 7000)); s.close()
'''


def pair_mode(lab):
    return lab.telemetry('/weir/pairs')['lab']


def run_case(lab, fail, mode_while_stuck, counter):
    with open(wl.DEFAULT_CONFIG) as f:
        pairs = yaml.safe_load(f)['pairs']
    pairs[0]['fail'] = fail
    cfg = lab.config({'dataplane': {'workers': [1, 2]}, 'pairs': pairs,
                      'watchdog': {'stall_ms': 500, 'action': 'fail_mode'}}, name=f'watchdog-{fail}.yaml')
    lab.start_bridge(workers=2, config=cfg, extra=['--enable-test-hooks'])
    wl.check(pair_mode(lab) == 'inspect', f'fail {fail}: pair inspects before the stall')
    base = lab.telemetry('/weir/stats')
    t0 = time.time()
    lab.telemetry('/weir/test/stall,0,2000')
    wl.wait_for(lambda: pair_mode(lab) == mode_while_stuck, 1.5, interval=0.05,
                what=f'pair mode {mode_while_stuck}')
    wl.check(True, f'fail {fail}: pair is "{mode_while_stuck}" {time.time() - t0:.2f} s after the stall began')
    wl.ns_run(wl.NS_CLIENT, ['/usr/bin/python3', '-c', UDP_BURST], timeout=30)
    time.sleep(0.2)
    s = lab.telemetry('/weir/stats')
    grew = s[counter] - base[counter]
    wl.check(grew > 0, f'fail {fail}: {counter} +{grew} while worker 0 is stuck')
    wl.wait_for(lambda: pair_mode(lab) == 'inspect', 4, interval=0.1, what='pair back to inspect')
    wl.check(True, f'fail {fail}: pair inspects again {time.time() - t0:.2f} s after the stall began')
    code, _, _ = lab.curl(f'{wl.URL4}/index.html', timeout=10)
    wl.check(code == 200, f'fail {fail}: traffic crosses again after the stall (HTTP {code})')
    log = lab.bridge_log()
    wl.check('watchdog: worker 0' in log and 'stuck' in log, f'fail {fail}: the watchdog logged the stuck worker')
    lab.stop_bridge()
    return log


def main():
    wl.require_weir()
    with wl.Lab() as lab:
        run_case(lab, 'open', 'bypass', 'fail_open_bypassed')
        log = run_case(lab, 'closed', 'fail_closed', 'fail_closed_dropped')
        wl.check('link' in log and ('NOT propagated' in log or 'link down' in log),
                 'fail closed: taking the links down is attempted and its outcome logged')


if __name__ == '__main__':
    main()
