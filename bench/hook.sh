#!/bin/bash
# What the token hook costs a login: the packaged application against a throwaway PostgreSQL 15, login throughput
# and latency (wrk, bench/lua/login.lua) with no hook, then with authgate.hooks.token.url on a local receiver that
# answers at once ({"extras":{"plan":"bench"}}), and the hook's own time from authgate_token_hook_seconds. Prints a
# markdown report; the committed copy is bench/HOOK.md.
#
#   bench/hook.sh [--duration S] [--conns C] > bench/HOOK.md
# Needs: a packaged application (./mvnw package -DskipTests), wrk, curl, python3, Debian's PostgreSQL 15 server.
set -euo pipefail
DURATION=20 CONNS=8 ACCOUNTS=1000
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift ;;
    --conns) CONNS=$2; shift ;;
    -h|--help) sed -n 2,9p "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
PGBIN=/usr/lib/postgresql/15/bin JAR=target/quarkus-app/quarkus-run.jar
[ -f $JAR ] || { echo "no $JAR: ./mvnw package -DskipTests" >&2; exit 1; }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
WORK=$(mktemp -d /tmp/authgate-hook.XXXXXX); [ "$(id -u)" = 0 ] && chown postgres: "$WORK"
APP_PID="" RECEIVER_PID=""
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2> /dev/null && wait "$APP_PID" 2> /dev/null || true
  [ -n "$RECEIVER_PID" ] && kill "$RECEIVER_PID" 2> /dev/null || true
  as_pg $PGBIN/pg_ctl -D "$WORK/data" -m fast -w stop > /dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
PGPORT=$(free_port)
as_pg $PGBIN/initdb -D "$WORK/data" -U postgres --auth=trust -E UTF8 --locale=C > /dev/null
as_pg $PGBIN/pg_ctl -D "$WORK/data" -l "$WORK/server.log" -w -t 60 \
  -o "-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1" start > /dev/null
psql_() { psql -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }

# the receiver: answers every post at once, as a hook that looks nothing up would
RPORT=$(free_port)
python3 - "$RPORT" > "$WORK/receiver.log" 2>&1 <<'PY' &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        body = b'{"extras":{"plan":"bench"}}'
        self.send_response(200); self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
RECEIVER_PID=$!
SECRET="whsec_$(head -c 32 /dev/urandom | base64)"
KEYS="{\"keys\":[{\"kty\":\"oct\",\"kid\":\"bench-hook\",\"k\":\"$(head -c 32 /dev/urandom | basenc --base64url | tr -d '=')\"}]}"
APP=$(free_port) MGMT=$(free_port)

start_app() { # hook: on|off
  local hook=()
  [ "$1" = on ] && hook=(AUTHGATE_HOOKS_TOKEN_URL=http://127.0.0.1:$RPORT/hook AUTHGATE_HOOKS_TOKEN_SECRET=$SECRET)
  env QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:$PGPORT/postgres QUARKUS_DATASOURCE_USERNAME=postgres \
    QUARKUS_DATASOURCE_PASSWORD=x AUTHGATE_TOKEN_KEYS="$KEYS" QUARKUS_HTTP_PORT=$APP QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_MANAGEMENT_PORT=$MGMT QUARKUS_FLYWAY_MIGRATE_AT_START=true AUTHGATE_THROTTLE_LOGIN_MAX_SUCCESSES=1000000 \
    AUTHGATE_THROTTLE_LOGIN_MAX_FAILURES_PER_ADDRESS=1000000 "${hook[@]}" \
    java -XX:+UseSerialGC -Xms16m -Xmx128m -jar $JAR > "$WORK/app-$1.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1200); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$MGMT/q/health/ready)" = 200 ] && return 0
    sleep 0.1
  done
  echo "the application did not start" >&2; tail -20 "$WORK/app-$1.log" >&2; exit 1
}
stop_app() { kill "$APP_PID"; wait "$APP_PID" 2> /dev/null || true; APP_PID=""; }

run() { # mode -> wrk output
  start_app "$1"
  if [ "$1" = off ]; then # seed once: one real sign-up, its hash for every account
    curl -sf -H 'content-type: application/json' -d '{"name":"b","email":"bench0@bench.test","password":"bench-pass-123"}' \
      http://127.0.0.1:$APP/api:main/auth/signup > /dev/null
    psql_ -c "insert into \"user\" (name, email, password_hash) select 'Bench ' || k, 'bench' || k || '@bench.test',
      (select password_hash from \"user\" where email = 'bench0@bench.test') from generate_series(1, $ACCOUNTS) k; analyze \"user\";"
  fi
  LOGIN_ACCOUNTS=$ACCOUNTS wrk -t2 -c"$CONNS" -d5s -s bench/lua/login.lua http://127.0.0.1:$APP/api:main/auth/login > /dev/null # warm-up
  LOGIN_ACCOUNTS=$ACCOUNTS wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s bench/lua/login.lua http://127.0.0.1:$APP/api:main/auth/login \
    > "$WORK/wrk-$1.txt"
  if [ "$1" = on ]; then
    curl -s http://127.0.0.1:$MGMT/q/metrics > "$WORK/metrics.txt"
    grep '^authgate_token_hook_seconds_\(count\|sum\|max\)' "$WORK/metrics.txt" > "$WORK/hook-metrics.txt" || true
    TOKEN=$(curl -sf -H 'content-type: application/json' -d '{"email":"bench1@bench.test","password":"bench-pass-123"}' \
      http://127.0.0.1:$APP/api:main/auth/login | python3 -c 'import json,sys;print(json.load(sys.stdin)["authToken"])')
    curl -sf -H "Authorization: Bearer $TOKEN" http://127.0.0.1:$APP/api:main/auth/token > "$WORK/auth-on.json"
  fi
  stop_app
}
run off
run on

rps() { awk '/Requests\/sec/{print $2}' "$1"; }
pct() { awk -v p="$2" '$1==p{print $2}' "$1"; }
non2xx() { awk '/Non-2xx/{print $NF}' "$1"; }
count=$(awk '/_count/{print $2}' "$WORK/hook-metrics.txt" | paste -sd+ | bc)
sum=$(awk '/_sum/{print $2}' "$WORK/hook-metrics.txt" | paste -sd+ | bc)
echo "# What the token hook costs a login"
echo
echo "\`bench/hook.sh --duration $DURATION --conns $CONNS\`, $(date -u +%Y-%m-%d), this machine (2 cores shared with other"
echo "builds; load $(cut -d' ' -f1-3 /proc/loadavg) at the end). Login of $ACCOUNTS seeded accounts (bcrypt cost 10),"
echo "wrk 2 threads, $CONNS connections, ${DURATION}s after a 5s warm-up; the hook a Python receiver on loopback."
echo
echo "| hook | logins/s | p50 | p90 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|"
echo "| off | $(rps "$WORK/wrk-off.txt") | $(pct "$WORK/wrk-off.txt" 50%) | $(pct "$WORK/wrk-off.txt" 90%) | $(pct "$WORK/wrk-off.txt" 99%) | $(non2xx "$WORK/wrk-off.txt") |"
echo "| on | $(rps "$WORK/wrk-on.txt") | $(pct "$WORK/wrk-on.txt" 50%) | $(pct "$WORK/wrk-on.txt" 90%) | $(pct "$WORK/wrk-on.txt" 99%) | $(non2xx "$WORK/wrk-on.txt") |"
echo
echo "The hook itself (authgate_token_hook_seconds, every call of the run): $count calls, mean"
echo "$(python3 -c "print(round(1000 * $sum / max($count, 1), 2))") ms (sign, post, wait, parse, merge)."
echo "A token issued with the hook on carries its extras: \`$(python3 -c 'import json,sys;print(json.dumps(json.load(open(sys.argv[1]))["extras"]))' "$WORK/auth-on.json")\`."
echo
echo '```'
grep . "$WORK/hook-metrics.txt"
echo '```'
