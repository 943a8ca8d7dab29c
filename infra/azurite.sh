#!/usr/bin/env bash
# Azurite (Microsoft's Azure Blob emulator, npm) on 127.0.0.1 with the well-known development account, for az://
# warehouses in tests and local runs. Installed into infra/.azurite (git-ignored); the tests find it there.
# Usage: infra/azurite.sh install                 installs nodejs/npm (apt) and azurite (npm) if missing
#        infra/azurite.sh start [DIR] [PORT]      → last line "http://127.0.0.1:PORT/devstoreaccount1" when ready
#        infra/azurite.sh stop [DIR]
# DIR defaults to $TABLESTORE_INFRA_DIR/azurite; PORT to 10000.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
version=3.35.0
main="$INFRA_HOME/.azurite/node_modules/azurite/dist/src/blob/main.js"
cmd=${1:-}; dir=${2:-$INFRA_DIR/azurite}; port=${3:-10000}

install() {
  [ -f "$main" ] && return 0
  apt_install npm nodejs npm
  echo "== installing azurite $version (npm)" >&2
  npm install --prefix "$INFRA_HOME/.azurite" --no-audit --no-fund --loglevel=error "azurite@$version" >/dev/null \
    || { echo "could not install azurite with npm" >&2; return 1; }
}

case "$cmd" in
  install) install; exit ;;
  stop) stop_pidfiles "$dir"; echo "azurite stopped ($dir)"; exit 0 ;;
  start) install >&2 ;;
  *) echo "usage: $0 install | start [DIR] [PORT] | stop [DIR]" >&2; exit 2 ;;
esac
mkdir -p "$dir/data"
# --skipApiVersionCheck: Azure.Storage.Blobs 12.30 sends a newer API version than Azurite knows (400 otherwise).
nohup node "$main" --blobHost 127.0.0.1 --blobPort "$port" --location "$dir/data" --silent --loose \
  --skipApiVersionCheck --disableTelemetry > "$dir/azurite.log" 2>&1 &
echo $! > "$dir/azurite.pid"
wait_port "$port" 30 "$!" || { echo "azurite did not listen on 127.0.0.1:$port; log: $dir/azurite.log" >&2; exit 1; }
echo "azurite ready: TableStore__Warehouse=az://devstoreaccount1/warehouse AZURE_STORAGE_CONNECTION_STRING=UseDevelopmentStorage=true; stop with: $0 stop $dir" >&2
echo "http://127.0.0.1:$port/devstoreaccount1"
