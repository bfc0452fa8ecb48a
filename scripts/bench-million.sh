#!/usr/bin/env bash
# `make bench-million`: first pages at a million tickets, through HTTP beside the same SQL.
#
# 1. A fresh PostGIS database (DATABASE_URL's server, or a throwaway cluster) gets the demo city
#    (`switchboard seed --demo --tickets 300`), then MILLION_TICKETS (1 000 000) tickets in one
#    SQL statement: random points of Đà Nẵng kept where PostGIS finds a ward, random categories,
#    received over the last year with a 7-day deadline, about half open (received, assigned,
#    accepted, in progress, returned) and half resolved or closed (some after their deadline).
# 2. A fresh SQLite file gets the demo city the same way and the same million rows, copied from
#    PostGIS (`COPY … TO STDOUT`, then Python's sqlite3).
# 3. For each store: `switchboard serve` starts (start-up = until /readyz answers; RSS after), the
#    queries below run through HTTP as the demo operator (one keep-alive connection, 3 warm-ups,
#    then MILLION_RUNS timed runs), the server stops, and the same queries run as SQL on the same
#    store (psql with \timing over one connection; Python's sqlite3 for the file).
# Results: a table on stdout, JSON in target/bench-million/.
# MILLION_REUSE=1 keeps both stores for the next run (the PostGIS database and
# target/bench-million/million.db) and reuses them when they are there; MILLION_STORES="postgis"
# (or "sqlite") measures one store only.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/pg-throwaway.sh
source scripts/pg-throwaway.sh
SERVER_PID=""
WORK=$(mktemp -d)
stop_server() {
	[ -z "$SERVER_PID" ] || { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
	SERVER_PID=""
}
trap 'stop_server; rm -rf "$WORK"; pg_throwaway_stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

N=${MILLION_TICKETS:-1000000}
RUNS=${MILLION_RUNS:-20}
PORT=${MILLION_PORT:-18094}
OUT=target/bench-million
mkdir -p "$OUT"
ensure_cargo
ensure_cc
pg_ensure_database_url
have psql || die "psql is needed (apt-get install postgresql-client)"
have python3 || die "python3 is needed"
if [ "${MILLION_SKIP_BUILD:-0}" != 1 ]; then
	log "cargo build --release"
	cargo build --release --bin switchboard
fi
BIN="$WORK/switchboard"
cp target/release/switchboard "$BIN"

DB=sb_million_bench
URL=$(python3 -c 'import sys, urllib.parse as u; p = u.urlparse(sys.argv[1]); print(p._replace(path="/" + sys.argv[2]).geturl())' "$DATABASE_URL" "$DB")
REUSE=${MILLION_REUSE:-0}
STORES=${MILLION_STORES:-postgis sqlite}
if [ "$REUSE" = 1 ]; then SQLITE="$OUT/million.db"; else SQLITE="$WORK/million.db"; fi
reusable() {
	[ "$REUSE" = 1 ] && [ -f "$SQLITE" ] &&
		[ "$(psql "$URL" -tAc "SELECT count(*) FROM tickets WHERE code LIKE 'DN-2001-%'" 2>/dev/null)" = "$N" ]
}

if reusable; then
	log "reusing the $N tickets of $DB and $SQLITE"
else
rm -f "$SQLITE"
log "PostGIS: demo city, then $N tickets in one INSERT"
psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
"$BIN" seed --database-url "$URL" --demo --tickets 300 >/dev/null 2>&1
start=$SECONDS
psql "$URL" -v ON_ERROR_STOP=1 -q <<SQL
WITH pts AS (
    SELECT i, 107.95 + random() * 0.40 AS lon, 15.93 + random() * 0.22 AS lat
    FROM generate_series(1, $N * 3) AS i
), located AS (
    SELECT p.i, p.lon, p.lat, a.code AS area, row_number() OVER (ORDER BY p.i) AS n
    FROM pts p
    JOIN LATERAL (
        SELECT code FROM areas
        WHERE level = 'ward' AND valid_to IS NULL AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))
        ORDER BY code LIMIT 1
    ) a ON true
), cats AS (SELECT array_agg(code ORDER BY code) AS c FROM categories),
   statuses AS (SELECT ARRAY['received','assigned','accepted','in_progress','returned',
                             'resolved','closed','closed','closed','closed'] AS s),
   rows AS (
    SELECT l.*, cats.c[1 + floor(random() * array_length(cats.c, 1))::int] AS category,
           statuses.s[1 + floor(random() * 10)::int] AS status,
           now() - random() * interval '365 days' AS at, random() AS speed
    FROM located l, cats, statuses WHERE l.n <= $N
)
INSERT INTO tickets (id, code, channel, category, description, lon, lat, area, priority, status,
                     received_at, deadline, resolved_at, closed_at, updated_at, version)
SELECT gen_random_uuid(), 'DN-2001-' || lpad(n::text, 7, '0'), 'hotline', category, 'Phản ánh thử tải',
       lon, lat, area, 'normal', status, at, at + interval '7 days',
       CASE WHEN status IN ('resolved', 'closed') THEN at + speed * interval '9 days' END,
       CASE WHEN status = 'closed' THEN at + speed * interval '9 days' + interval '1 day' END,
       at, 1
FROM rows;
ANALYZE tickets;
SQL
log "inserted in $((SECONDS - start)) s: $(psql "$URL" -tAc "SELECT count(*) || ' tickets, ' || count(*) FILTER (WHERE resolved_at IS NULL) || ' open' FROM tickets")"

log "SQLite: demo city, then the same rows"
"$BIN" seed --database-url "sqlite:$SQLITE" --demo --tickets 300 >/dev/null 2>&1
COLS="id, code, channel, category, description, lon, lat, area, priority, status, received_at, deadline, resolved_at, closed_at, updated_at, version"
TS() { echo "to_char($1 AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"; }
psql "$URL" -qc "\\copy (SELECT id, code, channel, category, description, lon, lat, area, priority, status, $(TS received_at), $(TS deadline), $(TS resolved_at), $(TS closed_at), $(TS updated_at), version FROM tickets WHERE code LIKE 'DN-2001-%') TO '$WORK/tickets.csv' CSV"
python3 - "$SQLITE" "$WORK/tickets.csv" "$COLS" <<'PY'
import csv, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
cols = [c.strip() for c in sys.argv[3].split(",")]
def rows():
    for r in csv.reader(open(sys.argv[2], newline="")):
        r = [None if v == "" else v for v in r]
        r[5], r[6], r[15] = float(r[5]), float(r[6]), int(r[15])
        yield r
con.executemany(f"INSERT INTO tickets ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})", rows())
con.commit()
con.execute("ANALYZE")
print("  ", con.execute("SELECT count(*) FROM tickets").fetchone()[0], "tickets in the file")
PY
fi

for store in $STORES; do
	if [ $store = postgis ]; then DBURL=$URL; else DBURL="sqlite:$SQLITE"; fi
	log "$store: switchboard serve"
	t0=$(date +%s.%N)
	"$BIN" serve --database-url "$DBURL" --listen "127.0.0.1:$PORT" >"$OUT/server-$store.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 1 1200); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.05; done
	curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null || die "the server did not start (see $OUT/server-$store.log)"
	python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 2))" "$t0" "$(date +%s.%N)" >"$OUT/startup-$store"
	sleep 2
	awk '/VmRSS/ {print $2 * 1024}' "/proc/$SERVER_PID/status" >"$OUT/rss-$store"
	python3 scripts/bench_million.py http "127.0.0.1:$PORT" "$RUNS" >"$OUT/http-$store.json"
	stop_server
	if [ $store = postgis ]; then
		python3 scripts/bench_million.py postgis "$URL" "$RUNS" >"$OUT/sql-$store.json"
	else
		python3 scripts/bench_million.py sqlite "$SQLITE" "$RUNS" >"$OUT/sql-$store.json"
	fi
done
# shellcheck disable=SC2086 # the store names are words
python3 scripts/bench_million.py report "$OUT" $STORES
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB; $(psql "$URL" -tAc 'SELECT version()' | cut -d, -f1)"
[ "$REUSE" = 1 ] || psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS $DB"
