#!/usr/bin/env python3
"""Where the CPU goes in a JFR recording: jdk.ExecutionSample stacks aggregated by top frame (self), by
package group anywhere on the stack (inclusive) and by thread.  Usage: jfr_top.py FILE.jfr"""
import collections, re, subprocess, sys

text = subprocess.run(['jfr', 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '96', sys.argv[1]],
                      capture_output=True, text=True).stdout
GROUPS = [('bcrypt (elytron)', 'org.wildfly.security.password'), ('jose4j (JWE)', 'org.jose4j'),
          ('JCA crypto (AES/HMAC/SHA)', 'com.sun.crypto.provider'), ('sun.security', 'sun.security'),
          ('postgres JDBC', 'org.postgresql'), ('agroal pool', 'io.agroal'), ('hibernate', 'org.hibernate'),
          ('narayana tx', 'com.arjuna'), ('jackson', 'com.fasterxml.jackson'), ('vert.x', 'io.vertx'),
          ('netty', 'io.netty'), ('resteasy reactive', 'org.jboss.resteasy.reactive'), ('quarkus security', 'io.quarkus.security'),
          ('quarkus vertx-http', 'io.quarkus.vertx.http'), ('smallrye mutiny', 'io.smallrye.mutiny'), ('arc (CDI)', 'io.quarkus.arc'),
          ('authgate', 'dev.authgate'), ('UUID/SecureRandom', 'java.util.UUID'), ('regex', 'java.util.regex')]
self_c, incl, threads = collections.Counter(), collections.Counter(), collections.Counter()
n = 0
for ev in text.split('jdk.ExecutionSample {')[1:]:
    m = re.search(r'stackTrace = \[\n(.*?)\n\s*\]', ev, re.S)
    t = re.search(r'sampledThread = "([^"]*)"', ev)
    if not m:
        continue
    frames = [re.sub(r'\s+line:.*', '', l.strip()) for l in m.group(1).splitlines() if l.strip() and l.strip() != '...']
    if not frames:
        continue
    n += 1
    self_c[frames[0]] += 1
    threads[re.sub(r'\d+', 'N', t.group(1)) if t else '?'] += 1
    for g, prefix in GROUPS:
        if any(f.startswith(prefix) for f in frames):
            incl[g] += 1
print('samples: %d' % n)
print('\n-- inclusive (share of samples with the group anywhere on the stack)')
for g, c in incl.most_common():
    print('%5.1f%%  %s' % (100.0 * c / n, g))
print('\n-- self (top frame), top 25')
for fr, c in self_c.most_common(25):
    print('%5.1f%%  %s' % (100.0 * c / n, fr))
print('\n-- threads')
for th, c in threads.most_common(10):
    print('%5.1f%%  %s' % (100.0 * c / n, th))
