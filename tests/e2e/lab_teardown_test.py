#!/usr/bin/python3
"""e2e: the lab leaves nothing behind, also when a test dies in the middle.

A child process brings the lab up, starts the bridge and then fails with an
exception (and a second child is killed with SIGTERM, as meson's timeout
does); afterwards no namespace, veth, nginx, bridge process, lab directory
or DPDK runtime directory may remain.
"""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirlab as wl  # noqa: E402

CHILD_FAIL = '''
import sys; sys.path.insert(0, %r)
import weirlab as wl
with wl.Lab() as lab:
    lab.start_bridge()
    print('READY', flush=True)
    raise RuntimeError('test failure in the middle of a run')
'''
CHILD_HANG = '''
import sys, time; sys.path.insert(0, %r)
import weirlab as wl
with wl.Lab() as lab:
    lab.start_bridge()
    print('READY', flush=True)
    time.sleep(600)
'''


def leftovers():
    found = []
    netns = subprocess.run(['ip', 'netns', 'list'], capture_output=True, text=True).stdout
    for ns in (wl.NS_CLIENT, wl.NS_SERVER):
        if ns in netns:
            found.append(f'netns {ns}')
    for ifname in ('weir-c0', 'weir-s0'):
        if os.path.exists(f'/sys/class/net/{ifname}'):
            found.append(f'link {ifname}')
    for path in (wl.LAB_DIR, '/var/run/dpdk/weir'):
        if os.path.exists(path):
            found.append(path)
    procs = subprocess.run(['ps', '-eo', 'args'], capture_output=True, text=True).stdout
    for line in procs.splitlines():
        if '--file-prefix weir ' in line or wl.LAB_DIR in line:
            found.append(f'process: {line[:80]}')
    return found


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    subprocess.run([wl.LAB_SH, 'down'], check=False)

    child = subprocess.run([sys.executable, '-c', CHILD_FAIL % here], capture_output=True, text=True,
                           timeout=90)
    wl.check('READY' in child.stdout and child.returncode != 0,
             f'child with an exception got the bridge up and failed (exit {child.returncode})')
    left = leftovers()
    wl.check(not left, f'nothing left after an exception: {left}')

    child = subprocess.Popen([sys.executable, '-c', CHILD_HANG % here], stdout=subprocess.PIPE, text=True)
    line = child.stdout.readline()
    wl.check('READY' in line, 'second child got the bridge up')
    wl.check(any(x.startswith('netns') for x in leftovers()), 'lab exists while the child runs')
    child.send_signal(signal.SIGTERM)
    child.wait(timeout=60)
    time.sleep(0.5)
    left = leftovers()
    wl.check(not left, f'nothing left after SIGTERM (exit {child.returncode}): {left}')


if __name__ == '__main__':
    main()
