#!/usr/bin/env bash
# A one-node, in-memory Ceph cluster with the RADOS Gateway (S3 with conditional writes) on 127.0.0.1, for tests
# and local runs against s3:// warehouses.
# Usage: infra/radosgw.sh install                          installs ceph-mon, ceph-osd, radosgw (apt) if missing
#        infra/radosgw.sh start [DIR] [PORT] [MON_PORT]    → last line "endpoint access-key secret-key" when ready
#        infra/radosgw.sh stop [DIR]
# DIR defaults to $TABLESTORE_INFRA_DIR/radosgw; PORT to 7480, MON_PORT to 6789 (tests pass free ones).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cmd=${1:-}; dir=${2:-$INFRA_DIR/radosgw}; port=${3:-7480}; mon_port=${4:-6789}
case "$cmd" in
  install) apt_install radosgw ceph-mon ceph-osd radosgw ceph-common; exit ;;
  stop) stop_pidfiles "$dir/run"; echo "radosgw stopped ($dir)"; exit 0 ;;
  start) apt_install radosgw ceph-mon ceph-osd radosgw ceph-common >&2 ;;
  *) echo "usage: $0 install | start [DIR] [PORT] [MON_PORT] | stop [DIR]" >&2; exit 2 ;;
esac
mkdir -p "$dir"/{run,log,mon,osd}
# retry N CMD...: a cluster command right after the monitor started can fail while it settles (seen on a loaded
# machine); it gets N tries a second apart, and the last failure's output is shown.
retry() { local n=$1 out i; shift; for i in $(seq 1 "$n"); do out=$("$@" 2>&1) && return 0; sleep 1; done; echo "$*: $out" >&2; return 1; }
# Most steps keep quiet on success; a failing one says which it was and shows the daemons' logs.
trap 'echo "infra/radosgw.sh: \"$BASH_COMMAND\" failed (line $LINENO); logs in $dir/log:" >&2; tail -n 20 "$dir"/log/*.log >&2 2>/dev/null || true' ERR
fsid=$(cat /proc/sys/kernel/random/uuid)
conf="$dir/ceph.conf"
cat > "$conf" <<CONF
[global]
fsid = $fsid
mon host = v1:127.0.0.1:$mon_port
mon initial members = a
auth cluster required = none
auth service required = none
auth client required = none
ms bind msgr2 = false
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
osd crush chooseleaf type = 0
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon warn on pool no redundancy = false
run dir = $dir/run
log file = $dir/log/\$name.log
pid file = $dir/run/\$name.pid
admin socket = $dir/run/\$name.asok
[mon.a]
mon data = $dir/mon
[osd.0]
osd data = $dir/osd
osd objectstore = memstore
osd crush update on start = false
osd class update on start = false
memstore device bytes = 1073741824
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$port tcp_nodelay=1
rgw data = $dir/rgw
CONF
export CEPH_CONF="$conf"
ceph-authtool --create-keyring "$dir/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
monmaptool --create --add a v1:127.0.0.1:$mon_port --fsid "$fsid" "$dir/monmap" >/dev/null
ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" --keyring "$dir/mon.keyring"
ceph-mon -c "$conf" -i a
uuid=$(cat /proc/sys/kernel/random/uuid)
retry 10 ceph -c "$conf" osd new "$uuid" 0
retry 10 ceph -c "$conf" osd crush add osd.0 1.0 root=default
retry 5 ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$uuid"
ceph-osd -c "$conf" -i 0 2>/dev/null
for i in $(seq 1 120); do ceph -c "$conf" osd stat 2>/dev/null | grep -q "1 up" && break; sleep 0.5; done
mkdir -p "$dir/rgw"
radosgw -c "$conf" -n client.rgw.a 2>/dev/null
for i in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.5; done
radosgw-admin -c "$conf" user create --uid=tablestore --display-name=tablestore --access-key=tablestore --secret-key=tablestoresecret >/dev/null
echo "radosgw ready: AWS_ENDPOINT_URL_S3=http://127.0.0.1:$port AWS_ACCESS_KEY_ID=tablestore AWS_SECRET_ACCESS_KEY=tablestoresecret AWS_REGION=us-east-1; stop with: $0 stop $dir" >&2
echo "http://127.0.0.1:$port tablestore tablestoresecret"
