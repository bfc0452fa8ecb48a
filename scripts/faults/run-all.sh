#!/usr/bin/env bash
# `make faults`: every fault rehearsal in turn (each prints its own PASS/FAIL summary); exits
# non-zero when one failed. The binary: SWITCHBOARD_BIN, else target/release, else target/debug.
# Needs PostgreSQL 15 with PostGIS (Debian's postgresql-15-postgis-3), Python 3, curl; disk-full
# needs root (it mounts a small filesystem) and is skipped otherwise; nginx is used when installed.
#
#   scripts/faults/run-all.sh                       every rehearsal
#   scripts/faults/run-all.sh pg-restart disk-full  some of them
set -uo pipefail
DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/lib.sh
source "$DIR/../lib.sh"
ALL=(pg-restart sigkill-loop disk-full three-instances replica-promote)
[ $# -gt 0 ] && ALL=("$@")
RESULTS=()
FAILED=0
for f in "${ALL[@]}"; do
	if [ "$f" = disk-full ] && ! is_root; then
		RESULTS+=("SKIP  disk-full (needs root to mount a small filesystem)")
		continue
	fi
	[ -x "$DIR/$f.sh" ] || die "no rehearsal $f (one of: pg-restart sigkill-loop disk-full three-instances replica-promote)"
	log "faults: $f"
	start=$SECONDS
	if nice -n "${FAULTS_NICE:-5}" "$DIR/$f.sh"; then
		RESULTS+=("PASS  $f ($((SECONDS - start)) s)")
	else
		RESULTS+=("FAIL  $f ($((SECONDS - start)) s)")
		FAILED=$((FAILED + 1))
	fi
done
echo
log "fault rehearsals"
printf '  %s\n' "${RESULTS[@]}"
[ "$FAILED" = 0 ]
