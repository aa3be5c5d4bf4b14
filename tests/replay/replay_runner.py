#!/usr/bin/python3
"""Runs one replay case: tests/replay/<case>/{input.pcap, expect.yaml}.

    replay_runner.py <case dir> [--dataplane PATH] [--keep]

Builds the case config (configs/weir.yaml with the `config:` overrides of
expect.yaml merged in), runs
    weir-dataplane <EAL> -- --config case.yaml --replay input.pcap --replay-out out.pcap
                          --replay-stats stats.json
and checks that
  * out.pcap holds exactly the expected input frames, byte for byte and in
    order (`forward: all | none | [indices]`); timestamps are not compared;
    with `resets: N` the output may also hold exactly N TCP RSTs Weir made
    (a blocked flow), checked apart from the forwarded frames;
  * every counter under `counters:` has exactly that value (read from the
    JSON file the dataplane writes with --replay-stats); a value may also be
    a comparison as text: '>= 437', '<= 64', '> 0', '< 3', '!= 0';
  * `case_rules: DIR`: rules.dir is that folder of the case;
  * with `streams: {"<file>": "<bytes>"}`: the TCP streams delivered to
    inspection (--replay-streams DIR) are exactly these files with exactly
    these bytes (text, as latin-1, or 'hex:0a0b...'); a stream not listed
    must not exist.
`config:` is a mapping of overrides, or the name of a YAML file in the case
folder holding them.
Exit 0 pass, 1 fail, 77 skip (weir-dataplane not built).
"""
import argparse
import json
import os
import struct
import subprocess
import sys
import shutil
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_CONFIG = os.path.join(REPO, 'configs', 'weir.yaml')


def read_pcap(path):
    """Frames (bytes) of a classic pcap file, microsecond or nanosecond."""
    frames = []
    with open(path, 'rb') as f:
        head = f.read(24)
        if len(head) < 24:
            raise ValueError(f'{path}: not a pcap file (short header)')
        magic = struct.unpack('<I', head[:4])[0]
        if magic in (0xa1b2c3d4, 0xa1b23c4d):
            endian = '<'
        elif magic in (0xd4c3b2a1, 0x4d3cb2a1):
            endian = '>'
        else:
            raise ValueError(f'{path}: not a pcap file (magic {magic:#x})')
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                break
            _, _, caplen, origlen = struct.unpack(endian + 'IIII', rec)
            data = f.read(caplen)
            if caplen != origlen:
                raise ValueError(f'{path}: frame {len(frames)} captured {caplen} of {origlen} bytes')
            frames.append(data)
    return frames


def merge(dst, src):
    for k, v in src.items():
        if isinstance(v, dict) and isinstance(dst.get(k), dict):
            merge(dst[k], v)
        else:
            dst[k] = v


def find_dataplane():
    env = os.environ.get('WEIR_BUILD_DIR')
    dirs = [env] if env else [os.path.join(REPO, d) for d in sorted(os.listdir(REPO)) if d.startswith('build')]
    for d in dirs:
        p = os.path.join(d, 'dataplane', 'runtime', 'weir-dataplane')
        if os.access(p, os.X_OK):
            return p
    return None


def read_counters(path):
    """The counters weir-dataplane wrote with --replay-stats, flattened to name -> value."""
    try:
        with open(path) as f:
            found = json.load(f)
    except (OSError, json.JSONDecodeError):
        return None
    flat = {}

    def walk(d):
        for k, v in d.items():
            if isinstance(v, dict):
                walk(v)
            elif isinstance(v, (int, float)):
                flat[k] = v
    walk(found)
    return flat


def hexdiff(a, b):
    for i in range(min(len(a), len(b))):
        if a[i] != b[i]:
            return f'first difference at byte {i}: {a[i]:#04x} != {b[i]:#04x}'
    return f'lengths differ: {len(a)} != {len(b)}'


def counter_matches(got, want):
    """want: an exact number, or text '<op> <number>' with op one of >= <= > < != ==."""
    if not isinstance(want, str):
        return got == want
    op, _, num = want.strip().partition(' ')
    ops = {'>=': lambda a, b: a >= b, '<=': lambda a, b: a <= b, '>': lambda a, b: a > b,
           '<': lambda a, b: a < b, '!=': lambda a, b: a != b, '==': lambda a, b: a == b}
    if op not in ops:
        raise ValueError(f'counter expectation {want!r}: expected "<op> <number>"')
    return got is not None and ops[op](got, float(num))


def stream_bytes(v):
    return bytes.fromhex(v[4:]) if v.startswith('hex:') else v.encode('latin-1')


def check_streams(streams_dir, want_streams):
    """Compares the streams the dataplane delivered to inspection with the expected ones."""
    failures = []
    found = sorted(os.listdir(streams_dir)) if os.path.isdir(streams_dir) else []
    for name in found:
        if name not in want_streams:
            with open(os.path.join(streams_dir, name), 'rb') as f:
                failures.append(f'unexpected stream {name}: {f.read()[:200]!r}')
    for name, text in want_streams.items():
        want = stream_bytes(text)
        path = os.path.join(streams_dir, name)
        if not os.path.exists(path):
            failures.append(f'stream {name} missing (expected {want[:200]!r}); found {found}')
            continue
        with open(path, 'rb') as f:
            got = f.read()
        if got != want:
            failures.append(f'stream {name} is {got[:200]!r}, expected {want[:200]!r}')
        else:
            print(f'ok: stream {name}: {len(got)} bytes as expected')
    return failures


def is_tcp_rst(frame):
    """An Ethernet (optionally 802.1Q) IPv4/IPv6 TCP segment with RST set."""
    off, etype = 12, int.from_bytes(frame[12:14], 'big')
    while etype in (0x8100, 0x88a8):
        off += 4
        etype = int.from_bytes(frame[off:off + 2], 'big')
    l3 = off + 2
    if etype == 0x0800 and len(frame) > l3 + 20 and frame[l3 + 9] == 6:
        l4 = l3 + (frame[l3] & 0x0f) * 4
    elif etype == 0x86dd and len(frame) > l3 + 40 and frame[l3 + 6] == 6:
        l4 = l3 + 40
    else:
        return False
    return len(frame) >= l4 + 14 and bool(frame[l4 + 13] & 0x04)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('case')
    ap.add_argument('--dataplane')
    ap.add_argument('--keep', action='store_true', help='keep the temporary directory')
    args = ap.parse_args()

    case_dir = os.path.abspath(args.case)
    name = os.path.basename(case_dir)
    dataplane = args.dataplane or find_dataplane()
    if not dataplane:
        print(f'SKIP {name}: weir-dataplane is not built')
        return 77
    with open(os.path.join(case_dir, 'expect.yaml')) as f:
        expect = yaml.safe_load(f)
    with open(DEFAULT_CONFIG) as f:
        cfg = yaml.safe_load(f)
    overrides = expect.get('config') or {}
    if isinstance(overrides, str):
        with open(os.path.join(case_dir, overrides)) as f:
            overrides = yaml.safe_load(f) or {}
    merge(cfg, overrides)
    # Paths in the config are relative to the config file; case.yaml lives in a temporary directory.
    rules = cfg.get('rules')
    if isinstance(rules, dict) and isinstance(rules.get('dir'), str) and not os.path.isabs(rules['dir']):
        rules['dir'] = os.path.join(os.path.dirname(DEFAULT_CONFIG), rules['dir'])
    if expect.get('case_rules'):
        # The case's own ruleset (a folder beside expect.yaml), so the case does
        # not change meaning when the default ruleset evolves.
        cfg.setdefault('rules', {})['dir'] = os.path.join(case_dir, expect['case_rules'])

    tmp = tempfile.mkdtemp(prefix=f'weir-replay-{name}-')
    cfg_path = os.path.join(tmp, 'case.yaml')
    with open(cfg_path, 'w') as f:
        yaml.safe_dump(cfg, f, sort_keys=False)
    in_pcap = os.path.join(case_dir, 'input.pcap')
    out_pcap = os.path.join(tmp, 'out.pcap')
    # Replay needs no NIC: no vdevs, no hugepages; its own file prefix so cases run in parallel.
    eal = ['-l', '0,1', '--no-huge', '-m', '512', '--no-pci', '--file-prefix', f'weir-replay-{name}',
           '--log-level', 'lib.eal:warning']
    stats_json = os.path.join(tmp, 'stats.json')
    cmd = [dataplane, *eal, '--', '--config', cfg_path, '--replay', in_pcap, '--replay-out', out_pcap,
           '--replay-stats', stats_json]
    want_streams = expect.get('streams')
    streams_dir = os.path.join(tmp, 'streams')
    if want_streams is not None:
        cmd += ['--replay-streams', streams_dir]
    if expect.get('client_net'):
        cmd += ['--client-net', expect['client_net']]
    print('$ ' + ' '.join(cmd), flush=True)
    # Cases share compiled Hyperscan databases (keyed by their exact compile
    # input, so a changed rule can never reuse a stale one).
    env = dict(os.environ)
    env.setdefault('WEIR_HS_CACHE_DIR', os.path.join(tempfile.gettempdir(), f'weir-hs-cache-{os.getuid()}'))
    os.makedirs(env['WEIR_HS_CACHE_DIR'], exist_ok=True)
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    output = res.stdout + res.stderr
    failures = []
    if res.returncode != 0:
        print(output)
        print(f'FAIL {name}: weir-dataplane exited {res.returncode}')
        return 1

    frames_in = read_pcap(in_pcap)
    frames_out = read_pcap(out_pcap)
    if 'resets' in expect:
        # Frames Weir made itself (RSTs of a blocked flow) are checked apart
        # from the forwarded input frames.
        inputs = set(frames_in)
        made = [f for f in frames_out if f not in inputs]
        frames_out = [f for f in frames_out if f in inputs]
        bad = [f for f in made if not is_tcp_rst(f)]
        if len(made) != expect['resets'] or bad:
            failures.append(f'{len(made)} frames made by Weir ({len(bad)} not TCP RSTs), expected {expect["resets"]} RSTs')
        else:
            print(f'ok: {len(made)} RST frames made by Weir')
    fwd = expect.get('forward', 'all')
    want_idx = list(range(len(frames_in))) if fwd == 'all' else [] if fwd == 'none' else list(fwd)
    want = [frames_in[i] for i in want_idx]
    if len(frames_out) != len(want):
        failures.append(f'forwarded {len(frames_out)} frames, expected {len(want)} (input frames {want_idx})')
    for k, (got, exp) in enumerate(zip(frames_out, want)):
        if got != exp:
            failures.append(f'output frame {k} is not input frame {want_idx[k]}: {hexdiff(got, exp)}')
            break
    if not failures:
        print(f'ok: {len(frames_out)} of {len(frames_in)} frames forwarded byte for byte, in order')

    want_counters = expect.get('counters') or {}
    if want_counters:
        counters = read_counters(stats_json)
        if counters is None:
            failures.append(f'no counters: {stats_json} missing or not JSON')
        else:
            for key, value in want_counters.items():
                got = counters.get(key, counters.get(f'malformed_{key}'))
                if not counter_matches(got, value):
                    failures.append(f'counter {key} = {got}, expected {value}')
                else:
                    print(f'ok: counter {key} = {got}')

    if want_streams is not None:
        failures += check_streams(streams_dir, want_streams)

    if failures:
        print(output[-3000:])
        for f in failures:
            print(f'FAIL {name}: {f}')
        print(f'(files in {tmp})')
        return 1
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f'PASS {name}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
