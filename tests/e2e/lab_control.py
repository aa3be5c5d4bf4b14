"""weir-control beside the lab's dataplane, and a weirctl runner: shared by
the e2e tests that need the control plane with real traffic."""
import json
import os
import signal
import subprocess

import weirlab
from weirlab import wait_for


class Control:
    """weir-control in a temp dir plus a weirctl runner."""

    def __init__(self, lab, config):
        self.build = weirlab.build_dir()
        self.bin = os.path.join(self.build, 'control', 'weir-control')
        self.ctl = os.path.join(self.build, 'cli', 'weirctl')
        if not (os.access(self.bin, os.X_OK) and os.access(self.ctl, os.X_OK)):
            weirlab.skip('weir-control / weirctl not built')
        self.dir = os.path.join(lab.tmp, 'control')
        os.makedirs(self.dir, exist_ok=True)
        self.admin = os.path.join(self.dir, 'admin.sock')
        self.config = config
        self.proc = None

    def start(self):
        self.log = open(os.path.join(self.dir, 'control.log'), 'a')
        self.proc = subprocess.Popen(
            [self.bin, '--config', self.config, '--state-dir', os.path.join(self.dir, 'state'),
             '--admin-socket', self.admin, '--foreground'],
            stdout=self.log, stderr=subprocess.STDOUT)
        wait_for(lambda: os.path.exists(self.admin), 10, what='admin socket')

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def weirctl(self, *args, check_rc=True, timeout=30):
        res = subprocess.run([self.ctl, '--socket', self.admin, *args], text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        if check_rc and res.returncode != 0:
            raise AssertionError(f'weirctl {" ".join(args)} -> {res.returncode}: {res.stderr}')
        return res

    def json(self, *args, timeout=30):
        return json.loads(self.weirctl('--json', *args, timeout=timeout).stdout)

    def api(self, path):
        # Paging by id is an API feature weirctl does not expose; curl speaks it.
        res = subprocess.run(['curl', '-sS', '--unix-socket', self.admin, 'http://weir' + path],
                             text=True, stdout=subprocess.PIPE, check=True, timeout=30)
        return json.loads(res.stdout)

    def connected(self):
        try:
            return self.json('status')['dataplane'].get('connected', False)
        except Exception:  # noqa: BLE001 - not up yet
            return False
