#!/usr/bin/env bash
# TableStore quickstart on the embedded default (a local warehouse folder, no services):
# creates an orders table, writes it in three commits (inserts, then updates and deletes),
# scans it, filters it, time-travels to earlier snapshots and lists the snapshots.
set -euo pipefail
cd "$(dirname "$0")/.."
export TABLESTORE_WAREHOUSE="${TABLESTORE_WAREHOUSE:-$PWD/warehouse}"
TABLE=quickstart.orders

echo "== building the tablestore CLI"
dotnet build src/TableStore.Cli -c Release --nologo -v quiet -clp:ErrorsOnly
ts() {
  echo
  printf '$ tablestore'; printf ' %q' "$@"; echo
  dotnet src/TableStore.Cli/bin/Release/net10.0/tablestore.dll "$@"
}

# Start from scratch so the quickstart can be run again.
dotnet src/TableStore.Cli/bin/Release/net10.0/tablestore.dll table drop "$TABLE" >/dev/null 2>&1 || true

ts table create "$TABLE" \
  --schema "order_id BIGINT, customer STRING, region STRING, status STRING NOT NULL, amount DECIMAL(10,2), ordered_at TIMESTAMP" \
  --primary-key order_id,region --partition-by region --buckets 2
ts table describe "$TABLE"

ts write "$TABLE" --file samples/orders/1-initial-orders.csv
ts write "$TABLE" --file samples/orders/2-updates-and-deletes.csv
ts write "$TABLE" --file samples/orders/3-more-changes.jsonl

ts scan "$TABLE"
ts scan "$TABLE" --where "region = 'eu' OR amount >= 200" --select order_id,customer,status,amount
ts scan "$TABLE" --format csv --limit 3

echo
echo "== time travel: the table as the first commit left it"
ts scan "$TABLE" --snapshot 1
SECOND=$(dotnet src/TableStore.Cli/bin/Release/net10.0/tablestore.dll snapshots "$TABLE" --format csv | awk -F, 'NR==3 {print $2}')
echo
echo "== and as of the second commit's time ($SECOND UTC)"
ts scan "$TABLE" --as-of "$SECOND" --format jsonl

ts snapshots "$TABLE"
echo
echo "Done. The warehouse is in $TABLESTORE_WAREHOUSE; run 'tablestore --help' for more."
