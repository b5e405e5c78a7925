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
