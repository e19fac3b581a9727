#!/bin/sh
# The floor of the roster import on this schema (issue 14): the sqlite3 shell doing only the writes a
# 100,000-row import must do (journal rows with their JSON payloads, attendees rows with their indexes,
# search index rows) in one transaction with the store's settings, beside the shell's own .import of
# the same CSV into a plain table. The rows are taken from a real import by the product, so sizes and
# key orders are the product's. CPU seconds (user + sys) are printed: wall time means little on a
# loaded machine.
# Usage: tests/bench/import_floor.sh BUILD/bin/accueil [WORKDIR]
set -eu
accueil=$1
dir=${2:-$(mktemp -d)}
days=2022-09-27:OFF,2022-09-28,2022-09-29
cd "$dir"
rm -f roster.csv ref.db* floor.db* plain.db*
"$accueil" demo-roster --count 100000 --out roster.csv
"$accueil" init --db ref.db --name Bench --days $days >/dev/null
"$accueil" import --db ref.db roster.csv >/dev/null
"$accueil" init --db floor.db --name Bench --days $days >/dev/null

cpu() { awk '/Run Time/ { u += $6; s += $8 } END { printf "%.3f", u + s }'; }

# One statement per table, timed with the commit; the rows are staged in TEMP tables first (untimed).
floor() {
    cat <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=FULL;
PRAGMA cache_size=-262144;
ATTACH 'ref.db' AS src;
CREATE TEMP TABLE w AS SELECT * FROM src.journal WHERE kind = 2;
CREATE TEMP TABLE a AS SELECT * FROM src.attendees;
CREATE TEMP TABLE s AS SELECT rowid AS r, names, organisation, email FROM src.attendee_search;
DETACH src;
-- the import sets the attendee triggers aside too (Store::BulkLoad)
DROP TRIGGER arrival_counts_attendee_insert;
DROP TRIGGER roster_counts_insert;
.timer on
BEGIN;
$1
COMMIT;
SQL
}
for part in journal attendees search all; do
    case $part in
    journal) body="INSERT INTO journal SELECT * FROM w;" ;;
    attendees) body="INSERT INTO attendees SELECT * FROM a;" ;;
    search) body="INSERT INTO attendee_search (rowid, names, organisation, email) SELECT r, names, organisation, email FROM s;" ;;
    all) body="INSERT INTO journal SELECT * FROM w;
INSERT INTO attendees SELECT * FROM a;
INSERT INTO attendee_search (rowid, names, organisation, email) SELECT r, names, organisation, email FROM s;" ;;
    esac
    rm -f floor.db*
    "$accueil" init --db floor.db --name Bench --days $days >/dev/null
    printf '%-40s %s s CPU\n' "writes only: $part" "$(floor "$body" | sqlite3 floor.db | cpu)"
done
/usr/bin/time -f "%U %S" -o import.time sqlite3 -batch plain.db '.mode csv' '.separator ;' '.import roster.csv t'
printf '%-40s %s s CPU\n' "sqlite3 .import into a plain table" "$(awk '{ printf "%.3f", $1 + $2 }' import.time)"
