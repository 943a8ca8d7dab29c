#!/usr/bin/env bash
# A Kafka endpoint on 127.0.0.1 without a broker install: librdkafka's mock cluster (3 brokers), hosted by
# Debian's kcat for as long as it runs. It speaks the Kafka wire protocol (produce, consume, consumer groups,
# transactions; topics are created on first use with 4 partitions); it keeps everything in memory.
# Usage: infra/kafka.sh install            installs kcat (apt) if missing
#        infra/kafka.sh start [DIR]        → last line "127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3" (bootstrap servers)
#        infra/kafka.sh stop [DIR]
# DIR defaults to $TABLESTORE_INFRA_DIR/kafka. The brokers take free ports chosen by librdkafka.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cmd=${1:-}; dir=${2:-$INFRA_DIR/kafka}
case "$cmd" in
  install) apt_install kcat kcat; exit ;;
  stop) stop_pidfiles "$dir"; echo "kafka mock cluster stopped ($dir)"; exit 0 ;;
  start) apt_install kcat kcat >&2 ;;
  *) echo "usage: $0 install | start [DIR] | stop [DIR]" >&2; exit 2 ;;
esac
mkdir -p "$dir"
# kcat consumes a keep-alive topic so that it, and with it the mock cluster it owns, stays up; it reports the
# brokers' addresses on stderr: "... replaced with 127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3".
nohup kcat -X test.mock.num.brokers=3 -b x:1 -C -t keepalive -o end -q > /dev/null 2> "$dir/kcat.log" &
echo $! > "$dir/kcat.pid"
pid=$!
bootstrap=""
for i in $(seq 1 100); do
  bootstrap=$(grep -oE '127\.0\.0\.1:[0-9]+(,127\.0\.0\.1:[0-9]+)*' "$dir/kcat.log" | head -n 1 || true)
  [ -n "$bootstrap" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$bootstrap" ] || { echo "the kcat mock cluster did not report its brokers; log: $dir/kcat.log" >&2; exit 1; }
first=${bootstrap%%,*}
wait_port "${first##*:}" 10 "$pid" || { echo "the kcat mock cluster does not listen on $first; log: $dir/kcat.log" >&2; exit 1; }
echo "kafka ready: TableStore__Kafka__BootstrapServers=$bootstrap; stop with: $0 stop $dir" >&2
echo "$bootstrap"
