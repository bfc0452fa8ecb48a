#!/usr/bin/env bash
# `make bench-flood`: a flood of public reports from one address, with wrk (Debian's package).
#
# The release server runs the demo city on a fresh SQLite file with the default limits (per
# address: a burst of 20, then 60 an hour). wrk POSTs reports from 127.0.0.1 for FLOOD_SECS with
# FLOOD_CONNS connections (scripts/flood.lua counts the answers by status); meanwhile a citizen at
# another address (127.0.0.2) and the operator each file one report. Afterwards the store must
# hold exactly the flood's 201s plus those two: nothing lost, nothing extra.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
SERVER_PID=""
DIR=$(mktemp -d)
trap '[ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null; rm -rf "$DIR"' EXIT

PORT=${FLOOD_PORT:-18090}
SECS=${FLOOD_SECS:-20}
CONNS=${FLOOD_CONNS:-64}
BIN=${SWITCHBOARD_BIN:-target/release/switchboard}
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
have wrk || { can_apt && apt_install wrk; } || die "wrk is needed (apt-get install wrk)"
have curl || die "curl is needed"
if [ -z "${SWITCHBOARD_BIN:-}" ]; then
	ensure_cargo
	log "cargo build --release"
	cargo build --release
fi

BASE=http://127.0.0.1:$PORT
! curl -fsS "$BASE/readyz" >/dev/null 2>&1 || die "port $PORT is taken (FLOOD_PORT=… to use another)"
(cd "$DIR" && exec env -u DATABASE_URL "$BIN" serve --demo --demo-tickets 0 --listen "127.0.0.1:$PORT" >"$DIR/server.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 1 120); do curl -fsS "$BASE/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "$BASE/readyz" >/dev/null || die "the server did not start (see $DIR/server.log)"
JAR="$DIR/cookies"
curl -fsS -c "$JAR" -H 'content-type: application/json' \
	-d '{"name":"operator","password":"switchboard-demo"}' "$BASE/api/v1/session" >/dev/null

report='{"category":"pothole","description":"Ổ gà trước nhà số 5","location":{"lon":108.2208,"lat":16.0678}}'
log "wrk: $CONNS connections for $SECS s, all from 127.0.0.1"
wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s scripts/flood.lua "$BASE/api/v1/tickets" >"$DIR/wrk.txt" &
WRK=$!
sleep $((SECS / 2))
other=$(curl -sS -o /dev/null -w '%{http_code} in %{time_total} s' --interface 127.0.0.2 -H 'content-type: application/json' -d "$report" "$BASE/api/v1/tickets")
staff=$(curl -sS -o /dev/null -w '%{http_code} in %{time_total} s' -b "$JAR" -H 'content-type: application/json' -d "$report" "$BASE/api/v1/tickets")
wait "$WRK"
cat "$DIR/wrk.txt"
created=$(awk '/^status 201:/ {print $3}' "$DIR/wrk.txt")
created=${created:-0}
count() { python3 -c 'import json, sys; print(eval("json.load(sys.stdin)" + sys.argv[1]))' "$1"; }
stored=$(curl -fsS -b "$JAR" "$BASE/api/v1/tickets?limit=500" | count '["items"].__len__()')
counted=$(curl -fsS -b "$JAR" "$BASE/api/v1/kpis" | count '["total"]["open"]')
echo "the key figures count $counted open"
echo "another address during the flood: HTTP $other; the operator: HTTP $staff"
echo "flood 201s: $created; open tickets stored: $stored (expected $((created + 2)))"
[ "${other%% *}" = 201 ] && [ "${staff%% *}" = 201 ] && [ "$stored" = $((created + 2)) ] || die "the flood cost a report or added one"
grep -c ' 500 \|panicked' "$DIR/server.log" >/dev/null && die "the server logged errors" || true
log "ok"
