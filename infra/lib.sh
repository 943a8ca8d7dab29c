#!/usr/bin/env bash
# What the infra/ scripts share: installing Debian packages when a command is missing, waiting for a port, and
# a state folder per server (pid files, logs, data) under $TABLESTORE_INFRA_DIR (default /tmp/tablestore-infra).
INFRA_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
INFRA_DIR="${TABLESTORE_INFRA_DIR:-/tmp/tablestore-infra}"

infra_sudo() { if [ "$(id -u)" -ne 0 ]; then sudo "$@"; else "$@"; fi; }

# apt_install COMMAND PACKAGE...: installs the packages unless COMMAND is already on PATH (or is an existing file).
apt_install() {
  local command=$1; shift
  if command -v "$command" >/dev/null 2>&1 || [ -x "$command" ]; then return 0; fi
  echo "== installing $* (apt)" >&2
  if [ -z "${INFRA_APT_UPDATED:-}" ]; then
    infra_sudo apt-get update -qq >&2 || { echo "apt-get update failed" >&2; return 1; }
    export INFRA_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive infra_sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || { echo "could not install $* with apt-get" >&2; return 1; }
}

# wait_port PORT SECONDS [PID]: until something listens on 127.0.0.1:PORT; fails early when PID has exited.
wait_port() {
  local port=$1 seconds=$2 pid=${3:-} i
  for i in $(seq 1 $((seconds * 10))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}

# stop_pidfiles DIR: stops every process named by DIR/*.pid (SIGTERM, then SIGKILL after 10 s) and removes the files.
stop_pidfiles() {
  local dir=$1 p pid i
  for p in "$dir"/*.pid; do
    [ -f "$p" ] || continue
    pid=$(cat "$p")
    if kill "$pid" 2>/dev/null; then
      for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$p"
  done
}
