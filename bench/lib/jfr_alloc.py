#!/usr/bin/env python3
"""Where the allocation goes in a JFR recording: jdk.ObjectAllocationSample weights (bytes, estimated) by allocated
class, by the first frame outside the JDK (who asked for it) and by package group anywhere on the stack.
Usage: jfr_alloc.py FILE.jfr [REQUESTS]  (with REQUESTS, the bytes per request too)"""
import collections, re, subprocess, sys

text = subprocess.run(['jfr', 'print', '--events', 'jdk.ObjectAllocationSample', '--stack-depth', '64', sys.argv[1]],
                      capture_output=True, text=True).stdout
requests = int(sys.argv[2]) if len(sys.argv) > 2 else 0
by_class, by_caller, by_group = collections.Counter(), collections.Counter(), collections.Counter()
GROUPS = ['dev.authgate', 'org.jose4j', 'io.smallrye.jwt', 'com.fasterxml.jackson', 'io.vertx', 'io.netty',
          'org.jboss.resteasy.reactive', 'io.quarkus.security', 'io.quarkus.vertx.http', 'io.quarkus.arc',
          'io.micrometer', 'io.smallrye.mutiny', 'com.github.benmanes.caffeine', 'org.hibernate', 'org.postgresql']
total = 0
for ev in text.split('jdk.ObjectAllocationSample {')[1:]:
    w = re.search(r'weight = ([\d.]+) (bytes|kB|MB|GB)', ev)
    c = re.search(r'objectClass = ([^\s]+)', ev)
    m = re.search(r'stackTrace = \[\n(.*?)\n\s*\]', ev, re.S)
    if not (w and c and m):
        continue
    bytes_ = float(w.group(1)) * {'bytes': 1, 'kB': 1e3, 'MB': 1e6, 'GB': 1e9}[w.group(2)]
    frames = [re.sub(r'\s+line:.*', '', l.strip()) for l in m.group(1).splitlines() if l.strip() and l.strip() != '...']
    total += bytes_
    by_class[c.group(1)] += bytes_
    caller = next((f for f in frames if not f.startswith(('java.', 'jdk.', 'sun.'))), frames[0] if frames else '?')
    by_caller[caller] += bytes_
    for g in GROUPS:
        if any(f.startswith(g) for f in frames):
            by_group[g] += bytes_
# Exact: JFR's per-thread allocation counters (jdk.ThreadAllocationStatistics, written at the recording's start and
# end), last minus first per thread; a thread seen once (born or gone within the window) counts its one value.
import json
stats = json.loads(subprocess.run(['jfr', 'print', '--json', '--events', 'jdk.ThreadAllocationStatistics', sys.argv[1]],
                                  capture_output=True, text=True).stdout or '{"recording":{"events":[]}}')
seen = collections.defaultdict(list)
for ev in stats['recording']['events']:
    v = ev['values']
    seen[(v.get('thread') or {}).get('javaThreadId')].append((ev['values'].get('startTime', ''), v['allocated']))
exact = sum((max(a for _, a in vs) - min(a for _, a in vs)) if len(vs) > 1 else vs[0][1] for vs in seen.values())
if requests and exact:
    print('allocated: %.1f kB per request (%d requests, %.1f MB in all threads; JFR thread allocation counters)'
          % (exact / requests / 1e3, requests, exact / 1e6))
print('sampled allocation (the weights overstate the total on JDK 17: shares only): %.1f MB%s' % (total / 1e6, ('; %.1f kB per request over %d requests' % (total / requests / 1e3, requests)) if requests else ''))
for title, counter in (('by package anywhere on the stack', by_group), ('by allocated class, top 20', by_class),
                       ('by first caller outside the JDK, top 25', by_caller)):
    print('\n-- ' + title)
    for k, v in counter.most_common(25 if 'caller' in title else 20):
        print('%5.1f%%  %8.1f MB  %s' % (100 * v / total if total else 0, v / 1e6, k))
