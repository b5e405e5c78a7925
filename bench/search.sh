#!/bin/bash
# The console's record search at scale: a throwaway PostgreSQL with N accounts in "user" (default 1,000,000), the
# packaged application, and for each search term: PostgreSQL's plan and time (EXPLAIN ANALYZE of the console's two
# queries, count and page) and the HTTP answer time of the console's page and of the records API, median of 20.
# Writes bench/results/search-<timestamp>/report.md.
#
#   bench/search.sh [--accounts N]
# Needs: a packaged application (./mvnw package -DskipTests), curl, jq, python3 and Debian's PostgreSQL 15 server.
set -uo pipefail
ACCOUNTS=1000000
while [ $# -gt 0 ]; do
  case "$1" in
    --accounts) ACCOUNTS=$2; shift ;;
    -h|--help) sed -n 2,8p "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
OUT=$ROOT/bench/results/search-$(date +%Y%m%d-%H%M%S); mkdir -p "$OUT"
PGBIN=/usr/lib/postgresql/15/bin
JAR=target/quarkus-app/quarkus-run.jar
for tool in curl jq python3 java $PGBIN/initdb; do command -v "$tool" > /dev/null || { echo "missing: $tool" >&2; exit 1; }; done
[ -f $JAR ] || { echo "no $JAR: ./mvnw package -DskipTests" >&2; exit 1; }
log() { echo "[$(date +%T)] $*" | tee -a "$OUT/run.log" >&2; }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

APP_PID="" PGDIR=""
cleanup() {
  [ -n "$APP_PID" ] && kill -TERM "$APP_PID" 2> /dev/null && wait "$APP_PID" 2> /dev/null
  [ -n "$PGDIR" ] && as_pg $PGBIN/pg_ctl -D "$PGDIR/data" -m fast -w stop > /dev/null 2>&1 && rm -rf "$PGDIR"
}
trap cleanup EXIT

PGDIR=$(mktemp -d /tmp/authgate-search-pg.XXXXXX); [ "$(id -u)" = 0 ] && chown postgres: "$PGDIR"
PGPORT=$(free_port)
as_pg $PGBIN/initdb -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C > "$OUT/initdb.log" 2>&1 || exit 1
as_pg $PGBIN/pg_ctl -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
  -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1" start > /dev/null || exit 1
psql_() { psql -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }

APP=$(free_port) MGMT=$(free_port)
KEYS="{\"keys\":[{\"kty\":\"oct\",\"kid\":\"bench-search\",\"k\":\"$(head -c 32 /dev/urandom | basenc --base64url | tr -d '=')\"}]}"
ADMIN=admin@search.test ADMIN_PASSWORD=bench-admin-password
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:$PGPORT/postgres QUARKUS_DATASOURCE_USERNAME=postgres \
QUARKUS_DATASOURCE_PASSWORD=x AUTHGATE_TOKEN_KEYS=$KEYS QUARKUS_HTTP_PORT=$APP QUARKUS_HTTP_HOST=127.0.0.1 \
QUARKUS_MANAGEMENT_PORT=$MGMT QUARKUS_FLYWAY_MIGRATE_AT_START=true AUTHGATE_CONSOLE_ENABLED=true \
AUTHGATE_CONSOLE_SECURE_COOKIES=false AUTHGATE_BOOTSTRAP_ADMIN_EMAIL=$ADMIN AUTHGATE_BOOTSTRAP_ADMIN_PASSWORD=$ADMIN_PASSWORD \
  java -XX:+UseSerialGC -Xms16m -Xmx128m -jar $JAR > "$OUT/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 600); do [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$MGMT/q/health/ready)" = 200 ] && break; sleep 0.1; done

log "seeding $ACCOUNTS accounts"
psql_ <<SQL
insert into "user" (name, email, password_hash)
select 'Person ' || k || ' ' || (array['Lovelace','Hopper','Turing','Liskov','Knuth','Ritchie','Hamilton','Dijkstra'])[1 + k % 8],
       'user' || k || '@example' || (k % 1000) || '.test', 'x'
from generate_series(1, $ACCOUNTS) k;
vacuum analyze "user";
SQL

# a console session, as a browser gets one
JAR_COOKIES=$OUT/cookies.txt
curl -s -c "$JAR_COOKIES" -b "$JAR_COOKIES" -o "$OUT/signin.html" http://127.0.0.1:$APP/console/
CSRF=$(grep -o 'name="csrf" value="[^"]*"' "$OUT/signin.html" | head -1 | sed 's/.*value="//;s/"$//')
curl -s -c "$JAR_COOKIES" -b "$JAR_COOKIES" -o /dev/null -w '%{http_code}\n' http://127.0.0.1:$APP/console/login \
  --data-urlencode "csrf=$CSRF" --data-urlencode group=staff --data-urlencode "email=$ADMIN" \
  --data-urlencode "password=$ADMIN_PASSWORD" | grep -q 303 || { log "console sign-in failed"; exit 1; }
TOKEN=$(curl -s http://127.0.0.1:$APP/api:staff/auth/login -H 'Content-Type: application/json' \
  -d "{\"email\":\"$ADMIN\",\"password\":\"$ADMIN_PASSWORD\"}" | jq -r .authToken)

median_ms() { # URL [curl args...]: median of 20 answers' total time, in ms (after 3 unmeasured)
  local url=$1; shift
  for i in $(seq 23); do curl -s -o /dev/null -w '%{time_total}\n' "$@" "$url"; done | tail -20 | sort -n \
    | awk '{a[NR]=$1} END {printf "%.1f", (a[10]+a[11])/2*1000}'
}
{
  echo "# Record search at $ACCOUNTS accounts ($(date -u +%F), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "Command: \`bench/search.sh --accounts $ACCOUNTS\`. PostgreSQL 15 (default settings), the packaged application;"
  echo "the console's page and the records API on loopback, median of 20 after 3; SQL times from EXPLAIN ANALYZE."
  echo
  echo "| search | matches | count (SQL) | page (SQL) | console page | records API |"
  echo "|---|---|---|---|---|---|"
} > "$OUT/report.md"
for term in user123456@ 'lovelace' example42. 'person 99999' ho us; do
  pattern=$(python3 -c "import sys;s=sys.argv[1].lower();print(s+'%' if len(s)<3 else '%'+s+'%')" "$term")
  where="where email like '$pattern' or lower(name) like '$pattern'"
  psql_ -c "explain (analyze, buffers) select count(*) from \"user\" $where" > "$OUT/plan-count-${term// /_}.txt"
  psql_ -c "explain (analyze, buffers) select * from \"user\" $where order by id limit 25" > "$OUT/plan-page-${term// /_}.txt"
  matches=$(psql_ -At -c "select count(*) from \"user\" $where")
  count_ms=$(awk '/Execution Time/{print $3}' "$OUT/plan-count-${term// /_}.txt")
  page_ms=$(awk '/Execution Time/{print $3}' "$OUT/plan-page-${term// /_}.txt")
  q=$(python3 -c "import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))" "$term")
  console=$(median_ms "http://127.0.0.1:$APP/console/staff/records/user?search=$q" -b "$JAR_COOKIES")
  api=$(median_ms "http://127.0.0.1:$APP/api:staff/user?search=$q" -H "Authorization: Bearer $TOKEN")
  echo "| \`$term\` | $matches | $count_ms ms | $page_ms ms | $console ms | $api ms |" | tee -a "$OUT/report.md"
done
{
  echo
  echo "Plans (bench/results/…/plan-*.txt): the selective searches are bitmap scans of the trigram indexes"
  echo "(\`user_email_search\`, \`user_name_search\`, migration V9); see the files for each term."
} >> "$OUT/report.md"
log "report: $OUT/report.md"
cat "$OUT/report.md"
