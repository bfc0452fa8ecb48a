#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser of outside input (src/fuzzing.rs) with libFuzzer,
# through cargo-fuzz on the stable toolchain (the instrumentation flags it passes with
# `-s none` are stable). `make test` replays the committed corpus on every run
# (tests/it/fuzz.rs); this is the long run.
#
#   make fuzz                          every target, RUNS inputs each (default 1 000 000)
#   make fuzz ARGS="photo redact"      some targets
#   RUNS=200000 make fuzz              fewer inputs; SECONDS_PER_TARGET=60 bounds by time instead
#   MERGE=1 make fuzz                  add the inputs that reached new code to the committed corpus
#   SEED=1                             libFuzzer's seed, for a run that is the same every time (CI)
#
# Each run starts from tests/fuzz/corpus/<target> and writes what it finds to a scratch corpus
# (target/fuzz-corpus/<target>); a crash is saved in tests/fuzz/artifacts/<target>/ and the
# script fails after the other targets ran. The last line of each run is printed:
# inputs executed, inputs per second, coverage, peak memory.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

RUNS=${RUNS:-1000000}
MAX_LEN=${MAX_LEN:-65536}
if ! have cargo-fuzz; then
	log "installing cargo-fuzz (crates.io)"
	cargo install cargo-fuzz --locked
fi
# The same dependency versions as the main build.
cp Cargo.lock tests/fuzz/Cargo.lock

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	mapfile -t targets < <(ls tests/fuzz/fuzz_targets | sed 's/\.rs$//')
fi
FUZZ=(cargo fuzz run --fuzz-dir tests/fuzz -s none -O)
cargo fuzz build --fuzz-dir tests/fuzz -s none -O

limit=(-runs="$RUNS")
if [ -n "${SECONDS_PER_TARGET:-}" ]; then limit=(-max_total_time="$SECONDS_PER_TARGET"); fi
if [ -n "${SEED:-}" ]; then limit+=(-seed="$SEED"); fi
failed=()
for t in "${targets[@]}"; do
	scratch=target/fuzz-corpus/$t
	mkdir -p "$scratch" "tests/fuzz/artifacts/$t"
	log "fuzzing $t"
	start=$SECONDS
	if ! "${FUZZ[@]}" "$t" "$scratch" "tests/fuzz/corpus/$t" -- "${limit[@]}" -max_len="$MAX_LEN" \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="tests/fuzz/artifacts/$t/" \
		>"target/fuzz-$t.log" 2>&1; then
		failed+=("$t")
		grep -E "ERROR|SUMMARY|panicked|Test unit written" "target/fuzz-$t.log" | head -20 || true
	fi
	execs=$(grep -oE "stat::number_of_executed_units:[[:space:]]*[0-9]+" "target/fuzz-$t.log" | tail -1 | grep -oE "[0-9]+$" || echo 0)
	rate=$(grep -oE "stat::average_exec_per_sec:[[:space:]]*[0-9]+" "target/fuzz-$t.log" | tail -1 | grep -oE "[0-9]+$" || echo 0)
	rss=$(grep -oE "stat::peak_rss_mb:[[:space:]]*[0-9]+" "target/fuzz-$t.log" | tail -1 | grep -oE "[0-9]+$" || echo 0)
	cov=$(grep -oE "cov: [0-9]+" "target/fuzz-$t.log" | tail -1 | grep -oE "[0-9]+$" || echo 0)
	if [ "$execs" = 0 ]; then # stopped before its final stats: the last progress line
		execs=$(grep -oE "^#[0-9]+" "target/fuzz-$t.log" | tail -1 | tr -d '#' || echo 0)
	fi
	printf '%-18s %10s inputs  %7s/s  cov %6s  %5s MB  %5d s\n' "$t" "$execs" "$rate" "$cov" "$rss" $((SECONDS - start))
	if [ "${MERGE:-}" = 1 ]; then
		"${FUZZ[@]}" "$t" "tests/fuzz/corpus/$t" "$scratch" -- -merge=1 -max_len="$MAX_LEN" >/dev/null 2>&1
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	die "crashes in: ${failed[*]} (inputs in tests/fuzz/artifacts/; logs in target/fuzz-*.log)"
fi
log "no crash in ${#targets[@]} targets"
