#!/usr/bin/env bash
# Fault rehearsal: the primary dies under load and a streaming replica is promoted.
#
# For each MODE (default: "sync async"): a throwaway primary (fsync and synchronous_commit on)
# and a streaming replica made with `pg_basebackup -R -X stream`; in `sync` the primary has
# synchronous_standby_names='*' (a COMMIT returns only once the replica has flushed it), in
# `async` it has none. One `switchboard serve` on the primary's address takes reports
# (Idempotency-Key each, 503s and dropped connections retried with the same key) and a live
# client follows it. Then the primary is stopped `-m immediate` (a crash), the replica is
# promoted (`pg_ctl promote`) and restarted on the primary's port — what a floating address,
# a DNS switch or a pooler does in production: sqlx takes one host per URL (no libpq multi-host
# or target_session_attrs), so the server must be pointed at the new primary by address, or
# restarted with its URL. The server is not restarted here.
#
# Checked: how many acknowledged tickets the promoted replica lacks (sync: must be 0; async:
# measured and reported, not a failure); writes answer 201 again from the same process; no 500;
# in sync, the live client got every event of the new primary's outbox once and in order.
#
#   scripts/faults/replica-promote.sh        (MODES="sync async" RATE=10 BEFORE=8 AFTER=10)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need_pg

MODES=${MODES:-sync async}
RATE=${RATE:-10}
BEFORE=${BEFORE:-8}
AFTER=${AFTER:-10}

rehearse() { # MODE
	local mode=$1 d=$WORK/$1 pport rport url port base ssn load live server t_kill t_up S lost acked stored phantom
	mkdir -p "$d"
	is_root && chown postgres: "$d"
	pport=$(free_port 56400)
	rport=$(free_port 56450)
	ssn=""
	[ "$mode" = sync ] && ssn="*"
	pg_init "$d/primary"
	pg_start "$d/primary" "$pport" -c wal_level=replica
	psql_ "postgres://postgres@127.0.0.1:$pport/postgres" "CREATE DATABASE sb" >/dev/null
	url="postgres://postgres@127.0.0.1:$pport/sb"
	sb_prepare "$url"
	pg_as "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$pport" -U postgres -D "$d/replica" -R -X stream -c fast \
		>"$d/basebackup.log" 2>&1 || { cat "$d/basebackup.log" >&2; die "pg_basebackup failed"; }
	PG_DIRS+=("$d/replica")
	pg_start "$d/replica" "$rport"
	for _ in $(seq 1 50); do
		[ "$(psql_ "postgres://postgres@127.0.0.1:$pport/postgres" "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" = 1 ] && break
		sleep 0.2
	done
	# Only now that the standby streams: with no standby, a synchronous primary waits on every COMMIT.
	if [ -n "$ssn" ]; then
		psql_ "postgres://postgres@127.0.0.1:$pport/postgres" "ALTER SYSTEM SET synchronous_standby_names = '$ssn'" >/dev/null
		psql_ "postgres://postgres@127.0.0.1:$pport/postgres" "SELECT pg_reload_conf()" >/dev/null
		sleep 1
	fi
	echo "$mode: replication $(psql_ "postgres://postgres@127.0.0.1:$pport/postgres" "SELECT state || ', ' || sync_state FROM pg_stat_replication")"

	port=$(free_port 18800)
	base=http://127.0.0.1:$port
	sb_serve "$mode" "$port" "$url"
	sb_wait_ready "$port" || die "the server did not start (log: $WORK/$mode.log)"
	server=${SB_PID[$mode]}
	local start_seq
	start_seq=$(psql_ "$url" "SELECT coalesce(max(seq),0) FROM events")
	$FL live --urls "$base" --key "$KEY" --clients 1 --stop-file "$d/stop.live" --ready-file "$d/live.ready" \
		--drain 60 --out "$d/live.jsonl" &
	PIDS+=("$!")
	live=$!
	for _ in $(seq 1 100); do [ -f "$d/live.ready" ] && break; sleep 0.1; done
	$FL load --urls "$base" --key "$KEY" --rate "$RATE" --threads 4 --tag "promo-$mode-$$" --give-up 120 \
		--stop-file "$d/stop.load" --out "$d/load.jsonl" &
	PIDS+=("$!")
	load=$!
	sleep "$BEFORE"

	log "$mode: the primary dies (pg_ctl stop -m immediate); promoting the replica"
	t_kill=$(date +%s.%N)
	pg_stop "$d/primary" immediate
	pg_as "$PG_BIN/pg_ctl" -D "$d/replica" -w -t 60 promote >/dev/null
	# The floating address moves: the promoted replica takes over the primary's port.
	pg_stop "$d/replica" fast
	pg_start "$d/replica" "$pport"
	t_up=$(date +%s.%N)
	echo "$mode: the new primary answered on port $pport $(python3 -c "print(round($t_up-$t_kill,1))") s after the crash"
	sleep "$AFTER"
	touch "$d/stop.load"
	wait "$load"
	local t_end
	t_end=$(date +%s.%N)
	local end_seq
	end_seq=$(psql_ "$url" "SELECT coalesce(max(seq),0) FROM events")
	echo "$end_seq" >"$d/stop.live"
	wait "$live" || true
	psql_ "$url" "SELECT seq FROM events WHERE seq > $start_seq ORDER BY seq" >"$d/expected.seqs"

	S=$($FL summary "$d/load.jsonl")
	echo "$mode load: $S"
	$FL acked "$d/load.jsonl" >"$d/acked.ids"
	pg_ticket_ids "$url" >"$d/stored.ids"
	acked=$(wc -l <"$d/acked.ids")
	stored=$(wc -l <"$d/stored.ids")
	lost=$(missing_ids "$d/acked.ids" "$d/stored.ids" | wc -l)
	# What the running server still shows of the lost tickets (its memory predates the crash).
	phantom=0
	for id in $(missing_ids "$d/acked.ids" "$d/stored.ids"); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "$base/api/v1/tickets/$id")" = 200 ] && phantom=$((phantom + 1))
	done
	local after_w
	after_w=$($FL summary "$d/load.jsonl" --window "$(python3 -c "print($t_up + 3)"),$t_end" | jget in_window_by_status)
	local during_w
	during_w=$($FL summary "$d/load.jsonl" --window "$t_kill,$t_up" | jget in_window_by_status)
	echo "$mode: acknowledged $acked, on the promoted replica $stored, acknowledged but lost $lost (of which the running server still serves $phantom from memory)"
	echo "$mode: writes during the failover $during_w; from 3 s after the new primary was up: $after_w"
	if [ "$mode" = sync ]; then
		check "sync: no acknowledged ticket lost ($acked acknowledged, $lost lost)" [ "$lost" = 0 ]
	else
		CHECKS+=("INFO  async: $lost of $acked acknowledged tickets lost with the primary (measured, not a failure)")
	fi
	check "$mode: no 5xx other than 503 ($(jget status_500 <<<"$S"); $(jget status_503 <<<"$S") 503, $(jget no_answer <<<"$S") unanswered)" \
		[ "$(jget status_500 <<<"$S")" = 0 ]
	check "$mode: writes answer 201 again without restarting the server ($after_w)" \
		python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if d and set(d)=={"201"} else 1)' "$after_w"
	check "$mode: same server process throughout" kill -0 "$server"
	local live_ok=0
	comm -12 <(sort "$d/acked.ids") <(sort "$d/stored.ids") >"$d/acked-stored.ids"
	$FL checklive --log "$d/live.jsonl" --expected "$d/expected.seqs" --after "$start_seq" --acked "$d/acked-stored.ids" \
		>"$d/live.check" 2>&1 || live_ok=1
	cat "$d/live.check"
	if [ "$mode" = sync ]; then
		check "sync: the live client got every event of the new primary once, in order" [ "$live_ok" = 0 ]
	else
		CHECKS+=("INFO  async: live client vs the promoted replica's outbox: $(tail -n1 "$d/live.check")")
	fi
	log_digest "$WORK/$mode.log" 6
	kill "$server" 2>/dev/null || true
	wait "$server" 2>/dev/null || true
	pg_stop "$d/replica" immediate || true
}

for mode in $MODES; do
	case $mode in sync | async) rehearse "$mode" ;; *) die "unknown mode $mode (sync, async)" ;; esac
done
summary "replica-promote"
