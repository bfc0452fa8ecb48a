#!/usr/bin/env bash
# Fault rehearsal: `switchboard serve` killed with SIGKILL at random moments under write load,
# KILLS times in a row, on the embedded SQLite store and on PostGIS.
#
# For each store: the demo city seeded, an admin API key, then a load client filing reports
# (POST /api/v1/tickets, an Idempotency-Key each, retried with the same key when the answer is
# a 503 or no answer at all — the server is dead between a kill and the next start). The loop:
# start the server, wait for /readyz, let it take writes for a random 0.5–3 s, `kill -9`. After
# the last kill the server is started once more and the load drains.
#
# Checked: the server started every time (and how long it took); every 201's ticket is stored;
# no report was stored twice (the retries with the same key after a kill found the first
# ticket); no 500; SQLite's `PRAGMA integrity_check` says ok after the loop.
#
#   scripts/faults/sigkill-loop.sh              (KILLS=20 STORES="sqlite postgis" RATE=10)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

KILLS=${KILLS:-20}
STORES=${STORES:-sqlite postgis}
RATE=${RATE:-10}

rehearse() { # NAME URL
	local name=$1 url=$2 port base k pid t0 t1 starts=0 load ready_times=() lost stored acked S
	port=$(free_port 18400)
	base=http://127.0.0.1:$port
	sb_prepare "$url"
	log "$name: $KILLS kills under $RATE reports/s"
	$FL load --urls "$base" --key "$KEY" --rate "$RATE" --threads 4 --tag "kill-$name-$$" --give-up 120 \
		--stop-file "$WORK/stop.$name" --out "$WORK/load.$name.jsonl" &
	PIDS+=("$!")
	load=$!
	for ((k = 1; k <= KILLS + 1; k++)); do
		t0=$(date +%s%N)
		sb_serve "$name" "$port" "$url"
		pid=${SB_PID[$name]}
		if ! sb_wait_ready "$port" 60; then
			echo "$name: start $k did not become ready in 60 s"
			kill -9 "$pid" 2>/dev/null || true
			break
		fi
		t1=$(date +%s%N)
		starts=$((starts + 1))
		ready_times+=("$(((t1 - t0) / 1000000))")
		[ "$k" -le "$KILLS" ] || break
		sleep "$(python3 -c 'import random; print(round(random.uniform(0.5, 3.0), 2))')"
		kill -9 "$pid"
		wait "$pid" 2>/dev/null || true
	done
	sleep 3
	touch "$WORK/stop.$name"
	wait "$load"
	kill "${SB_PID[$name]}" 2>/dev/null || true
	wait "${SB_PID[$name]}" 2>/dev/null || true

	S=$($FL summary "$WORK/load.$name.jsonl")
	echo "$name load: $S"
	$FL acked "$WORK/load.$name.jsonl" >"$WORK/acked.$name"
	if [ "$name" = sqlite ]; then sqlite_ticket_ids "${url#sqlite:}" >"$WORK/stored.$name"; else pg_ticket_ids "$url" >"$WORK/stored.$name"; fi
	acked=$(wc -l <"$WORK/acked.$name")
	stored=$(wc -l <"$WORK/stored.$name")
	lost=$(missing_ids "$WORK/acked.$name" "$WORK/stored.$name" | wc -l)
	echo "$name: started $starts of $((KILLS + 1)) times; ms from spawn to ready: ${ready_times[*]}"
	echo "$name: acknowledged $acked, stored $stored, acknowledged but missing $lost"
	check "$name: the server started every time ($starts of $((KILLS + 1)), slowest $(printf '%s\n' "${ready_times[@]}" | sort -n | tail -1) ms)" \
		[ "$starts" = $((KILLS + 1)) ]
	check "$name: every acknowledged ticket stored ($acked acknowledged, $lost missing)" [ "$lost" = 0 ]
	check "$name: no report stored twice ($stored stored, $acked acknowledged, $(jget gave_up <<<"$S") given up)" [ "$stored" = "$acked" ]
	check "$name: no 5xx other than 503 ($(jget status_500 <<<"$S"); $(jget status_503 <<<"$S") 503, $(jget no_answer <<<"$S") unanswered attempts)" \
		[ "$(jget status_500 <<<"$S")" = 0 ]
	check "$name: an idempotency key never gave two tickets ($(jget key_with_two_ids <<<"$S"))" [ "$(jget key_with_two_ids <<<"$S")" = 0 ]
	if [ "$name" = sqlite ]; then
		local ic
		ic=$(sqlite_integrity "${url#sqlite:}")
		echo "sqlite: PRAGMA integrity_check: $ic"
		check "sqlite: PRAGMA integrity_check = ok ($ic)" [ "$ic" = ok ]
	fi
	log_digest "$WORK/$name.log"
}

for store in $STORES; do
	case $store in
	sqlite)
		mkdir -p "$WORK/sqlite-db"
		rehearse sqlite "sqlite:$WORK/sqlite-db/sb.db"
		;;
	postgis)
		need_pg
		PGPORT=$(free_port 56200)
		pg_init "$WORK/pg"
		pg_start "$WORK/pg" "$PGPORT"
		psql_ "postgres://postgres@127.0.0.1:$PGPORT/postgres" "CREATE DATABASE sb" >/dev/null
		rehearse postgis "postgres://postgres@127.0.0.1:$PGPORT/sb"
		;;
	*) die "unknown store $store (sqlite, postgis)" ;;
	esac
done
summary "sigkill-loop ($KILLS kills per store)"
