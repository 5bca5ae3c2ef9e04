#!/usr/bin/env bash
# Starts a local PostgreSQL for the tests and prints the connection string they read from AIGC_TEST_POSTGRES.
#
#   export AIGC_TEST_POSTGRES="$(eng/postgres.sh)"
#
# Idempotent: installs PostgreSQL with apt-get when it is missing, creates a cluster when there is none,
# starts it on 127.0.0.1:5432 when it is not running, and creates the test role and database when they are
# missing. Progress goes to stderr; stdout carries only the connection string.
# Settings (environment): AIGC_PG_PORT (5432), AIGC_PG_USER (aigc), AIGC_PG_PASSWORD (aigc),
# AIGC_PG_DATABASE (aigc_test).
set -euo pipefail

port="${AIGC_PG_PORT:-5432}"
user="${AIGC_PG_USER:-aigc}"
password="${AIGC_PG_PASSWORD:-aigc}"
database="${AIGC_PG_DATABASE:-aigc_test}"

log() { echo "postgres.sh: $*" >&2; }

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"
  elif command -v runuser >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n -u postgres -- "$@"
  else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  fi
}

# 1. Install when missing (Debian/Ubuntu).
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && ! command -v postgres >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || { log "PostgreSQL is not installed and apt-get is not available: install PostgreSQL 13 or later."; exit 1; }
  log "installing PostgreSQL (apt-get install -y postgresql)"
  run_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
  export DEBIAN_FRONTEND=noninteractive
  run_root apt-get install -y -q postgresql >&2 || { run_root apt-get update -q >&2 && run_root apt-get install -y -q postgresql >&2; }
fi

# 2. Start a cluster listening on 127.0.0.1:$port.
if command -v pg_lsclusters >/dev/null 2>&1; then
  # Debian's postgresql-common: pick the cluster on our port, or create one.
  read -r ver name status < <(pg_lsclusters --no-header 2>/dev/null | awk -v p="$port" '$3 == p { print $1, $2, $4; exit }') || true
  if [ -z "${ver:-}" ]; then
    ver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    name=main
    if pg_lsclusters --no-header | awk '{print $1, $2}' | grep -qx "$ver $name"; then name=aigc; fi
    log "creating cluster $ver/$name on port $port"
    pg_createcluster --port "$port" "$ver" "$name" >&2
    status=down
  fi
  if [ "${status:-down}" != online ]; then
    log "starting cluster $ver/$name"
    pg_ctlcluster "$ver" "$name" start >&2
  fi
else
  # Plain PostgreSQL binaries: a data folder of our own, started with pg_ctl.
  bindir=$(dirname "$(command -v postgres || ls /usr/lib/postgresql/*/bin/postgres | sort -V | tail -n 1)")
  data="${AIGC_PG_DATA:-/var/lib/postgresql/aigc-data}"
  if [ ! -f "$data/PG_VERSION" ]; then
    log "initialising $data"
    mkdir -p "$data" && chown postgres "$data" 2>/dev/null || true
    as_postgres "$bindir/initdb" -D "$data" -A scram-sha-256 --pwfile=<(echo postgres) >&2
  fi
  if ! as_postgres "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "starting $data"
    as_postgres "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -o "-p $port -c listen_addresses=127.0.0.1" -w start >&2
  fi
fi

# 3. Wait until it accepts connections.
for _ in $(seq 1 30); do
  if as_postgres psql -p "$port" -h /var/run/postgresql -Atqc 'select 1' >/dev/null 2>&1 \
     || as_postgres psql -p "$port" -Atqc 'select 1' >/dev/null 2>&1; then ready=1; break; fi
  sleep 1
done
[ "${ready:-0}" = 1 ] || { log "PostgreSQL did not start on port $port: see /var/log/postgresql/"; exit 1; }

psql_admin() { as_postgres psql -p "$port" -v ON_ERROR_STOP=1 -Atq "$@"; }

# 4. The test role (may create schemas in its database) and database.
if [ "$(psql_admin -c "select 1 from pg_roles where rolname = '$user'")" != 1 ]; then
  log "creating role $user"
  psql_admin -c "create role \"$user\" login password '$password'" >&2
else
  psql_admin -c "alter role \"$user\" login password '$password'" >&2
fi
if [ "$(psql_admin -c "select 1 from pg_database where datname = '$database'")" != 1 ]; then
  log "creating database $database"
  psql_admin -c "create database \"$database\" owner \"$user\"" >&2
fi

echo "Host=127.0.0.1;Port=$port;Username=$user;Password=$password;Database=$database"
