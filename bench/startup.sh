#!/bin/bash
# Cold start, side by side: restart to the first 200 and idle/peak RSS of Authgate on JDK 17, on JDK 25, on JDK 25
# with the Leyden AOT cache, and of Keycloak, in one run on one PostgreSQL. See bench/STARTUP.md.
#
#   bench/startup.sh [--runs N] [--skip-keycloak] [--floor] [--steps] [--reuse DIR] [--idle S] [--load S] [--steady S]
#                    [--baseline REF] [--jdk17-only]
#
#   --runs N        rounds; every round restarts every variant once, in turn (default 3)
#   --skip-keycloak no Keycloak
#   --floor         also the smallest Quarkus services on the same Quarkus and JVM, with their AOT caches
#                   (bench/floor: REST + health; the same + Hibernate ORM and PostgreSQL): the floor under the start
#   --steps         where the start goes: every Quarkus start prints its runtime steps' times
#                   (-Dquarkus.debug.print-startup-times=true), and the report adds the largest ones per variant
#   --reuse DIR     the builds of an earlier run (DIR/fast-jar, DIR/aot-jar with app.aot) instead of building
#   --idle S        seconds after the first 200 before the idle RSS is read (default 10)
#   --load S        seconds of `me` (or Keycloak's userinfo) at 16 connections before the peak RSS is read (default 5)
#   --baseline REF  also the fast-jar of git commit REF on JDK 17, started in every round just before today's: the
#                   before/after of a change to the start (built in a throwaway worktree; REF's schema must be
#                   at or below today's)
#   --jdk17-only    only JDK 17's fast-jar (and the baseline): no JDK 25 build, AOT training or JDK 25 variants; the quick
#                   before/after of a start change
#   --steady S      then S more seconds of the same load to warm the JIT, and 10 s measured: the steady req/s
#                   (default 0: not measured)
# Env: JDK17 (default /usr/lib/jvm/java-17-openjdk-amd64), JDK25 (default /usr/lib/jvm/temurin-25-jdk-amd64),
#      JVM_OPTS (default: Dockerfile.jvm's options with -Xmx128m), KC_WORK (default ../kc-work, as bench/run.sh),
#      APP_EXTRA_ENV (space-separated KEY=VALUE settings added to every Authgate start).
set -uo pipefail
RUNS=3 SKIP_KC=0 FLOOR=0 JDK17_ONLY=0 STEPS="" REUSE="" IDLE=10 LOAD=5 STEADY=0 BASELINE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift ;;
    --skip-keycloak) SKIP_KC=1 ;;
    --floor) FLOOR=1 ;;
    --jdk17-only) JDK17_ONLY=1 ;;
    --reuse) REUSE=$(cd "$2" && pwd); shift ;;
    --idle) IDLE=$2; shift ;;
    --load) LOAD=$2; shift ;;
    --steady) STEADY=$2; shift ;;
    --baseline) BASELINE=$(git -C "$(dirname "$0")" rev-parse --short "$2") || exit 2; shift ;;
    --steps) STEPS=-Dquarkus.debug.print-startup-times=true ;;
    -h|--help) sed -n 2,23p "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JDK17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64} JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
JVM_OPTS=${JVM_OPTS:--XX:+UseSerialGC -Xms16m -Xmx128m -XX:TrimNativeHeapInterval=5000}
KC_WORK=${KC_WORK:-$(dirname "$ROOT")/kc-work} KC_VERSION=${KC_VERSION:-26.7.3}
OUT=$ROOT/bench/results/startup-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT/raw"
ROWS=$OUT/raw/rows.jsonl; : > "$ROWS"
log() { echo "[$(date +%T)] $*" | tee -a "$OUT/raw/run.log" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
rss_kb() { awk -v k="$2" '$1==k":"{print $2}' "/proc/$1/status" 2> /dev/null; }
for tool in curl jq python3 psql wrk bc; do command -v $tool > /dev/null || { echo "missing: $tool" >&2; exit 1; }; done
for j in "$JDK17" "$JDK25"; do [ -x "$j/bin/java" ] || { echo "no JDK at $j" >&2; exit 1; }; done

# ---------------------------------------------------------------- cleanup: everything started here, by PID
APP_PID="" KC_PID="" KC_SH_PID="" PGDIR="" PGBIN=/usr/lib/postgresql/15/bin
# as_pg, stop_pid, free_port
source "$ROOT/bench/lib/proc.sh"
cleanup() {
  stop_pid "$APP_PID"; stop_pid "$KC_PID" 30; stop_pid "$KC_SH_PID" 5
  if [ -n "$PGDIR" ]; then as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop > /dev/null 2>&1; rm -rf "$PGDIR"; PGDIR=""; fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

{ echo "date: $(date -Is)"; echo "nproc: $(nproc)"; lscpu | grep -E 'Model name'; free -m | head -2
  "$JDK17/bin/java" -version 2>&1 | head -1; "$JDK25/bin/java" -version 2>&1 | head -1
  echo "git: $(git rev-parse --short HEAD 2> /dev/null) $(git status --porcelain 2> /dev/null | grep -vc '^??') modified"
} > "$OUT/raw/machine.txt" 2>&1

# ---------------------------------------------------------------- builds
if [ -n "$REUSE" ]; then
  cp -a "$REUSE/fast-jar" "$REUSE/aot-jar" "$OUT/"
  for f in floor-rest floor-orm baseline-jar; do [ ! -d "$REUSE/$f" ] || cp -a "$REUSE/$f" "$OUT/"; done
else
  log "build 1/2: fast-jar, JDK 17 (./mvnw -B -q package -DskipTests)"
  JAVA_HOME=$JDK17 ./mvnw -B -q package -DskipTests > "$OUT/raw/build-fast.log" 2>&1 || { tail -30 "$OUT/raw/build-fast.log"; exit 1; }
  cp -a target/quarkus-app "$OUT/fast-jar"
fi
if [ -z "$REUSE" ] && [ "$JDK17_ONLY" = 0 ]; then
  log "build 2/2: aot-jar, JDK 25 (./mvnw -B -q package -DskipTests -Daot)"
  JAVA_HOME=$JDK25 ./mvnw -B -q package -DskipTests -Daot > "$OUT/raw/build-aot.log" 2>&1 || { tail -30 "$OUT/raw/build-aot.log"; exit 1; }
  cp -a target/quarkus-app "$OUT/aot-jar"
  log "training: bin/aot-train.sh (JDK 25, scripted workload on a throwaway PostgreSQL)"
  JAVA=$JDK25/bin/java JVM_OPTS="$JVM_OPTS" bin/aot-train.sh "$OUT/aot-jar" > "$OUT/raw/train.log" 2>&1 || { tail -30 "$OUT/raw/train.log"; exit 1; }
fi
if [ "$JDK17_ONLY" = 0 ]; then
  [ -s "$OUT/aot-jar/app.aot" ] || { echo "no $OUT/aot-jar/app.aot" >&2; exit 1; }
  log "AOT cache: $(du -h "$OUT/aot-jar/app.aot" | cut -f1)"
fi
if [ "$FLOOR" = 1 ]; then
  for f in rest orm; do
    [ ! -d "$OUT/floor-$f" ] || continue
    log "floor: $f (./mvnw -f bench/floor clean package$([ $f = orm ] && echo ' -Dorm'), JDK 25)"
    JAVA_HOME=$JDK25 ./mvnw -B -q -f bench/floor clean package $([ $f = orm ] && echo -Dorm) > "$OUT/raw/build-floor-$f.log" 2>&1 \
      || { tail -30 "$OUT/raw/build-floor-$f.log"; exit 1; }
    cp -a bench/floor/target/quarkus-app "$OUT/floor-$f"
  done
fi

if [ -n "$BASELINE" ] && [ ! -d "$OUT/baseline-jar" ]; then
  log "baseline: fast-jar of $BASELINE, JDK 17 (a throwaway worktree)"
  WT=$(mktemp -d /tmp/authgate-baseline.XXXXXX)
  git worktree add -q --detach "$WT" "$BASELINE" \
    && ( cd "$WT" && JAVA_HOME=$JDK17 ./mvnw -B -q package -DskipTests ) > "$OUT/raw/build-baseline.log" 2>&1 \
    && cp -a "$WT/target/quarkus-app" "$OUT/baseline-jar" || { tail -30 "$OUT/raw/build-baseline.log"; git worktree remove --force "$WT"; exit 1; }
  git worktree remove --force "$WT"
  echo "$BASELINE" > "$OUT/baseline-jar/COMMIT"
fi

# ---------------------------------------------------------------- PostgreSQL (Debian's 15, throwaway), migrated once
PGDIR=$(mktemp -d /tmp/authgate-startup-pg.XXXXXX); [ "$(id -u)" = 0 ] && chown postgres: "$PGDIR"
PGPORT=$(free_port)
as_pg $PGBIN/initdb -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C > "$OUT/raw/initdb.log" 2>&1 || { cat "$OUT/raw/initdb.log"; exit 1; }
as_pg $PGBIN/pg_ctl -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1" start > /dev/null || exit 1
psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -c "create database authgate" || exit 1
# the ORM floor's one table, as Hibernate would make it for bench/floor's Item
psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres \
  -c "create table item (id bigint primary key, name varchar(255)); create sequence item_seq increment by 50" || exit 1
# Authgate's settings go to Authgate's processes only (through app_env): Keycloak is a Quarkus application too
# and would read QUARKUS_* from its environment.
APP_PORT=$(free_port)
MGMT_PORT=$(free_port)
APP_ENV=(QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT=$MGMT_PORT QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:$PGPORT/authgate QUARKUS_DATASOURCE_USERNAME=postgres
  QUARKUS_DATASOURCE_PASSWORD=bench QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$APP_PORT
  "AUTHGATE_TOKEN_KEYS={\"keys\":[{\"kty\":\"oct\",\"kid\":\"startup\",\"k\":\"$(head -c 32 /dev/urandom | basenc --base64url | tr -d '=')\"}]}")
# APP_EXTRA_ENV: more settings for every Authgate start, e.g. a bootstrap administrator as a deployment keeps it set
[ -z "${APP_EXTRA_ENV:-}" ] || { read -ra extra <<< "$APP_EXTRA_ENV"; APP_ENV+=("${extra[@]}"); }
app_env() { env "${APP_ENV[@]}" "$@"; }
BASE=http://127.0.0.1:$APP_PORT
MGMT=http://127.0.0.1:$MGMT_PORT # health and metrics: the management interface
log "migrating (the Job's command: QUARKUS_FLYWAY_MIGRATE_AT_START=true QUARKUS_INIT_AND_EXIT=true)"
( cd "$OUT/fast-jar" && app_env QUARKUS_FLYWAY_MIGRATE_AT_START=true QUARKUS_INIT_AND_EXIT=true \
    QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT=30S "$JDK17/bin/java" -jar quarkus-run.jar ) \
  > "$OUT/raw/migrate.log" 2>&1 || { tail -20 "$OUT/raw/migrate.log"; exit 1; }
curl_json() { curl -s -H 'Content-Type: application/json' "$@"; }

# ---------------------------------------------------------------- one measured start
# measure TAG RUN LAUNCHER_PID PID_CMD READY_URL T0 LOAD_URL TOKEN LOG: launch (T0) -> first 200 on READY_URL, RSS of
# the process PID_CMD names (evaluated then: Keycloak's kc.sh starts java as its child) at that moment, after --idle
# seconds, and its high-water mark after --load seconds of LOAD_URL at 16 connections
measure() {
  local tag=$1 run=$2 launcher=$3 pid_cmd=$4 ready_url=$5 t0=$6 load_url=$7 token=$8 log_file=$9
  local t1 startup idle peak rss0 l0 l1 started pid rps
  local end=$((SECONDS + ${START_LIMIT:-900}))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$ready_url")" = 200 ]; do
    kill -0 "$launcher" 2> /dev/null || { log "$tag exited:"; tail -20 "$log_file" >&2; return 1; }
    [ $SECONDS -lt $end ] || { log "$tag: no 200 within ${START_LIMIT:-900} s"; return 1; }
    sleep 0.01
  done
  t1=$(date +%s.%N); l0=$(load)
  startup=$(echo "$t1 - $t0" | bc)
  pid=$(eval "$pid_cmd")
  rss0=$(rss_kb "$pid" VmRSS)
  sleep "$IDLE"; idle=$(rss_kb "$pid" VmRSS); local anon file
  anon=$(rss_kb "$pid" RssAnon); file=$(rss_kb "$pid" RssFile) # file: mapped jars and the AOT cache (shareable)
  ME_TOKEN=$token timeout $((LOAD + 30)) wrk -t2 -c16 -d"${LOAD}s" --timeout 10s -s "$OUT/raw/bearer.lua" "$load_url" > "$OUT/raw/wrk-$tag-$run.txt" 2>&1
  peak=$(rss_kb "$pid" VmHWM); l1=$(load)
  local steady=""
  if [ "$STEADY" -gt 0 ]; then
    ME_TOKEN=$token timeout $((STEADY + 30)) wrk -t2 -c16 -d"${STEADY}s" --timeout 10s -s "$OUT/raw/bearer.lua" "$load_url" > /dev/null 2>&1
    ME_TOKEN=$token timeout 40 wrk -t2 -c16 -d10s --timeout 10s -s "$OUT/raw/bearer.lua" "$load_url" > "$OUT/raw/wrk-steady-$tag-$run.txt" 2>&1
    steady=$(awk '/Requests\/sec/{print $2}' "$OUT/raw/wrk-steady-$tag-$run.txt")
  fi
  rps=$(awk '/Requests\/sec/{print $2}' "$OUT/raw/wrk-$tag-$run.txt")
  grep -q 'Non-2xx' "$OUT/raw/wrk-$tag-$run.txt" && rps="$rps ($(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$OUT/raw/wrk-$tag-$run.txt"))"
  started=$(grep -o 'started in [0-9.]*s' "$log_file" | head -1 | grep -o '[0-9.]*[0-9]' || true)
  log "  $tag run $run: first 200 ${startup}s (log: ${started:-?}s), RSS at 200 ${rss0} kB, idle ${idle} kB, peak ${peak} kB, load $rps req/s${steady:+, steady $steady req/s}; loadavg $l0"
  jq -cn --arg v "$tag" --argjson r "$run" --argjson s "$startup" --arg st "${started:-}" --argjson r0 "${rss0:-0}" \
    --argjson i "${idle:-0}" --argjson p "${peak:-0}" --arg l0 "$l0" --arg l1 "$l1" --arg rps "$rps" --arg steady "$steady" \
    --argjson an "${anon:-0}" --argjson fi "${file:-0}" \
    '{variant:$v,run:$r,first200_s:$s,started_in_log_s:$st,rss_at_200_kb:$r0,idle_rss_kb:$i,idle_anon_kb:$an,idle_file_kb:$fi,peak_rss_kb:$p,load_at_200:$l0,load_after:$l1,load_rps:$rps,steady_rps:$steady}' >> "$ROWS"
}
cat > "$OUT/raw/bearer.lua" <<'EOF'
wrk.headers["Authorization"] = "Bearer " .. os.getenv("ME_TOKEN")
EOF

authgate() { # TAG RUN JAVA_HOME APP_DIR [extra JVM options]
  local tag=$1 run=$2 jh=$3 dir=$4 t0; shift 4
  t0=$(date +%s.%N)
  ( cd "$dir" && exec env "${APP_ENV[@]}" "$jh/bin/java" $JVM_OPTS $STEPS "$@" -jar quarkus-run.jar ) > "$OUT/raw/app-$tag-$run.log" 2>&1 &
  APP_PID=$!
  measure "$tag" "$run" "$APP_PID" "echo $APP_PID" "$MGMT/q/health/ready" "$t0" "$BASE/api:main/auth/me" "$ME" \
    "$OUT/raw/app-$tag-$run.log" || return 1
  stop_pid "$APP_PID"; APP_PID=""
}

floor_java() { # APP_DIR LOG [extra JVM options]: a floor service (bench/floor) in the background, on the public
  # port with its health there too, the ORM floor on the run's PostgreSQL; APP_PID is its pid
  local dir=$1 log_file=$2; shift 2
  ( cd "$dir" && exec env QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$APP_PORT \
      QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:$PGPORT/postgres QUARKUS_DATASOURCE_USERNAME=postgres \
      "$JDK25/bin/java" $JVM_OPTS "$@" -jar quarkus-run.jar ) > "$log_file" 2>&1 &
  APP_PID=$!
}
floor() { # TAG RUN APP_DIR [extra JVM options]: one measured start of a floor service
  local tag=$1 run=$2 dir=$3 t0; shift 3
  t0=$(date +%s.%N)
  floor_java "$dir" "$OUT/raw/app-$tag-$run.log" $STEPS "$@"
  measure "$tag" "$run" "$APP_PID" "echo $APP_PID" "$BASE/q/health/ready" "$t0" "$BASE/hello" none \
    "$OUT/raw/app-$tag-$run.log" || return 1
  stop_pid "$APP_PID"; APP_PID=""
}
if [ "$FLOOR" = 1 ]; then
  for f in rest orm; do # the training run: start, 300 rounds of /hello and readiness, stop (the JVM writes the cache)
    [ ! -s "$OUT/floor-$f/app.aot" ] || continue
    floor_java "$OUT/floor-$f" "$OUT/raw/train-floor-$f.log" -XX:AOTCacheOutput=app.aot
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/q/health/ready")" = 200 ]; do kill -0 $APP_PID || exit 1; sleep 0.2; done
    for _ in $(seq 300); do curl -sf "$BASE/hello" > /dev/null && curl -sf "$BASE/q/health/ready" > /dev/null || exit 1; done
    stop_pid "$APP_PID" 60; APP_PID=""
    [ -s "$OUT/floor-$f/app.aot" ] || { log "floor $f: no AOT cache"; tail -20 "$OUT/raw/train-floor-$f.log"; exit 1; }
    log "floor $f: AOT cache $(du -h "$OUT/floor-$f/app.aot" | cut -f1)"
  done
fi

# one account and a token for the load (with the plain JVM; not measured)
( cd "$OUT/fast-jar" && exec env "${APP_ENV[@]}" "$JDK17/bin/java" $JVM_OPTS -jar quarkus-run.jar ) > "$OUT/raw/app-setup.log" 2>&1 &
APP_PID=$!
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$MGMT/q/health/ready")" = 200 ]; do kill -0 $APP_PID || exit 1; sleep 0.2; done
curl_json -d '{"name":"Start","email":"start@bench.test","password":"bench-pass-123"}' "$BASE/api:main/auth/signup" > /dev/null
ME=$(curl_json -d '{"email":"start@bench.test","password":"bench-pass-123"}' "$BASE/api:main/auth/login" | jq -r .authToken)
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $ME" "$BASE/api:main/auth/me")" = 200 ] || { log "login -> me failed"; exit 1; }
stop_pid "$APP_PID"; APP_PID=""

# ---------------------------------------------------------------- Keycloak (bench/peers/keycloak)
if [ "$SKIP_KC" = 0 ]; then
  PEER=$ROOT/bench/peers/keycloak KC=$KC_WORK/keycloak-$KC_VERSION
  export PEER_HOME=$PEER PEER_WORK=$KC_WORK KC KC_JAVA_HOME=${KC_JAVA_HOME:-$JDK25}
  mkdir -p "$KC_WORK/results"
  if [ ! -d "$KC" ]; then
    log "Keycloak $KC_VERSION: fetching org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip from Maven Central"
    ( cd "$KC_WORK" && mvn -q -B dependency:copy -Dartifact=org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip -DoutputDirectory="$KC_WORK" \
        && unzip -q keycloak-quarkus-dist-$KC_VERSION.zip ) > "$OUT/raw/kc-fetch.log" 2>&1 || { log "Keycloak fetch failed"; exit 1; }
  fi
  if [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18080/realms/master)" != 000 ]; then
    log "something already listens on 127.0.0.1:18080: not starting Keycloak"; SKIP_KC=1
  fi
fi
if [ "$SKIP_KC" = 0 ]; then
  kc_start() { "$PEER/start.sh" "$1" > "$OUT/raw/kc-start-$1.txt" 2>&1 || return 1
    KC_SH_PID=$(cat "$KC_WORK/results/kc.sh.pid"); KC_PID=$(cat "$KC_WORK/results/java.pid"); }
  kc_stop() { stop_pid "$KC_PID" 30; stop_pid "$KC_SH_PID" 5; KC_PID="" KC_SH_PID=""; }
  if [ ! -d "$KC/data/h2" ] || [ ! -f "$KC_WORK/results/realm.json" ]; then
    log "Keycloak: first start (build/augmentation) and realm setup, not measured"
    kc_start first || { log "Keycloak start failed"; cat "$OUT/raw/kc-start-first.txt"; exit 1; }
    "$PEER/setup.sh" > "$OUT/raw/kc-setup.txt" 2>&1 || true
    kc_stop
  fi
  keycloak() { # TAG RUN: as start.sh runs it (kc.sh start-dev, Temurin 25), launch -> first 200 on /realms/master
    local tag=$1 run=$2 t0
    t0=$(date +%s.%N)
    JAVA_HOME=$KC_JAVA_HOME KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin-pass-123 \
      "$KC/bin/kc.sh" start-dev --http-host 127.0.0.1 --http-port 18080 > "$OUT/raw/kc-$tag-$run.log" 2>&1 &
    KC_SH_PID=$!
    measure "$tag" "$run" "$KC_SH_PID" "pgrep -P $KC_SH_PID java | head -1 | grep . || echo $KC_SH_PID" \
      http://127.0.0.1:18080/realms/master "$t0" http://127.0.0.1:18080/realms/bench/protocol/openid-connect/userinfo \
      "$KC_TOKEN" "$OUT/raw/kc-$tag-$run.log" || return 1
    KC_PID=$(pgrep -P "$KC_SH_PID" java | head -1); kc_stop
  }
  # a userinfo token for the load (the realm's tokens live 3600 s; its keys persist in H2 across restarts)
  kc_start token || { log "Keycloak start failed"; cat "$OUT/raw/kc-start-token.txt"; exit 1; }
  KC_TOKEN=$(curl -sf -X POST http://127.0.0.1:18080/realms/bench/protocol/openid-connect/token -d grant_type=password \
    -d client_id=app -d username=alice -d password=alice-pass-123 -d scope=openid | jq -r .access_token)
  kc_stop
  [ -n "$KC_TOKEN" ] && [ "$KC_TOKEN" != null ] || { log "no Keycloak token (realm 'bench' missing? see peers/keycloak/setup.sh)"; exit 1; }
fi

# ---------------------------------------------------------------- rounds
log "rounds: $RUNS; JVM options: $JVM_OPTS; load now: $(load)"
for run in $(seq "$RUNS"); do
  [ ! -d "$OUT/baseline-jar" ] || authgate jdk17-baseline "$run" "$JDK17" "$OUT/baseline-jar" || exit 1
  authgate jdk17 "$run" "$JDK17" "$OUT/fast-jar" || exit 1
  if [ "$JDK17_ONLY" = 0 ]; then
    authgate jdk25 "$run" "$JDK25" "$OUT/fast-jar" || exit 1
    authgate jdk25-aot-jar-no-cache "$run" "$JDK25" "$OUT/aot-jar" || exit 1
    authgate jdk25-aot-cache "$run" "$JDK25" "$OUT/aot-jar" -XX:AOTCache=app.aot || exit 1
    authgate jdk25-aot-cache-c1 "$run" "$JDK25" "$OUT/aot-jar" -XX:AOTCache=app.aot -XX:TieredStopAtLevel=1 || exit 1
  fi
  if [ "$FLOOR" = 1 ]; then
    floor floor-rest "$run" "$OUT/floor-rest" -XX:AOTCache=app.aot || exit 1
    floor floor-orm "$run" "$OUT/floor-orm" -XX:AOTCache=app.aot || exit 1
    floor floor-orm-c1 "$run" "$OUT/floor-orm" -XX:AOTCache=app.aot -XX:TieredStopAtLevel=1 || exit 1
  fi
  [ "$SKIP_KC" = 1 ] || keycloak keycloak "$run" || exit 1
done
cleanup

# ---------------------------------------------------------------- report
python3 - "$ROWS" "$OUT" <<'EOF' | tee "$OUT/startup.md"
import glob, json, re, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
order = ["jdk17-baseline", "jdk17", "jdk25", "jdk25-aot-jar-no-cache", "jdk25-aot-cache", "jdk25-aot-cache-c1", "floor-rest", "floor-orm",
         "floor-orm-c1", "keycloak"]
base = glob.glob(sys.argv[2] + "/baseline-jar/COMMIT")
names = {"jdk17-baseline": "Authgate at %s, JDK 17, fast-jar" % (open(base[0]).read().strip() if base else "?"),
         "jdk17": "Authgate, JDK 17, fast-jar", "jdk25": "Authgate, JDK 25, fast-jar",
         "jdk25-aot-jar-no-cache": "Authgate, JDK 25, aot-jar, no cache",
         "jdk25-aot-cache": "Authgate, JDK 25, aot-jar + AOT cache",
         "jdk25-aot-cache-c1": "Authgate, JDK 25, aot-jar + AOT cache, C1 only (-XX:TieredStopAtLevel=1)",
         "floor-rest": "floor: Quarkus REST + health, JDK 25 + AOT cache",
         "floor-orm": "floor: the same + Hibernate ORM + PostgreSQL, JDK 25 + AOT cache",
         "floor-orm-c1": "floor: the same, C1 only",
         "keycloak": "Keycloak 26 (start-dev, H2)"}
def cell(vals, fmt, scale=1):
    vals = [v * scale for v in vals]
    m = statistics.median(vals)
    return (fmt % m) + " (" + (fmt % min(vals)) + "–" + (fmt % max(vals)) + ")"
steady = any(r.get("steady_rps") for r in rows)
print("| variant | first 200, s | `started in` (log), s | RSS at first 200, MB | idle RSS, MB | of it anon / file, MB | peak RSS, MB | req/s, first 5 s of load |"
      + (" req/s, steady |" if steady else "") + " runs |")
print("|---|---|---|---|---|---|---|---|" + ("---|" if steady else "") + "---|")
for v in order:
    rs = [r for r in rows if r["variant"] == v]
    if not rs:
        continue
    st = [float(r["started_in_log_s"]) for r in rs if r["started_in_log_s"]]
    mb = lambda k: statistics.median([r[k] for r in rs]) / 1024
    rps = [float(r["load_rps"].split()[0]) for r in rs if r["load_rps"] and "Non-2xx" not in r["load_rps"]]
    srps = [float(r["steady_rps"]) for r in rs if r.get("steady_rps")]
    print("| %s | %s | %s | %s | %s | %.0f / %.0f | %s | %s |%s %d |" % (names[v], cell([r["first200_s"] for r in rs], "%.2f"),
          cell(st, "%.2f") if st else "–", cell([r["rss_at_200_kb"] for r in rs], "%.0f", 1 / 1024),
          cell([r["idle_rss_kb"] for r in rs], "%.0f", 1 / 1024), mb("idle_anon_kb"), mb("idle_file_kb"),
          cell([r["peak_rss_kb"] for r in rs], "%.0f", 1 / 1024), cell(rps, "%.0f") if rps else "–",
          (" %s |" % (cell(srps, "%.0f") if srps else "–")) if steady else "", len(rs)))
print()
print("median (min–max) over the runs. Load average (1/5/15 min) at each first 200:")
print()
for v in order:
    rs = [r for r in rows if r["variant"] == v]
    if rs:
        print("- %s: %s" % (names[v], "; ".join(r["load_at_200"] for r in rs)))
# --steps: Quarkus' runtime steps (static and runtime init), median ms over the runs, largest first
steps = {}
for v in order:
    runs = []
    for f in sorted(glob.glob("%s/raw/app-%s-[0-9]*.log" % (sys.argv[2], v))):
        found = re.findall(r"Build step (\S+) completed in: (\d+)ms", open(f, errors="replace").read())
        if found:
            runs.append({k: int(ms) for k, ms in found})
    if runs:
        steps[v] = {k: statistics.median([r.get(k, 0) for r in runs]) for k in set().union(*runs)}
if steps:
    cols = [v for v in order if v in steps]
    lead = "jdk25-aot-cache" if "jdk25-aot-cache" in steps else cols[0]
    top = sorted(steps[lead], key=lambda k: -steps[lead][k])[:12]
    if "jdk17-baseline" in steps and "jdk17" in steps:  # --baseline: also the steps that changed most
        b, a = steps["jdk17-baseline"], steps["jdk17"]
        top += [k for k in sorted(set(a) | set(b), key=lambda k: -abs(a.get(k, 0) - b.get(k, 0)))[:8] if k not in top]
    print()
    print("Quarkus' runtime steps (-Dquarkus.debug.print-startup-times=true), median ms over the runs; the largest of %s:" % names[lead])
    print()
    print("| step | " + " | ".join(names[v] for v in cols) + " |")
    print("|---|" + "---|" * len(cols))
    for k in top:
        print("| `%s` | " % k + " | ".join("%.0f" % steps[v].get(k, 0) for v in cols) + " |")
    print("| all steps | " + " | ".join("%.0f" % sum(steps[v].values()) for v in cols) + " |")
EOF
log "report: $OUT/startup.md"
