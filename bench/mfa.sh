#!/bin/bash
# auth/mfa/verify beside auth/login (issue 25: a verify must not cost more than a login). A throwaway PostgreSQL,
# the packaged application with TOTP on for "user", N accounts (bench<k>@bench.test) each with an active TOTP factor
# enrolled through the API, then, each after a quiet-ish pause:
#   login   wrk on auth/login for --duration s: the password step of an account with a factor (bcrypt, an mfa_token)
#   verify  wrk on auth/mfa/verify: every request a different waiting login with its right code (an mfa_token is
#           single use and a time step is accepted once per factor, so the run ends when the N logins are used up)
# Writes bench/results/mfa-<timestamp>/report.md (wrk's outputs beside it).
#
#   bench/mfa.sh [--accounts N] [--duration S] [--conns C]      defaults: 2000 accounts, 20 s, 16 connections
# Needs: a packaged application (./mvnw package -DskipTests), curl, jq, python3, wrk, Debian's PostgreSQL 15 server.
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
for tool in curl jq python3 java wrk $PGBIN/initdb; do command -v "$tool" > /dev/null || { echo "missing: $tool" >&2; exit 1; }; done
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
# TOTP on for user; the throttle's per-account success limit above what the login run can reach
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:$PGPORT/postgres QUARKUS_DATASOURCE_USERNAME=postgres \
QUARKUS_DATASOURCE_PASSWORD=x AUTHGATE_TOKEN_KEYS=$KEYS QUARKUS_HTTP_PORT=$APP QUARKUS_HTTP_HOST=127.0.0.1 \
QUARKUS_MANAGEMENT_PORT=$MGMT QUARKUS_FLYWAY_MIGRATE_AT_START=true AUTHGATE_TABLES_USER_MFA_TOTP=true \
AUTHGATE_THROTTLE_LOGIN_MAX_SUCCESSES=100000 \
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

# verify first: the codes are good for this time step and the next (60 s at most)
log "verify: $ACCOUNTS requests, $CONNS connections"
MFA_BODIES=$OUT/verify-bodies.txt MFA_THREADS=2 timeout 60 wrk -t2 -c"$CONNS" -d50s --timeout 10s --latency \
  -s bench/lua/mfa_verify.lua "$BASE/api:main/auth/mfa/verify" > "$OUT/wrk-verify.txt" 2>&1
ok=$(psql_ -At -c "select count(*) from auth_mfa_token where used_at is not null")
sleep 5
log "login: $DURATION s, $CONNS connections"
LOGIN_ACCOUNTS=$ACCOUNTS timeout $((DURATION + 30)) wrk -t2 -c"$CONNS" -d"${DURATION}s" --timeout 10s --latency \
  -s bench/lua/login.lua "$BASE/api:main/auth/login" > "$OUT/wrk-login.txt" 2>&1

rps() { awk '/Requests\/sec/{print $2}' "$1"; }
p50() { awk '$1=="50%"{print $2}' "$1"; }
p99() { awk '$1=="99%"{print $2}' "$1"; }
non2xx() { awk '/Non-2xx/{print $NF}' "$1"; }
{
  echo "# auth/mfa/verify beside auth/login ($(date -u +%F), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "Command: \`bench/mfa.sh --accounts $ACCOUNTS --duration $DURATION --conns $CONNS\`. PostgreSQL 15 (default settings),"
  echo "the packaged application (SerialGC, 128 MB heap), wrk with 2 threads and $CONNS connections on loopback."
  echo
  echo "| endpoint | requests/s | p50 | p99 | non-2xx |"
  echo "|---|---|---|---|---|"
  echo "| auth/login (account with a factor: the password step) | $(rps "$OUT/wrk-login.txt") | $(p50 "$OUT/wrk-login.txt") | $(p99 "$OUT/wrk-login.txt") | $(non2xx "$OUT/wrk-login.txt") |"
  echo "| auth/mfa/verify (a right TOTP code) | $(rps "$OUT/wrk-verify.txt") | $(p50 "$OUT/wrk-verify.txt") | $(p99 "$OUT/wrk-verify.txt") | $(non2xx "$OUT/wrk-verify.txt") |"
  echo
  echo "Waiting logins finished by the verify run: $ok of $ACCOUNTS (the rest: a non-2xx above)."
  python3 -c "import sys;l,v=float(sys.argv[1] or 0),float(sys.argv[2] or 0);print('Ratio verify/login: %.1f' % (v/l) if l else '')" \
    "$(rps "$OUT/wrk-login.txt")" "$(rps "$OUT/wrk-verify.txt")"
} > "$OUT/report.md"
log "report: $OUT/report.md"
cat "$OUT/report.md"
