# shellcheck shell=bash
# Shared by the fault rehearsals in scripts/faults/ (sourced, not run).
#
# Everything a rehearsal starts lives in one throwaway directory ($WORK) and on free ports:
# PostgreSQL clusters made with initdb (never the machine's own server), `switchboard serve`
# instances, the Python clients of faultlib.py. An EXIT trap stops them (by their pids) and
# removes $WORK unless FAULTS_KEEP=1.

FAULTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$FAULTS_DIR/../.." && pwd)
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
FL="python3 $FAULTS_DIR/faultlib.py"

# The binary: SWITCHBOARD_BIN, else the release build, else the debug build.
if [ -z "${SWITCHBOARD_BIN:-}" ]; then
	if [ -x "$ROOT/target/release/switchboard" ]; then SWITCHBOARD_BIN=$ROOT/target/release/switchboard; else SWITCHBOARD_BIN=$ROOT/target/debug/switchboard; fi
fi
case "$SWITCHBOARD_BIN" in /*) ;; *) SWITCHBOARD_BIN="$ROOT/$SWITCHBOARD_BIN" ;; esac
[ -x "$SWITCHBOARD_BIN" ] || die "no switchboard binary at $SWITCHBOARD_BIN (cargo build, or SWITCHBOARD_BIN=…)"
export RUST_LOG=${RUST_LOG:-info}
unset DATABASE_URL

PG_BIN=${PG_BIN:-}
if [ -z "$PG_BIN" ]; then
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
		[ -x "$d/initdb" ] && PG_BIN=$d && break
	done
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-faults.XXXXXX")
chmod 755 "$WORK"
if is_root && id postgres >/dev/null 2>&1; then chown postgres: "$WORK"; fi
PIDS=()         # processes to stop at exit (kill by pid)
PG_DIRS=()      # clusters to stop at exit
CLEANUP=()      # extra commands run at exit (e.g. umount)
FAILS=0
CHECKS=()

fault_cleanup() {
	local rc=$? p d c
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	for d in "${PG_DIRS[@]}"; do
		[ -f "$d/postmaster.pid" ] && pg_as "$PG_BIN/pg_ctl" -D "$d" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
	done
	for c in "${CLEANUP[@]}"; do eval "$c" || true; done
	if [ "${FAULTS_KEEP:-}" = 1 ]; then
		log "kept $WORK"
	else
		rm -rf "$WORK"
	fi
	return $rc
}
trap fault_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs a command as the owner of the clusters (postgres when we are root).
pg_as() {
	if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A free TCP port on 127.0.0.1 from $1 up (default 56000). Called as $(free_port N) it runs in a
# subshell and cannot remember what it handed out: give each caller its own starting point.
GIVEN_PORTS=" "
free_port() {
	local p=${1:-56000}
	while port_in_use "$p" || [[ $GIVEN_PORTS == *" $p "* ]]; do p=$((p + 1)); done
	GIVEN_PORTS+="$p "
	echo "$p"
}

need_pg() {
	[ -n "$PG_BIN" ] || die "PostgreSQL server binaries not found (apt-get install postgresql-15 postgresql-15-postgis-3)"
	[ -f "$("$PG_BIN/pg_config" --sharedir)/extension/postgis.control" ] || die "PostGIS is not installed for $PG_BIN (apt-get install postgresql-15-postgis-3)"
	if is_root; then id postgres >/dev/null 2>&1 || die "running as root without a 'postgres' system user"; fi
}

# pg_init DIR: a new cluster (trust auth, durable settings: fsync and synchronous_commit on).
pg_init() {
	local dir=$1
	mkdir -p "$dir"
	if is_root; then chown postgres: "$dir"; fi
	pg_as "$PG_BIN/initdb" -D "$dir" -U postgres -A trust -E UTF8 --no-locale >"$WORK/initdb.$(basename "$dir").log" 2>&1 ||
		{ cat "$WORK/initdb.$(basename "$dir").log" >&2; die "initdb $dir failed"; }
	PG_DIRS+=("$dir")
}

# pg_start DIR PORT [-c name=value …]: starts the cluster on 127.0.0.1:PORT and waits for it.
pg_start() {
	local dir=$1 port=$2
	shift 2
	pg_as "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/../$(basename "$dir").log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$WORK -c max_connections=100 $*" \
		start >/dev/null || { tail -n 20 "$dir/../$(basename "$dir").log" >&2; die "PostgreSQL in $dir did not start"; }
}

# pg_stop DIR MODE (smart, fast, immediate)
pg_stop() {
	pg_as "$PG_BIN/pg_ctl" -D "$1" -m "$2" -w -t 60 stop >/dev/null
}

# psql_ URL SQL: one query, unaligned, no header.
psql_() { "$PG_BIN/psql" "$1" -qAtX -v ON_ERROR_STOP=1 -c "$2"; }

# A fresh database with PostGIS, the demo city (no tickets) and an admin API key in $KEY.
# sb_prepare URL
sb_prepare() {
	local url=$1
	"$SWITCHBOARD_BIN" seed --demo --tickets 0 --database-url "$url" >"$WORK/seed.log" 2>&1 ||
		{ tail -n 20 "$WORK/seed.log" >&2; die "seeding $url failed"; }
	KEY=$("$SWITCHBOARD_BIN" apikeys create "faults-$RANDOM" --role admin --database-url "$url" 2>>"$WORK/seed.log") ||
		die "creating an API key failed"
}

# sb_serve NAME PORT URL [serve flags…]: starts `switchboard serve` in the background; its pid
# in SB_PID[NAME]; log in $WORK/NAME.log (appended: one file across restarts).
declare -A SB_PID=()
sb_serve() {
	local name=$1 port=$2 url=$3
	shift 3
	mkdir -p "$WORK/$name"
	(cd "$WORK/$name" && exec "$SWITCHBOARD_BIN" serve --listen "127.0.0.1:$port" --database-url "$url" \
		--media-dir "${MEDIA_DIR:-$WORK/$name/media}" "$@" >>"$WORK/$name.log" 2>&1) &
	SB_PID[$name]=$!
	PIDS+=("$!")
}

# sb_wait_ready PORT [SECONDS]: until /readyz answers 200.
sb_wait_ready() {
	local port=$1 secs=${2:-60} i
	for ((i = 0; i < secs * 5; i++)); do
		curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null && return 0
		sleep 0.2
	done
	return 1
}

# check "what" CONDITION-COMMAND…: records PASS or FAIL for the summary.
check() {
	local what=$1
	shift
	if "$@"; then
		CHECKS+=("PASS  $what")
	else
		CHECKS+=("FAIL  $what")
		FAILS=$((FAILS + 1))
	fi
}

# summary NAME: prints the checks and exits non-zero when one failed.
summary() {
	local name=$1 c
	echo
	echo "== $name: $([ "$FAILS" = 0 ] && echo PASS || echo "FAIL ($FAILS checks)")"
	for c in "${CHECKS[@]}"; do echo "  $c"; done
	[ "$FAILS" = 0 ]
}

# json FIELD < JSON: one field of a JSON object (dotted path).
jget() { python3 -c 'import json,sys; v=json.load(sys.stdin)
for k in sys.argv[1].split("."): v=v.get(k, 0) if isinstance(v, dict) else 0
print(json.dumps(v) if isinstance(v,(dict,list)) else v)' "$1"; }

# Ticket ids stored in a PostGIS database (one a line, sorted) / in an SQLite file.
pg_ticket_ids() { psql_ "$1" "SELECT id FROM tickets WHERE description LIKE 'fault rehearsal %' ORDER BY 1"; }
sqlite_ticket_ids() {
	python3 -c 'import sqlite3,sys; c=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro", uri=True)
for (i,) in c.execute("SELECT id FROM tickets WHERE description LIKE ? ORDER BY 1", ("fault rehearsal %",)): print(i)' "$1"
}
sqlite_integrity() {
	python3 -c 'import sqlite3,sys; c=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro", uri=True)
print(";".join(r[0] for r in c.execute("PRAGMA integrity_check")))' "$1"
}

# missing_ids ACKED STORED: ids in the first file (one a line) absent from the second.
missing_ids() { comm -23 <(sort -u "$1") <(sort -u "$2"); }

# Status counts of a poll log: "200:12 503:5 0:3"
poll_counts() { python3 -c 'import json,sys,collections
c=collections.Counter(json.loads(l)["status"] for l in open(sys.argv[1]) if l.strip())
print(" ".join(f"{k}:{v}" for k,v in sorted(c.items())))' "$1"; }

# A sequence of statuses of a poll log compressed into runs: "200x40 503x12 200x30"
poll_runs() { python3 -c 'import json,sys
runs=[]
for l in open(sys.argv[1]):
    if not l.strip(): continue
    s=json.loads(l)["status"]
    if runs and runs[-1][0]==s: runs[-1][1]+=1
    else: runs.append([s,1])
print(" ".join(f"{s}x{n}" for s,n in runs))' "$1"; }

# log_digest LOG: how many WARN/ERROR lines a server log has, and its first few of each.
log_digest() {
	local f=$1
	sed -E 's/\x1b\[[0-9;]*m//g' "$f" >"$f.plain"
	echo "server log $(basename "$f"): $(grep -c ' WARN ' "$f.plain" || true) WARN, $(grep -c ' ERROR ' "$f.plain" || true) ERROR lines; the first ones:"
	grep -E ' (ERROR|WARN) ' "$f.plain" | cut -c1-260 | head -n "${2:-6}" | sed 's/^/    /' || true
}
