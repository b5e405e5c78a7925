#!/bin/bash
# Authgate benchmark: speed, memory and growth, against Keycloak and against the machine's own limits.
# One command; see bench/README.md.  Writes bench/results/<timestamp>/report.md and report.json.
#
#   bench/run.sh [--accounts N[,M...]] [--db-url JDBC_URL --db-user U --db-password P] [--skip-keycloak]
#                [--skip-limits] [--jvm-opts "OPTS"] [--jvm-trial] [--profile] [--duration S] [--warmup S]
#                [--endpoints "me introspect login signup"] [--conns "16 64"] [--tries T] [--quiet-wait S] [--jit-warmup "ME LOGIN KC_ME"] [--kc-work DIR]
set -uo pipefail

# ---------------------------------------------------------------- options
ACCOUNTS=10000
DB_URL="" DB_USER=postgres DB_PASSWORD=bench
SKIP_KC=0 SKIP_LIMITS=0 JVM_TRIAL=0 PROFILE=0
JVM_OPTS_DEFAULT="-XX:+UseSerialGC -Xms16m -Xmx128m -XX:TrimNativeHeapInterval=5000"
JVM_OPTS="$JVM_OPTS_DEFAULT"
ENDPOINTS="me introspect login signup" DURATION=20 WARMUP=5 CONNS="16 64" TRIES=3 QUIET_WAIT=120 JIT_ME=60 JIT_LOGIN=20 KC_JIT_ME=120
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KC_WORK=$(dirname "$ROOT")/kc-work
KC_VERSION=${KC_VERSION:-26.7.3}
KC_JAVA_HOME=${KC_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
while [ $# -gt 0 ]; do
  case "$1" in
    --accounts) ACCOUNTS=$2; shift ;;
    --db-url) DB_URL=$2; shift ;;
    --db-user) DB_USER=$2; shift ;;
    --db-password) DB_PASSWORD=$2; shift ;;
    --skip-keycloak) SKIP_KC=1 ;;
    --skip-limits) SKIP_LIMITS=1 ;;
    --jvm-opts) JVM_OPTS=$2; shift ;;
    --jvm-trial) JVM_TRIAL=1 ;;
    --profile) PROFILE=1 ;;
    --duration) DURATION=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --conns) CONNS=$2; shift ;;
    --endpoints) ENDPOINTS=$2; shift ;;
    --tries) TRIES=$2; shift ;;
    --quiet-wait) QUIET_WAIT=$2; shift ;;
    --jit-warmup) read -r JIT_ME JIT_LOGIN KC_JIT_ME <<< "$2"; shift ;;
    --kc-work) KC_WORK=$2; shift ;;
    -h|--help) sed -n 2,9p "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
IFS=, read -r -a SIZES <<< "$ACCOUNTS"

cd "$ROOT"
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=$ROOT/bench/results/$STAMP
mkdir -p "$OUT/raw"
CELLS=$OUT/raw/cells.jsonl FACTS=$OUT/raw/facts.jsonl
: > "$CELLS"; : > "$FACTS"
NCPU=$(nproc)
HZ=$(getconf CLK_TCK)
PASSWORD=bench-pass-123
log() { echo "[$(date +%T)] $*" | tee -a "$OUT/raw/run.log" >&2; }
# fact KEY VALUE [json]: one measured or configured fact for the report
fact() {
  if [ "${3:-}" = json ]; then printf '{"key":"%s","value":%s}\n' "$1" "$2" >> "$FACTS"
  else jq -cn --arg k "$1" --arg v "$2" '{key:$k,value:$v}' >> "$FACTS"; fi
}
for tool in java curl jq python3 psql pgbench; do
  command -v $tool > /dev/null || { echo "missing: $tool" >&2; exit 1; }
done
if ! command -v wrk > /dev/null; then
  if [ "$(id -u)" = 0 ]; then log "installing wrk (Debian)"; apt-get install -y wrk > "$OUT/raw/apt.log" 2>&1 \
      || { apt-get update > /dev/null 2>&1; apt-get install -y wrk >> "$OUT/raw/apt.log" 2>&1; }; fi
  command -v wrk > /dev/null || { echo "missing: wrk (apt-get install wrk)" >&2; exit 1; }
fi

# ---------------------------------------------------------------- cleanup: everything we start, by PID
APP_PID="" KC_PID="" KC_SH_PID="" PGDIR="" PG_OWN=0
# as_pg, stop_pid, free_port
source "$ROOT/bench/lib/proc.sh"
cleanup() {
  stop_pid "$APP_PID"; APP_PID=""
  stop_pid "$KC_PID" 30; stop_pid "$KC_SH_PID" 5; KC_PID="" KC_SH_PID=""
  if [ "$PG_OWN" = 1 ] && [ -n "$PGDIR" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop > /dev/null 2>&1
    rm -rf "$PGDIR"; PG_OWN=0
  fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM


# ---------------------------------------------------------------- machine
{ echo "date: $(date -Is)"; echo "nproc: $NCPU"; lscpu | grep -E 'Model name|^CPU\(s\)|Hypervisor'; free -m | head -2
  java -version 2>&1 | head -1; wrk -v 2>&1 | head -1; "${PGBIN:-/usr/lib/postgresql/15/bin}/postgres" --version 2>/dev/null
  echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null) $(git -C "$ROOT" status --porcelain 2>/dev/null | grep -vc '^??') modified"
} > "$OUT/raw/machine.txt" 2>&1
fact machine "$(grep 'Model name' "$OUT/raw/machine.txt" | sed 's/.*: *//'), $NCPU cores"
fact java "$(java -version 2>&1 | head -1)"
fact git "$(git rev-parse --short HEAD 2>/dev/null)"

# ---------------------------------------------------------------- build
JAR=target/quarkus-app/quarkus-run.jar
if [ ! -f $JAR ] || [ -n "$(find src/main pom.xml -newer $JAR -print -quit)" ]; then
  log "building the application (./mvnw -B -q package -DskipTests)"
  ./mvnw -B -q package -DskipTests > "$OUT/raw/build.log" 2>&1 || { cat "$OUT/raw/build.log"; exit 1; }
fi
APP_CP="$(ls target/quarkus-app/lib/boot/*.jar target/quarkus-app/lib/main/*.jar | tr '\n' :)target/quarkus-app/app/authgate-0.1.0-SNAPSHOT.jar"
tool() { java -XX:+UseSerialGC -cp "$APP_CP" bench/tools/BenchTool.java "$@"; }

# ---------------------------------------------------------------- CPU accounting and the quiet-machine gate
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
pcpu() { [ -n "${1:-}" ] && awk '{print $14+$15}' "/proc/$1/stat" 2> /dev/null || echo 0; }
PG_PID=""
pgcpu() { # postmaster + backends (+ reaped children)
  [ -n "$PG_PID" ] || { echo 0; return; }
  local s=0 p
  for p in $PG_PID $(pgrep -P "$PG_PID"); do s=$((s + $(awk '{print $14+$15}' /proc/$p/stat 2> /dev/null || echo 0))); done
  s=$((s + $(awk '{print $16+$17}' /proc/$PG_PID/stat 2> /dev/null || echo 0)))
  echo $s
}
SERVER_PID=""
ours() { echo $(( $(pcpu "$SERVER_PID") + $(pgcpu) )); }
wait_quiet() { # until the machine minus our server and database is < 5% busy over 3 s (max QUIET_WAIT s)
  local end=$((SECONDS + QUIET_WAIT))
  while [ $SECONDS -lt $end ]; do
    local b0 o0 b1 o1; b0=$(busy); o0=$(ours); sleep 3; b1=$(busy); o1=$(ours)
    [ $(( (b1 - b0) - (o1 - o0) )) -lt $((3 * HZ * NCPU / 20)) ] && return 0
  done
  log "  (machine not quiet after ${QUIET_WAIT}s, measuring anyway)"
}

# cell SERVER PHASE ENDPOINT CONNS URL SCRIPT: gated warm-up + measurement, retried while the machine was busy
cell() {
  local server=$1 phase=$2 name=$3 c=$4 url=$5 script=$6 try best_other=999 best=""
  for try in $(seq "$TRIES"); do
    wait_quiet
    local f=$OUT/raw/wrk-$server-$phase-$name-c$c-try$try.txt
    timeout $((WARMUP + 30)) wrk -t2 -c"$c" -d"${WARMUP}s" --timeout 10s -s "$script" "$url" > "$f.warmup" 2>&1
    local b0 s0 p0 b1 s1 p1 t0 t1 wu ws
    b0=$(busy); s0=$(pcpu "$SERVER_PID"); p0=$(pgcpu); t0=$(date +%s.%N)
    TIMEFORMAT='%U %S'
    { time timeout $((DURATION + 40)) wrk -t2 -c"$c" -d"${DURATION}s" --timeout 10s --latency -s "$script" "$url" > "$f" 2>&1; } 2> "$f.time"
    b1=$(busy); s1=$(pcpu "$SERVER_PID"); p1=$(pgcpu); t1=$(date +%s.%N)
    read -r wu ws < "$f.time"
    local rss hwm
    rss=$(awk '/VmRSS/{print $2}' /proc/$SERVER_PID/status 2> /dev/null); hwm=$(awk '/VmHWM/{print $2}' /proc/$SERVER_PID/status 2> /dev/null)
    local cpu
    cpu=$(python3 -c "
hz=$HZ; wall=$t1-$t0; srv=($s1-$s0)/hz; pg=($p1-$p0)/hz; wrk=$wu+$ws; tot=($b1-$b0)/hz
print('{\"wall\":%.2f,\"server\":%.2f,\"db\":%.2f,\"wrk\":%.2f,\"other\":%.2f,\"capacity\":%.1f}'%(wall,srv,pg,wrk,tot-srv-pg-wrk,wall*$NCPU))")
    local other; other=$(jq -r .other <<< "$cpu")
    jq -cn --arg server "$server" --arg phase "$phase" --arg endpoint "$name" --argjson conns "$c" --argjson attempt "$try" \
      --arg file "$(basename "$f")" --argjson cpu "$cpu" --argjson rss "${rss:-0}" --argjson hwm "${hwm:-0}" \
      '{server:$server,phase:$phase,endpoint:$endpoint,conns:$conns,try:$attempt,file:$file,cpu:$cpu,rss_kb:$rss,hwm_kb:$hwm}' >> "$CELLS"
    log "  $server $phase $name c=$c try$try: $(grep -h Requests/sec "$f" | tr -s ' ') p99=$(awk '/ 99%/{print $2}' "$f") $(grep -h 'Non-2xx' "$f" | tr -s ' ') cpu=$cpu"
    # accepted when "other" used < 5% of the machine during the measurement
    python3 -c "import sys; sys.exit(0 if $other < 0.05*$DURATION*$NCPU else 1)" && break
  done
}
# limit NAME CMD...: a machine-limit measurement, gated like a cell: retried while foreign CPU (not the command,
# not the database) was >= 5% of the machine; every attempt is kept as raw/NAME-tryN.txt, listed in limits.jsonl
limit() {
  local name=$1; shift
  local try b0 p0 b1 p1 t0 t1 u s
  for try in $(seq "$TRIES"); do
    wait_quiet
    local f=$OUT/raw/$name-try$try.txt
    b0=$(busy); p0=$(pgcpu); t0=$(date +%s.%N)
    TIMEFORMAT='%U %S'
    { time "$@" > "$f" 2>&1; } 2> "$f.time"
    b1=$(busy); p1=$(pgcpu); t1=$(date +%s.%N)
    read -r u s < "$f.time"
    local other cap
    other=$(python3 -c "print('%.2f' % (($b1-$b0-($p1-$p0))/$HZ - ($u+$s)))")
    cap=$(python3 -c "print('%.1f' % (($t1-$t0)*$NCPU))")
    jq -cn --arg n "$name" --argjson t "$try" --arg f "$(basename "$f")" --argjson o "$other" --argjson c "$cap" \
      '{name:$n,try:$t,file:$f,other:$o,capacity:$c}' >> "$OUT/raw/limits.jsonl"
    log "  $name try$try: $(grep -h -E '^tps|per_second' "$f" | head -1) other=${other}s of ${cap}"
    python3 -c "import sys; sys.exit(0 if $other < 0.05*$cap else 1)" && break
  done
}
# plateau SERVER ENDPOINT URL SCRIPT MAXSECONDS [MINSECONDS]: JIT warm-up in 10 s chunks until throughput stops
# rising (< 5%), not before MINSECONDS
plateau() {
  local server=$1 name=$2 url=$3 script=$4 max=$5 min=${6:-0} prev=0 r n=0 rates=""
  while [ $((n * 10)) -lt "$max" ]; do
    n=$((n + 1))
    r=$(timeout 60 wrk -t2 -c16 -d10s --timeout 10s -s "$script" "$url" 2>&1 | awk '/Requests\/sec/{print $2}')
    rates="$rates ${r:-0}"
    python3 -c "import sys; p=$prev; r=${r:-0}; sys.exit(0 if $n>=2 and $n*10>=$min and p>0 and abs(r-p)/p<0.05 else 1)" && break
    prev=${r:-0}
  done
  log "  $server $name JIT warm-up (req/s per 10 s):$rates"
  jq -cn --arg s "$server" --arg e "$name" --arg r "$rates" '{key:("warmup_"+$s+"_"+$e),value:$r}' >> "$FACTS"
}

# ---------------------------------------------------------------- PostgreSQL
PGBIN=/usr/lib/postgresql/15/bin
if [ -z "$DB_URL" ]; then
  [ -x $PGBIN/initdb ] || { echo "no PostgreSQL server at $PGBIN: install postgresql-15 or pass --db-url" >&2; exit 1; }
  PGDIR=$(mktemp -d /tmp/authgate-bench-pg.XXXXXX); PG_OWN=1
  [ "$(id -u)" = 0 ] && chown postgres: "$PGDIR"
  PGPORT=$(free_port); PGHOST=127.0.0.1; PGDATABASE=authgate
  log "PostgreSQL 15: throwaway cluster in $PGDIR on 127.0.0.1:$PGPORT"
  as_pg $PGBIN/initdb -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C > "$OUT/raw/initdb.log" 2>&1 || { cat "$OUT/raw/initdb.log"; exit 1; }
  as_pg $PGBIN/pg_ctl -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
    -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c max_connections=100" start > /dev/null || { cat "$PGDIR/server.log"; exit 1; }
  PG_PID=$(head -1 "$PGDIR/data/postmaster.pid")
  psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -c "create database authgate" || exit 1
  DB_URL="jdbc:postgresql://127.0.0.1:$PGPORT/authgate"
  fact database "PostgreSQL $($PGBIN/postgres --version | awk '{print $3}') (Debian), throwaway cluster, default settings (shared_buffers 128MB, fsync on), TCP 127.0.0.1"
else
  # jdbc:postgresql://host[:port]/db
  hp=${DB_URL#jdbc:postgresql://}; hp=${hp%%\?*}; PGDATABASE=${hp#*/}; hp=${hp%%/*}
  PGHOST=${hp%%:*}; PGPORT=${hp#*:}; [ "$PGPORT" = "$hp" ] && PGPORT=5432
  fact database "given: $DB_URL"
fi
export PGHOST PGPORT PGDATABASE PGUSER=$DB_USER PGPASSWORD=$DB_PASSWORD
SQL() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }

# ---------------------------------------------------------------- the application
KID="bench-$STAMP"
KEYS="{\"keys\":[{\"kty\":\"oct\",\"kid\":\"$KID\",\"k\":\"$(head -c 32 /dev/urandom | basenc --base64url | tr -d '=')\"}]}"
# the service client "bench" for the introspect endpoint (bench/lua/introspect.lua)
BENCH_CLIENT_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export BENCH_CLIENT_BASIC=$(printf 'bench:%s' "$BENCH_CLIENT_SECRET" | base64 -w0)
APP_PORT=$(free_port)
BASE=http://127.0.0.1:$APP_PORT
# health and metrics are on the management interface, a port of their own
MGMT_PORT=$(free_port)
MGMT=http://127.0.0.1:$MGMT_PORT
# start_app TAG "JVM OPTS": launches java -jar, measures launch -> first 200 on /q/health/ready
start_app() {
  local tag=$1 opts=$2 t0 t1 migrate=false
  # the first start migrates the empty database (production leaves that to a Job); every other start is a restart
  [ "$tag" = first ] && migrate=true
  t0=$(date +%s.%N)
  QUARKUS_DATASOURCE_JDBC_URL=$DB_URL QUARKUS_DATASOURCE_USERNAME=$DB_USER QUARKUS_DATASOURCE_PASSWORD=$DB_PASSWORD \
  AUTHGATE_TOKEN_KEYS=$KEYS QUARKUS_HTTP_PORT=$APP_PORT QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_FLYWAY_MIGRATE_AT_START=$migrate \
  QUARKUS_MANAGEMENT_PORT=$MGMT_PORT QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
  AUTHGATE_CLIENTS_BENCH_SECRET=$BENCH_CLIENT_SECRET AUTHGATE_CLIENTS_BENCH_GROUPS=main AUTHGATE_CLIENTS_BENCH_SCOPES=introspect \
    java $opts -jar $JAR > "$OUT/raw/app-$tag.log" 2>&1 &
  APP_PID=$!; SERVER_PID=$APP_PID
  local end=$((SECONDS + ${BENCH_START_LIMIT:-60})) # a loaded machine may need longer
  until [ "$(curl -s -o /dev/null -w '%{http_code}' $MGMT/q/health/ready)" = 200 ]; do
    kill -0 $APP_PID 2> /dev/null || { log "the application exited:"; tail -20 "$OUT/raw/app-$tag.log" >&2; exit 1; }
    [ $SECONDS -lt $end ] || { log "no 200 within 60 s"; exit 1; }
    sleep 0.02
  done
  t1=$(date +%s.%N)
  STARTUP=$(echo "$t1 - $t0" | bc)
  log "app [$tag] first 200 after ${STARTUP}s ($(grep -o 'started in [0-9.]*s' "$OUT/raw/app-$tag.log"))"
}
rss_kb() { awk -v k="$2" '$1==k":"{print $2}' /proc/$1/status; }
stop_app() { stop_pid "$APP_PID"; APP_PID=""; }

# ---------------------------------------------------------------- seed
HASH=$(tool hash "$PASSWORD" 10) || exit 1
[[ $HASH == \$2a\$10\$* ]] || { echo "unexpected bcrypt hash: $HASH" >&2; exit 1; }
fact seed_hash "$HASH"
SEEDED=0
# seed_to N: accounts bench<k>@bench.test with ids k = SEEDED+1..N, one bcrypt hash ($2a$10$) for all, and one
# live session per account (jti = md5('bench'||k)::uuid) so that auth_session grows with the accounts.
seed_to() {
  local n=$1 t0 t1
  [ "$n" -gt "$SEEDED" ] || return 0
  t0=$(date +%s.%N)
  SQL -v from=$((SEEDED + 1)) -v to="$n" -v hash="$HASH" <<'EOF' || exit 1
insert into "user" (id, name, email, password_hash, created_at)
  select k, 'Bench User ' || k, 'bench' || k || '@bench.test', :'hash', now() from generate_series(:from, :to) k;
insert into auth_session (jti, dbtable, account_id, issued_at, expires_at)
  select md5('bench' || k)::uuid, 'user', k, now(), now() + interval '1 day' from generate_series(:from, :to) k;
-- sign-ups during the run take ids far above the seeded range
do $$ begin perform setval(pg_get_serial_sequence('"user"', 'id'), greatest(100000000, (select max(id) from "user"))); end $$;
analyze "user"; analyze auth_session;
EOF
  t1=$(date +%s.%N)
  log "seeded accounts $((SEEDED + 1))..$n in $(echo "$t1 - $t0" | bc | cut -c1-6)s"
  fact "seed_seconds_$n" "$(echo "$t1 - $t0" | bc | cut -c1-6)"
  SEEDED=$n
}

log "results: $OUT"
log "first start (empty database: Flyway creates the tables)"
start_app first "$JVM_OPTS"; fact startup_first_s "$STARTUP"
stop_app
if [ -n "$(SQL -c "select 1 from \"user\" where email not like '%bench.test' limit 1")" ]; then
  echo "the database holds accounts that are not the benchmark's: use an empty scratch database" >&2; exit 1
fi
SEEDED=$(SQL -c "select coalesce(max(id),0) from \"user\" where id < 100000000")
seed_to "${SIZES[0]}"

# ---------------------------------------------------------------- JVM option trial (optional)
if [ "$JVM_TRIAL" = 1 ]; then
  log "JVM option trial"
  AUTHGATE_TOKEN_KEYS=$KEYS tool tokens "${SIZES[0]}" 2000 "$OUT/raw/tokens-trial.txt" || exit 1
  CDS=$OUT/raw/app-cds.jsa
  trial() { # NAME OPTS
    local name=$1 opts=$2
    wait_quiet
    start_app "trial-$name" "$opts"; local st=$STARTUP
    sleep 5; local idle; idle=$(rss_kb $APP_PID VmRSS)
    local rme rlo
    rme=$(ME_TOKENS=$OUT/raw/tokens-trial.txt timeout 60 wrk -t2 -c64 -d15s --timeout 10s -s bench/lua/me.lua "$BASE/api:main/auth/me" | awk '/Requests\/sec/{print $2}')
    rlo=$(LOGIN_ACCOUNTS=${SIZES[0]} timeout 60 wrk -t2 -c16 -d8s --timeout 10s -s bench/lua/login.lua "$BASE/api:main/auth/login" | awk '/Requests\/sec/{print $2}')
    local hwm; hwm=$(rss_kb $APP_PID VmHWM)
    stop_app
    log "  trial $name: start ${st}s idle ${idle}kB peak ${hwm}kB me ${rme}/s login ${rlo}/s"
    jq -cn --arg n "$name" --arg o "$opts" --argjson s "$st" --argjson i "$idle" --argjson h "$hwm" --arg me "$rme" --arg lo "$rlo" \
      '{name:$n,opts:$o,startup_s:$s,idle_rss_kb:$i,peak_rss_kb:$h,me_rps_c64_15s_cold:($me|tonumber? // 0),login_rps_c16_8s:($lo|tonumber? // 0)}' >> "$OUT/raw/jvm-trial.jsonl"
  }
  trial "defaults" ""
  trial "serial-128m" "-XX:+UseSerialGC -Xmx128m"
  trial "serial-16m-128m" "-XX:+UseSerialGC -Xms16m -Xmx128m"
  trial "chosen" "$JVM_OPTS"
  trial "chosen-c1-only" "$JVM_OPTS -XX:TieredStopAtLevel=1"
  # AppCDS: a training run writes the class archive at exit, the next start maps it
  start_app cds-train "$JVM_OPTS -XX:ArchiveClassesAtExit=$CDS"
  curl -s -o /dev/null -XPOST -H 'Content-Type: application/json' -d "{\"email\":\"bench1@bench.test\",\"password\":\"$PASSWORD\"}" "$BASE/api:main/auth/login"
  stop_app
  [ -f "$CDS" ] && trial "chosen+appcds" "$JVM_OPTS -XX:SharedArchiveFile=$CDS"
fi

# ---------------------------------------------------------------- Authgate under load
fact jvm_opts "$JVM_OPTS"
wait_quiet
start_app restart "$JVM_OPTS"; fact startup_restart_s "$STARTUP"
fact started_in_log "$(grep -o 'started in [0-9.]*s' "$OUT/raw/app-restart.log")"
sleep 10
fact app_idle_rss_kb "$(rss_kb $APP_PID VmRSS)"; fact app_idle_hwm_kb "$(rss_kb $APP_PID VmHWM)"
# sanity: a real login's token works for me
TOK=$(curl -sf -XPOST -H 'Content-Type: application/json' -d "{\"email\":\"bench1@bench.test\",\"password\":\"$PASSWORD\"}" "$BASE/api:main/auth/login" | jq -r .authToken)
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOK" "$BASE/api:main/auth/me")" = 200 ] || { log "login -> me failed"; exit 1; }
ME_URL="$BASE/api:main/auth/me" LOGIN_URL="$BASE/api:main/auth/login" SIGNUP_URL="$BASE/api:main/auth/signup"

for i in "${!SIZES[@]}"; do
  n=${SIZES[$i]}
  if [ "$i" -gt 0 ]; then
    stop_app; seed_to "$n"; wait_quiet; start_app "restart-$n" "$JVM_OPTS"
  fi
  export ME_TOKENS=$OUT/raw/tokens-$n.txt LOGIN_ACCOUNTS=$n
  AUTHGATE_TOKEN_KEYS=$KEYS tool tokens "$n" 10000 "$ME_TOKENS" || exit 1
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(head -1 "$ME_TOKENS")" "$ME_URL")" = 200 ] || { log "minted token refused"; exit 1; }
  log "Authgate, $n accounts"
  [[ " $ENDPOINTS " == *" me "* ]] && plateau authgate me "$ME_URL" bench/lua/me.lua "$JIT_ME"
  [[ " $ENDPOINTS " == *" login "* || " $ENDPOINTS " == *" signup "* ]] && plateau authgate login "$LOGIN_URL" bench/lua/login.lua "$JIT_LOGIN"
  endpoints=${ENDPOINTS// signup/}; [ "$i" = 0 ] && endpoints=$ENDPOINTS
  for name in $endpoints; do
    case $name in me) url=$ME_URL ;; introspect) url=$BASE/oauth2/introspect ;; login) url=$LOGIN_URL ;; signup) url=$SIGNUP_URL ;; esac
    for c in $CONNS; do cell authgate "$n" "$name" "$c" "$url" "bench/lua/$name.lua"; done
  done
  sleep 10
  fact "app_after_load_rss_kb_$n" "$(rss_kb $APP_PID VmRSS)"; fact "app_peak_hwm_kb_$n" "$(rss_kb $APP_PID VmHWM)"
  fact "rows_$n" "$(SQL -c "select (select count(*) from \"user\") || ' accounts, ' || (select count(*) from auth_session) || ' sessions'")"
  if [ "$PROFILE" = 1 ] && [ "$i" = 0 ]; then
    log "profiling (JFR, 15 s per endpoint at c=64; not part of the figures)"
    for name in me login; do
      case $name in me) url=$ME_URL ;; login) url=$LOGIN_URL ;; esac
      jcmd $APP_PID JFR.start name=$name settings=profile filename="$OUT/raw/profile-$name.jfr" > /dev/null 2>&1
      timeout 60 wrk -t2 -c64 -d15s --timeout 10s -s "bench/lua/$name.lua" "$url" > "$OUT/raw/profile-$name-wrk.txt" 2>&1
      jcmd $APP_PID JFR.stop name=$name > /dev/null 2>&1
      python3 bench/lib/jfr_top.py "$OUT/raw/profile-$name.jfr" > "$OUT/raw/profile-$name.txt" 2>&1
      # allocation per request: what a native image (Serial GC, no PGO in GraalVM CE) pays most for
      reqs=$(awk '/requests in/ {print $1}' "$OUT/raw/profile-$name-wrk.txt")
      python3 bench/lib/jfr_alloc.py "$OUT/raw/profile-$name.jfr" "${reqs:-0}" > "$OUT/raw/alloc-$name.txt" 2>&1
    done
    # a few thread dumps under me load: where are the request threads waiting?
    ( timeout 30 wrk -t2 -c64 -d12s --timeout 10s -s bench/lua/me.lua "$ME_URL" > /dev/null 2>&1 & )
    sleep 3; for k in 1 2 3 4 5; do jcmd $APP_PID Thread.print > "$OUT/raw/threads-me-$k.txt" 2>&1; sleep 1.5; done; sleep 5
  fi
done
stop_app

# ---------------------------------------------------------------- the machine's limits
if [ "$SKIP_LIMITS" = 0 ]; then
  log "limits: pgbench select-only (primary-key lookups), 16 clients, TCP"
  SERVER_PID=""
  pgbench -i -s 10 -q > "$OUT/raw/pgbench-init.log" 2>&1 || { cat "$OUT/raw/pgbench-init.log"; exit 1; }
  for mode in prepared simple; do
    limit pgbench-select-$mode timeout $((DURATION + 30)) pgbench -h 127.0.0.1 -S -M $mode -c 16 -j 2 -T "$DURATION" -n
  done
  # the service's own 'me' query (session by jti joined to the account by id), same client count
  cat > "$OUT/raw/me-query.sql" <<EOF
\set k random(1, ${SIZES[-1]})
select a.id, a.created_at, a.name, a.email, a.role, a.extras::text from "user" a join auth_session s on s.account_id = a.id and s.dbtable = 'user' where s.jti = md5('bench' || :k)::uuid and a.id = :k;
EOF
  limit pgbench-me-query timeout $((DURATION + 30)) pgbench -h 127.0.0.1 -M prepared -c 16 -j 2 -T "$DURATION" -n -f "$OUT/raw/me-query.sql"
  SQL -c "drop table if exists pgbench_accounts, pgbench_branches, pgbench_tellers, pgbench_history" 2> /dev/null

  log "limits: bcrypt cost 10 verifications, 10 s, on $NCPU threads and on 1"
  limit bcrypt-rate tool rate 10 "$NCPU" 10
  limit bcrypt-rate-1 tool rate 10 1 10

  log "limits: JMH, TokenCodec encrypt/decrypt, 1 thread"
  if ./mvnw -B -q -f bench/jmh/pom.xml package > "$OUT/raw/jmh-build.log" 2>&1 &&
     ./mvnw -B -q -f bench/jmh/pom.xml dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=runtime >> "$OUT/raw/jmh-build.log" 2>&1; then
    JMH_CP="bench/jmh/target/classes:$(tr ':' '\n' < bench/jmh/target/cp.txt | grep -v -e authgate-0.1 -e jose4j -e slf4j | tr '\n' ':')$APP_CP"
    wait_quiet
    timeout 300 java -cp "$JMH_CP" org.openjdk.jmh.Main -rf json -rff "$OUT/raw/jmh.json" TokenCodecBenchmark > "$OUT/raw/jmh.txt" 2>&1
    log "  $(grep -A3 '^Benchmark ' "$OUT/raw/jmh.txt" | tr -s ' ' | tr '\n' ';')"
  else
    log "  JMH build failed (see raw/jmh-build.log)"
  fi
fi

# ---------------------------------------------------------------- Keycloak
if [ "$SKIP_KC" = 0 ]; then
  PEER=$ROOT/bench/peers/keycloak
  export PEER_HOME=$PEER PEER_WORK=$KC_WORK KC=$KC_WORK/keycloak-$KC_VERSION KC_JAVA_HOME
  mkdir -p "$KC_WORK/results"
  if [ ! -d "$KC" ]; then
    log "Keycloak $KC_VERSION: fetching org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip from Maven Central"
    ( cd "$KC_WORK" && mvn -q -B dependency:copy -Dartifact=org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip -DoutputDirectory="$KC_WORK" \
        && unzip -q keycloak-quarkus-dist-$KC_VERSION.zip ) > "$OUT/raw/kc-fetch.log" 2>&1 || { log "Keycloak fetch failed"; exit 1; }
  fi
  kc_start() { # TAG
    wait_quiet
    "$PEER/start.sh" "$1" > "$OUT/raw/kc-start-$1.txt" 2>&1 || { log "Keycloak start failed"; cat "$OUT/raw/kc-start-$1.txt" >&2; return 1; }
    KC_SH_PID=$(cat "$KC_WORK/results/kc.sh.pid"); KC_PID=$(cat "$KC_WORK/results/java.pid"); SERVER_PID=$KC_PID
    cp "$KC_WORK/results/kc-$1.log" "$OUT/raw/" 2> /dev/null
    log "Keycloak [$1] $(cat "$KC_WORK/results/startup-$1.txt")"
  }
  kc_stop() { stop_pid "$KC_PID" 30; stop_pid "$KC_SH_PID" 5; KC_PID="" KC_SH_PID=""; }
  if [ ! -d "$KC/data/h2" ]; then
    kc_start first || exit 1
    fact kc_startup_first_s "$(grep -o 'startup_seconds=[0-9.]*' "$KC_WORK/results/startup-first.txt" | cut -d= -f2)"
    "$PEER/setup.sh" > "$OUT/raw/kc-setup.txt" 2>&1 || { log "Keycloak setup failed"; exit 1; }
    kc_stop
  fi
  kc_start restart || exit 1
  fact kc_startup_restart_s "$(grep -o 'startup_seconds=[0-9.]*' "$KC_WORK/results/startup-restart.txt" | cut -d= -f2)"
  if [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18080/realms/bench)" != 200 ]; then
    "$PEER/setup.sh" > "$OUT/raw/kc-setup.txt" 2>&1 || { log "Keycloak setup failed"; exit 1; }
  fi
  fact kc_version "$KC_VERSION (start-dev, embedded H2, kc.sh default JVM options: G1, -Xms64m -Xmx512m; JDK: $("$KC_JAVA_HOME/bin/java" -version 2>&1 | head -1))"
  sleep 10
  fact kc_idle_rss_kb "$(rss_kb $KC_PID VmRSS)"
  B=http://127.0.0.1:18080
  curl -sf -X POST $B/realms/bench/protocol/openid-connect/token -d grant_type=password -d client_id=app \
    -d username=alice -d password=alice-pass-123 -d scope=openid | jq -r .access_token > "$KC_WORK/results/access_token.txt"
  KC_LOGIN=$B/realms/bench/protocol/openid-connect/token KC_ME=$B/realms/bench/protocol/openid-connect/userinfo
  log "Keycloak under load"
  # at least 90 s: Keycloak's userinfo has a flat step at ~40 s and rises again after it
  plateau keycloak userinfo "$KC_ME" "$PEER/me.lua" "$KC_JIT_ME" $((KC_JIT_ME < 90 ? KC_JIT_ME : 90))
  plateau keycloak login "$KC_LOGIN" "$PEER/login.lua" "$JIT_LOGIN"
  for c in $CONNS; do cell keycloak main userinfo "$c" "$KC_ME" "$PEER/me.lua"; done
  for c in $CONNS; do cell keycloak main login "$c" "$KC_LOGIN" "$PEER/login.lua"; done
  sleep 10
  fact kc_after_load_rss_kb "$(rss_kb $KC_PID VmRSS)"; fact kc_peak_hwm_kb "$(rss_kb $KC_PID VmHWM)"
  kc_stop
fi

cleanup
# ---------------------------------------------------------------- report
python3 bench/lib/report.py "$OUT" "${SIZES[@]}" && log "report: $OUT/report.md"
