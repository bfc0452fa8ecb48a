#!/usr/bin/env bash
# `make bench`: the criterion benchmarks, with DATABASE_URL pointing at PostGIS (the given one, or
# a throwaway cluster started for this run, as in scripts/test.sh). Extra arguments go to
# `cargo bench`, e.g. `scripts/bench.sh --bench index`.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/pg-throwaway.sh
source scripts/pg-throwaway.sh
trap 'pg_throwaway_stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_cargo
ensure_cc
pg_ensure_database_url
if [ $# -eq 0 ]; then set -- --bench '*'; fi
log "cargo bench $* (reports in target/criterion)"
cargo bench "$@"
