#!/usr/bin/env bash
# Backup-and-restore drill (docs/operations.md «备份与恢复»): pg_dump the database in DATABASE_URL, restore
# the dump into a new database, compare every table's row count and run `xietong check-ledger` on the copy.
# Usage: DATABASE_URL=postgres://user@host:5432/xietong tools/restore_check.sh [restored-db-name]
# The restored database is dropped again at the end unless KEEP_RESTORED=1.
set -euo pipefail

source_url=${DATABASE_URL:?set DATABASE_URL to the database to back up}
restored=${1:-xietong_restore_check}
server_url=${source_url%/*}
restored_url="$server_url/$restored"
here=$(cd "$(dirname "$0")/.." && pwd)
xietong=${XIETONG:-$here/.venv/bin/xietong}
dump=$(mktemp --suffix=.dump)
trap 'rm -f "$dump"' EXIT

counts() {  # "table count" per line for every table of the public schema
  psql "$1" -Atqc "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1" |
    while read -r table; do echo "$table $(psql "$1" -Atqc "SELECT count(*) FROM \"$table\"")"; done
}

echo "== pg_dump $(basename "$source_url") (custom format)"
pg_dump --format=custom --no-owner --dbname="$source_url" --file="$dump"
echo "   $(du -h "$dump" | cut -f1)"
echo "== restore into $restored"
psql "$server_url/postgres" -qc "DROP DATABASE IF EXISTS \"$restored\" WITH (FORCE)" -c "CREATE DATABASE \"$restored\""
pg_restore --no-owner --exit-on-error --dbname="$restored_url" "$dump"
echo "== row counts"
if ! diff <(counts "$source_url") <(counts "$restored_url"); then
  echo "row counts differ between the source and the restored copy" >&2
  exit 1
fi
echo "   $(counts "$restored_url" | wc -l) tables, equal row counts"
echo "== xietong check-ledger on the restored copy"
DATABASE_URL="$restored_url" "$xietong" check-ledger
if [[ "${KEEP_RESTORED:-0}" != 1 ]]; then
  psql "$server_url/postgres" -qc "DROP DATABASE \"$restored\" WITH (FORCE)"
fi
echo "== restore check passed"
