#!/bin/bash
# The audit trail's filters at scale: a throwaway PostgreSQL 15 with migration V16 and N audit rows (default
# 1,000,000: 20,000 accounts of two tables, 90 days, events weighted as a live service writes them), then
# EXPLAIN (ANALYZE, BUFFERS) of the two queries GET /api:G/audit makes (count and page, as records/AuditLog writes
# them) for each filter: id (a record's history), event (a rare and a common one), since (the last hour, the last
# day), and none. Prints a markdown report; the committed copy is bench/AUDIT.md.
#
#   bench/audit.sh [--rows N] > bench/AUDIT.md
# Needs: Debian's PostgreSQL 15 server (/usr/lib/postgresql/15/bin) and psql.
set -euo pipefail
ROWS=1000000
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) ROWS=$2; shift ;;
    -h|--help) sed -n 2,9p "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGBIN=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PGDIR=$(mktemp -d /tmp/authgate-audit-pg.XXXXXX); [ "$(id -u)" = 0 ] && chown postgres: "$PGDIR"
PGPORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
trap 'as_pg $PGBIN/pg_ctl -D "$PGDIR/data" -m fast -w stop > /dev/null 2>&1; rm -rf "$PGDIR"' EXIT
as_pg $PGBIN/initdb -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C > /dev/null
as_pg $PGBIN/pg_ctl -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
  -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1" start > /dev/null
psql_() { psql -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }

psql_ -f "$ROOT/src/main/resources/db/migration/V16__audit_and_outbox.sql"
SEED_START=$(date +%s.%N)
psql_ <<SQL
-- weights per 1000: logins dominate, as on a live service; the rest are rarer
create temp table w (event text, outcome text, n int);
insert into w values ('login','ok',500),('login','failed',150),('login','throttled',20),('logout','ok',100),
  ('signup','ok',40),('mfa.verified','ok',60),('passkey.login','ok',40),('password.changed','ok',15),
  ('password.reset_requested','ok',15),('password.reset','ok',10),('magic_link.login','ok',20),
  ('record.changed','ok',10),('sessions.ended','ok',5),('client.introspect','ok',15);
create temp table pick as select event, outcome, sum(n) over (order by event, outcome) - n as lo,
  sum(n) over (order by event, outcome) as hi from w;
insert into auth_audit (at, dbtable, account_id, event, outcome, ip, user_agent, session, detail)
select now() - (interval '90 days') * (1 - k::float / $ROWS), case when k % 50 = 0 then 'staff' else 'user' end,
       1 + (k * 7919) % 20000, p.event, p.outcome, '203.0.113.' || (k % 250), 'Mozilla/5.0 (bench)',
       null, '{}'::jsonb
from generate_series(1::bigint, $ROWS) k join pick p on (k * 31) % 1000 >= p.lo and (k * 31) % 1000 < p.hi;
vacuum analyze auth_audit;
SQL
SEEDED=$(python3 -c "print(round($(date +%s.%N) - $SEED_START, 1))")

q() { # title, where (after "dbtable in ('user','staff')"), params note
  local title=$1 where=$2
  echo "### $title"
  echo
  echo '```'
  echo "-- count"
  psql_ -At -c "explain (analyze, buffers, costs off) select count(*) from (select 1 from auth_audit where dbtable in ('user','staff')$where limit 100000) m" \
    | grep -v '^$'
  echo "-- page 1 (25, newest first)"
  psql_ -At -c "explain (analyze, buffers, costs off) select id, at, dbtable, account_id, event, outcome, ip, user_agent, session, actor_table, actor_id, cast(detail as text) from auth_audit where dbtable in ('user','staff')$where order by id desc limit 25 offset 0" \
    | grep -v '^$'
  echo '```'
  echo
}
ID=$(psql_ -At -c "select account_id from auth_audit where dbtable = 'user' group by account_id order by count(*) desc limit 1")
echo "# The audit trail's filters at $(printf "%'d" "$ROWS") events"
echo
echo "\`bench/audit.sh --rows $ROWS\`, $(date -u +%Y-%m-%d), PostgreSQL $(psql_ -At -c 'show server_version'), this"
echo "machine (2 shared cores, load $(cut -d' ' -f1-3 /proc/loadavg)). Seeded in ${SEEDED}s; table"
echo "$(psql_ -At -c "select pg_size_pretty(pg_total_relation_size('auth_audit'))") with its indexes. Each block: the"
echo "two queries \`GET /api:staff/audit\` makes (records/AuditLog), as PostgreSQL ran them (Execution Time is the figure)."
echo
q "id: a record's history (table=user&id=$ID, the busiest record: $(psql_ -At -c "select count(*) from auth_audit where dbtable='user' and account_id=$ID") events)" " and dbtable = 'user' and account_id = $ID"
q "event: a rare one (event=sessions.ended)" " and event = 'sessions.ended'"
q "event: the commonest (event=login)" " and event = 'login'"
q "since: the last hour" " and at >= now() - interval '1 hour'"
q "since: the last day" " and at >= now() - interval '1 day'"
q "id + event + since together" " and dbtable = 'user' and account_id = $ID and event = 'login' and at >= now() - interval '30 days'"
q "no filter (every event)" ""
