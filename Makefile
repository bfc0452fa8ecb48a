# Switchboard developer commands. `make help` lists them.
#
# The two commands of the README work on a fresh Debian machine with Rust installed (as root
# they install what else they need with apt-get: Node.js and npm for the web build, PostgreSQL
# with PostGIS and Chromium for the tests):
#   make run    builds and serves the demo city at http://127.0.0.1:8080 (embedded SQLite)
#   make test   runs every test (starts a throwaway PostGIS unless DATABASE_URL is set)

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
# Extra arguments, e.g. `make test ARGS=import::areas` or `make bench ARGS="--bench index"`.
ARGS ?=

.PHONY: help run web test bench bench-wall bench-million bench-intake bench-flood bench-calls bench-tiles bench-export bench-booking fmt lint check faults fuzz

help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{ printf "  make %-7s %s\n", $$1, $$2 }'

run: web ## Build and run `switchboard serve --demo` at http://127.0.0.1:8080 (SQLite; DATABASE_URL=postgres://… for PostGIS)
	$(CARGO) run --release -- serve --demo

web: ## Build the web front end (web/dist) when web/package.json exists
	@if [ -f web/package.json ]; then \
		source scripts/lib.sh && ensure_npm; \
		cd web; \
		if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi; \
		npm run build; \
	fi

test: ## Run every test (Rust unit/integration/doc, web); PostGIS from DATABASE_URL or a throwaway cluster
	scripts/test.sh $(ARGS)

bench: ## Run the benchmarks (cargo bench) with a PostGIS DATABASE_URL
	scripts/bench.sh $(ARGS)

bench-wall: ## Measure /wall with 100 000 open tickets in headless Chromium (WALL_TICKETS=N to change)
	scripts/bench-wall.sh

bench-million: ## First pages at a million tickets through HTTP beside the same SQL, PostGIS and SQLite (MILLION_TICKETS=N)
	scripts/bench-million.sh

bench-intake: ## Filing under 10 000 live viewers and durable ingest beside a raw batched INSERT (SQLite)
	scripts/bench-intake.sh

bench-flood: ## A flood of public reports from one address with wrk: 429s, nothing lost
	scripts/bench-flood.sh

bench-calls: ## Ten phone calls in a row on the console, in headless Chromium (needs a server: CONSOLE_URL)
	cd web && node tests/perf/calls-perf.mjs

bench-tiles: ## Vector tiles/s and latency, cold and warm, Switchboard and Martin on the same PostGIS tables
	scripts/bench-tiles.sh

bench-booking: ## A booking window opening: 1 000 people book the same morning at once, on SQLite and PostGIS, beside pgbench running the same transaction
	scripts/bench-booking.sh

bench-export: ## A million-ticket list as CSV and XLSX (time, server peak memory) next to psql's \copy
	scripts/bench-export.sh

fuzz: ## Coverage-guided fuzzing of every parser of outside input, a million inputs each (RUNS=N; scripts/fuzz.sh)
	scripts/fuzz.sh $(ARGS)

faults: ## Fault rehearsals: PostgreSQL restarts, SIGKILL loops, a full disk, three instances, a promoted replica (scripts/faults/)
	scripts/faults/run-all.sh $(ARGS)

fmt: ## Format the Rust code
	$(CARGO) fmt --all

lint: ## Clippy with warnings as errors, and the format check
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings

check: lint test ## What CI runs (.ci/run): lint, then every test
