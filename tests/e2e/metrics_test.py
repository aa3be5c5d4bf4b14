#!/usr/bin/python3
"""Prometheus /metrics end to end (issue 7 item 4), weir-control and a
stand-in dataplane, no lab:

* the dataplane's counter snapshot (per worker, ports, latency buckets)
  becomes weir_worker_*{worker}, weir_port_*{port}, weir_dataplane_* and the
  weir_dataplane_time_in_box_seconds histogram;
* alerts, exporter counters and spool levels, config generation;
* `promtool check metrics` accepts the whole text (format and naming lint);
* the plain metrics.listen address serves /metrics only, the admin socket
  serves it too.
"""
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from control_harness import Control, check, free_port, skip, unix_api, wait_for  # noqa: E402


def parse(text):
    out = {}
    for line in text.splitlines():
        if line and not line.startswith('#'):
            name, value = line.rsplit(' ', 1)
            out[name] = float(value)
    return out


def main():
    if not shutil.which('promtool'):
        skip('promtool not installed (Debian package prometheus)')
    ctl = Control()
    mport, dead = free_port(), free_port()
    ctl.write_config(f'''
metrics:
  listen: "127.0.0.1:{mport}"
export:
  exporters:
    - {{name: hook, type: webhook, url: "http://127.0.0.1:{dead}/x", retry_initial_ms: 60000, retry_max_ms: 60000}}
''')
    try:
        ctl.start()
        dp = ctl.connect_dataplane()
        totals = {'rx_packets': 30, 'events.spool_pending': 0, 'events.ring_overflow': 2,
                  'handoff_ring_full': 1, 'config_applied': 1, 'config_generation': 1,
                  'latency_samples': 10, 'latency_sum_ns': 25000, 'latency_p99_ns': 4096,
                  'latency_le_ns.1024': 2, 'latency_le_ns.2048': 6, 'latency_le_ns.4096': 10,
                  'port.net_af_packet0.ipackets': 30, 'port.net_af_packet0.link_up': 1,
                  'pair.lab.mode': 0, 'exception_overload_drop': 3,
                  'rules_generation': 2, 'rules_count': 57, 'rules_reloads': 1, 'rules_reload_failed': 0,
                  'rules_reload_us': 8500}
        workers = {0: {'rx_packets': 10, 'flows_active': 4, 'blocked_packets': 1},
                   1: {'rx_packets': 20, 'flows_active': 5, 'blocked_packets': 0}}
        dp.send_counters(time.time_ns(), totals, workers)
        dp.send_events([dict(severity=3), dict(severity=3), dict(severity=4, class_name='xss')])
        wait_for(lambda: unix_api(ctl.admin, 'GET', '/v1/export')[1]['exporters'][0]['spool_records'] == 3, 10,
                 what='3 alerts spooled for the dead webhook')
        with urllib.request.urlopen(f'http://127.0.0.1:{mport}/metrics', timeout=10) as r:
            ctype = r.headers['Content-Type']
            text = r.read().decode()
        check(ctype.startswith('text/plain; version=0.0.4'), f'Content-Type {ctype}')
        res = subprocess.run(['promtool', 'check', 'metrics'], input=text, capture_output=True, text=True)
        check(res.returncode == 0 and not res.stdout.strip() and not res.stderr.strip(),
              f'promtool check metrics: clean ({len(text.splitlines())} lines) {res.stdout}{res.stderr}')
        m = parse(text)
        check(m['weir_worker_rx_packets_total{worker="0"}'] == 10 and m['weir_worker_rx_packets_total{worker="1"}'] == 20,
              'per-worker counters with a worker label')
        check('weir_dataplane_rx_packets_total' not in m, 'a per-worker counter is not repeated as a total')
        check(m['weir_worker_flows_active{worker="1"}'] == 5 and '# TYPE weir_worker_flows_active gauge' in text,
              'flows as a gauge')
        check(m['weir_dataplane_events_ring_overflow_total'] == 2 and m['weir_dataplane_events_spool_pending'] == 0,
              'ring overflow and dataplane spool level')
        check(m['weir_dataplane_exception_overload_drop_total'] == 3, 'exception-policy hits')
        check(m['weir_port_ipackets_total{port="net_af_packet0"}'] == 30 and
              m['weir_port_link_up{port="net_af_packet0"}'] == 1, 'port counters with a port label')
        check(m['weir_dataplane_time_in_box_seconds_bucket{le="2.048e-06"}'] == 6 and
              m['weir_dataplane_time_in_box_seconds_bucket{le="+Inf"}'] == 10 and
              m['weir_dataplane_time_in_box_seconds_count'] == 10 and
              abs(m['weir_dataplane_time_in_box_seconds_sum'] - 25e-6) < 1e-12,
              'time-in-box histogram in seconds with le buckets, sum and count')
        check(m['weir_dataplane_latency_p99_seconds'] == 4.096e-06, '_ns counters become _seconds')
        check(m['weir_alerts_stored{severity="high"}'] == 2 and m['weir_alerts_stored{severity="critical"}'] == 1,
              'alerts by severity')
        check(m['weir_export_spool_records{exporter="hook",type="webhook"}'] == 3 and
              m['weir_export_spooled_total{exporter="hook",type="webhook"}'] == 3 and
              m['weir_export_failed_total{exporter="hook",type="webhook"}'] >= 1,
              'exporter counters and spool level')
        check(m['weir_config_generation'] == 1 and m['weir_dataplane_config_applied_total'] == 1,
              'config generation and applies')
        check(m['weir_dataplane_connected'] == 1, 'dataplane link state')
        check(m['weir_dataplane_rules_reloads_total'] == 1 and m['weir_dataplane_rules'] == 57 and
              m['weir_dataplane_rules_reload_seconds'] == 0.0085 and m['weir_dataplane_rules_generation'] == 2,
              'rule reload count, duration (seconds) and generation')
        try:
            urllib.request.urlopen(f'http://127.0.0.1:{mport}/v1/status', timeout=10)
            served = True
        except urllib.error.HTTPError as e:
            served = e.code != 404
        check(not served, 'the plain metrics listener serves /metrics only (404 for the admin API)')
        status, body = unix_api(ctl.admin, 'GET', '/metrics')
        check(status == 200 and 'weir_worker_rx_packets_total' in body, '/metrics on the admin socket too')
    finally:
        ctl.stop()
        if os.environ.get('WEIR_E2E_KEEP'):
            print('kept', ctl.tmp)
        else:
            shutil.rmtree(ctl.tmp, ignore_errors=True)
    print('metrics e2e: all checks passed')


if __name__ == '__main__':
    main()
