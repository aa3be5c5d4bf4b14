#!/usr/bin/python3
"""e2e: a bad config is refused with one line naming file, line and key, exit code 2.

Each case edits configs/weir.yaml textually (so the offending line is known)
and runs weir-dataplane with and without --check-config on two null ports:
  unknown key, wrong type, missing port key, port device that does not
  exist, worker lcore that does not exist (EAL has lcores 0 and 1).
The good config passes --check-config (exit 0), so the harness itself is
shown able to tell good from bad.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirlab as wl  # noqa: E402

EAL = ['-l', '0,1', '--no-huge', '-m', '256', '--no-pci', '--file-prefix', 'weir-cfgtest',
       '--vdev', 'net_null0', '--vdev', 'net_null1', '--log-level', 'lib.eal:warning']


def base_lines():
    with open(wl.DEFAULT_CONFIG) as f:
        text = f.read().replace('net_af_packet0', 'net_null0').replace('net_af_packet1', 'net_null1')
    # rules.dir is relative to the config file, and the edited copies live elsewhere.
    rules_dir = os.path.join(os.path.dirname(wl.DEFAULT_CONFIG), 'rules')
    text = re.sub(r'^(\s+dir:\s*)rules\b', lambda m: m.group(1) + rules_dir, text, flags=re.M)
    return text.splitlines()


def find(lines, pattern):
    for i, line in enumerate(lines):
        if re.search(pattern, line):
            return i
    raise AssertionError(f'configs/weir.yaml has no line matching {pattern!r}')


def case_unknown_key(lines):
    i = find(lines, r'^dataplane:')
    lines.insert(i + 1, '  frobnicate: 1')
    return lines, 'frobnicate', i + 2


def case_wrong_type(lines):
    i = find(lines, r'^\s+burst:')
    lines[i] = re.sub(r'burst:\s*\d+', 'burst: lots', lines[i])
    return lines, 'burst', i + 1


def case_missing_port_key(lines):
    i = find(lines, r'^\s+server_port:')
    del lines[i]
    return lines, 'server_port', None


def case_unknown_port(lines):
    i = find(lines, r'^\s+client_port:')
    lines[i] = lines[i].replace('net_null0', 'net_null7')
    return lines, 'client_port', i + 1


def case_missing_lcore(lines):
    i = find(lines, r'^\s+workers:')
    lines[i] = re.sub(r'workers:\s*\[[^\]]*\]', 'workers: [1, 7]', lines[i])
    return lines, 'workers', i + 1


CASES = [case_unknown_key, case_wrong_type, case_missing_port_key, case_unknown_port, case_missing_lcore]


def run(dp, path, check_only):
    args = [dp, *EAL, '--', '--config', path] + (['--check-config'] if check_only else [])
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def main():
    wl.require_weir()
    dp = wl.dataplane_binary()
    tmp = tempfile.mkdtemp(prefix='weir-badcfg-')
    good = os.path.join(tmp, 'good.yaml')
    with open(good, 'w') as f:
        f.write('\n'.join(base_lines()) + '\n')
    res = run(dp, good, True)
    wl.check(res.returncode == 0, f'the unedited config passes --check-config (exit {res.returncode}) '
             f'{res.stderr.strip()[-300:]}')
    failures = 0
    for case in CASES:
        lines, key, line_no = case(base_lines())
        name = case.__name__[5:]
        path = os.path.join(tmp, f'{name}.yaml')
        with open(path, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        for check_only in (True, False):
            mode = '--check-config' if check_only else 'start'
            res = run(dp, path, check_only)
            errs = [x for x in (res.stderr + res.stdout).splitlines() if path in x]
            ok = res.returncode == 2 and len(errs) == 1
            m = re.search(re.escape(path) + r':(\d+):', errs[0]) if len(errs) == 1 else None
            ok = ok and m is not None and key in errs[0]
            if ok and line_no is not None:
                ok = int(m.group(1)) == line_no
            where = f'line {line_no}' if line_no else 'a line'
            msg = (f'{name} ({mode}): exit {res.returncode}, one line naming the file, {where} and '
                   f'"{key}": {errs[0].strip() if errs else "(no line names the file)"}')
            if ok:
                wl.log(f'ok: {msg}')
            else:
                failures += 1
                wl.log(f'FAIL: {msg}\n  output: {(res.stderr + res.stdout).strip()[-600:]}')
    if failures:
        raise AssertionError(f'{failures} bad-config checks failed')
    shutil.rmtree(tmp)


if __name__ == '__main__':
    main()
