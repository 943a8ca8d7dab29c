#!/usr/bin/env bash
# redis-server on 127.0.0.1, no persistence: the membership table of Orleans' Redis clustering for local
# multi-silo runs (the tests start their own instances on free ports).
# Usage: infra/redis.sh install                 installs redis-server (apt) if missing
#        infra/redis.sh start [DIR] [PORT]      → last line "127.0.0.1:PORT" when ready
#        infra/redis.sh stop [DIR]
# DIR defaults to $TABLESTORE_INFRA_DIR/redis; PORT to 6379.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cmd=${1:-}; dir=${2:-$INFRA_DIR/redis}; port=${3:-6379}
case "$cmd" in
  install) apt_install redis-server redis-server; exit ;;
  stop) stop_pidfiles "$dir"; echo "redis stopped ($dir)"; exit 0 ;;
  start) apt_install redis-server redis-server >&2 ;;
  *) echo "usage: $0 install | start [DIR] [PORT] | stop [DIR]" >&2; exit 2 ;;
esac
mkdir -p "$dir"
# Debian's package starts its own redis-server on 6379: say so, rather than report that one as ours.
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "127.0.0.1:$port is already in use (Debian's redis-server service, or an earlier start): pass another port, or stop it" >&2
  exit 1
fi
redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir "$dir" \
  --logfile "$dir/redis.log" --daemonize yes --pidfile "$dir/redis.pid"
wait_port "$port" 10 "$(cat "$dir/redis.pid" 2>/dev/null)" || { echo "redis-server did not listen on 127.0.0.1:$port; log: $dir/redis.log" >&2; exit 1; }
echo "redis ready: TableStore__Clustering=redis TableStore__Redis=127.0.0.1:$port; stop with: $0 stop $dir" >&2
echo "127.0.0.1:$port"
