#!/usr/bin/env python3
"""Issue 5: a false positive tuned away from its alert, end to end.

A SQL tutorial site's snippet search (`/api/snippets?code=...`) carries SQL
text that the SQLi rules block. Through the lab with weir-control:
* the request is reset and alerted;
* `weirctl rules except --from-alert ID --dry-run --corpus C` proposes the
  exception (rule ids + endpoint + zone + field) and shows the request
  would pass and 0 attacks of the corpus would be unblocked;
* `--apply` writes it to the rules folder's exceptions.yaml (audited) and
  reloads the rules;
* the same request now passes; an XSS attack in the same field, and the
  same SQL text in another field or at another endpoint, are still reset.
"""
import json
import os
import shutil
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirlab  # noqa: E402
from lab_control import Control  # noqa: E402
from weirlab import LAB_DIR, NS_CLIENT, REPO, URL4, check, log, wait_for  # noqa: E402

SNIPPET = "1 UNION SELECT username, password FROM users--"
FP_TARGET = '/api/snippets?lang=sql&code=' + urllib.parse.quote(SNIPPET)
XSS_SAME_FIELD = '/api/snippets?lang=sql&code=' + urllib.parse.quote('<script>alert(document.cookie)</script>')
SQLI_OTHER_FIELD = '/api/snippets?lang=' + urllib.parse.quote(SNIPPET)
SQLI_OTHER_ENDPOINT = '/api/items?code=' + urllib.parse.quote(SNIPPET)


def corpus_line(rid, label, uri, cls=None):
    d = {'id': rid, 'method': 'GET', 'uri': uri, 'headers': [['Host', '198.18.0.2']], 'label': label}
    if cls:
        d['class'] = cls
    return json.dumps(d)


def curl_code(url):
    res = weirlab.ns_run(NS_CLIENT, ['curl', '-sS', '-g', '--max-time', '5', '-o', '/dev/null', '-w', '%{http_code}', url],
                         check=False, timeout=15)
    return res.returncode, res.stdout.strip()


def blocked(target):
    rc, code = curl_code(URL4 + target)
    return rc != 0 and code in ('000', '')


def main():
    weirlab.require_weir()
    with weirlab.Lab() as lab:
        rules_dir = os.path.join(lab.tmp, 'rules')
        os.makedirs(rules_dir)
        for name in ('sqli.yaml', 'xss.yaml', 'policy.yaml'):
            shutil.copy(os.path.join(REPO, 'configs', 'rules', name), rules_dir)
        config = lab.config({'rules': {'dir': rules_dir},
                             'control': {'socket': os.path.join(LAB_DIR, 'dp.sock'),
                                         'spool': os.path.join(LAB_DIR, 'spool.bin')}})
        corpus = os.path.join(lab.tmp, 'corpus.jsonl')
        with open(corpus, 'w') as f:
            f.write('\n'.join([
                corpus_line('fp-snippet', 'benign', FP_TARGET),
                corpus_line('benign-plain', 'benign', '/api/snippets?lang=sql&code=select%20me'),
                corpus_line('xss-same-field', 'attack', XSS_SAME_FIELD, 'xss'),
                corpus_line('sqli-other-field', 'attack', SQLI_OTHER_FIELD, 'sqli'),
                corpus_line('sqli-other-endpoint', 'attack', SQLI_OTHER_ENDPOINT, 'sqli'),
            ]) + '\n')
        ctl = Control(lab, config)
        try:
            ctl.start()
            lab.start_bridge(config=config, extra=['--state-dir', os.path.join(lab.tmp, 'dp-state')])
            wait_for(ctl.connected, 15, what='dataplane connected to weir-control')
            ctl.weirctl('mode', 'block')

            check(blocked(FP_TARGET), 'the SQL snippet search is reset (the false positive)')

            def fp_alert():
                for a in ctl.json('alerts', 'list', '--limit', '50').get('alerts', []):
                    if '/api/snippets' in a.get('text', '') and a.get('zone') == 'query_arg':
                        return a
                return None
            wait_for(lambda: fp_alert() is not None, 10, what='the false positive alerted')
            alert = fp_alert()
            log(f'  alert {alert["id"]}: {alert["text"]}')

            res = ctl.weirctl('rules', 'except', '--from-alert', str(alert['id']), '--dry-run',
                              '--corpus', corpus, '--rules', rules_dir, timeout=180)
            log('  ' + res.stdout.replace('\n', '\n  '))
            dry = ctl.json('rules', 'except', '--from-alert', str(alert['id']), '--dry-run',
                           '--corpus', corpus, '--rules', rules_dir, timeout=180)
            exc = dry['exception']
            check(exc['endpoint'] == {'regex': '^/api/snippets$'} and exc['zones'] == ['query_arg']
                  and exc['names'] == ['code'] and exc['rules'] and 'classes' not in exc,
                  f'the proposal is the narrowest: {exc}')
            d = dry['dry_run']
            check(d['let_through'] == 1 and d['let_through_benign'] == 1 and d['let_through_attack'] == 0
                  and [u['id'] for u in d['unblocked']] == ['fp-snippet'],
                  f'dry run: the snippet search would pass, 0 attacks unblocked ({d})')
            check(not os.path.exists(os.path.join(rules_dir, 'exceptions.yaml')), 'a dry run writes nothing')

            res = ctl.weirctl('rules', 'except', '--from-alert', str(alert['id']), '--dry-run',
                              '--corpus', corpus, '--rules', rules_dir, '--apply', timeout=200)
            log('  ' + res.stdout.strip().splitlines()[-1])
            with open(os.path.join(rules_dir, 'exceptions.yaml')) as f:
                written = f.read()
            check(f'id: "alert-{alert["id"]}"' in written and 'names: ["code"]' in written,
                  'the exception is in the rules folder\'s exceptions.yaml')
            audit = ctl.json('audit', '--limit', '20')
            entries = audit.get('entries', audit.get('audit', []))
            check(any(e.get('action') == 'rules_exception_add' and e.get('target') == f'alert-{alert["id"]}'
                      for e in entries), 'the apply is audited (rules_exception_add)')

            check(not blocked(FP_TARGET), 'after --apply the same request passes')
            check(blocked(XSS_SAME_FIELD), 'an XSS attack in the same field is still reset')
            check(blocked(SQLI_OTHER_FIELD), 'the same SQL in another field is still reset')
            check(blocked(SQLI_OTHER_ENDPOINT), 'the same SQL at another endpoint is still reset')

            # Applying the same id again is refused and changes nothing.
            res = ctl.weirctl('rules', 'except', '--from-alert', str(alert['id']), '--apply', check_rc=False, timeout=200)
            check(res.returncode == 1 and 'already exists' in res.stderr,
                  f'a second apply of the same exception is refused: {res.stderr.strip()}')
            with open(os.path.join(rules_dir, 'exceptions.yaml')) as f:
                check(f.read() == written, 'the refused apply left exceptions.yaml as it was')
        finally:
            ctl.stop()
    log('PASS')


if __name__ == '__main__':
    main()
