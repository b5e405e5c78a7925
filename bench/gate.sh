#!/bin/bash
# The gate's cost: wrk through NGINX -> upstream alone, then through NGINX -> Authgate's gate -> upstream
# (examples/nginx/nginx.conf as shipped), then the gate alone (/gate/check), at 16 and 64 connections, on
# one machine in one run. Writes bench/results/gate-<timestamp>/report.md (raw wrk output beside it).
#
#   bench/gate.sh [--duration S] [--warmup S] [--jit S] [--conns "16 64"]
# --jit: seconds of load through the gate before anything is measured, so the JIT has compiled it (default 60).
# Needs: a packaged application (./mvnw package -DskipTests), nginx (nginx-light), wrk, curl, jq, and
# Debian's PostgreSQL 15 server at /usr/lib/postgresql/15/bin (a throwaway cluster).
set -uo pipefail
DURATION=20 WARMUP=10 JIT=60 CONNS="16 64"
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --jit) JIT=$2; shift ;;
    --conns) CONNS=$2; shift ;;
    -h|--help) sed -n 2,9p "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
OUT=$ROOT/bench/results/gate-$(date +%Y%m%d-%H%M%S); mkdir -p "$OUT"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
PGBIN=/usr/lib/postgresql/15/bin
JAR=target/quarkus-app/quarkus-run.jar
for tool in wrk curl jq java "$NGINX" $PGBIN/initdb; do command -v "$tool" > /dev/null || { echo "missing: $tool" >&2; exit 1; }; done
[ -f $JAR ] || { echo "no $JAR: ./mvnw package -DskipTests" >&2; exit 1; }
log() { echo "[$(date +%T)] $*" | tee -a "$OUT/run.log" >&2; }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# everything started here is stopped here, by PID
PIDS=() PGDIR=""
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2> /dev/null; done
  wait 2> /dev/null
  [ -n "$PGDIR" ] && as_pg $PGBIN/pg_ctl -D "$PGDIR/data" -m fast -w stop > /dev/null 2>&1 && rm -rf "$PGDIR"
}
trap cleanup EXIT

# a throwaway PostgreSQL
PGDIR=$(mktemp -d /tmp/authgate-gate-pg.XXXXXX); [ "$(id -u)" = 0 ] && chown postgres: "$PGDIR"
PGPORT=$(free_port)
as_pg $PGBIN/initdb -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C > "$OUT/initdb.log" 2>&1 || exit 1
as_pg $PGBIN/pg_ctl -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
  -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1" start > /dev/null || exit 1

# Authgate with the example rules
APP=$(free_port) UP=$(free_port) ALONE=$(free_port) GATED=$(free_port)
KEYS="{\"keys\":[{\"kty\":\"oct\",\"kid\":\"bench-gate\",\"k\":\"$(head -c 32 /dev/urandom | basenc --base64url | tr -d '=')\"}]}"
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:$PGPORT/postgres QUARKUS_DATASOURCE_USERNAME=postgres \
QUARKUS_DATASOURCE_PASSWORD=x AUTHGATE_TOKEN_KEYS=$KEYS QUARKUS_HTTP_PORT=$APP QUARKUS_HTTP_HOST=127.0.0.1 \
QUARKUS_CONFIG_LOCATIONS=$ROOT/examples/gate.properties QUARKUS_LOG_CATEGORY__DEV_AUTHGATE_GATE__LEVEL=WARN \
  java -XX:+UseSerialGC -Xms16m -Xmx128m -jar $JAR > "$OUT/app.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 600); do [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$APP/q/health/ready)" = 200 ] && break; sleep 0.1; done
TOKEN=$(curl -s http://127.0.0.1:$APP/api:main/auth/signup -H 'Content-Type: application/json' \
  -d '{"name":"Bench","email":"bench@gate.test","password":"bench-pass-123"}' | jq -r .authToken)
[ ${#TOKEN} -gt 100 ] || { echo "no token: see $OUT/app.log" >&2; exit 1; }

# the upstream, NGINX alone, NGINX with the gate (the example file, addresses filled in)
start_nginx() { # NAME CONF-FILE
  local dir=$OUT/$1; mkdir -p "$dir/tmp"
  sed -e "s/\${LISTEN}/127.0.0.1:$3/" -e "s/\${UPSTREAM}/127.0.0.1:$UP/" -e "s/\${AUTHGATE}/127.0.0.1:$APP/" "$2" > "$dir/nginx.conf"
  "$NGINX" -p "$dir/" -e stderr -c nginx.conf > "$dir/log" 2>&1 &
  PIDS+=($!)
}
start_nginx upstream bench/gate/upstream.conf "$UP"
start_nginx alone bench/gate/alone.conf "$ALONE"
start_nginx gated examples/nginx/nginx.conf "$GATED"
sleep 1
check() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$@")" = 200 ] || { echo "not 200: $*" >&2; exit 1; }; }
check -H "Authorization: Bearer $TOKEN" http://127.0.0.1:$GATED/api/orders
check -H "Authorization: Bearer $TOKEN" http://127.0.0.1:$ALONE/api/orders
check -H "Authorization: Bearer $TOKEN" -H 'X-Original-Method: GET' -H 'X-Original-URI: /api/orders' http://127.0.0.1:$APP/gate/check
[ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$GATED/api/orders)" = 401 ] || { echo "the gate let a request without token pass" >&2; exit 1; }

# run NAME CONNS URL [headers...]: wrk, and the line of the report
run() {
  local name=$1 c=$2 url=$3; shift 3
  local h=(-H "Authorization: Bearer $TOKEN" "$@")
  wrk -t2 -c"$c" -d"${WARMUP}s" "${h[@]}" "$url" > /dev/null 2>&1
  wrk -t2 -c"$c" -d"${DURATION}s" --latency "${h[@]}" "$url" > "$OUT/wrk-$name-$c.txt" 2>&1
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/{print $2}' "$OUT/wrk-$name-$c.txt")
  p50=$(awk '$1=="50%"{print $2}' "$OUT/wrk-$name-$c.txt"); p99=$(awk '$1=="99%"{print $2}' "$OUT/wrk-$name-$c.txt")
  errors=$(awk '/Non-2xx/{print $NF}' "$OUT/wrk-$name-$c.txt"); errors=${errors:-0}
  echo "| $name | $c | $rps | $p50 | $p99 | $errors |" | tee -a "$OUT/table.md"
}
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "| path | connections | requests/s | p50 | p99 | non-2xx |"
  echo "|---|---|---|---|---|---|"
} > "$OUT/table.md"
log "JIT warm-up: ${JIT}s through the gate"
wrk -t2 -c16 -d"${JIT}s" -H "Authorization: Bearer $TOKEN" http://127.0.0.1:$GATED/api/orders > "$OUT/wrk-jit.txt" 2>&1
for c in $CONNS; do
  run nginx-upstream "$c" http://127.0.0.1:$ALONE/api/orders
  run nginx-gate-upstream "$c" http://127.0.0.1:$GATED/api/orders
  run gate-alone "$c" http://127.0.0.1:$APP/gate/check -H 'X-Original-Method: GET' -H 'X-Original-URI: /api/orders'
done
{
  echo "# The gate's cost ($(date -u +%F), $(nproc) cores, load average before: $LOAD; wrk -t2 ${DURATION}s per cell after ${WARMUP}s warm-up, ${JIT}s JIT warm-up first)"
  echo
  echo "Command: \`bench/gate.sh --duration $DURATION --warmup $WARMUP --jit $JIT --conns \"$CONNS\"\`"
  echo
  cat "$OUT/table.md"
} > "$OUT/report.md"
log "report: $OUT/report.md"
cat "$OUT/report.md"
