#!/usr/bin/env bash
# Every test, on a machine that has only the .NET 10 SDK: installs what the tests need (apt: redis-server, Ceph's
# RADOS Gateway, kcat, nodejs/npm; npm: Azurite), then runs the whole solution. The tests start and stop their own
# server instances on free ports through these same scripts. Extra arguments go to `dotnet test`.
# Usage: bash infra/test.sh [dotnet test options...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
for server in redis radosgw kafka azurite; do
  bash "$here/$server.sh" install || { echo "could not install $server: run 'bash infra/$server.sh install' to see why" >&2; exit 1; }
done
cd "$here/.."
dotnet test TableStore.sln "$@"
