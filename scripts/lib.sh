# shellcheck shell=bash
# Shared helpers for the scripts in this directory (sourced, not run).

# Bold "==> message" on stderr, so it stands out between cargo's lines.
log() {
	if [ -t 2 ]; then printf '\033[1m==> %s\033[0m\n' "$*" >&2; else printf '==> %s\n' "$*" >&2; fi
}

die() {
	if [ -t 2 ]; then printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; else printf 'error: %s\n' "$*" >&2; fi
	exit 1
}

have() { command -v "$1" >/dev/null 2>&1; }

is_root() { [ "$(id -u)" = 0 ]; }

# Whether we may install system packages: root on a Debian-like system.
can_apt() { is_root && have apt-get; }

APT_UPDATED=""
# Runs `apt-get update` once per script run.
apt_update() {
	[ -n "$APT_UPDATED" ] && return 0
	log "apt-get update"
	apt-get update -qq >&2
	APT_UPDATED=1
}

# apt_install PKG… — noninteractive, without recommends.
apt_install() {
	export DEBIAN_FRONTEND=noninteractive
	apt_update
	log "apt-get install $*"
	apt-get install -y -qq --no-install-recommends "$@" >&2
}

# A C toolchain: rustc links through `cc`, and libsqlite3-sys compiles SQLite with it.
ensure_cc() {
	have cc && return 0
	can_apt || die "no C compiler (cc) found: install one (e.g. apt-get install build-essential)"
	apt_install build-essential
}

ensure_cargo() {
	if ! have cargo && [ -x "$HOME/.cargo/bin/cargo" ]; then
		export PATH="$HOME/.cargo/bin:$PATH"
	fi
	have cargo || die "cargo not found: install Rust from https://rustup.rs (rustup, stable toolchain)"
}

# Node.js and npm for the web build: installed with apt-get as root on Debian when missing.
ensure_npm() {
	have npm && return 0
	can_apt || die "the web pages need Node.js 18+ and npm: install them (apt-get install nodejs npm)"
	apt_install nodejs npm
}
