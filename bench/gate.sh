#!/bin/bash
# The gate's cost: wrk through NGINX -> upstream alone, then through NGINX -> Authgate's gate -> upstream
# (examples/nginx/nginx.conf as shipped), then the gate alone (/gate/check), at 16 and 64 connections, on
# one machine in one run. Writes bench/results/gate-<timestamp>/report.md (raw wrk output beside it).
#
#   bench/gate.sh [--duration S] [--warmup S] [--jit S] [--conns "16 64"] [--keycloak [--kc-jit S] [--kc-jit-min S] [--kc-work DIR]]
# --jit: seconds of load through the gate before anything is measured, so the JIT has compiled it (default 60).
# --keycloak: then Keycloak's userinfo (bench/peers/keycloak, started as bench/run.sh does; JIT warm-up in 10 s
#   chunks, at least --kc-jit-min s (default 90: its JIT keeps rising after a first flat step), until it
#   plateaus, at most --kc-jit s (default 180)), and the ratio gate alone / Keycloak userinfo.
# Needs: a packaged application (./mvnw package -DskipTests), nginx (nginx-light), wrk, curl, jq, and
# Debian's PostgreSQL 15 server at /usr/lib/postgresql/15/bin (a throwaway cluster); for --keycloak a JDK 21+
# (KC_JAVA_HOME, default Temurin 25) and mvn (the distribution comes from Maven Central when missing).
set -uo pipefail
DURATION=20 WARMUP=10 JIT=60 CONNS="16 64" KEYCLOAK=0 KC_JIT=180 KC_JIT_MIN=90
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KC_WORK=$(dirname "$ROOT")/kc-work KC_VERSION=${KC_VERSION:-26.7.3} KC_JAVA_HOME=${KC_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --jit) JIT=$2; shift ;;
    --conns) CONNS=$2; shift ;;
    --keycloak) KEYCLOAK=1 ;;
    --kc-jit) KC_JIT=$2; shift ;;
    --kc-jit-min) KC_JIT_MIN=$2; shift ;;
    --kc-work) KC_WORK=$2; shift ;;
    -h|--help) sed -n 2,13p "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
cd "$ROOT"
OUT=$ROOT/bench/results/gate-$(date +%Y%m%d-%H%M%S); mkdir -p "$OUT"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
PGBIN=/usr/lib/postgresql/15/bin
JAR=target/quarkus-app/quarkus-run.jar
for tool in wrk curl jq java "$NGINX" $PGBIN/initdb; do command -v "$tool" > /dev/null || { echo "missing: $tool" >&2; exit 1; }; done
[ -f $JAR ] || { echo "no $JAR: ./mvnw package -DskipTests" >&2; exit 1; }
log() { echo "[$(date +%T)] $*" | tee -a "$OUT/run.log" >&2; }
# as_pg, stop_pid, free_port
source "$ROOT/bench/lib/proc.sh"

# everything started here is stopped here, by PID
PIDS=() PGDIR="" KC_PID="" KC_SH_PID=""
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2> /dev/null; done
  # a Keycloak whose start.sh was interrupted: its kc.sh PID file is newer than this run's directory
  if [ -z "$KC_SH_PID" ] && [ "$KEYCLOAK" = 1 ] && [ "$KC_WORK/results/kc.sh.pid" -nt "$OUT" ]; then
    KC_SH_PID=$(cat "$KC_WORK/results/kc.sh.pid"); KC_PID=$(pgrep -P "$KC_SH_PID" java | head -1)
  fi
  stop_pid "$KC_PID" 30; stop_pid "$KC_SH_PID" 5
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

# Authgate with the example rules; it migrates the empty database at start (production leaves that to a Job)
APP=$(free_port) MGMT=$(free_port) UP=$(free_port) ALONE=$(free_port) GATED=$(free_port)
KEYS="{\"keys\":[{\"kty\":\"oct\",\"kid\":\"bench-gate\",\"k\":\"$(head -c 32 /dev/urandom | basenc --base64url | tr -d '=')\"}]}"
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:$PGPORT/postgres QUARKUS_DATASOURCE_USERNAME=postgres \
QUARKUS_DATASOURCE_PASSWORD=x AUTHGATE_TOKEN_KEYS=$KEYS QUARKUS_HTTP_PORT=$APP QUARKUS_HTTP_HOST=127.0.0.1 \
QUARKUS_MANAGEMENT_PORT=$MGMT QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_FLYWAY_MIGRATE_AT_START=true \
QUARKUS_CONFIG_LOCATIONS=$ROOT/examples/gate.properties QUARKUS_LOG_CATEGORY__DEV_AUTHGATE_GATE__LEVEL=WARN \
  java -XX:+UseSerialGC -Xms16m -Xmx128m -jar $JAR > "$OUT/app.log" 2>&1 &
PIDS+=($!)
# health is on the management interface, a port of its own
for _ in $(seq 600); do [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$MGMT/q/health/ready)" = 200 ] && break; sleep 0.1; done
[ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$MGMT/q/health/ready)" = 200 ] || { echo "not ready within 60 s: see $OUT/app.log" >&2; exit 1; }
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

# CPU accounting (as bench/run.sh's cells): "other" = CPU of the machine minus that of our servers, PostgreSQL and wrk
HZ=$(getconf CLK_TCK)
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
ours() { # ticks of our servers (app, NGINX masters and their workers, Keycloak) and of PostgreSQL (postmaster, backends, reaped children)
  local pg s=0 p; pg=$(head -1 "$PGDIR/data/postmaster.pid")
  for p in "${PIDS[@]}" $(for q in "${PIDS[@]}"; do pgrep -P "$q"; done) $KC_PID $pg $(pgrep -P "$pg"); do s=$((s + $(awk '{print $14+$15}' /proc/$p/stat 2> /dev/null || echo 0))); done
  echo $((s + $(awk '{print $16+$17}' /proc/$pg/stat 2> /dev/null || echo 0)))
}
# run NAME CONNS URL [headers...]: wrk, and the line of the report
run() {
  local name=$1 c=$2 url=$3; shift 3
  local h=(-H "Authorization: Bearer $BEARER" "$@")
  wrk -t2 -c"$c" -d"${WARMUP}s" "${h[@]}" "$url" > /dev/null 2>&1
  local b0 o0 b1 o1 wu ws other; b0=$(busy); o0=$(ours); TIMEFORMAT='%U %S'
  { time wrk -t2 -c"$c" -d"${DURATION}s" --latency "${h[@]}" "$url" > "$OUT/wrk-$name-$c.txt" 2>&1; } 2> "$OUT/wrk-$name-$c.time"
  b1=$(busy); o1=$(ours); read -r wu ws < "$OUT/wrk-$name-$c.time"
  other=$(python3 -c "print('%.1f' % (($b1 - $b0 - ($o1 - $o0)) / $HZ - $wu - $ws))")
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/{print $2}' "$OUT/wrk-$name-$c.txt")
  p50=$(awk '$1=="50%"{print $2}' "$OUT/wrk-$name-$c.txt"); p99=$(awk '$1=="99%"{print $2}' "$OUT/wrk-$name-$c.txt")
  errors=$(awk '/Non-2xx/{print $NF}' "$OUT/wrk-$name-$c.txt"); errors=${errors:-0}
  echo "| $name | $c | $rps | $p50 | $p99 | $errors | $other of $((DURATION * $(nproc))) |" | tee -a "$OUT/table.md"
}
BEARER=$TOKEN
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "| path | connections | requests/s | p50 | p99 | non-2xx | other CPU-s |"
  echo "|---|---|---|---|---|---|---|"
} > "$OUT/table.md"
log "JIT warm-up: ${JIT}s through the gate"
wrk -t2 -c16 -d"${JIT}s" -H "Authorization: Bearer $TOKEN" http://127.0.0.1:$GATED/api/orders > "$OUT/wrk-jit.txt" 2>&1
for c in $CONNS; do
  run nginx-upstream "$c" http://127.0.0.1:$ALONE/api/orders
  run nginx-gate-upstream "$c" http://127.0.0.1:$GATED/api/orders
  run gate-alone "$c" http://127.0.0.1:$APP/gate/check -H 'X-Original-Method: GET' -H 'X-Original-URI: /api/orders'
done

# ---------------------------------------------------------------- Keycloak's userinfo (--keycloak), as bench/run.sh runs it
# plateau URL MAXSECONDS [MINSECONDS]: JIT warm-up at 16 connections in 10 s chunks until throughput changes by < 5%
# (bench/run.sh's)
plateau() {
  local url=$1 max=$2 min=${3:-0} prev=0 r n=0 rates=""
  while [ $((n * 10)) -lt "$max" ]; do
    n=$((n + 1))
    r=$(timeout 60 wrk -t2 -c16 -d10s --timeout 10s -H "Authorization: Bearer $BEARER" "$url" 2>&1 | awk '/Requests\/sec/{print $2}')
    rates="$rates ${r:-0}"
    python3 -c "import sys; p=$prev; r=${r:-0}; sys.exit(0 if $n>=2 and $n*10>=$min and p>0 and abs(r-p)/p<0.05 else 1)" && break
    prev=${r:-0}
  done
  KC_WARMUP=$rates
}
if [ "$KEYCLOAK" = 1 ]; then
  # the gate, NGINX and the upstream are done: stop them, so that Keycloak has the machine (PostgreSQL stays, idle)
  for p in "${PIDS[@]}"; do stop_pid "$p"; done; PIDS=()
  PEER=$ROOT/bench/peers/keycloak
  export PEER_HOME=$PEER PEER_WORK=$KC_WORK KC=$KC_WORK/keycloak-$KC_VERSION KC_JAVA_HOME
  mkdir -p "$KC_WORK/results"
  [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18080/realms/master)" = 000 ] || { echo "something listens on 127.0.0.1:18080" >&2; exit 1; }
  if [ ! -d "$KC" ]; then
    log "Keycloak $KC_VERSION: fetching org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip from Maven Central"
    ( cd "$KC_WORK" && mvn -q -B dependency:copy -Dartifact=org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip -DoutputDirectory="$KC_WORK" \
        && unzip -q keycloak-quarkus-dist-$KC_VERSION.zip ) > "$OUT/kc-fetch.log" 2>&1 || { log "Keycloak fetch failed"; exit 1; }
  fi
  kc_start() { # TAG
    "$PEER/start.sh" "$1" > "$OUT/kc-start-$1.txt" 2>&1 || { log "Keycloak start failed"; cat "$OUT/kc-start-$1.txt" >&2; exit 1; }
    KC_SH_PID=$(cat "$KC_WORK/results/kc.sh.pid"); KC_PID=$(cat "$KC_WORK/results/java.pid")
    log "Keycloak [$1] $(cat "$KC_WORK/results/startup-$1.txt")"
  }
  kc_stop() { stop_pid "$KC_PID" 30; stop_pid "$KC_SH_PID" 5; KC_PID="" KC_SH_PID=""; }
  if [ ! -d "$KC/data/h2" ]; then
    kc_start first
    "$PEER/setup.sh" > "$OUT/kc-setup.txt" 2>&1 || { log "Keycloak setup failed"; exit 1; }
    kc_stop
  fi
  kc_start restart
  if [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18080/realms/bench)" != 200 ]; then
    "$PEER/setup.sh" > "$OUT/kc-setup.txt" 2>&1 || { log "Keycloak setup failed"; exit 1; }
  fi
  KB=http://127.0.0.1:18080/realms/bench/protocol/openid-connect
  BEARER=$(curl -sf -X POST $KB/token -d grant_type=password -d client_id=app -d username=alice -d password=alice-pass-123 \
    -d scope=openid | jq -r .access_token)
  [ ${#BEARER} -gt 100 ] && [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $BEARER" $KB/userinfo)" = 200 ] \
    || { log "no Keycloak userinfo token"; exit 1; }
  KC_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
  log "Keycloak userinfo: JIT warm-up (${KC_JIT_MIN}-${KC_JIT}s)"
  plateau $KB/userinfo "$KC_JIT" "$KC_JIT_MIN"
  log "  req/s per 10 s:$KC_WARMUP"
  for c in $CONNS; do run keycloak-userinfo "$c" $KB/userinfo; done
  kc_stop
fi

# ---------------------------------------------------------------- report
# wrk's latency (850.00us, 1.23ms, 1.02s) in ms; the ratios the issue asks for
summary() {
  python3 - "$OUT/table.md" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]).read().splitlines()[2:]:
    f = [x.strip() for x in line.strip("|").split("|")]
    rows[(f[0], int(f[1]))] = f
def ms(v):
    for u, k in (("us", 1e-3), ("ms", 1.0), ("s", 1e3)):
        if v.endswith(u): return float(v[: -len(u)]) * k
def rps(n, c): return float(rows[(n, c)][2]) if (n, c) in rows else None
conns = sorted({c for _, c in rows})
for c in conns:
    a, g = rps("nginx-upstream", c), rps("nginx-gate-upstream", c)
    if a and g:
        dp99 = ms(rows[("nginx-gate-upstream", c)][4]) - ms(rows[("nginx-upstream", c)][4])
        print(f"- {c} connections: with the gate {100 * g / a:.0f} % of NGINX-alone throughput (target ≥ 50 %), "
              f"added p99 {dp99:+.2f} ms (target ≤ 2 ms at 16)")
best = lambda n: max([rps(n, c) for c in conns if rps(n, c)] or [0])
if best("keycloak-userinfo"):
    for c in conns:
        k, g = rps("keycloak-userinfo", c), rps("gate-alone", c)
        if k and g: print(f"- {c} connections: gate alone / Keycloak userinfo = {g:,.0f} / {k:,.0f} = {g / k:.2f}x")
    print(f"- best over the connections: gate alone / Keycloak userinfo = {best('gate-alone'):,.0f} / "
          f"{best('keycloak-userinfo'):,.0f} = {best('gate-alone') / best('keycloak-userinfo'):.2f}x (target ≥ 2x)")
PY
}
KC_ARGS=""; [ "$KEYCLOAK" = 1 ] && KC_ARGS=" --keycloak"; [ "$KEYCLOAK" = 1 ] && [ "$KC_JIT" != 180 ] && KC_ARGS="$KC_ARGS --kc-jit $KC_JIT"
[ "$KEYCLOAK" = 1 ] && [ "$KC_JIT_MIN" != 90 ] && KC_ARGS="$KC_ARGS --kc-jit-min $KC_JIT_MIN"
{
  echo "# The gate's cost ($(date -u +%F), $(nproc) cores, load average before: $LOAD; wrk -t2 ${DURATION}s per cell after ${WARMUP}s warm-up, ${JIT}s JIT warm-up first)"
  echo
  echo "Command: \`bench/gate.sh --duration $DURATION --warmup $WARMUP --jit $JIT --conns \"$CONNS\"$KC_ARGS\`"
  echo
  cat "$OUT/table.md"
  echo
  echo "other CPU-s: what anything but the servers (app, NGINX, Keycloak), PostgreSQL and wrk used during the measured"
  echo "seconds, of the machine's $((DURATION * $(nproc))) CPU-s (a quiet machine: < 5 %)."
  echo
  if [ "$KEYCLOAK" = 1 ]; then
    echo "keycloak-userinfo: Keycloak $KC_VERSION (bench/peers/keycloak: kc.sh start-dev, H2, Temurin 25), GET userinfo with one"
    echo "openid token, the gate, NGINX and the upstream stopped; load average before its JIT warm-up: $KC_LOAD;"
    echo "JIT warm-up at 16 connections (${KC_JIT_MIN}-${KC_JIT} s), req/s per 10 s:$KC_WARMUP"
    echo
  fi
  summary
} > "$OUT/report.md"
log "report: $OUT/report.md"
cat "$OUT/report.md"
