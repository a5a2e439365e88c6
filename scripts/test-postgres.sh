#!/usr/bin/env bash
# A private PostgreSQL cluster on loopback for the registry tests (Debian's postgresql package).
#   scripts/test-postgres.sh start   # prints export MEDMAAS_TEST_POSTGRES_URL=… ; eval it
#   scripts/test-postgres.sh stop
# The cluster lives in /tmp/medmaas-test-postgres, listens on 127.0.0.1:55432 only, and its
# password is generated for the run (scram-sha-256). Installs the package when it is missing.
set -euo pipefail
dir=/tmp/medmaas-test-postgres
port="${MEDMAAS_TEST_POSTGRES_PORT:-55432}"

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    if [ -z "$(pg_bin)" ]; then
      echo "installing postgresql (Debian)" >&2
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    fi
    bin="$(pg_bin)"
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast stop >&2 || true
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    password="$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
    printf '%s\n' "$password" > "$dir/password"
    [ "$(id -u)" = 0 ] && chown -R postgres "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U medmaas --pwfile="$dir/password" -A scram-sha-256 >&2
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir" start >&2
    rm -f "$dir/password"
    echo "export MEDMAAS_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:$port/postgres?user=medmaas&password=$password'"
    ;;
  stop)
    bin="$(pg_bin)"
    if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
      as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast stop >&2
    fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
