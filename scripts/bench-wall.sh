#!/usr/bin/env bash
# `make bench-wall`: the map wall with many open tickets, in real headless Chromium.
#
# 1. A fresh PostGIS database (DATABASE_URL's server, or a throwaway cluster) gets the demo city
#    with a little history (`switchboard seed --demo --tickets 300`), then WALL_TICKETS open
#    tickets (default 100 000) in one SQL statement: random points of Đà Nẵng kept where PostGIS
#    finds a ward, random categories, open statuses, received over the last 10 days with the
#    usual 7-day deadline (so some are overdue).
# 2. The release server starts on that database (it bulk-loads the tickets into its R-tree).
# 3. web/tests/perf/wall-perf.mjs opens /wall and measures the first render and, for
#    WALL_WRITES tickets filed through the API, the delay until the map has drawn them.
#
# Options: WALL_TICKETS (open tickets, default 100 000), WALL_CLOSED (besides them, that many
# tickets resolved 3–60 days ago, default 0: `WALL_TICKETS=500000 WALL_CLOSED=500000` is a city
# of a million tickets, half of them open), WALL_DB (database name), WALL_REUSE=1 (keep the
# database of an earlier run), WALL_PORT, WALL_SKIP_BUILD=1 (use the release build as it is),
# WALL_BIN (another server binary, e.g. main's, for a before/after run on the same data).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/pg-throwaway.sh
source scripts/pg-throwaway.sh
SERVER_PID=""
trap '[ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null; pg_throwaway_stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

N=${WALL_TICKETS:-100000}
PORT=${WALL_PORT:-18080}
ensure_cargo
ensure_cc
pg_ensure_database_url
have psql || die "psql is needed (apt-get install postgresql-client)"
CHROMIUM_PATH=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM_PATH" ] || { can_apt && apt_install chromium && CHROMIUM_PATH=$(command -v chromium); } || die "chromium is needed"

if [ "${WALL_SKIP_BUILD:-0}" = 1 ]; then
	log "WALL_SKIP_BUILD=1: using the release build as it is"
else
	log "web build; cargo build --release (which embeds web/dist)"
	(cd web && npm ci --no-audit --no-fund && npm run build)
	cargo build --release
fi

DB=${WALL_DB:-sb_wall_bench}
URL=$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.href)' "$DATABASE_URL" "$DB")
BIN=${WALL_BIN:-${CARGO_TARGET_DIR:-target}/release/switchboard}
CLOSED=${WALL_CLOSED:-0}
if [ "${WALL_REUSE:-0}" = 1 ] && psql "$URL" -tAc 'SELECT 1' >/dev/null 2>&1; then
	log "WALL_REUSE=1: keeping database $DB"
else
psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
log "demo city and history"
"$BIN" seed --database-url "$URL" --demo --tickets 300 >/dev/null
log "$N open tickets in one INSERT"
start=$SECONDS
psql "$URL" -v ON_ERROR_STOP=1 -q <<SQL
WITH pts AS (
    SELECT i, 107.95 + random() * 0.40 AS lon, 15.93 + random() * 0.22 AS lat
    FROM generate_series(1, $N * 3) AS i
), located AS (
    SELECT p.i, p.lon, p.lat, a.code AS area,
           row_number() OVER (ORDER BY p.i) AS n
    FROM pts p
    JOIN LATERAL (
        SELECT code FROM areas
        WHERE level = 'ward' AND valid_to IS NULL AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))
        ORDER BY code LIMIT 1
    ) a ON true
), cats AS (SELECT array_agg(code ORDER BY code) AS c FROM categories),
   statuses AS (SELECT ARRAY['received','assigned','accepted','in_progress','returned'] AS s)
INSERT INTO tickets (id, code, channel, category, description, lon, lat, area, priority, status,
                     received_at, deadline, updated_at, version)
SELECT gen_random_uuid(), 'DN-2001-' || lpad(l.n::text, 7, '0'), 'hotline',
       cats.c[1 + floor(random() * array_length(cats.c, 1))::int], 'Phản ánh thử tải', l.lon, l.lat, l.area,
       'normal', statuses.s[1 + floor(random() * 5)::int], r.at, r.at + interval '7 days', r.at, 1
FROM located l, cats, statuses,
     LATERAL (SELECT now() - random() * interval '10 days' + (l.i * 0)::int * interval '1 s' AS at) r
WHERE l.n <= $N;
-- WALL_CLOSED more, resolved 3–60 days ago (the same points again, shifted a little).
INSERT INTO tickets (id, code, channel, category, description, lon, lat, area, priority, status,
                     received_at, deadline, updated_at, resolved_at, version)
SELECT gen_random_uuid(), 'DN-2002-' || lpad(g.n::text, 7, '0'), 'hotline', t.category, 'Phản ánh thử tải (đã xử lý)',
       t.lon + (random() - 0.5) * 0.001, t.lat + (random() - 0.5) * 0.001, t.area, 'normal', 'resolved',
       r.at - interval '5 days', r.at + interval '2 days', r.at, r.at, 2
FROM generate_series(1, $CLOSED) AS g(n)
JOIN (SELECT row_number() OVER () AS k, category, lon, lat, area FROM tickets WHERE code LIKE 'DN-2001-%') t
  ON t.k = 1 + (g.n - 1) % GREATEST($N, 1),
     LATERAL (SELECT now() - interval '3 days' - random() * interval '57 days' + (g.n * 0)::int * interval '1 s' AS at) r;
-- The history a city's database holds: the overdue event of every open ticket past its deadline
-- (otherwise the server's overdue timer records them all at its start, a flood of live events
-- the wall would be measured under).
INSERT INTO events (ticket_id, kind, actor, at, data)
SELECT t.id, 'overdue', 'system', t.deadline, jsonb_build_object('id', t.id, 'status', t.status, 'version', t.version)
FROM tickets t
WHERE t.status IN ('received','assigned','accepted','in_progress','returned') AND t.deadline < now()
  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.ticket_id = t.id AND e.kind = 'overdue');
ANALYZE tickets;
SQL
log "inserted in $((SECONDS - start)) s: $(psql "$URL" -tAc "SELECT count(*) FROM tickets WHERE status IN ('received','assigned','accepted','in_progress','returned')") open tickets"
fi

log "server on 127.0.0.1:$PORT"
"$BIN" serve --database-url "$URL" --listen "127.0.0.1:$PORT" &
SERVER_PID=$!
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 1; done
curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null || die "the server did not start"

JAR=$(mktemp)
curl -fs -c "$JAR" -H 'content-type: application/json' -d '{"name":"operator","password":"switchboard-demo"}' "http://127.0.0.1:$PORT/api/v1/session" >/dev/null
log "nine z 11 ticket tiles over the city (gzip bytes each): $(for x in 1638 1639 1640; do for y in 930 931 932; do curl -fs -b "$JAR" -H 'accept-encoding: gzip' -o /dev/null -w '%{size_download} ' "http://127.0.0.1:$PORT/tiles/tickets/11/$x/$y"; done; done)"
ADMIN=$(mktemp)
curl -fs -c "$ADMIN" -H 'content-type: application/json' -d '{"name":"admin","password":"switchboard-demo"}' "http://127.0.0.1:$PORT/api/v1/session" >/dev/null
curl -fs -b "$ADMIN" -X DELETE -o /dev/null "http://127.0.0.1:$PORT/api/v1/tiles/cache" && log "tile cache emptied (the browser's first load is cold)"
rm -f "$ADMIN"
log "GET /api/v1/map/tickets: $(curl -fs -b "$JAR" -H 'accept-encoding: gzip' -o /dev/null -w '%{size_download} bytes gzipped in %{time_total} s' "http://127.0.0.1:$PORT/api/v1/map/tickets")"
rm -f "$JAR"
(cd web && WALL_URL="http://127.0.0.1:$PORT" CHROMIUM_PATH="$CHROMIUM_PATH" node tests/perf/wall-perf.mjs)
