# shellcheck shell=bash
# Sourced by scripts/test.sh and scripts/bench.sh: makes sure DATABASE_URL points at a PostgreSQL
# server with PostGIS where tests may CREATE DATABASE.
#
#   source scripts/pg-throwaway.sh
#   pg_ensure_database_url     # sets and exports DATABASE_URL
#
# - DATABASE_URL already set: it must be postgres:// or postgresql://; it is checked (when psql is
#   installed) for being reachable, for a role that can CREATE DATABASE and for PostGIS, then used.
# - Otherwise a throwaway cluster is started with the system's PostgreSQL binaries (installed
#   with apt-get when missing and we are root), listening only on 127.0.0.1 on a free port from
#   55432 up, trust auth, fsync off. An EXIT trap stops it and deletes its directory, also on
#   failure and Ctrl-C. As root, initdb/pg_ctl run as the `postgres` system user.

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_THROWAWAY_DIR=""
PG_THROWAWAY_BIN=""

# Runs a command as the user that owns the throwaway cluster.
pg_as_owner() {
	if is_root; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# Prints the directory holding initdb/pg_ctl/postgres, newest major version first.
pg_find_bindir() {
	local d
	if command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir 2>/dev/null || true)
		if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			echo "$d"
			return 0
		fi
	fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r) /usr/local/pgsql/bin /opt/homebrew/bin /usr/local/bin /usr/bin; do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

# Major version of the server in bindir $1, e.g. 15.
pg_major() {
	"$1/postgres" --version | sed -E 's/[^0-9]*([0-9]+).*/\1/'
}

# Whether the server in bindir $1 has PostGIS installed (postgis.control in its extension dir).
pg_has_postgis() {
	local bindir=$1 major share
	major=$(pg_major "$bindir")
	for share in \
		"$("$bindir/pg_config" --sharedir 2>/dev/null || true)" \
		"$( (command -v pg_config >/dev/null && [ "$(pg_config --bindir 2>/dev/null)" = "$bindir" ] && pg_config --sharedir) || true)" \
		"/usr/share/postgresql/$major" \
		"$bindir/../share/postgresql" \
		"$bindir/../share"; do
		if [ -n "$share" ] && [ -f "$share/extension/postgis.control" ]; then
			return 0
		fi
	done
	return 1
}

# Installs the server and PostGIS with apt-get (root only). $1: major version or empty.
pg_apt_install() {
	local major=$1
	if [ -z "$major" ]; then
		apt_update
		# The distribution's default server, e.g. postgresql-15 on Debian 12.
		major=$(apt-cache depends postgresql 2>/dev/null | sed -nE 's/.*Depends: postgresql-([0-9]+)$/\1/p' | head -n1)
		[ -n "$major" ] || major=15
	fi
	apt_install "postgresql-$major" "postgresql-$major-postgis-3" "postgresql-$major-postgis-3-scripts"
}

pg_install_hint() {
	local major=${1:-15}
	cat >&2 <<EOF
PostgreSQL with PostGIS is needed for the PostGIS store tests. Either
  - install it: sudo apt-get install postgresql-$major postgresql-$major-postgis-3   (Debian/Ubuntu)
                brew install postgresql@$major postgis                               (macOS)
  - or point the tests at a server: DATABASE_URL=postgres://USER:PASS@HOST:PORT/postgres make test
    (the role must be able to CREATE DATABASE and PostGIS must be available there).
EOF
}

# Finds or installs the binaries; sets PG_THROWAWAY_BIN.
pg_ensure_binaries() {
	local bindir="" major=""
	bindir=$(pg_find_bindir || true)
	if [ -n "$bindir" ]; then
		major=$(pg_major "$bindir")
		if pg_has_postgis "$bindir"; then
			PG_THROWAWAY_BIN=$bindir
			return 0
		fi
		log "PostgreSQL $major found in $bindir, but not PostGIS"
	else
		log "no PostgreSQL server binaries found"
	fi
	if can_apt; then
		pg_apt_install "$major"
		bindir=$(pg_find_bindir || true)
		[ -n "$bindir" ] || die "apt-get installed PostgreSQL, but initdb/pg_ctl are still not found"
		pg_has_postgis "$bindir" || die "apt-get installed PostGIS, but postgis.control is still not found for $bindir"
		PG_THROWAWAY_BIN=$bindir
		return 0
	fi
	pg_install_hint "$major"
	die "PostgreSQL${bindir:+ $major} with PostGIS is not installed (and we are not root with apt-get to install it)"
}

# Whether something accepts TCP connections on 127.0.0.1:$1.
pg_port_in_use() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pg_throwaway_stop() {
	local dir=$PG_THROWAWAY_DIR
	[ -n "$dir" ] || return 0
	PG_THROWAWAY_DIR=""
	if [ -f "$dir/data/postmaster.pid" ]; then
		log "stopping the throwaway PostgreSQL cluster"
		pg_as_owner "$PG_THROWAWAY_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}

# Starts a throwaway cluster and exports DATABASE_URL for it.
pg_throwaway_start() {
	local dir port log started=""
	pg_ensure_binaries
	if is_root && ! id postgres >/dev/null 2>&1; then
		die "running as root, and there is no 'postgres' system user to run initdb as (initdb refuses to run as root)"
	fi

	dir=$(mktemp -d /tmp/switchboard-pg.XXXXXX)
	PG_THROWAWAY_DIR=$dir
	trap 'pg_throwaway_stop' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	if is_root; then chown postgres: "$dir"; fi

	log "starting a throwaway PostgreSQL $(pg_major "$PG_THROWAWAY_BIN") cluster in $dir ($PG_THROWAWAY_BIN)"
	pg_as_owner "$PG_THROWAWAY_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale --no-sync \
		>"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		die "initdb failed"
	}

	for port in $(seq 55432 55531); do
		pg_port_in_use "$port" && continue
		log="$dir/postgres.$port.log"
		if pg_as_owner "$PG_THROWAWAY_BIN/pg_ctl" -D "$dir/data" -l "$log" -w -t 60 \
			-o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
			start >/dev/null 2>&1; then
			started=$port
			break
		fi
		# Lost a race for the port: try the next one; anything else is fatal.
		if ! grep -qiE 'could not bind|address already in use' "$log" 2>/dev/null; then
			cat "$log" >&2 || true
			die "the throwaway PostgreSQL did not start (log above)"
		fi
	done
	[ -n "$started" ] || die "no free port between 55432 and 55531 on 127.0.0.1"

	for _ in $(seq 1 60); do
		"$PG_THROWAWAY_BIN/pg_isready" -q -h 127.0.0.1 -p "$started" && break
		sleep 0.5
	done
	"$PG_THROWAWAY_BIN/pg_isready" -q -h 127.0.0.1 -p "$started" || die "the throwaway PostgreSQL is not ready"

	export DATABASE_URL="postgres://postgres@127.0.0.1:$started/postgres"
	"$PG_THROWAWAY_BIN/psql" "$DATABASE_URL" -qAt -v ON_ERROR_STOP=1 \
		-c 'CREATE EXTENSION IF NOT EXISTS postgis' >/dev/null ||
		die "PostGIS does not load in the throwaway cluster"
	log "PostgreSQL with PostGIS $("$PG_THROWAWAY_BIN/psql" "$DATABASE_URL" -qAt -c 'SELECT postgis_lib_version()') ready: DATABASE_URL=$DATABASE_URL"
}

# DATABASE_URL with its password masked, for logs.
pg_shown_url() {
	printf '%s' "${DATABASE_URL:-}" | sed -E 's#//([^:/@]*):[^@]*@#//\1:***@#'
}

# Checks a DATABASE_URL given by the user (as far as psql is available to check it).
pg_check_database_url() {
	case $DATABASE_URL in
	postgres://* | postgresql://*) ;;
	*) die "DATABASE_URL must be a postgres:// URL for the tests (got '${DATABASE_URL%%:*}:…'); unset it to use a throwaway cluster" ;;
	esac
	local shown psql
	shown=$(pg_shown_url)
	psql=$(command -v psql || true)
	if [ -z "$psql" ]; then
		log "using DATABASE_URL=$shown (psql not installed: not checked beforehand)"
		return 0
	fi
	local facts
	facts=$("$psql" "$DATABASE_URL" -qAt -F ' ' -c \
		"SELECT (SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user),
		        EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis')" 2>&1) ||
		die "cannot connect to DATABASE_URL=$shown: $facts"
	case $facts in
	"t "*) ;;
	*) die "the role in DATABASE_URL=$shown cannot CREATE DATABASE (tests create one database each)" ;;
	esac
	case $facts in
	*" t") ;;
	*) die "PostGIS is not available on the server of DATABASE_URL=$shown (install postgresql-NN-postgis-3 there)" ;;
	esac
	log "using DATABASE_URL=$shown"
}

pg_ensure_database_url() {
	if [ -n "${DATABASE_URL:-}" ]; then
		pg_check_database_url
	else
		pg_throwaway_start
	fi
}
