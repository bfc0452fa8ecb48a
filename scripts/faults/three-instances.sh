#!/usr/bin/env bash
# Fault rehearsal: three `switchboard serve` instances on one PostGIS, clients spread over them.
#
# A throwaway PostGIS cluster, the demo city, an admin API key; instances A, B and C on three
# ports, and nginx in front of them (scripts/faults/nginx-three.conf, round robin, WebSocket
# upgrade) when nginx is installed. WebSocket clients of /api/v1/live: CLIENTS_PER on each
# instance directly and CLIENTS_PER through the proxy. COUNT reports are filed round robin on
# A, B, C and the proxy (RATE a second, four in flight).
#
# Checked: every client received every event of the outbox after it subscribed — each exactly
# once and in seq order — and a ticket.created event for every acknowledged report, whichever
# instance filed it; every 201 is stored; no 5xx; through the proxy, requests reached all
# three instances.
#
#   scripts/faults/three-instances.sh          (COUNT=300 RATE=15 CLIENTS_PER=3)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need_pg

COUNT=${COUNT:-300}
RATE=${RATE:-15}
CLIENTS_PER=${CLIENTS_PER:-3}

PGPORT=$(free_port 56300)
pg_init "$WORK/pg"
pg_start "$WORK/pg" "$PGPORT"
psql_ "postgres://postgres@127.0.0.1:$PGPORT/postgres" "CREATE DATABASE sb" >/dev/null
URL="postgres://postgres@127.0.0.1:$PGPORT/sb"
sb_prepare "$URL"

declare -A PORT_OF=()
PORT_OF[a]=$(free_port 18600)
PORT_OF[b]=$(free_port 18620)
PORT_OF[c]=$(free_port 18640)
# A first (it runs the migrations), then B and C together.
sb_serve a "${PORT_OF[a]}" "$URL" --trusted-proxy 127.0.0.1/32
sb_wait_ready "${PORT_OF[a]}" || die "instance a did not start (log: $WORK/a.log)"
sb_serve b "${PORT_OF[b]}" "$URL" --trusted-proxy 127.0.0.1/32
sb_serve c "${PORT_OF[c]}" "$URL" --trusted-proxy 127.0.0.1/32
sb_wait_ready "${PORT_OF[b]}" || die "instance b did not start (log: $WORK/b.log)"
sb_wait_ready "${PORT_OF[c]}" || die "instance c did not start (log: $WORK/c.log)"
A=http://127.0.0.1:${PORT_OF[a]}
B=http://127.0.0.1:${PORT_OF[b]}
C=http://127.0.0.1:${PORT_OF[c]}
log "instances on ${PORT_OF[a]}, ${PORT_OF[b]}, ${PORT_OF[c]} over PostgreSQL on $PGPORT"

PROXY=""
NGINX=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null || true)
if [ -n "$NGINX" ]; then
	PPORT=$(free_port 18700)
	mkdir -p "$WORK/nginx"
	sed -e "s#@RUN@#$WORK/nginx#g" -e "s#@PORT_A@#${PORT_OF[a]}#" -e "s#@PORT_B@#${PORT_OF[b]}#" \
		-e "s#@PORT_C@#${PORT_OF[c]}#" -e "s#@PORT_PROXY@#$PPORT#" "$FAULTS_DIR/nginx-three.conf" >"$WORK/nginx/nginx.conf"
	"$NGINX" -t -q -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" 2>"$WORK/nginx/check.log" ||
		{ cat "$WORK/nginx/check.log" >&2; die "nginx refused the configuration"; }
	"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" 2>>"$WORK/nginx/error.log" &
	PIDS+=("$!")
	PROXY=http://127.0.0.1:$PPORT
	for _ in $(seq 1 50); do curl -fsS -o /dev/null "$PROXY/readyz" 2>/dev/null && break; sleep 0.1; done
	curl -fsS -o /dev/null "$PROXY/readyz" || die "nginx does not answer on $PPORT"
	log "nginx $("$NGINX" -v 2>&1 | sed 's/.*\///') on $PPORT in front of the three"
else
	log "nginx is not installed: clients connect to the instances directly (apt-get install nginx-light for the proxy)"
fi

URLS="$A,$B,$C${PROXY:+,$PROXY}"
N_TARGETS=$(tr ',' '\n' <<<"$URLS" | wc -l)
START_SEQ=$(psql_ "$URL" "SELECT coalesce(max(seq),0) FROM events")
$FL live --urls "$URLS" --key "$KEY" --clients $((CLIENTS_PER * N_TARGETS)) --stop-file "$WORK/stop.live" \
	--ready-file "$WORK/live.ready" --drain 60 --out "$WORK/live.jsonl" &
PIDS+=("$!")
LIVE=$!
for _ in $(seq 1 200); do [ -f "$WORK/live.ready" ] && break; sleep 0.1; done
[ -f "$WORK/live.ready" ] || die "the live clients did not subscribe"

log "filing $COUNT reports on $URLS at $RATE/s"
T0=$(date +%s.%N)
$FL load --urls "$URLS" --key "$KEY" --count "$COUNT" --rate "$RATE" --threads 4 --tag "three$$" --out "$WORK/load.jsonl"
T1=$(date +%s.%N)
END_SEQ=$(psql_ "$URL" "SELECT coalesce(max(seq),0) FROM events")
echo "$END_SEQ" >"$WORK/stop.live"
wait "$LIVE" || true
T2=$(date +%s.%N)
psql_ "$URL" "SELECT seq FROM events WHERE seq > $START_SEQ ORDER BY seq" >"$WORK/expected.seqs"

# ---- checks ------------------------------------------------------------------------------------
S=$($FL summary "$WORK/load.jsonl")
echo "load: $S (filed in $(python3 -c "print(round($T1-$T0,1))") s; the clients had everything $(python3 -c "print(round($T2-$T1,1))") s later)"
$FL acked "$WORK/load.jsonl" >"$WORK/acked.ids"
pg_ticket_ids "$URL" >"$WORK/stored.ids"
ACKED=$(wc -l <"$WORK/acked.ids")
STORED=$(wc -l <"$WORK/stored.ids")
LOST=$(missing_ids "$WORK/acked.ids" "$WORK/stored.ids" | wc -l)
echo "per instance: $(python3 - "$WORK/load.jsonl" <<'EOF'
import json, sys, collections
c = collections.Counter(json.loads(l)["url"].split("/api")[0] for l in open(sys.argv[1]) if '"status": 201' in l)
print(", ".join(f"{u}: {n} filed" for u, n in sorted(c.items())))
EOF
)"
check "all $COUNT reports acknowledged ($ACKED)" [ "$ACKED" = "$COUNT" ]
check "every acknowledged ticket stored, none twice ($ACKED acknowledged, $STORED stored, $LOST missing)" \
	eval "[ $LOST = 0 ] && [ $STORED = $ACKED ]"
check "no 5xx ($(jget status_500 <<<"$S") 500, $(jget status_503 <<<"$S") 503)" \
	eval "[ $(jget status_500 <<<"$S") = 0 ] && [ $(jget status_503 <<<"$S") = 0 ]"
if $FL checklive --log "$WORK/live.jsonl" --expected "$WORK/expected.seqs" --after "$START_SEQ" --acked "$WORK/acked.ids" >"$WORK/live.check"; then
	live_ok=0
else
	live_ok=1
fi
cat "$WORK/live.check"
check "every client saw every event once and in seq order, and every acknowledged ticket ($(tail -n1 "$WORK/live.check"))" [ "$live_ok" = 0 ]
if [ -n "$PROXY" ]; then
	DIST=$(awk '$2 ~ /127.0.0.1/ { split($2, a, ":"); n[a[2]]++ } END { for (p in n) printf "%s:%d ", p, n[p] }' "$WORK/nginx/access.log")
	echo "requests through nginx by instance port: $DIST"
	check "through nginx, requests reached all three instances ($DIST)" [ "$(wc -w <<<"$DIST")" = 3 ]
fi
for n in a b c; do log_digest "$WORK/$n.log" 3; done
summary "three-instances"
