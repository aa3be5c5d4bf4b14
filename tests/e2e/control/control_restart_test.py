#!/usr/bin/python3
"""weir-control end to end, without DPDK ports.

The real weir-control binary and a stand-in dataplane (weir-dp-link-driver:
the real ControlLink and rings, a steady trickle of alert events):

* the dataplane connects and gets the config, mode and blocks;
* kill -9 of weir-control while events flow; 1,000 test events raised while
  it is down; after the restart every event (trickle + 1,000) is in the
  store exactly once and the state is pushed again;
* a dataplane restart: weir-control takes the new connection and re-pushes
  config and blocks;
* a broken config apply is refused with the exact error, the old one stays.
"""
import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=10):
        super().__init__("weir", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


def api(sock, method, target, body=None):
    conn = UnixHTTPConnection(sock)
    conn.request(method, target, body=None if body is None else json.dumps(body))
    resp = conn.getresponse()
    data = json.loads(resp.read() or b"{}")
    conn.close()
    return resp.status, data


def wait_for(what, pred, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if pred():
                return
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def read_stats(path):
    with open(path) as f:
        return json.load(f)


def all_alerts(sock):
    out, after = [], 0
    while True:
        status, body = api(sock, "GET", "/v1/alerts?after_id=%d&limit=1000" % after)
        assert status == 200, body
        out += body["alerts"]
        if not body["alerts"]:
            return out
        after = body["last_id"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", required=True)
    ap.add_argument("--driver", required=True)
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="weir_e2e_ctl_")
    admin = os.path.join(tmp, "admin.sock")
    dps = os.path.join(tmp, "dp.sock")
    stats = os.path.join(tmp, "driver.json")
    control_cmd = [args.control, "--foreground", "--state-dir", os.path.join(tmp, "state"),
                   "--admin-socket", admin, "--dataplane-socket", dps]
    driver_cmd = [args.driver, "--socket", dps, "--spool", os.path.join(tmp, "spool", "spool.bin"),
                  "--stats", stats, "--rate", "200"]
    log = open(os.path.join(tmp, "control.log"), "a")
    procs = []

    def start(cmd):
        p = subprocess.Popen(cmd, stdout=log, stderr=log)
        procs.append(p)
        return p

    try:
        control = start(control_cmd)
        wait_for("admin socket", lambda: api(admin, "GET", "/v1/status")[0] == 200)
        assert oct(os.stat(admin).st_mode & 0o777) == "0o600"
        status, body = api(admin, "POST", "/v1/blocks", {"cidr": "198.18.0.0/24", "ttl_s": 3600})
        assert status == 201, body
        assert api(admin, "PUT", "/v1/mode", {"mode": "block"})[0] == 200

        driver = start(driver_cmd)
        wait_for("dataplane connected and state pushed",
                 lambda: read_stats(stats)["connected"] and read_stats(stats)["configs"] >= 1
                 and read_stats(stats)["blocks"] >= 1 and read_stats(stats)["block_mode"])
        wait_for("status shows the dataplane",
                 lambda: api(admin, "GET", "/v1/status")[1]["dataplane"]["connected"])
        wait_for("trickle stored", lambda: api(admin, "GET", "/v1/status")[1]["store"]["alerts"] >= 50)

        # kill -9 while events flow.
        control.send_signal(signal.SIGKILL)
        control.wait()
        wait_for("the link notices", lambda: not read_stats(stats)["connected"])
        driver.send_signal(signal.SIGUSR1)  # 1,000 test events while control is down
        wait_for("1,000 events spooled", lambda: read_stats(stats)["raised"] == 1000
                 and read_stats(stats)["spool_pending"] >= 1000)
        time.sleep(0.5)

        control = start(control_cmd)
        wait_for("reconnect and re-push", lambda: read_stats(stats)["connected"]
                 and read_stats(stats)["configs"] >= 2 and read_stats(stats)["blocks"] >= 2, 15)
        # Stop the trickle's clock by stopping the driver cleanly (SIGTERM
        # spools whatever is still in its ring); everything it emitted must be
        # stored once.
        driver.send_signal(signal.SIGTERM)
        driver.wait(timeout=10)
        final = read_stats(stats)
        os.unlink(stats)  # so the waits below see the new process only
        # The dataplane restarts (no trickle this time): replays its spool.
        driver = start(driver_cmd[:-2] + ["--rate", "0"])
        wait_for("driver reconnected", lambda: read_stats(stats)["connected"] and read_stats(stats)["configs"] >= 1
                 and read_stats(stats)["blocks"] >= 1)
        # `final` was written up to 100 ms before exit; the trickle may have
        # emitted a few more. Every stored event must be distinct and all
        # 1,000 test events present.
        wait_for("spool drained", lambda: read_stats(stats)["spool_pending"] == 0, 15)
        alerts = all_alerts(admin)
        ids = [a["event_id"] for a in alerts]
        assert len(ids) == len(set(ids)), "duplicate events in the store"
        tests = [a for a in alerts if a["kind"] == "test"]
        assert len(tests) == 1000, "test events stored: %d" % len(tests)
        trickle = [a for a in alerts if a["class"] == "trickle"]
        rules = sorted(a["rule_id"] for a in trickle)
        assert rules == list(range(len(rules))), "trickle events missing (gaps in sequence)"
        assert len(trickle) >= final["emitted"], (len(trickle), final["emitted"])
        assert final["spool_dropped"] == 0 and final["ring_overflow"] == 0, final
        wait_for("weir-control sees the restarted dataplane",
                 lambda: api(admin, "GET", "/v1/status")[1]["dataplane"]["connected"]
                 and api(admin, "GET", "/v1/status")[1]["dataplane"]["reconnects"] >= 1)

        # A broken config is refused; the old one stays.
        status, cfg = api(admin, "GET", "/v1/config")
        broken = cfg["yaml"].replace("burst: 32", "burst: lots")
        status, body = api(admin, "POST", "/v1/config/apply", {"yaml": broken, "source": "broken.yaml"})
        assert status == 422, body
        assert body["error"]["message"].startswith("broken.yaml:"), body
        assert "dataplane.burst" in body["error"]["message"], body
        assert api(admin, "GET", "/v1/config")[1]["generation"] == cfg["generation"]
        status, body = api(admin, "POST", "/v1/config/diff",
                           {"yaml": cfg["yaml"].replace("burst: 32", "burst: 64"), "source": "new.yaml"})
        assert status == 200 and "+  burst: 64" in body["diff"], body
        print("ok: %d trickle + %d test events stored once across kill -9 and restarts"
              % (len(trickle), len(tests)))
        return 0
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    p.kill()


if __name__ == "__main__":
    sys.exit(main())
