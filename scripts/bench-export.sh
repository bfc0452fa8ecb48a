#!/usr/bin/env bash
# `make bench-export`: a ticket list of EXPORT_TICKETS (default 1 000 000) rows exported by
# Switchboard as CSV and as XLSX, next to PostgreSQL's own `COPY … TO STDOUT WITH CSV` (through
# psql) of the same rows joined to the same names, in one run on one PostGIS database.
#
# 1. A fresh database (DATABASE_URL's server, or a throwaway cluster) gets the demo city
#    (`switchboard seed --demo --tickets 2000`), then copies of those tickets up to
#    EXPORT_TICKETS in one INSERT (new ids and codes, the same text, places, units and times;
#    every tenth with a reporter's contact).
# 2. Switchboard (release build) starts on it; once ready, for each export in turn, its peak
#    resident memory is reset (`/proc/PID/clear_refs`), the file is downloaded with curl as an
#    admin key, and the time, the size, the rows and the server's peak memory (VmHWM) during the
#    download are recorded, next to its memory at rest before.
# 3. psql runs `\copy (SELECT …) TO file WITH CSV HEADER` with the same columns' data.
# Results: a table on stdout and the files' heads in target/bench-export/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/pg-throwaway.sh
source scripts/pg-throwaway.sh
SERVER_PID=""
stop_server() { [ -z "$SERVER_PID" ] || { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }; }
trap 'stop_server; pg_throwaway_stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

N=${EXPORT_TICKETS:-1000000}
PORT=${EXPORT_PORT:-18083}
OUT=target/bench-export
mkdir -p "$OUT"

ensure_cargo
ensure_cc
pg_ensure_database_url
have psql || die "psql is needed (apt-get install postgresql-client)"
have curl || die "curl is needed"

if [ "${EXPORT_SKIP_BUILD:-0}" != 1 ]; then
	log "web build; cargo build --release (which embeds web/dist)"
	(cd web && npm ci --no-audit --no-fund && npm run build)
	cargo build --release
fi
BIN=${SWITCHBOARD_BIN:-target/release/switchboard}

DB=sb_export_bench
URL=$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.href)' "$DATABASE_URL" "$DB")
psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
log "demo city and 2 000 tickets of history"
"$BIN" seed --database-url "$URL" --demo --tickets 2000 >/dev/null
log "copies up to $N tickets in one INSERT"
psql "$URL" -v ON_ERROR_STOP=1 -q <<SQL
CREATE TEMP TABLE copies AS
SELECT gen_random_uuid() AS id, t.id AS src, row_number() OVER () AS n
FROM tickets t, generate_series(1, ceil($N::numeric / (SELECT count(*) FROM tickets))::int) k
LIMIT $N - (SELECT count(*) FROM tickets);
INSERT INTO tickets (id, code, channel, category, description, lon, lat, address, area, priority, status,
                     unit, received_at, deadline, resolved_at, closed_at, updated_at, result, rating,
                     rating_comment, version)
SELECT c.id, 'DN-BENCH-' || lpad(c.n::text, 7, '0'), t.channel, t.category, t.description, t.lon, t.lat,
       t.address, t.area, t.priority, t.status, t.unit, t.received_at, t.deadline, t.resolved_at,
       t.closed_at, t.updated_at, t.result, t.rating, t.rating_comment, 1
FROM copies c JOIN tickets t ON t.id = c.src;
INSERT INTO ticket_contacts (ticket_id, name, phone, email)
SELECT c.id, 'Nguyễn Văn Bình', '0905' || lpad((c.n % 1000000)::text, 6, '0'), NULL
FROM copies c WHERE c.n % 10 = 0;
ANALYZE;
SQL
ROWS=$(psql "$URL" -tAc 'SELECT count(*) FROM tickets')
log "$ROWS tickets"
KEY=$("$BIN" apikeys create bench-export --role admin --database-url "$URL")

wait_for() { # URL
	for _ in $(seq 1 600); do curl -fs -o /dev/null "$1" && return 0; sleep 0.5; done
	die "no answer from $1"
}
kib() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$SERVER_PID/status"; }

: >"$OUT/table.tsv"
log "Switchboard on 127.0.0.1:$PORT"
"$BIN" serve --database-url "$URL" --listen "127.0.0.1:$PORT" >"$OUT/switchboard.log" 2>&1 &
SERVER_PID=$!
wait_for "http://127.0.0.1:$PORT/readyz"
sleep 2
REST=$(kib VmRSS)

export_one() { # NAME PATH
	local name=$1 path=$2 file="$OUT/$1.out"
	echo 5 >"/proc/$SERVER_PID/clear_refs"
	local before
	before=$(kib VmRSS)
	local t
	t=$(curl -fsS -o "$file" -w '%{time_total}' -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT$path")
	local peak
	peak=$(kib VmHWM)
	local size lines
	size=$(stat -c %s "$file")
	case "$name" in
	*xlsx) # rows in the sheet, counted from the zipped XML
		lines=$(python3 -c '
import sys, zipfile
n, tail = 0, b""
with zipfile.ZipFile(sys.argv[1]).open("xl/worksheets/sheet1.xml") as f:
    while chunk := f.read(1 << 20):
        n += (tail + chunk).count(b"<row ")
        tail = chunk[-4:]
print(n)' "$file") ;;
	*) lines=$(wc -l <"$file") ;;
	esac
	head -c 2000 "$file" >"$OUT/$name.head"
	printf '%s\t%s\t%.1f\t%d\t%d\t%d\t%d\n' "$name" "$path" "$t" "$lines" "$((size / 1048576))" \
		"$((before / 1024))" "$((peak / 1024))" >>"$OUT/table.tsv"
	log "$name: ${t}s, $((size / 1048576)) MiB, server peak $((peak / 1024)) MiB (at rest $((before / 1024)) MiB)"
	rm -f "$file"
}

export_one switchboard-csv /api/v1/tickets/export.csv
export_one switchboard-csv-contacts '/api/v1/tickets/export.csv?contacts=true'
export_one switchboard-xlsx /api/v1/tickets/export.xlsx
stop_server

log "PostgreSQL: psql \\copy of the same rows and names"
start=$(date +%s.%N)
psql "$URL" -v ON_ERROR_STOP=1 -qc "\\copy (
	SELECT t.code, t.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh', t.status, t.channel, t.category, c.name_vi,
	       c.field, t.area, a.name, d.name, t.unit, u.name_vi, t.priority,
	       t.deadline AT TIME ZONE 'Asia/Ho_Chi_Minh', t.resolved_at AT TIME ZONE 'Asia/Ho_Chi_Minh',
	       t.closed_at AT TIME ZONE 'Asia/Ho_Chi_Minh',
	       CASE WHEN t.resolved_at > t.deadline THEN 'late' WHEN t.resolved_at IS NOT NULL THEN 'on time' END,
	       t.rating, t.address, t.description
	FROM tickets t
	LEFT JOIN categories c ON c.code = t.category
	LEFT JOIN areas a ON a.code = t.area AND a.valid_to IS NULL
	LEFT JOIN areas d ON d.code = a.parent AND d.valid_to IS NULL
	LEFT JOIN units u ON u.code = t.unit
	ORDER BY t.received_at DESC, t.id DESC
) TO '$OUT/postgres-copy.out' WITH (FORMAT csv, HEADER)"
end=$(date +%s.%N)
size=$(stat -c %s "$OUT/postgres-copy.out")
printf '%s\t%s\t%.1f\t%d\t%d\t-\t-\n' postgres-copy 'psql \copy … WITH CSV' "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" \
	"$(wc -l <"$OUT/postgres-copy.out")" "$((size / 1048576))" >>"$OUT/table.tsv"
rm -f "$OUT/postgres-copy.out"

echo
echo "$ROWS tickets, $(nproc) cores, $(psql "$URL" -tAc 'SHOW server_version'), server at rest $((REST / 1024)) MiB"
printf 'export\trequest\ts\trows (CSV: lines)\tMiB\tserver RSS before (MiB)\tserver peak during (MiB)\n'
cat "$OUT/table.tsv"
