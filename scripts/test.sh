#!/usr/bin/env bash
# `make test`: every test of the project, against a real PostGIS and a real SQLite file.
#
# DATABASE_URL set   → the tests use that server (postgres:// URL; the role must be able to
#                      CREATE DATABASE; PostGIS must be available there).
# DATABASE_URL unset → a throwaway PostgreSQL cluster is started for this run and removed after
#                      (see scripts/pg-throwaway.sh); PostgreSQL/PostGIS are installed with
#                      apt-get when missing and we run as root.
# Then: the Rust unit and integration tests (benches are `make bench`), and the web tests when
# web/package.json exists (browser tests when it declares a `test:e2e` script).
#
# Extra arguments go to `cargo test`, e.g. `scripts/test.sh import::areas` or `-- --nocapture`.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/pg-throwaway.sh
source scripts/pg-throwaway.sh

START=$SECONDS
SUMMARY=()
LOGDIR=""
# Stops the throwaway cluster (if one was started) and removes our logs, whatever happens.
trap 'pg_throwaway_stop; [ -z "$LOGDIR" ] || rm -rf "$LOGDIR"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_cargo
ensure_cc
log "$(cargo --version), $(rustc --version)"

pg_ensure_database_url
trap 'pg_throwaway_stop; [ -z "$LOGDIR" ] || rm -rf "$LOGDIR"' EXIT
LOGDIR=$(mktemp -d /tmp/switchboard-test-logs.XXXXXX)

# In CI the lock file must be up to date; developers may have just edited Cargo.toml.
LOCKED=()
if [ "${CI:-}" = "true" ]; then LOCKED=(--locked); fi
cargo_() { cargo "$1" ${LOCKED[@]+"${LOCKED[@]}"} "${@:2}"; }

# ---- Rust ---------------------------------------------------------------------------------------
log "cargo test --lib --bins --tests (PostGIS: DATABASE_URL, SQLite: temporary files)"
if ! cargo_ test --lib --bins --tests "$@" 2>&1 | tee "$LOGDIR/cargo.log"; then
	grep -E '^(test result|failures:|    [a-z_:]+$|error)' "$LOGDIR/cargo.log" | tail -n 40 >&2 || true
	die "Rust tests failed"
fi
# Doc tests only on a full run: `cargo test --doc` can't take the target filters above.
if [ $# -eq 0 ]; then
	log "cargo test --doc"
	cargo_ test --doc 2>&1 | tee -a "$LOGDIR/cargo.log" || die "documentation tests failed"
fi
# One line per test binary: "tests/it/main.rs: ok. 702 passed; 0 failed; …", and for the
# integration tests one line per feature module under it: "api: 230 passed" (", 1 failed" …).
while IFS= read -r line; do SUMMARY+=("$line"); done < <(
	sed -E 's/\x1b\[[0-9;]*m//g' "$LOGDIR/cargo.log" | awk '
		function reset() { n = 0; split("", seen) }
		/^ *Running / { name = $2; if (name == "unittests") name = $3; reset() }
		/^ *Doc-tests / { name = "doc-tests " $2; reset() }
		/^test [^ ]+ \.\.\. / {
			m = $2; sub(/::.*/, "", m)
			if (!(m in seen)) { seen[m] = 1; order[++n] = m; passed[m] = 0; failed[m] = 0; ignored[m] = 0 }
			if ($4 == "ok") passed[m]++; else if ($4 == "FAILED") failed[m]++; else if ($4 ~ /^ignored/) ignored[m]++
		}
		/^test result:/ {
			sub(/^test result: /, ""); sub(/; finished in.*/, ""); print "  rust  " name ": " $0
			if (name !~ /^tests\//) next
			for (i = 2; i <= n; i++) for (j = i; j > 1 && order[j - 1] > order[j]; j--) {
				t = order[j]; order[j] = order[j - 1]; order[j - 1] = t
			}
			for (i = 1; i <= n; i++) {
				m = order[i]; out = "  rust    " m ": " passed[m] " passed"
				if (failed[m]) out = out ", " failed[m] " failed"
				if (ignored[m]) out = out ", " ignored[m] " ignored"
				print out
			}
		}'
)

# ---- The PBX relay (Python, standard library only) ---------------------------------------------
if ! have python3; then
	can_apt || die "python3 is needed for the PBX relay's tests (apt-get install python3)"
	apt_install python3
fi
log "python3 -m unittest (scripts/pbx: the Asterisk relay)"
(cd scripts/pbx && PYTHONDONTWRITEBYTECODE=1 python3 -m unittest discover -s . -p 'test_*.py') || die "the PBX relay's tests failed"
SUMMARY+=("  py    scripts/pbx: ok")

# ---- Web ----------------------------------------------------------------------------------------
if [ -f web/package.json ]; then
	if ! have npm; then
		can_apt || die "web/package.json exists but npm is not installed (install Node.js 18+ and npm)"
		apt_install nodejs npm
	fi
	log "npm in web/: $(node --version), npm $(npm --version)"
	(
		cd web
		if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	)
	has_script() { (cd web && node -e 'process.exit(require("./package.json").scripts?.[process.argv[1]] ? 0 : 1)' "$1"); }
	if has_script test; then
		log "npm test (web unit tests)"
		(cd web && npm test) || die "web tests failed"
		SUMMARY+=("  web   npm test: ok")
	fi
	if has_script test:e2e; then
		# Browser tests drive the real server in a real Chromium.
		CHROMIUM_PATH=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
		if [ -z "$CHROMIUM_PATH" ]; then
			can_apt || die "web e2e tests need Chromium: install it (apt-get install chromium) or put it on PATH"
			apt_install chromium
			CHROMIUM_PATH=$(command -v chromium)
		fi
		log "npm run build, cargo build --bin switchboard (for the browser tests)"
		(cd web && npm run build) || die "web build failed"
		cargo_ build --bin switchboard
		export CHROMIUM_PATH
		export SWITCHBOARD_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/switchboard"
		log "npm run test:e2e (Chromium: $CHROMIUM_PATH)"
		(cd web && npm run test:e2e) || die "browser tests failed"
		SUMMARY+=("  web   npm run test:e2e: ok")
	fi
fi

log "summary ($((SECONDS - START)) s, PostGIS at $(pg_shown_url))"
printf '%s\n' "${SUMMARY[@]}" >&2
log "all tests passed"
