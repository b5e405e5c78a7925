#!/bin/bash
# Leyden AOT cache (JDK 25+) for an aot-jar build of Authgate, from a training run on a real PostgreSQL:
#
#   bin/aot-train.sh target/quarkus-app          # writes target/quarkus-app/app.aot
#   cd target/quarkus-app && java -XX:AOTCache=app.aot -jar quarkus-run.jar
#
# The build must be the aot-jar packaging (./mvnw package -DskipTests -Daot, on JDK 25). The cache is valid only
# for the same JDK build, the same jars (paths, sizes, times) and a run from that directory with -jar
# quarkus-run.jar; JVM options should match the production ones (JVM_OPTS). Dockerfile.jvm runs this script, and
# so does bench/startup.sh.
#
# Environment:
#   JAVA          the java to train with = the one that will run it (default: java on PATH)
#   JVM_OPTS      production JVM options (default: Dockerfile.jvm's)
#   TRAIN_DB_URL  a scratch PostgreSQL (jdbc:postgresql://host:port/db, user TRAIN_DB_USER/TRAIN_DB_PASSWORD);
#                 unset: a throwaway cluster from PG_BIN (default: the newest /usr/lib/postgresql/*/bin)
#   TRAIN_ROUNDS  workload rounds (default 30)
set -euo pipefail
APP=$(cd "${1:?usage: bin/aot-train.sh QUARKUS_APP_DIR}" && pwd)
JAVA=${JAVA:-java}
JVM_OPTS=${JVM_OPTS:--XX:+UseSerialGC -Xms16m -Xmx128m -XX:TrimNativeHeapInterval=5000}
ROUNDS=${TRAIN_ROUNDS:-30}
WORK=$(mktemp -d /tmp/authgate-aot-train.XXXXXX) && chmod 755 "$WORK" # PostgreSQL runs as postgres
APP_PID="" PG_DATA=""
log() { echo "[aot-train $(date +%T)] $*" >&2; }
free_port() { "$JAVA" -XX:TieredStopAtLevel=1 -Xshare:auto "$WORK/FreePort.java"; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  [ -n "$APP_PID" ] && kill -KILL "$APP_PID" 2> /dev/null || true
  [ -n "$PG_DATA" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop > /dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

[ -f "$APP/quarkus-run.jar" ] || { log "no $APP/quarkus-run.jar"; exit 1; }
unzip -p "$APP/quarkus-run.jar" META-INF/MANIFEST.MF 2> /dev/null | grep -q '^Class-Path:' \
  || log "warning: not an aot-jar build (no Class-Path manifest): the cache will hold only the JDK's and boot classes"
cat > "$WORK/FreePort.java" <<'EOF'
public class FreePort { public static void main(String[] a) throws Exception {
  try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) { System.out.println(s.getLocalPort()); } } }
EOF

# ---------------------------------------------------------------- PostgreSQL
if [ -z "${TRAIN_DB_URL:-}" ]; then
  PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -1)}
  [ -x "$PG_BIN/initdb" ] || { log "no PostgreSQL server (set PG_BIN or TRAIN_DB_URL)"; exit 1; }
  PG_PORT=$(free_port)
  mkdir -p "$WORK/pg" && { [ "$(id -u)" != 0 ] || chown postgres: "$WORK/pg"; }
  PG_DATA=$WORK/pg/data
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C > "$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; exit 1; }
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$WORK/pg/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c fsync=off" start > /dev/null
  TRAIN_DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/postgres TRAIN_DB_USER=postgres TRAIN_DB_PASSWORD=training
  log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (throwaway)"
fi

PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
# health, metrics and OpenAPI are on the management interface, a port of its own
MGMT_PORT=$(free_port)
MGMT=http://127.0.0.1:$MGMT_PORT
export QUARKUS_DATASOURCE_JDBC_URL=$TRAIN_DB_URL QUARKUS_DATASOURCE_USERNAME=${TRAIN_DB_USER:-postgres}
export QUARKUS_DATASOURCE_PASSWORD=${TRAIN_DB_PASSWORD:-} QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$PORT
export QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT=$MGMT_PORT
# A busy build machine must not fail the training on the production 2 s limits for a connection.
export QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT=30S QUARKUS_DATASOURCE_JDBC_LOGIN_TIMEOUT=30S
export AUTHGATE_TOKEN_KEYS="{\"keys\":[{\"kty\":\"oct\",\"kid\":\"training\",\"k\":\"$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')\"}]}"
export AUTHGATE_BOOTSTRAP_ADMIN_EMAIL=admin@training.invalid AUTHGATE_BOOTSTRAP_ADMIN_PASSWORD=training-admin-pass
cd "$APP"

# ---------------------------------------------------------------- the migration step (as the Job runs it; not recorded)
log "migrating (QUARKUS_FLYWAY_MIGRATE_AT_START=true QUARKUS_INIT_AND_EXIT=true)"
QUARKUS_FLYWAY_MIGRATE_AT_START=true QUARKUS_INIT_AND_EXIT=true "$JAVA" $JVM_OPTS -jar quarkus-run.jar > "$WORK/migrate.log" 2>&1 \
  || { tail -30 "$WORK/migrate.log" >&2; exit 1; }

# ---------------------------------------------------------------- the recorded run: a production start and a workload
rm -f app.aot
log "training run: $JAVA $JVM_OPTS -XX:AOTCacheOutput=app.aot -jar quarkus-run.jar"
# shellcheck disable=SC2086
"$JAVA" $JVM_OPTS -XX:AOTCacheOutput=app.aot -jar quarkus-run.jar > "$WORK/train.log" 2>&1 &
APP_PID=$!
for _ in $(seq 600); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' $MGMT/q/health/ready)" = 200 ] && break
  kill -0 $APP_PID 2> /dev/null || { tail -30 "$WORK/train.log" >&2; exit 1; }
  sleep 0.1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' $MGMT/q/health/ready)" = 200 ] || { log "not ready in 60 s"; tail -30 "$WORK/train.log" >&2; exit 1; }

call() { # METHOD PATH EXPECTED_STATUS [curl args...]: fails the training when the answer is not the expected one
  local method=$1 path=$2 want=$3 got; shift 3
  local base=$BASE; [[ $path == /q/* ]] && base=$MGMT
  got=$(curl -s -o "$WORK/body" -w '%{http_code}' -X "$method" "$@" "$base$path")
  [ "$got" = "$want" ] || { log "$method $path: $got, expected $want: $(head -c 300 "$WORK/body")"; exit 1; }
}
json() { curl -s -H 'Content-Type: application/json' "$@"; }
log "workload: $ROUNDS rounds of signup, login, me, token, logout, errors; health, metrics, OpenAPI"
for r in $(seq "$ROUNDS"); do
  email="trainee$r@training.invalid"
  T=$(json -d "{\"name\":\"Trainee $r\",\"email\":\"$email\",\"password\":\"training-pass-$r\"}" $BASE/api:main/auth/signup | sed -n 's/.*"authToken":"\([^"]*\)".*/\1/p')
  [ -n "$T" ] || { log "signup failed"; exit 1; }
  call POST /api:main/auth/login 200 -d "email=$email" -d "password=training-pass-$r"
  L=$(sed -n 's/.*"authToken":"\([^"]*\)".*/\1/p' "$WORK/body")
  for _ in 1 2 3 4 5 6 7 8 9 10; do call GET /api:main/auth/me 200 -H "Authorization: Bearer $L"; done
  call GET /api:main/auth/me 200 -H "X-Xano-Authorization: $T"
  call GET /api:main/auth/token 200 -H "Authorization: Bearer $T"
  call POST /api:main/auth/logout 200 -H "Authorization: Bearer $T"
  call GET /api:main/auth/me 401 -H "Authorization: Bearer $T"
  call GET /api:main/auth/me 401 -H "Authorization: Bearer not-a-token"
  call GET /api:main/auth/me 401
  call POST /api:main/auth/login 403 -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"wrong-password\"}"
  call POST /api:main/auth/signup 400 -H 'Content-Type: application/json' -d '{"name":"x"}'
  call GET /api:nope/auth/me 404
  call GET /q/health/ready 200
done
A=$(json -d '{"email":"admin@training.invalid","password":"training-admin-pass"}' $BASE/api:staff/auth/login | sed -n 's/.*"authToken":"\([^"]*\)".*/\1/p')
[ -n "$A" ] || { log "administrator login failed"; exit 1; }
for _ in 1 2 3 4 5; do call GET "/api:staff/user?page=1&per_page=25" 200 -H "Authorization: Bearer $A"; done
call GET /api:staff/user/1 200 -H "Authorization: Bearer $A"
call PATCH /api:staff/user/1 200 -H "Authorization: Bearer $A" -H 'Content-Type: application/json' -d '{"extras":{"tenant":7}}'
call GET /q/health/live 200
call GET /q/metrics 200
call GET /q/openapi 200

log "stopping: the JVM writes the cache at exit"
kill -TERM $APP_PID
wait $APP_PID || true
APP_PID=""
[ -s app.aot ] || { log "no app.aot was written:"; tail -30 "$WORK/train.log" >&2; exit 1; }
log "app.aot: $(du -h app.aot | cut -f1) ($("$JAVA" -version 2>&1 | head -1))"
