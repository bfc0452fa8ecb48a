#!/usr/bin/env bash
# Fault rehearsal: PostgreSQL restarted (fast, then immediate) while reports stream in.
#
# A throwaway PostGIS cluster (initdb, a free port, fsync and synchronous_commit on) and one
# `switchboard serve` on it. Reports are filed through POST /api/v1/tickets with an admin API
# key, each with its own Idempotency-Key; a 503 or a dropped connection is retried with the same
# key (Retry-After honoured up to 1 s). /readyz is polled every 0.25 s; two WebSocket clients
# follow /api/v1/live. Meanwhile the cluster is stopped `-m fast`, left down OUTAGE seconds and
# started, then the same with `-m immediate` (a crash: recovery replays the WAL).
#
# Checked: every 201 (its ticket id) is in the database and no report was stored twice; no 500
# and every 503 carries Retry-After; no request hung past 15 s; /readyz answered non-200 during
# each outage and 200 again after it; the same server process recovered by itself (writes
# answer 201 again); each live client received every event of the outbox, once, in seq order.
#
#   scripts/faults/pg-restart.sh            (OUTAGE=15 RATE=8)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need_pg

OUTAGE=${OUTAGE:-15}
RATE=${RATE:-8}

PGPORT=$(free_port 56100)
pg_init "$WORK/pg"
pg_start "$WORK/pg" "$PGPORT"
psql_ "postgres://postgres@127.0.0.1:$PGPORT/postgres" "CREATE DATABASE sb" >/dev/null
URL="postgres://postgres@127.0.0.1:$PGPORT/sb"
log "PostgreSQL $(pg_as "$PG_BIN/postgres" --version | awk '{print $3}') on port $PGPORT; seeding the demo city"
sb_prepare "$URL"

PORT=$(free_port 18300)
BASE=http://127.0.0.1:$PORT
sb_serve a "$PORT" "$URL"
sb_wait_ready "$PORT" || die "the server did not start (log: $WORK/a.log)"
SERVER=${SB_PID[a]}
START_SEQ=$(psql_ "$URL" "SELECT coalesce(max(seq),0) FROM events")

$FL poll --url "$BASE/readyz" --stop-file "$WORK/stop.poll" --out "$WORK/readyz.jsonl" &
PIDS+=("$!")
POLL=$!
$FL live --urls "$BASE" --key "$KEY" --clients 2 --stop-file "$WORK/stop.live" --ready-file "$WORK/live.ready" \
	--drain 60 --out "$WORK/live.jsonl" &
PIDS+=("$!")
LIVE=$!
for _ in $(seq 1 100); do [ -f "$WORK/live.ready" ] && break; sleep 0.1; done
[ -f "$WORK/live.ready" ] || die "the live clients did not subscribe"

log "load: $RATE reports/s, 4 in flight"
$FL load --urls "$BASE" --key "$KEY" --rate "$RATE" --threads 4 --tag "pgr$$" --give-up 120 \
	--stop-file "$WORK/stop.load" --out "$WORK/load.jsonl" &
PIDS+=("$!")
LOAD=$!

WINDOWS=()
outage() { # MODE
	local t0 t1
	log "pg_ctl stop -m $1, down for $OUTAGE s"
	pg_stop "$WORK/pg" "$1"
	t0=$(date +%s.%N)
	sleep "$OUTAGE"
	t1=$(date +%s.%N)
	pg_start "$WORK/pg" "$PGPORT"
	log "PostgreSQL is back"
	WINDOWS+=("$1:$t0,$t1")
}
sleep 6
outage fast
sleep 10
outage immediate
sleep 12
touch "$WORK/stop.load"
wait "$LOAD"
T_END=$(date +%s.%N)
sleep 1
touch "$WORK/stop.poll"
wait "$POLL"

END_SEQ=$(psql_ "$URL" "SELECT coalesce(max(seq),0) FROM events")
echo "$END_SEQ" >"$WORK/stop.live"
wait "$LIVE" || true
psql_ "$URL" "SELECT seq FROM events WHERE seq > $START_SEQ ORDER BY seq" >"$WORK/expected.seqs"

# ---- checks ------------------------------------------------------------------------------------
S=$($FL summary "$WORK/load.jsonl")
echo "load: $S"
$FL acked "$WORK/load.jsonl" >"$WORK/acked.ids"
pg_ticket_ids "$URL" >"$WORK/stored.ids"
ACKED=$(wc -l <"$WORK/acked.ids")
STORED=$(wc -l <"$WORK/stored.ids")
LOST=$(missing_ids "$WORK/acked.ids" "$WORK/stored.ids" | wc -l)
echo "acknowledged: $ACKED, stored: $STORED, acknowledged but missing: $LOST"
check "every acknowledged ticket is stored ($ACKED acknowledged, $LOST missing)" [ "$LOST" = 0 ]
check "no report stored twice ($STORED stored for $ACKED acknowledged, $(jget gave_up <<<"$S") given up)" \
	[ "$STORED" = "$ACKED" ]
check "no 5xx other than 503 ($(jget status_500 <<<"$S"))" [ "$(jget status_500 <<<"$S")" = 0 ]
check "every 503 has Retry-After ($(jget status_503 <<<"$S") 503s, $(jget status_503_without_retry_after <<<"$S") without)" \
	[ "$(jget status_503_without_retry_after <<<"$S")" = 0 ]
check "no request unanswered or over 15 s ($(jget no_answer <<<"$S") unanswered, slowest $(jget max_ms <<<"$S") ms)" \
	[ "$(jget no_answer <<<"$S")" = 0 ]
check "no report abandoned ($(jget gave_up <<<"$S"))" [ "$(jget gave_up <<<"$S")" = 0 ]

echo "readyz runs: $(poll_runs "$WORK/readyz.jsonl")"
for w in "${WINDOWS[@]}"; do
	mode=${w%%:*}
	range=${w#*:}
	read -r during ok_during answered first_ok <<<"$(python3 - "$WORK/readyz.jsonl" "$range" <<'EOF'
import json, sys
t0, t1 = (float(x) for x in sys.argv[2].split(","))
polls = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
inside = [p for p in polls if p["t"] >= t0 and p["t"] + p["ms"] / 1000 <= t1]
after = [p for p in polls if p["t"] >= t1 and p["status"] == 200]
print(len(inside), sum(1 for p in inside if p["status"] == 200), sum(1 for p in inside if p["status"] != 0),
      round(after[0]["t"] - t1, 2) if after else -1)
EOF
)"
	echo "outage ($mode): $during readyz polls (3 s timeout) while PostgreSQL was down: $ok_during said 200, $answered answered at all; ready again ${first_ok} s after it was started"
	check "readyz not ready while PostgreSQL was down ($mode: $ok_during of $during polls said 200)" \
		eval "[ $during -gt 0 ] && [ $ok_during = 0 ]"
	check "readyz answered (503) within 3 s while PostgreSQL was down ($mode: $answered of $during polls answered)" \
		eval "[ $during -gt 0 ] && [ $answered = $during ]"
	check "readyz ready again after the $mode outage (${first_ok} s after start)" [ "$first_ok" != -1 ]
	W=$($FL summary "$WORK/load.jsonl" --window "$range")
	echo "  writes started during the $mode outage: $(jget in_window_by_status <<<"$W")"
	# Writes after the outage, until the next one (or the end): the server recovered by itself.
	T_AFTER=$(python3 -c "import sys; print(float(sys.argv[1].split(',')[1]) + 1)" "$range")
	T_NEXT=$T_END
	[ "$mode" = fast ] && T_NEXT=$(python3 -c "import sys; print(float(sys.argv[1].split(':')[1].split(',')[0]))" "${WINDOWS[1]}")
	A=$($FL summary "$WORK/load.jsonl" --window "$T_AFTER,$T_NEXT")
	echo "  writes from 1 s after the $mode outage to the $([ "$mode" = fast ] && echo "next one" || echo end): $(jget in_window_by_status <<<"$A")"
done
check "the same server process served throughout (pid $SERVER alive)" kill -0 "$SERVER"
LAST=$($FL summary "$WORK/load.jsonl" --window "$(python3 -c "import sys; print(float(sys.argv[1]) - 10)" "$T_END"),$T_END")
check "writes succeed after recovery without restart (last 10 s: $(jget in_window_by_status <<<"$LAST"))" \
	python3 -c 'import json,sys; d=json.loads(sys.argv[1])["in_window_by_status"]; sys.exit(0 if d.get("201",0)>0 and set(d)=={"201"} else 1)' "$LAST"
if $FL checklive --log "$WORK/live.jsonl" --expected "$WORK/expected.seqs" --after "$START_SEQ" --acked "$WORK/acked.ids" >"$WORK/live.check"; then
	live_ok=0
else
	live_ok=1
fi
cat "$WORK/live.check"
check "live clients received every event once, in order, through both outages" [ "$live_ok" = 0 ]
log_digest "$WORK/a.log"
summary "pg-restart"
