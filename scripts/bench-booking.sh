#!/usr/bin/env bash
# `make bench-booking`: a booking window opening (a thousand people pressing "book" at 07:00 for
# the same morning), release build, on each store, beside the same transaction run straight in
# PostgreSQL by pgbench.
#
# 1. For each store (a fresh SQLite file; a fresh PostGIS database BOOKING_DB): `switchboard
#    serve --demo --demo-tickets 0`, an office BENCH-CENTRE open 07:00–11:30 every day (no
#    holidays: a calendar file without any) whose service takes BOOKING_CAPACITY people every 15
#    minutes (18 slots), then `switchboard bench booking --people BOOKING_PEOPLE --tries 3`:
#    bookings/s, request and per-person latency, and the office's own list checked against the
#    capacity.
# 2. The peer: pgbench on the same PostGIS database, BOOKING_PEOPLE transactions on
#    BOOKING_PG_CLIENTS connections, each the store's booking transaction for a random slot of
#    another morning of the same office (take a place in the slot and in the person's day with
#    the same conditional UPDATEs, insert the booking only when both were taken), as tps and
#    latency percentiles from pgbench's per-transaction log.
# BOOKING_PORT sets the server's port; BOOKING_BIN another binary (with BOOKING_SKIP_BUILD=1).
# Results: a summary on stdout, JSON in target/bench-booking/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
SERVER_PID=""
WORK=$(mktemp -d)
stop_server() {
	[ -z "$SERVER_PID" ] || { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
	SERVER_PID=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PEOPLE=${BOOKING_PEOPLE:-1000}
CAPACITY=${BOOKING_CAPACITY:-50}
PG_CLIENTS=${BOOKING_PG_CLIENTS:-64}
PORT=${BOOKING_PORT:-18094}
DB=${BOOKING_DB:-sb_bench_booking}
OUT=target/bench-booking
mkdir -p "$OUT"
ensure_cargo
have curl || die "curl is needed"
have python3 || die "python3 is needed"
[ -n "${DATABASE_URL:-}" ] || die "DATABASE_URL must name a PostGIS server (postgres://…/postgres)"
have pgbench || die "pgbench is needed (postgresql-client)"

if [ "${BOOKING_SKIP_BUILD:-0}" != 1 ]; then
	log "cargo build --release"
	cargo build --release --bin switchboard
fi
BIN="$WORK/switchboard"
cp "${BOOKING_BIN:-target/release/switchboard}" "$BIN"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo '{"name": "none", "holidays": []}' >"$WORK/holidays.json"
PG_DB_URL="${DATABASE_URL%/*}/$DB"

office_json() {
	python3 - "$CAPACITY" <<'EOF'
import json, sys
day = [["07:00", "11:30"]]
hours = {d: day for d in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}
print(json.dumps({"id": "BENCH-CENTRE", "name": "Trung tâm thử tải", "address": "24 Trần Phú", "lon": 108.2214, "lat": 16.0771,
    "counters": 12, "hours": hours, "days_ahead": 6, "per_person_per_day": 2,
    "services": [{"id": "thu-tuc", "name": "Thủ tục hành chính", "procedures": [], "slot_minutes": 15, "capacity": int(sys.argv[1])}]}))
EOF
}

run_store() { # name database-url
	local name=$1 url=$2 base="http://127.0.0.1:$PORT"
	log "$name: serve --demo"
	"$BIN" serve --demo --demo-tickets 0 --listen "127.0.0.1:$PORT" --database-url "$url" --holidays "$WORK/holidays.json" \
		>"$OUT/server-$name.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 1 120); do curl -sf "$base/readyz" >/dev/null && break; sleep 1; done
	curl -sf "$base/readyz" >/dev/null || die "the server did not start (see $OUT/server-$name.log)"
	curl -sf -c "$WORK/cj" -H 'content-type: application/json' -d '{"name":"admin","password":"switchboard-demo"}' \
		"$base/api/v1/session" >/dev/null
	office_json | curl -sf -b "$WORK/cj" -X PUT -H 'content-type: application/json' --data @- \
		"$base/api/v1/offices/BENCH-CENTRE" >/dev/null
	log "$name: bench booking --people $PEOPLE"
	"$BIN" bench booking --url "$base" --office BENCH-CENTRE --service thu-tuc --people "$PEOPLE" --tries 3 \
		--user operator --password switchboard-demo --json | tee "$OUT/$name.json"
	stop_server
}

run_store sqlite "sqlite://$WORK/booking.db"
psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
run_store postgis "$PG_DB_URL"

log "pgbench: $PEOPLE booking transactions on $PG_CLIENTS connections, straight in PostgreSQL"
cat >"$WORK/book.sql" <<EOF
\set slot random(0, 17)
\set person random(1, 1000000000)
BEGIN;
INSERT INTO slot_loads (office_id, service_id, starts_at, booked)
  VALUES ('BENCH-CENTRE', 'thu-tuc', (current_date + 8)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' + interval '7 hours' + :slot * interval '15 minutes', 0) ON CONFLICT DO NOTHING;
INSERT INTO person_day_loads (office_id, person_key, day, booked)
  VALUES ('BENCH-CENTRE', sha256(:person::text::bytea), current_date + 8, 0) ON CONFLICT DO NOTHING;
WITH took AS (
  UPDATE slot_loads SET booked = booked + 1
    WHERE office_id = 'BENCH-CENTRE' AND service_id = 'thu-tuc' AND starts_at = (current_date + 8)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' + interval '7 hours' + :slot * interval '15 minutes' AND booked < $CAPACITY
    RETURNING starts_at
), person AS (
  UPDATE person_day_loads SET booked = booked + 1
    WHERE office_id = 'BENCH-CENTRE' AND person_key = sha256(:person::text::bytea) AND day = current_date + 8 AND booked < 2
      AND EXISTS (SELECT 1 FROM took)
    RETURNING 1
)
INSERT INTO bookings (id, code, office_id, service_id, starts_at, ends_at, status, name, phone, medium, recipient, lang,
  person_key, token_hash, channel, created_by, created_at, updated_at)
  SELECT gen_random_uuid(), 'LH-' || upper(substr(md5(random()::text), 1, 8)), 'BENCH-CENTRE', 'thu-tuc', took.starts_at,
    took.starts_at + interval '15 minutes', 'booked', 'Người đặt', '09' || lpad((:person % 100000000)::text, 8, '0'), 'sms',
    '09' || lpad((:person % 100000000)::text, 8, '0'), 'vi', sha256(:person::text::bytea), sha256(random()::text::bytea),
    'console', 'pgbench', now(), now()
  FROM took, person;
COMMIT;
EOF
PER_CLIENT=$(((PEOPLE + PG_CLIENTS - 1) / PG_CLIENTS))
(cd "$WORK" && pgbench -n -c "$PG_CLIENTS" -j 2 -t "$PER_CLIENT" -f book.sql -l --log-prefix=pgb "$PG_DB_URL" >"$ROOT/$OUT/pgbench.txt" 2>&1) ||
	die "pgbench failed (see $OUT/pgbench.txt)"
cat "$WORK"/pgb* | python3 -c '
import json, sys
lat = sorted(int(l.split()[2]) / 1000 for l in sys.stdin if l.strip())
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
print(json.dumps({"transactions": len(lat), "p50_ms": q(0.5), "p90_ms": q(0.9), "p99_ms": q(0.99), "max_ms": lat[-1]}))
' | tee "$OUT/pgbench-latency.json"
grep -E "tps|latency average|number of transactions actually processed" "$OUT/pgbench.txt" || true
psql "$PG_DB_URL" -Atc "SELECT 'pgbench: ' || sum(n) || ' bookings in ' || count(*) || ' slots, most in a slot ' || max(n) FROM (SELECT starts_at, count(*) n FROM bookings WHERE created_by = 'pgbench' GROUP BY starts_at) x"
psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
