#!/usr/bin/env bash
# `make bench-tiles`: vector tiles from Switchboard and from Martin, on the same PostGIS tables,
# in one run, measured by the same tool (`switchboard bench tiles`).
#
# 1. A fresh PostGIS database (DATABASE_URL's server, or a throwaway cluster) gets the demo city
#    (`switchboard seed --demo --tickets 300`) and TILES_TICKETS more tickets (default 20 000) in
#    one INSERT: random points of Đà Nẵng kept where PostGIS finds a ward.
# 2. Two views give Martin the same features and attributes as Switchboard's sources:
#    `bench_tickets` (id, code, category, status, area, unit, priority, received_at, deadline,
#    open, overdue) and `bench_areas` (code, name, name_en, level, parent; areas in force).
#    PLANNING_TABLE, when that table exists (the planning zones), is benchmarked too.
# 3. For each server in turn — Switchboard (release build, its own R-tree and encoder) then
#    Martin (`martin` on PATH or MARTIN=…, PostGIS `ST_AsMVT`) — a fresh start (empty caches),
#    then for each source: the cold pass (every tile of TILES_BBOX at TILES_ZOOMS once) and the
#    warm pass (the same tiles again for TILES_DURATION seconds), TILES_CONCURRENCY in flight.
# TILES_SERVERS (default "switchboard martin") picks the servers, e.g. TILES_SERVERS=switchboard
# while changing Switchboard; SWITCHBOARD_BIN=… benchmarks another build; TILES_DB (default
# sb_tiles_bench) names the database it drops and creates, so two runs on one server stay apart.
# Results: a table on stdout and JSON in target/bench-tiles/.
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

N=${TILES_TICKETS:-20000}
BBOX=${TILES_BBOX:-108.12,15.98,108.30,16.12}
ZOOMS=${TILES_ZOOMS:-10,12,14,16}
DURATION=${TILES_DURATION:-15}
CONCURRENCY=${TILES_CONCURRENCY:-16}
PLANNING_TABLE=${PLANNING_TABLE:-planning_zones}
SB_PORT=${TILES_PORT:-18081}
MARTIN_PORT=${MARTIN_PORT:-18082}
MARTIN=${MARTIN:-$(command -v martin || echo "$HOME/.cargo/bin/martin")}
SERVERS=${TILES_SERVERS:-switchboard martin}
want() { [[ " $SERVERS " == *" $1 "* ]]; }
OUT=target/bench-tiles
mkdir -p "$OUT"

ensure_cargo
ensure_cc
pg_ensure_database_url
have psql || die "psql is needed (apt-get install postgresql-client)"
! want martin || [ -x "$MARTIN" ] || die "martin is needed: cargo install martin --locked --no-default-features --features postgres (or MARTIN=/path/to/martin)"

if [ "${TILES_SKIP_BUILD:-0}" != 1 ]; then
	log "web build; cargo build --release (which embeds web/dist)"
	(cd web && npm ci --no-audit --no-fund && npm run build)
	cargo build --release
fi
BIN=${SWITCHBOARD_BIN:-target/release/switchboard}

DB=${TILES_DB:-sb_tiles_bench}
URL=$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.href)' "$DATABASE_URL" "$DB")
psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
log "demo city and 300 tickets of history"
"$BIN" seed --database-url "$URL" --demo --tickets 300 >/dev/null
log "$N more tickets in one INSERT"
psql "$URL" -v ON_ERROR_STOP=1 -q <<SQL
WITH pts AS (
    SELECT i, 108.00 + random() * 0.33 AS lon, 15.94 + random() * 0.22 AS lat
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
   statuses AS (SELECT ARRAY['received','assigned','accepted','in_progress','returned','resolved','closed'] AS s)
INSERT INTO tickets (id, code, channel, category, description, lon, lat, area, priority, status,
                     received_at, deadline, updated_at, version)
SELECT gen_random_uuid(), 'DN-2002-' || lpad(l.n::text, 6, '0'), 'hotline',
       cats.c[1 + floor(random() * array_length(cats.c, 1))::int], 'Phản ánh thử tải', l.lon, l.lat, l.area,
       'normal', statuses.s[1 + floor(random() * 7)::int], r.at, r.at + interval '7 days', r.at, 1
FROM located l, cats, statuses,
     LATERAL (SELECT now() - random() * interval '10 days' + (l.i * 0)::int * interval '1 s' AS at) r
WHERE l.n <= $N;

-- What Switchboard's tiles carry, for Martin.
CREATE VIEW bench_tickets AS
SELECT id::text AS id, code, category, status, area, unit, priority,
       extract(epoch FROM received_at)::bigint AS received_at, extract(epoch FROM deadline)::bigint AS deadline,
       status IN ('received','assigned','accepted','in_progress','returned') AS open,
       status IN ('received','assigned','accepted','in_progress','returned') AND deadline < now() AS overdue,
       geom
FROM tickets;
CREATE VIEW bench_areas AS
SELECT code, name, name_en, level, parent, geom FROM areas WHERE valid_to IS NULL;
ANALYZE;
SQL
log "$(psql "$URL" -tAc 'SELECT count(*) FROM tickets') tickets"
KEY=$("$BIN" apikeys create bench-tiles --role operator --database-url "$URL")
HAVE_PLANNING=$(psql "$URL" -tAc "SELECT to_regclass('$PLANNING_TABLE') IS NOT NULL")

wait_for() { # URL
	for _ in $(seq 1 120); do curl -fs -o /dev/null "$1" && return 0; sleep 0.5; done
	die "no answer from $1"
}

# The INSERT above adds thousands of open tickets whose deadline has passed, behind the server's
# back. Switchboard's overdue timer records a `ticket.overdue` event for each on its first round,
# and each event evicts the ticket tiles holding that ticket: measured during the benchmark,
# that burst (4,000+ events, each re-encoding the z10 tile of every ticket) is what the ticket
# tiles would be timed against. So Switchboard runs once beforehand until the events stop, as a
# server that has been up does; then both servers are measured on the same settled data.
if want switchboard; then
	log "settling: Switchboard records the overdue events of the inserted tickets"
	"$BIN" serve --database-url "$URL" --listen "127.0.0.1:$SB_PORT" >"$OUT/settle.log" 2>&1 &
	SERVER_PID=$!
	wait_for "http://127.0.0.1:$SB_PORT/readyz"
	last=-1
	for _ in $(seq 1 150); do
		n=$(psql "$URL" -tAc 'SELECT count(*) FROM events')
		[ "$n" = "$last" ] && break
		last=$n
		sleep 2
	done
	stop_server
	log "$(psql "$URL" -tAc "SELECT count(*) FROM events WHERE kind = 'overdue'") overdue events recorded"
fi

bench() { # NAME TEMPLATE [extra args]
	local name=$1 template=$2
	shift 2
	log "$name: $template"
	"$BIN" bench tiles --url "$template" --bbox "$BBOX" --zooms "$ZOOMS" --duration "$DURATION" \
		--concurrency "$CONCURRENCY" --json "$@" | tee "$OUT/$name.json" >/dev/null
	node -e '
		const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		for (const p of ["cold", "warm"]) {
			const x = r[p], l = x.latency;
			console.log([process.argv[2], p, r.tiles, x.tiles_per_s.toFixed(0), l.p50_ms.toFixed(1), l.p90_ms.toFixed(1), l.p99_ms.toFixed(1), x.errors, x.mb_received.toFixed(1)].join("\t"));
		}' "$OUT/$name.json" "$name" >>"$OUT/table.tsv"
}

: >"$OUT/table.tsv"

if want switchboard; then
	log "Switchboard on 127.0.0.1:$SB_PORT (fresh: empty tile cache)"
	"$BIN" serve --database-url "$URL" --listen "127.0.0.1:$SB_PORT" >"$OUT/switchboard.log" 2>&1 &
	SERVER_PID=$!
	wait_for "http://127.0.0.1:$SB_PORT/readyz"
	bench switchboard-tickets "http://127.0.0.1:$SB_PORT/tiles/tickets/{z}/{x}/{y}" --header "Authorization: Bearer $KEY"
	bench switchboard-areas "http://127.0.0.1:$SB_PORT/tiles/areas/{z}/{x}/{y}"
	if [ "$HAVE_PLANNING" = t ]; then
		bench switchboard-planning "http://127.0.0.1:$SB_PORT/tiles/planning/{z}/{x}/{y}"
	fi
	stop_server
fi

if want martin; then
	log "Martin on 127.0.0.1:$MARTIN_PORT (fresh: empty tile cache)"
	"$MARTIN" --listen-addresses "127.0.0.1:$MARTIN_PORT" "$URL" >"$OUT/martin.log" 2>&1 &
	SERVER_PID=$!
	wait_for "http://127.0.0.1:$MARTIN_PORT/catalog"
	bench martin-tickets "http://127.0.0.1:$MARTIN_PORT/bench_tickets/{z}/{x}/{y}"
	bench martin-areas "http://127.0.0.1:$MARTIN_PORT/bench_areas/{z}/{x}/{y}"
	if [ "$HAVE_PLANNING" = t ]; then
		bench martin-planning "http://127.0.0.1:$MARTIN_PORT/$PLANNING_TABLE/{z}/{x}/{y}"
	fi
	stop_server
fi

echo
echo "bbox $BBOX, zooms $ZOOMS, $CONCURRENCY in flight, warm pass ${DURATION} s, $(nproc) cores$(want martin && echo ", $("$MARTIN" --version)")"
printf 'server-source\tpass\ttiles\ttiles/s\tp50 ms\tp90 ms\tp99 ms\terrors\tMB\n'
cat "$OUT/table.tsv"
