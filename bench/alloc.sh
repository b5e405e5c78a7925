#!/bin/bash
# Allocation per request on the hot paths (auth/me, the gate's /gate/check, RFC 7662 introspection), on the JVM
# with JFR: what a native image (GraalVM CE: Serial GC only, no profile-guided optimization) pays most for.
# Bytes per request are exact (JFR's per-thread allocation counters at the start and the end of a window of
# load, summed over threads, divided by the requests wrk made), so unlike a req/s figure they hold on a busy
# machine; the sites are JFR's allocation samples. Writes bench/results/alloc-<timestamp>/report.md.
#
#   bench/alloc.sh [--app DIR] [--seconds S] [--warmup S]
#   --app DIR     a packaged application (default target/quarkus-app; ./mvnw package -DskipTests)
#   --seconds S   the measured window per endpoint (default 15)
#   --warmup S    load before it, so the JIT has compiled the path and its caches are warm (default 30)
# Needs: a JDK 17+ with jcmd and jfr, wrk, curl, jq, python3, Debian's PostgreSQL 15 at /usr/lib/postgresql/15/bin.
set -uo pipefail
APP_DIR=target/quarkus-app SECONDS_MEASURED=15 WARMUP=30
while [ $# -gt 0 ]; do
  case "$1" in
    --app) APP_DIR=$2; shift ;;
    --seconds) SECONDS_MEASURED=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    -h|--help) sed -n 2,12p "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
APP_DIR=$(cd "$APP_DIR" && pwd) || exit 1
[ -f "$APP_DIR/quarkus-run.jar" ] || { echo "no $APP_DIR/quarkus-run.jar: ./mvnw package -DskipTests" >&2; exit 1; }
PGBIN=/usr/lib/postgresql/15/bin
for tool in wrk curl jq python3 jcmd jfr $PGBIN/initdb; do command -v "$tool" > /dev/null || { echo "missing: $tool" >&2; exit 1; }; done
OUT=$ROOT/bench/results/alloc-$(date +%Y%m%d-%H%M%S); mkdir -p "$OUT"
log() { echo "[$(date +%T)] $*" | tee -a "$OUT/run.log" >&2; }
# as_pg, stop_pid, free_port
source "$ROOT/bench/lib/proc.sh"

APP_PID="" PGDIR=""
cleanup() {
  stop_pid "$APP_PID"
  [ -n "$PGDIR" ] && as_pg $PGBIN/pg_ctl -D "$PGDIR/data" -m fast -w stop > /dev/null 2>&1 && rm -rf "$PGDIR"
}
trap cleanup EXIT

PGDIR=$(mktemp -d /tmp/authgate-alloc-pg.XXXXXX); [ "$(id -u)" = 0 ] && chown postgres: "$PGDIR"
PGPORT=$(free_port)
as_pg $PGBIN/initdb -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C > "$OUT/initdb.log" 2>&1 || { cat "$OUT/initdb.log"; exit 1; }
as_pg $PGBIN/pg_ctl -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1" start > /dev/null || exit 1

APP=$(free_port) MGMT=$(free_port)
KEYS="{\"keys\":[{\"kty\":\"oct\",\"kid\":\"alloc\",\"k\":\"$(head -c 32 /dev/urandom | basenc --base64url | tr -d '=')\"}]}"
CLIENT_SECRET=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
log "starting $APP_DIR (production options, the shipped gate rules, a service client for introspection)"
( cd "$APP_DIR" && exec env QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:$PGPORT/postgres \
    QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=x AUTHGATE_TOKEN_KEYS="$KEYS" \
    QUARKUS_HTTP_PORT=$APP QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT=$MGMT QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
    QUARKUS_FLYWAY_MIGRATE_AT_START=true QUARKUS_CONFIG_LOCATIONS="$ROOT/examples/gate.properties" \
    QUARKUS_LOG_CATEGORY__DEV_AUTHGATE_GATE__LEVEL=WARN \
    AUTHGATE_CLIENTS_BENCH_SECRET="$CLIENT_SECRET" AUTHGATE_CLIENTS_BENCH_GROUPS=main AUTHGATE_CLIENTS_BENCH_SCOPES=introspect \
    java -XX:+UseSerialGC -Xms16m -Xmx128m -jar quarkus-run.jar ) > "$OUT/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1200); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$MGMT/q/health/ready)" = 200 ] && break
  kill -0 $APP_PID 2> /dev/null || { tail -20 "$OUT/app.log" >&2; exit 1; }
  sleep 0.1
done
TOKEN=$(curl -s http://127.0.0.1:$APP/api:main/auth/signup -H 'Content-Type: application/json' \
  -d '{"name":"Alloc","email":"alloc@bench.test","password":"alloc-pass-123"}' | jq -r .authToken)
[ -n "$TOKEN" ] && [ "$TOKEN" != null ] || { echo "no token (see $OUT/app.log)" >&2; exit 1; }
BASIC=$(printf 'bench:%s' "$CLIENT_SECRET" | base64 -w0)
cat > "$OUT/introspect.lua" <<EOF
wrk.method = "POST"
wrk.body = "token=$TOKEN"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $BASIC"
EOF
: > "$OUT/empty.lua"

# measure NAME URL SCRIPT [headers...]: warm-up, then a JFR window of load
measure() {
  local name=$1 url=$2 script=$3; shift 3
  local h=(); for x in "$@"; do h+=(-H "$x"); done
  local probe=("${h[@]}")
  [ "$name" = introspect ] && probe+=(-H "Authorization: Basic $BASIC" -d "token=$TOKEN")
  [ "$(curl -s -o /dev/null -w '%{http_code}' "${probe[@]}" "$url")" = 200 ] || { log "$name: not 200"; exit 1; }
  wrk -t2 -c16 -d"${WARMUP}s" -s "$script" "${h[@]}" "$url" > /dev/null 2>&1
  jcmd $APP_PID JFR.start name=$name settings=profile filename="$OUT/$name.jfr" > /dev/null
  wrk -t2 -c16 -d"${SECONDS_MEASURED}s" -s "$script" "${h[@]}" "$url" > "$OUT/wrk-$name.txt" 2>&1
  jcmd $APP_PID JFR.stop name=$name > /dev/null
  local reqs; reqs=$(awk '/requests in/ {print $1}' "$OUT/wrk-$name.txt")
  grep -q Non-2xx "$OUT/wrk-$name.txt" && { log "$name: non-2xx answers under load"; grep Non-2xx "$OUT/wrk-$name.txt"; exit 1; }
  python3 bench/lib/jfr_alloc.py "$OUT/$name.jfr" "$reqs" > "$OUT/alloc-$name.txt" 2>&1
  log "$name: $(head -2 "$OUT/alloc-$name.txt" | tr '\n' ' ')"
}
measure me http://127.0.0.1:$APP/api:main/auth/me "$OUT/empty.lua" "Authorization: Bearer $TOKEN"
measure gate http://127.0.0.1:$APP/gate/check "$OUT/empty.lua" "Authorization: Bearer $TOKEN" \
  "X-Original-Method: GET" "X-Original-URI: /api/orders"
measure introspect http://127.0.0.1:$APP/oauth2/introspect "$OUT/introspect.lua"

{ echo "# Allocation per request, $(date -Is)"
  echo; echo "\`bench/alloc.sh --seconds $SECONDS_MEASURED --warmup $WARMUP\`, $(java -version 2>&1 | head -1),"
  echo "commit $(git rev-parse --short HEAD), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)."
  for n in me gate introspect; do echo; echo "## $n"; echo; echo '```'; head -40 "$OUT/alloc-$n.txt"; echo '```'; done
} > "$OUT/report.md"
log "report: $OUT/report.md"
