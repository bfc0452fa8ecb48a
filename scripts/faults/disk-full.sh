#!/usr/bin/env bash
# Fault rehearsal: the disk under the embedded store fills up mid-stream, then space returns.
#
# As root: a small ext4 filesystem (a loop-mounted image of DISK_MB MiB, no reserved blocks;
# a size-limited tmpfs when loop devices are refused) holds the SQLite database and the photo
# directory. The server takes reports (POST /api/v1/tickets, an Idempotency-Key each, 503s
# retried with the same key), reads (GET /api/v1/tickets?limit=5, /readyz, every 0.25 s) and a
# photo upload every second. Then `dd` fills the filesystem to the last block, the disk stays
# full HOLD seconds, the filler is deleted, the load goes on RECOVER seconds.
#
# Checked: while full, writes answer 201 or 503 with Retry-After — no 500, nothing unanswered
# or slower than 15 s; photo uploads the same; reads answer 200; after the space returns writes
# answer 201 again from the same process; every acknowledged ticket is stored, none twice;
# PRAGMA integrity_check is ok; the server starts again on the same files.
#
#   sudo scripts/faults/disk-full.sh           (DISK_MB=64 HOLD=20 RECOVER=12 RATE=8)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
is_root || die "disk-full.sh mounts a small filesystem: run it as root"

DISK_MB=${DISK_MB:-64}
HOLD=${HOLD:-20}
RECOVER=${RECOVER:-12}
RATE=${RATE:-8}

SMALL=$WORK/small
mkdir -p "$SMALL"
truncate -s "${DISK_MB}M" "$WORK/disk.img"
if mkfs.ext4 -q -m 0 "$WORK/disk.img" && mount -o loop "$WORK/disk.img" "$SMALL" 2>/dev/null; then
	FS="ext4 on a loop device, ${DISK_MB} MiB"
else
	mount -t tmpfs -o "size=${DISK_MB}m" tmpfs "$SMALL"
	FS="tmpfs, ${DISK_MB} MiB"
fi
CLEANUP+=("umount -l '$SMALL'")
log "the store and the photos on $FS at $SMALL"

DB=$SMALL/sb.db
URL="sqlite:$DB"
export MEDIA_DIR=$SMALL/media
sb_prepare "$URL"
echo "after seeding: $(du -sh "$SMALL" | cut -f1) used, $(df --output=avail -h "$SMALL" | tail -1 | tr -d ' ') free"
PORT=$(free_port 18500)
BASE=http://127.0.0.1:$PORT
sb_serve a "$PORT" "$URL"
sb_wait_ready "$PORT" || die "the server did not start (log: $WORK/a.log)"
SERVER=${SB_PID[a]}

$FL poll --url "$BASE/readyz" --stop-file "$WORK/stop" --out "$WORK/readyz.jsonl" &
PIDS+=("$!")
P1=$!
$FL poll --url "$BASE/api/v1/tickets?limit=5" --key "$KEY" --stop-file "$WORK/stop" --out "$WORK/reads.jsonl" &
PIDS+=("$!")
P2=$!
$FL load --urls "$BASE" --key "$KEY" --rate "$RATE" --threads 4 --tag "disk$$" --give-up 300 \
	--stop-file "$WORK/stop.load" --out "$WORK/load.jsonl" &
PIDS+=("$!")
LOAD=$!

# One photo upload a second on the first acknowledged ticket (a different noise PNG each time,
# so each is a new file): "t status" lines.
photos() {
	local n=0 id t status
	sleep 2
	id=$($FL acked "$WORK/load.jsonl" | head -n1)
	while [ ! -f "$WORK/stop" ]; do
		n=$((n + 1))
		$FL png --side 400 --seed "$n" --out "$WORK/p.png"
		t=$(date +%s.%N)
		status=$(curl -sS -m 15 -o "$WORK/photo.body" -w '%{http_code}' -H "Authorization: Bearer $KEY" \
			-F "photo=@$WORK/p.png;type=image/png" "$BASE/api/v1/tickets/$id/photos" 2>/dev/null || echo 0)
		echo "$t $status $(head -c 160 "$WORK/photo.body" 2>/dev/null | tr -d '\n')" >>"$WORK/photos.txt"
		sleep 1
	done
}
photos &
PIDS+=("$!")
PH=$!

sleep 6
log "filling $SMALL"
T_FULL0=$(date +%s.%N)
dd if=/dev/zero of="$SMALL/filler" bs=1M status=none 2>/dev/null || true
dd if=/dev/zero of="$SMALL/filler2" bs=4k status=none 2>/dev/null || true
T_FULL=$(date +%s.%N)
echo "full: $(df --output=avail -B1 "$SMALL" | tail -1 | tr -d ' ') bytes free (filled in $(python3 -c "print(round($T_FULL-$T_FULL0,1))") s)"
sleep "$HOLD"
T_FREE=$(date +%s.%N)
rm -f "$SMALL/filler" "$SMALL/filler2"
log "space is back: $(df --output=avail -h "$SMALL" | tail -1 | tr -d ' ') free"
sleep "$RECOVER"
touch "$WORK/stop.load"
wait "$LOAD" || true
T_END=$(date +%s.%N)
touch "$WORK/stop"
wait "$P1" "$P2" "$PH" || true

# ---- checks ------------------------------------------------------------------------------------
S=$($FL summary "$WORK/load.jsonl")
echo "load: $S"
FULLW=$($FL summary "$WORK/load.jsonl" --window "$T_FULL,$T_FREE" | jget in_window_by_status)
T_REC=$(python3 -c "print($T_FREE + 3)")
AFTER=$($FL summary "$WORK/load.jsonl" --window "$T_REC,$T_END" | jget in_window_by_status)
echo "writes started while the disk was full: $FULLW; from 3 s after space returned: $AFTER"
inwin() { python3 - "$1" "$2" "$3" <<'EOF'
import json, sys, collections
path, t0, t1 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
c = collections.Counter()
for l in open(path):
    if not l.strip(): continue
    if path.endswith(".jsonl"):
        r = json.loads(l); t, s = r["t"], r["status"]
    else:
        parts = l.split(); t, s = float(parts[0]), int(parts[1])
    if t0 <= t <= t1: c[s] += 1
print(json.dumps(dict(sorted((str(k), v) for k, v in c.items()))))
EOF
}
READS_FULL=$(inwin "$WORK/reads.jsonl" "$T_FULL" "$T_FREE")
READY_FULL=$(inwin "$WORK/readyz.jsonl" "$T_FULL" "$T_FREE")
PHOTOS_FULL=$(inwin "$WORK/photos.txt" "$T_FULL" "$T_FREE")
PHOTOS_AFTER=$(inwin "$WORK/photos.txt" "$T_REC" "$T_END")
echo "while full: reads $READS_FULL, readyz $READY_FULL, photo uploads $PHOTOS_FULL; photos after: $PHOTOS_AFTER"
echo "photo answers while full (first of each status):"
awk -v a="$T_FULL" -v b="$T_FREE" '$1 >= a && $1 <= b && !seen[$2]++ { $1 = ""; print "   " $0 }' "$WORK/photos.txt"
only() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); ok=set(sys.argv[2].split(",")); sys.exit(0 if d and set(d) <= ok else 1)' "$1" "$2"; }

$FL acked "$WORK/load.jsonl" >"$WORK/acked.ids"
ACKED=$(wc -l <"$WORK/acked.ids")
kill "$SERVER" 2>/dev/null || true
wait "$SERVER" 2>/dev/null || true
sqlite_ticket_ids "$DB" >"$WORK/stored.ids"
STORED=$(wc -l <"$WORK/stored.ids")
LOST=$(missing_ids "$WORK/acked.ids" "$WORK/stored.ids" | wc -l)
IC=$(sqlite_integrity "$DB")
echo "acknowledged $ACKED, stored $STORED, acknowledged but missing $LOST; integrity_check: $IC"

check "writes while full answered 201 or 503 only ($FULLW)" only "$FULLW" 201,503
check "some writes were refused while full — the fault reached the store ($FULLW)" \
	python3 -c 'import json,sys; sys.exit(0 if json.loads(sys.argv[1]).get("503",0)>0 else 1)' "$FULLW"
check "every 503 has Retry-After ($(jget status_503 <<<"$S") 503s, $(jget status_503_without_retry_after <<<"$S") without)" \
	[ "$(jget status_503_without_retry_after <<<"$S")" = 0 ]
check "no write unanswered or over 15 s ($(jget no_answer <<<"$S"), slowest $(jget max_ms <<<"$S") ms)" [ "$(jget no_answer <<<"$S")" = 0 ]
check "no 5xx other than 503 on writes ($(jget status_500 <<<"$S"))" [ "$(jget status_500 <<<"$S")" = 0 ]
check "photo uploads while full answered 201 or 503 only ($PHOTOS_FULL)" only "$PHOTOS_FULL" 201,503
check "reads kept working while full ($READS_FULL)" only "$READS_FULL" 200
check "writes answer 201 again after space returned, same process ($AFTER)" only "$AFTER" 201
check "photo uploads work again after space returned ($PHOTOS_AFTER)" only "$PHOTOS_AFTER" 201
check "every acknowledged ticket stored ($ACKED acknowledged, $LOST missing)" [ "$LOST" = 0 ]
check "no report stored twice ($STORED stored, $ACKED acknowledged, $(jget gave_up <<<"$S") given up)" [ "$STORED" = "$ACKED" ]
check "PRAGMA integrity_check = ok ($IC)" [ "$IC" = ok ]
sb_serve a "$PORT" "$URL"
check "the server starts again on the same files" sb_wait_ready "$PORT" 60
log_digest "$WORK/a.log" 8
summary "disk-full"
