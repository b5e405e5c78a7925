# Shell helpers shared by bench/run.sh and bench/startup.sh (sourced).
# as_pg CMD...: run as the postgres user when root (initdb refuses root)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# stop_pid PID [seconds]: TERM, wait, then KILL; only the given process
stop_pid() {
  local p=$1 t=${2:-20}
  [ -n "$p" ] && kill -0 "$p" 2> /dev/null || return 0
  kill -TERM "$p" 2> /dev/null
  for _ in $(seq $((t * 10))); do kill -0 "$p" 2> /dev/null || return 0; sleep 0.1; done
  kill -KILL "$p" 2> /dev/null; sleep 0.2
}
# free_port: a free TCP port on 127.0.0.1
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
# pg_throwaway NAME LOGDIR: a throwaway cluster of Debian's PostgreSQL 15 on a free loopback port; sets PGDIR and
# PGPORT (pg_throwaway_stop deletes it). Through runuser when root: initdb refuses root.
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
pg_throwaway() {
  PGDIR=$(mktemp -d "/tmp/authgate-$1-pg.XXXXXX"); [ "$(id -u)" = 0 ] && chown postgres: "$PGDIR"
  PGPORT=$(free_port)
  as_pg $PGBIN/initdb -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C > "$2/initdb.log" 2>&1 || return 1
  as_pg $PGBIN/pg_ctl -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
    -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1" start > /dev/null
}
pg_throwaway_stop() {
  [ -n "${PGDIR:-}" ] && as_pg $PGBIN/pg_ctl -D "$PGDIR/data" -m fast -w stop > /dev/null 2>&1 && rm -rf "$PGDIR"
}
