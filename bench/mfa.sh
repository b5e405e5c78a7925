#!/bin/bash
# auth/mfa/verify beside auth/login (issue 25: a verify must not cost more than a login). A throwaway PostgreSQL,
# the packaged application with TOTP on for "user", N accounts (bench<k>@bench.test) each with an active TOTP factor
# enrolled through the API, then, each after a quiet-ish pause:
#   login   auth/login for --duration s: the password step of an account with a factor (bcrypt, an mfa_token)
#   verify  auth/mfa/verify: every request a different waiting login with its right code (an mfa_token is
#           single use and a time step is accepted once per factor, so the run ends when the N logins are used up)
# Writes bench/results/mfa-<timestamp>/report.md (the driver's JSON outputs beside it).
#
#   bench/mfa.sh [--accounts N] [--duration S] [--conns C]      defaults: 2000 accounts, 20 s, 16 connections
# Needs: a packaged application (./mvnw package -DskipTests), curl, jq, python3, Debian's PostgreSQL 15 server.
set -uo pipefail
ACCOUNTS=2000 DURATION=20 CONNS=16
while [ $# -gt 0 ]; do
  case "$1" in
    --accounts) ACCOUNTS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --conns) CONNS=$2; shift ;;
    -h|--help) sed -n 2,12p "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
. bench/lib/proc.sh
OUT=$ROOT/bench/results/mfa-$(date +%Y%m%d-%H%M%S); mkdir -p "$OUT"
JAR=target/quarkus-app/quarkus-run.jar
PASSWORD=bench-pass-123
for tool in curl jq python3 java $PGBIN/initdb; do command -v "$tool" > /dev/null || { echo "missing: $tool" >&2; exit 1; }; done
[ -f $JAR ] || { echo "no $JAR: ./mvnw package -DskipTests" >&2; exit 1; }
log() { echo "[$(date +%T)] $*" | tee -a "$OUT/run.log" >&2; }

APP_PID="" PGDIR=""
cleanup() { stop_pid "$APP_PID"; pg_throwaway_stop; }
trap cleanup EXIT
pg_throwaway mfa "$OUT" || exit 1
psql_() { psql -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }

APP=$(free_port) MGMT=$(free_port)
BASE=http://127.0.0.1:$APP
KEYS="{\"keys\":[{\"kty\":\"oct\",\"kid\":\"bench-mfa\",\"k\":\"$(head -c 32 /dev/urandom | basenc --base64url | tr -d '=')\"}]}"
# TOTP on for user; the login throttle out of the way: a password step without its code stays counted as a failure
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:$PGPORT/postgres QUARKUS_DATASOURCE_USERNAME=postgres \
QUARKUS_DATASOURCE_PASSWORD=x AUTHGATE_TOKEN_KEYS=$KEYS QUARKUS_HTTP_PORT=$APP QUARKUS_HTTP_HOST=127.0.0.1 \
QUARKUS_MANAGEMENT_PORT=$MGMT QUARKUS_FLYWAY_MIGRATE_AT_START=true AUTHGATE_TABLES_USER_MFA_TOTP=true \
AUTHGATE_THROTTLE_LOGIN_MAX_SUCCESSES=1000000 AUTHGATE_THROTTLE_LOGIN_MAX_FAILURES=1000000 \
AUTHGATE_THROTTLE_LOGIN_MAX_FAILURES_PER_ADDRESS=1000000 \
  java -XX:+UseSerialGC -Xms16m -Xmx128m -jar $JAR > "$OUT/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 600); do [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$MGMT/q/health/ready)" = 200 ] && break; sleep 0.1; done

log "seeding $ACCOUNTS accounts (one bcrypt hash, cost 10, for all)"
APP_CP="$(ls target/quarkus-app/lib/boot/*.jar target/quarkus-app/lib/main/*.jar | tr '\n' :)target/quarkus-app/app/authgate-0.1.0-SNAPSHOT.jar"
HASH=$(java -XX:+UseSerialGC -cp "$APP_CP" bench/tools/BenchTool.java hash "$PASSWORD" 10) || exit 1
psql_ -v hash="$HASH" -v n="$ACCOUNTS" <<'SQL' || exit 1
insert into "user" (name, email, password_hash)
  select 'Bench User ' || k, 'bench' || k || '@bench.test', :'hash' from generate_series(1, :n) k;
analyze "user";
SQL

# enrol a TOTP factor per account (login, enrol, activate), then one waiting login per account and its right code
log "enrolling $ACCOUNTS TOTP factors through the API, then one waiting login each"
python3 - "$BASE" "$ACCOUNTS" "$PASSWORD" "$OUT/verify-bodies.txt" <<'PY' 2>> "$OUT/run.log" || { log "preparation failed"; exit 1; }
import base64, concurrent.futures as cf, hashlib, hmac, json, struct, sys, time, urllib.request
base, n, password, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]

def post(path, body, token=None):
    req = urllib.request.Request(base + path, json.dumps(body).encode(), {"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)

def code(secret, step):
    mac = hmac.new(secret, struct.pack(">Q", step), hashlib.sha1).digest()
    o = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7fffffff) % 1000000)

def step():
    return int(time.time()) // 30

def enrol(k):
    email = "bench%d@bench.test" % k
    token = post("/api:main/auth/login", {"email": email, "password": password})["authToken"]
    e = post("/api:main/auth/mfa/totp", {"name": "bench"}, token)
    secret = base64.b32decode(e["secret"] + "=" * (-len(e["secret"]) % 8))
    s = step()
    post("/api:main/auth/mfa/totp/%s/activate" % e["id"], {"code": code(secret, s)}, token)
    return email, secret, s

def waiting(email):
    return post("/api:main/auth/login", {"email": email, "password": password})["mfa_token"]

with cf.ThreadPoolExecutor(4) as pool:
    enrolled = list(pool.map(enrol, range(1, n + 1)))
    tokens = list(pool.map(waiting, [e for e, _, _ in enrolled]))
# a step once accepted is refused after: the codes are of a step later than every activation
last = max(s for _, _, s in enrolled)
while step() <= last:
    time.sleep(0.5)
now = step()
with open(out, "w") as f:
    for (email, secret, _), t in zip(enrolled, tokens):
        f.write(json.dumps({"mfa_token": t, "code": code(secret, now)}) + "\n")
PY
log "prepared $(wc -l < "$OUT/verify-bodies.txt") waiting logins"

# the load: one driver for both endpoints (python3, CONNS keep-alive connections), so they are measured alike
cat > "$OUT/load.py" <<'PY'
import http.client, json, random, sys, threading, time
host, port, mode, conns, arg = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
lock, statuses, times = threading.Lock(), {}, []
if mode == "verify":   # every prepared body exactly once: an mfa_token is single use
    bodies = open(arg).read().splitlines()
    path, deadline = "/api:main/auth/mfa/verify", None
else:                  # login for ARG seconds, random accounts
    n, secs = [int(x) for x in arg.split(",")]
    bodies, path, deadline = None, "/api:main/auth/login", time.time() + secs
def work(k):
    c = http.client.HTTPConnection(host, port, timeout=30)
    i = k
    while True:
        if bodies is not None:
            if i >= len(bodies): break
            body = bodies[i]; i += conns
        else:
            if time.time() >= deadline: break
            body = json.dumps({"email": "bench%d@bench.test" % random.randint(1, n), "password": "bench-pass-123"})
        t0 = time.perf_counter()
        c.request("POST", path, body, {"Content-Type": "application/json"})
        r = c.getresponse(); r.read()
        dt = time.perf_counter() - t0
        with lock:
            statuses[r.status] = statuses.get(r.status, 0) + 1; times.append(dt)
start = time.perf_counter()
ts = [threading.Thread(target=work, args=(k,)) for k in range(conns)]
[t.start() for t in ts]; [t.join() for t in ts]
elapsed = time.perf_counter() - start
times.sort()
pct = lambda q: "%.1fms" % (1000 * times[min(len(times) - 1, int(q * len(times)))]) if times else "-"
ok = sum(v for s, v in statuses.items() if 200 <= s < 300)
print(json.dumps({"rps": round(ok / elapsed, 1), "p50": pct(0.5), "p99": pct(0.99), "statuses": statuses,
                  "seconds": round(elapsed, 1)}))
PY
# verify first: the codes are good for this time step and the next (60 s at most)
log "verify: $ACCOUNTS requests, $CONNS connections"
python3 "$OUT/load.py" 127.0.0.1 "$APP" verify "$CONNS" "$OUT/verify-bodies.txt" > "$OUT/verify.json" || exit 1
sleep 5
log "login: $DURATION s, $CONNS connections"
python3 "$OUT/load.py" 127.0.0.1 "$APP" login "$CONNS" "$ACCOUNTS,$DURATION" > "$OUT/login.json" || exit 1

{
  echo "# auth/mfa/verify beside auth/login ($(date -u +%F), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "Command: \`bench/mfa.sh --accounts $ACCOUNTS --duration $DURATION --conns $CONNS\`. PostgreSQL 15 (default settings),"
  echo "the packaged application (SerialGC, 128 MB heap), $CONNS keep-alive connections on loopback (bench/mfa.sh's driver)."
  echo
  python3 - "$OUT/login.json" "$OUT/verify.json" <<'PY'
import json, sys
l, v = (json.load(open(f)) for f in sys.argv[1:3])
print("| endpoint | 2xx/s | p50 | p99 | statuses | seconds |")
print("|---|---|---|---|---|---|")
for name, r in (("auth/login (account with a factor: the password step)", l), ("auth/mfa/verify (a right TOTP code)", v)):
    print("| %s | %s | %s | %s | %s | %s |" % (name, r["rps"], r["p50"], r["p99"], r["statuses"], r["seconds"]))
print()
print("Ratio verify/login (2xx/s): %.1f" % (v["rps"] / l["rps"]) if l["rps"] else "")
PY
} > "$OUT/report.md"
log "report: $OUT/report.md"
cat "$OUT/report.md"
