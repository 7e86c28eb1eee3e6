#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests and export EVENTCODER_TEST_PG.
#
# Source it (`. .ci/postgres.sh`) so the variable reaches pytest; running it prints the export
# line instead. Idempotent: a server this script already started is reused in well under a second.
# Installs Debian's postgresql with apt-get (through sudo when not root) when no server binaries
# are present. Run as root, the server runs as the unprivileged `postgres` user (initdb refuses
# root); otherwise as the calling user. It listens on 127.0.0.1 only, on a free port, with its
# data, socket and log under $EVENTCODER_PG_DIR (default /tmp/eventcoder-pg).
# Safe under `set -euo pipefail` (scripts/test sources it that way).

_eventcoder_pg_bindir() {
    # the newest installed server version's bin directory, empty if none (status 0 either way)
    local dir newest=""
    for dir in "${EVENTCODER_PG_LIBDIR:-/usr/lib/postgresql}"/*/bin; do
        [ -x "$dir/initdb" ] || continue
        if [ -z "$newest" ] || [ "$(printf '%s\n%s\n' "$newest" "$dir" | sort -V | tail -n 1)" = "$dir" ]; then
            newest="$dir"
        fi
    done
    echo "$newest"
}

_eventcoder_pg_apt_install() {
    # install Debian's postgresql, updating the package lists when the first try fails
    local sudo=""
    if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
    echo "postgres.sh: installing postgresql with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q postgresql >&2 \
        || { $sudo apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q postgresql >&2; }
}

_eventcoder_pg_as() {
    # run a command as the server's owner
    if [ "$(id -un)" = "$_EC_PG_USER" ]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1; then
        runuser -u "$_EC_PG_USER" -- "$@"
    else
        su -s /bin/sh "$_EC_PG_USER" -c "$(printf '%q ' "$@")"
    fi
}

_eventcoder_pg_free_port() {
    # a TCP port nobody listens on, from 55432 up
    local port=55432
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        port=$((port + 1))
    done
    echo "$port"
}

_eventcoder_pg_start() {
    local root="${EVENTCODER_PG_DIR:-/tmp/eventcoder-pg}"
    local db="${EVENTCODER_PG_DB:-eventcoder_test}"
    if [ "$(id -u)" = "0" ]; then
        _EC_PG_USER="${EVENTCODER_PG_USER:-postgres}"
    else
        _EC_PG_USER="${EVENTCODER_PG_USER:-$(id -un)}"
    fi
    local bindir
    bindir="$(_eventcoder_pg_bindir)"
    if [ -z "$bindir" ]; then
        _eventcoder_pg_apt_install \
            || { echo "postgres.sh: apt-get install postgresql failed; install it by hand" >&2; return 1; }
        bindir="$(_eventcoder_pg_bindir)"
        if [ -z "$bindir" ]; then
            echo "postgres.sh: no initdb under ${EVENTCODER_PG_LIBDIR:-/usr/lib/postgresql}/*/bin after install" >&2
            return 1
        fi
    fi
    if ! id "$_EC_PG_USER" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /bin/sh "$_EC_PG_USER" >&2 \
            || { echo "postgres.sh: cannot create user $_EC_PG_USER; set EVENTCODER_PG_USER" >&2; return 1; }
    fi

    local port=""
    if [ -f "$root/port" ] && [ -f "$root/data/postmaster.pid" ]; then
        port="$(cat "$root/port")"
        if ! "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"; then
            # a stale pid file from a killed server: start it again on the same data
            port=""
        fi
    fi
    if [ -z "$port" ]; then
        mkdir -p "$root"
        if [ "$(id -un)" != "$_EC_PG_USER" ]; then chown "$_EC_PG_USER" "$root"; fi
        chmod 700 "$root"
        if [ ! -f "$root/data/PG_VERSION" ]; then
            _eventcoder_pg_as "$bindir/initdb" -D "$root/data" -U postgres --auth=trust \
                --encoding=UTF8 --locale=C.UTF-8 >"$root/initdb.log" 2>&1 \
                || { echo "postgres.sh: initdb failed, see $root/initdb.log" >&2; return 1; }
        fi
        port="$(_eventcoder_pg_free_port)"
        _eventcoder_pg_as "$bindir/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 30 \
            -o "-p $port -k $root -c listen_addresses=127.0.0.1 -c fsync=off" start >&2 \
            || { echo "postgres.sh: server did not start, see $root/server.log" >&2; return 1; }
        echo "$port" >"$root/port"
    fi
    local exists
    exists="$("$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$db'" postgres)" || return 1
    if [ "$exists" != "1" ]; then
        "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db" || return 1
    fi
    EVENTCODER_TEST_PG="postgresql://postgres@127.0.0.1:$port/$db"
    export EVENTCODER_TEST_PG
    echo "export EVENTCODER_TEST_PG=$EVENTCODER_TEST_PG"
}

_eventcoder_pg_start
