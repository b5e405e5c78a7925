#!/usr/bin/env python3
"""bench/run.sh's report: reads RESULTS/raw (wrk outputs, cells.jsonl, facts.jsonl, pgbench, bcrypt, JMH) and
writes RESULTS/report.json and RESULTS/report.md.  Usage: report.py RESULTS SIZE [SIZE...]"""
import json, os, re, sys

out, sizes = sys.argv[1], sys.argv[2:]
raw = os.path.join(out, 'raw')


def read(name):
    p = os.path.join(raw, name)
    return open(p).read() if os.path.exists(p) else ''


def jsonl(name):
    return [json.loads(l) for l in read(name).splitlines() if l.strip()]


facts = {f['key']: f['value'] for f in jsonl('facts.jsonl')}


def ms(v):
    m = re.match(r'([\d.]+)(us|ms|s|m)$', v)
    if not m:
        return None
    x, u = float(m.group(1)), m.group(2)
    return x * {'us': 0.001, 'ms': 1, 's': 1000, 'm': 60000}[u]


def parse_wrk(text):
    r = {}
    m = re.search(r'Requests/sec:\s+([\d.]+)', text)
    r['rps'] = float(m.group(1)) if m else 0.0
    m = re.search(r'(\d+) requests in ([\d.]+\w+)', text)
    r['requests'] = int(m.group(1)) if m else 0
    for p in ('50', '75', '90', '99'):
        m = re.search(r'^\s+%s%%\s+(\S+)' % p, text, re.M)
        r['p' + p + '_ms'] = ms(m.group(1)) if m else None
    m = re.search(r'Non-2xx or 3xx responses:\s+(\d+)', text)
    r['non2xx'] = int(m.group(1)) if m else 0
    m = re.search(r'Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)', text)
    r['socket_errors'] = dict(zip(('connect', 'read', 'write', 'timeout'), map(int, m.groups()))) if m else {}
    # successful answers per second: a fast 500 is not throughput
    bad = r['non2xx'] + sum(r['socket_errors'].values())
    r['ok_rps'] = r['rps'] * max(0, r['requests'] - bad) / r['requests'] if r['requests'] else 0.0
    return r


cells = {}
for c in jsonl('cells.jsonl'):
    c.update(parse_wrk(read(c['file'])))
    key = (c['server'], c['phase'], c['endpoint'], c['conns'])
    c['tries'] = c['try']
    prev = cells.get(key)
    if prev:
        c['tries'] = max(prev['tries'], c['try'])
    # the attempt with the least foreign CPU ("other") counts
    if prev is None or c['cpu']['other'] < prev['cpu']['other']:
        cells[key] = c
    else:
        prev['tries'] = c['tries']


def cell(server, phase, endpoint, conns):
    return cells.get((server, str(phase), endpoint, int(conns)))


def best(server, phase, endpoint):
    cs = [c for k, c in cells.items() if k[:3] == (server, str(phase), endpoint)]
    return max(cs, key=lambda c: c['ok_rps']) if cs else None


# ---- limits (gated attempts in limits.jsonl: the one with the least foreign CPU counts)
attempts = jsonl('limits.jsonl')
limit_noise = {}
def lfile(name):
    tries = [a for a in attempts if a['name'] == name]
    if not tries:
        return name + '.txt'
    b = min(tries, key=lambda a: a['other'])
    limit_noise[name] = {'tries': len(tries), 'other_cpu_s': b['other'], 'capacity_cpu_s': b['capacity']}
    return b['file']
limits = {}
for mode in ('prepared', 'simple'):
    m = re.search(r'^tps = ([\d.]+)', read(lfile('pgbench-select-%s' % mode)), re.M)
    if m:
        limits['pgbench_select_%s_tps' % mode] = float(m.group(1))
m = re.search(r'^tps = ([\d.]+)', read(lfile('pgbench-me-query')), re.M)
if m:
    limits['pgbench_me_query_tps'] = float(m.group(1))
for name, key in (('bcrypt-rate', 'bcrypt_per_s_all_cores'), ('bcrypt-rate-1', 'bcrypt_per_s_one_core')):
    m = re.search(r'per_second=([\d.]+)', read(lfile(name)))
    if m:
        limits[key] = float(m.group(1))
jmh = read('jmh.json')
if jmh.strip():
    for b in json.loads(jmh):
        n = b['benchmark'].rsplit('.', 1)[1]
        limits['jmh_%s_ops_per_s' % n] = b['primaryMetric']['score']
        limits['jmh_%s_error' % n] = b['primaryMetric']['scoreError']

trial = jsonl('jvm-trial.jsonl')

# ---- targets
main = sizes[0]
MB = 1024.0
def f(key, default=None):
    try:
        return float(facts[key])
    except (KeyError, ValueError):
        return default

me = best('authgate', main, 'me')
# login: the best quiet cell over every size (the endpoint does the same work at each size)
logins = [c for k, c in cells.items() if k[0] == 'authgate' and k[2] == 'login']
quiet = [c for c in logins if c['cpu']['other'] < 0.05 * c['cpu']['capacity']] or logins
login = max(quiet, key=lambda c: c['ok_rps']) if quiet else None
kc_me = best('keycloak', 'main', 'userinfo')
kc_login = best('keycloak', 'main', 'login')
peak_hwm = max([f('app_peak_hwm_kb_' + s, 0) for s in sizes] + [0])
targets = []
def target(name, goal, value, met, note=''):
    targets.append({'target': name, 'goal': goal, 'measured': value, 'met': met, 'note': note})

if me and kc_me:
    r = me['ok_rps'] / kc_me['ok_rps']
    target('me vs Keycloak userinfo', '>= 3x', '%.0f vs %.0f req/s = %.2fx' % (me['ok_rps'], kc_me['ok_rps'], r), r >= 3,
           'best of c=16/64 each')
else:
    target('me vs Keycloak userinfo', '>= 3x', 'not measured', None)
pg = limits.get('pgbench_select_prepared_tps')
if me and pg:
    r = me['ok_rps'] / pg
    target("me vs pgbench's lookup ceiling", '>= 50%', '%.0f vs %.0f tps = %.0f%%' % (me['ok_rps'], pg, 100 * r), r >= 0.5,
           'pgbench -S -M prepared, 16 clients, TCP')
else:
    target("me vs pgbench's lookup ceiling", '>= 50%', 'not measured', None)
bc = limits.get('bcrypt_per_s_all_cores')
if login and bc:
    r = login['ok_rps'] / bc
    target('login vs bcrypt ceiling', '>= 90%', '%.1f vs %.1f /s = %.0f%%' % (login['ok_rps'], bc, 100 * r), r >= 0.9,
           'best quiet cell (%s accounts, c=%d) vs bcrypt cost 10 verifications on all cores' % (login['phase'], login['conns']))
else:
    target('login vs bcrypt ceiling', '>= 90%', 'not measured', None)
st = f('startup_restart_s')
if st is not None:
    target('JVM start to first 200', '<= 1.5 s', '%.2f s (first start with migrations: %.2f s)' % (st, f('startup_first_s', 0)),
           st <= 1.5, 'launch of java -jar to first 200 on /q/health/ready')
idle = f('app_idle_rss_kb')
if idle is not None:
    target('RSS idle', '<= 120 MB', '%.0f MB' % (idle / MB), idle / MB <= 120, 'VmRSS 10 s after start')
if peak_hwm:
    target('RSS under load', '<= 300 MB', '%.0f MB' % (peak_hwm / MB), peak_hwm / MB <= 300, 'VmHWM after all load')
if len(sizes) > 1:
    last = sizes[-1]
    parts, ok = [], True
    for c in sorted({k[3] for k in cells if k[:3] == ('authgate', main, 'me')}):
        a, b = cell('authgate', main, 'me', c), cell('authgate', last, 'me', c)
        if a and b and a['p99_ms'] and b['p99_ms']:
            r = b['p99_ms'] / a['p99_ms']
            ok = ok and r <= 1.2
            parts.append('c=%d: %.2f -> %.2f ms (%.2fx)' % (c, a['p99_ms'], b['p99_ms'], r))
    target('me p99 at %s vs %s accounts' % (last, main), '<= 1.2x', '; '.join(parts) or 'not measured', ok if parts else None)
else:
    target('me p99 at 1,000,000 vs 10,000 accounts', '<= 1.2x', 'not measured (run with --accounts 10000,1000000)', None)

ratios = {}
if me and kc_me:
    ratios['me_over_userinfo'] = me['ok_rps'] / kc_me['ok_rps']
if login and kc_login:
    ratios['login_over_login'] = login['ok_rps'] / kc_login['ok_rps']
if f('kc_peak_hwm_kb') and peak_hwm:
    ratios['peak_rss_authgate_over_keycloak'] = peak_hwm / f('kc_peak_hwm_kb')
if f('kc_idle_rss_kb') and idle:
    ratios['idle_rss_authgate_over_keycloak'] = idle / f('kc_idle_rss_kb')
if f('kc_startup_restart_s') and st:
    ratios['restart_authgate_over_keycloak'] = st / f('kc_startup_restart_s')

report = {'results': os.path.basename(out.rstrip('/')), 'sizes': sizes, 'facts': facts, 'targets': targets,
          'ratios': ratios, 'limits': limits, 'limit_attempts': limit_noise, 'jvm_trial': trial,
          'cells': [dict(c, file=c['file']) for c in sorted(cells.values(), key=lambda c: (c['server'], c['phase'], c['endpoint'], c['conns']))]}
json.dump(report, open(os.path.join(out, 'report.json'), 'w'), indent=2)

# ---- markdown
L = []
w = L.append
def yn(v):
    return 'met' if v else ('not met' if v is False else 'n/a')
def tries(c):
    return '%d%s' % (c['tries'], ' (noisy)' if c['cpu']['other'] >= 0.05 * c['cpu']['capacity'] else '')
def num(v, fmt='%.0f'):
    return fmt % v if isinstance(v, (int, float)) else '-'
w('# Authgate benchmark report (%s)' % report['results'])
w('')
w('Machine: %s. %s. Database: %s.' % (facts.get('machine', '?'), facts.get('java', ''), facts.get('database', '?')))
w('Authgate commit %s, JVM options `%s`. Load: wrk -t2, %s s warm-up then 20 s measured per cell (see raw/), '
  'each cell run when the machine was quiet and retried while foreign CPU ("other") was >= 5%% of the machine.'
  % (facts.get('git', '?'), facts.get('jvm_opts', ''), 'a few'))
w('')
w('## Targets')
w('')
w('| target | goal | measured | |')
w('|---|---|---|---|')
for t in targets:
    w('| %s | %s | %s | %s |' % (t['target'], t['goal'], t['measured'], yn(t['met'])))
w('')
w('## Authgate')
w('')
w('| accounts | endpoint | conns | req/s (2xx) | all answers/s | p50 ms | p99 ms | non-2xx | socket errors | CPU s: app / db / wrk / other (of) | tries |')
w('|---|---|---|---|---|---|---|---|---|---|---|')
for c in report['cells']:
    if c['server'] != 'authgate':
        continue
    se = sum(c['socket_errors'].values()) if c['socket_errors'] else 0
    cp = c['cpu']
    w('| %s | %s | %d | %.1f | %.1f | %s | %s | %d | %d | %.1f / %.1f / %.1f / %.1f (%.0f) | %s |' % (
        c['phase'], c['endpoint'], c['conns'], c['ok_rps'], c['rps'], num(c['p50_ms'], '%.2f'), num(c['p99_ms'], '%.2f'),
        c['non2xx'], se, cp['server'], cp['db'], cp['wrk'], cp['other'], cp['capacity'], tries(c)))
w('')
w('Startup: first start (empty database, Flyway migrates) %s s; restart %s s to first 200 (Quarkus log: %s).' % (
    facts.get('startup_first_s', '-')[:5], facts.get('startup_restart_s', '-')[:5], facts.get('started_in_log', '-')))
w('RSS: idle %s MB (10 s after start)' % num(f('app_idle_rss_kb', 0) / MB))
for s in sizes:
    w('; after load at %s accounts %s MB, peak (VmHWM) %s MB' % (s, num(f('app_after_load_rss_kb_' + s, 0) / MB),
                                                               num(f('app_peak_hwm_kb_' + s, 0) / MB)))
w('.')
for s in sizes:
    if 'rows_' + s in facts:
        w('Rows after the %s-account phase: %s; seeding took %s s.' % (s, facts['rows_' + s], facts.get('seed_seconds_' + s, '?')))
w('')
if any(k.startswith('warmup_') for k in facts):
    w('JIT warm-up before the cells (req/s per 10 s at c=16, until < 5% change): ' +
      '; '.join('%s:%s' % (k[7:], v) for k, v in facts.items() if k.startswith('warmup_')))
    w('')
if cells and any(k[0] == 'keycloak' for k in cells):
    w('## Keycloak %s side by side' % facts.get('kc_version', ''))
    w('')
    w('| endpoint | conns | req/s (2xx) | all answers/s | p50 ms | p99 ms | non-2xx | CPU s: keycloak / wrk / other (of) | tries |')
    w('|---|---|---|---|---|---|---|---|---|')
    for c in report['cells']:
        if c['server'] != 'keycloak':
            continue
        cp = c['cpu']
        w('| %s | %d | %.1f | %.1f | %s | %s | %d | %.1f / %.1f / %.1f (%.0f) | %s |' % (
            c['endpoint'], c['conns'], c['ok_rps'], c['rps'], num(c['p50_ms'], '%.2f'), num(c['p99_ms'], '%.2f'), c['non2xx'],
            cp['server'], cp['wrk'], cp['other'], cp['capacity'], tries(c)))
    w('')
    w('| | Authgate | Keycloak | ratio |')
    w('|---|---|---|---|')
    if me and kc_me:
        w('| me / userinfo, best req/s | %.0f | %.0f | %.2f |' % (me['ok_rps'], kc_me['ok_rps'], me['ok_rps'] / kc_me['ok_rps']))
    if login and kc_login:
        w('| login, best req/s | %.1f | %.1f | %.2f |' % (login['ok_rps'], kc_login['ok_rps'], login['ok_rps'] / kc_login['ok_rps']))
    if idle and f('kc_idle_rss_kb'):
        w('| RSS idle, MB | %.0f | %.0f | %.2f |' % (idle / MB, f('kc_idle_rss_kb') / MB, idle / f('kc_idle_rss_kb')))
    if peak_hwm and f('kc_peak_hwm_kb'):
        w('| RSS peak, MB | %.0f | %.0f | %.2f |' % (peak_hwm / MB, f('kc_peak_hwm_kb') / MB, peak_hwm / f('kc_peak_hwm_kb')))
    if st and f('kc_startup_restart_s'):
        w('| restart to first 200, s | %.2f | %.2f | %.3f |' % (st, f('kc_startup_restart_s'), st / f('kc_startup_restart_s')))
    if f('kc_startup_first_s'):
        w('| first start, s | %.2f | %.2f | |' % (f('startup_first_s', 0), f('kc_startup_first_s')))
    w('')
if limits:
    w("## The machine's limits (same run)")
    w('')
    w('| limit | value |')
    w('|---|---|')
    labels = [('pgbench_select_prepared_tps', 'pgbench -S (primary-key lookup), 16 clients, -M prepared, TCP: tps'),
              ('pgbench_select_simple_tps', 'pgbench -S, 16 clients, -M simple, TCP: tps'),
              ('pgbench_me_query_tps', "pgbench running the service's own me query (session join account), 16 clients: tps"),
              ('bcrypt_per_s_all_cores', 'bcrypt cost 10 verifications/s, all cores (Elytron, as the service)'),
              ('bcrypt_per_s_one_core', 'bcrypt cost 10 verifications/s, one core'),
              ('jmh_encrypt_ops_per_s', 'JMH TokenCodec.encrypt, ops/s on one thread'),
              ('jmh_decrypt_ops_per_s', 'JMH TokenCodec.decrypt, ops/s on one thread')]
    for k, label in labels:
        if k in limits:
            err = limits.get(k.replace('_ops_per_s', '_error'))
            w('| %s | %s%s |' % (label, num(limits[k], '%.1f'), (' ± %.0f' % err) if err and k.startswith('jmh') else ''))
    w('')
if trial:
    w('## JVM options tried')
    w('')
    if facts.get('jvm_trial_from'):
        w(facts['jvm_trial_from'])
        w('')
    w('| name | options | start s | idle RSS MB | peak RSS MB | me req/s (c=64, 15 s, cold) | login req/s (c=16, 8 s) |')
    w('|---|---|---|---|---|---|---|')
    for t in trial:
        w('| %s | `%s` | %.2f | %.0f | %.0f | %.0f | %.1f |' % (t['name'], t['opts'] or '(none)', t['startup_s'],
          t['idle_rss_kb'] / MB, t['peak_rss_kb'] / MB, t['me_rps_c64_15s_cold'], t['login_rps_c16_8s']))
    w('')
open(os.path.join(out, 'report.md'), 'w').write('\n'.join(L) + '\n')
print('\n'.join(L))
