#!/bin/sh
# Install PostgreSQL from the distribution's packages, start it, create a test role and database,
# and print the line that points the central test suite at it:
#
#     eval "$(sh .ci/postgres.sh)"    # sets HALLCLIENT_TEST_PG_URL
#
# Run as root (or with sudo) on a clean Debian/Ubuntu machine. Progress goes to stderr; stdout
# carries only the export line. Idempotent: a second run reuses the cluster, role and database.
set -eu

ROLE="${HALLCLIENT_PG_ROLE:-hallclient}"
PASSWORD="${HALLCLIENT_PG_PASSWORD:-hallclient}"
DATABASE="${HALLCLIENT_PG_DATABASE:-hallclient_test}"
PORT="${HALLCLIENT_PG_PORT:-5432}"

log() { echo "postgres.sh: $*" >&2; }

if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    log "not root and no sudo: PostgreSQL tests will be skipped"
    exit 0
fi

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    log "installing postgresql"
    $SUDO apt-get update -qq >&2
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
fi

VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if ! $SUDO pg_lsclusters -h 2>/dev/null | awk '{print $1 " " $2}' | grep -qx "$VERSION main"; then
    log "creating cluster $VERSION/main"
    $SUDO pg_createcluster "$VERSION" main --port "$PORT" >&2
fi
if ! $SUDO pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
    log "starting cluster $VERSION/main"
    $SUDO pg_ctlcluster "$VERSION" main start >&2
fi
PORT="$($SUDO pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" {print $3}')"

as_postgres() {  # run a command as the postgres user, root or sudo alike
    if [ -z "$SUDO" ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

tries=0
until as_postgres pg_isready -q -p "$PORT"; do
    tries=$((tries + 1))
    [ "$tries" -lt 30 ] || { log "PostgreSQL did not become ready"; exit 1; }
    sleep 1
done

psql_as_postgres() {
    as_postgres psql -p "$PORT" -v ON_ERROR_STOP=1 -qtA -c "$1"
}

if [ "$(psql_as_postgres "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != 1 ]; then
    log "creating role $ROLE"
    psql_as_postgres "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'"
fi
if [ "$(psql_as_postgres "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != 1 ]; then
    log "creating database $DATABASE"
    psql_as_postgres "CREATE DATABASE $DATABASE OWNER $ROLE"
fi

echo "export HALLCLIENT_TEST_PG_URL='postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE'"
