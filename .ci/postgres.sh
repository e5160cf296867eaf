# Sourced by .ci/run: start a throw-away PostgreSQL server for tests/search
# (several worker processes sharing one Optuna study) and stop it on exit.
# Sets SKDL_TEST_POSTGRES_URL when the server is up; without it those tests
# skip and say why.

pg_bin() {
    local dir
    for dir in "" /usr/lib/postgresql/*/bin; do
        if [ -z "$dir" ] && command -v pg_ctl >/dev/null 2>&1; then
            dirname "$(command -v pg_ctl)"; return 0
        elif [ -n "$dir" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"; return 0
        fi
    done
    return 1
}

start_postgres() {
    local bin port=55432
    if ! bin=$(pg_bin) && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "ci: installing PostgreSQL (apt)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
            || { apt-get update -qq >/dev/null && \
                 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } \
            || true
        bin=$(pg_bin) || true
    fi
    if [ -z "${bin:-}" ]; then
        echo "ci: no PostgreSQL available; its tests will skip"; return 0
    fi
    PG_DIR=$(mktemp -d)
    # The server refuses to run as root: use the postgres account then.
    PG_AS=()
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd -r -M postgres
        chown postgres "$PG_DIR"
        # (from /, since the postgres user may not enter the current folder)
        PG_AS=(runuser -u postgres -- sh -c 'cd / && exec "$@"' sh)
    fi
    local psql
    psql=$(command -v psql || echo "$bin/psql")
    PG_CTL="$bin/pg_ctl"  # set first, so stop_postgres stops a half-started server
    "${PG_AS[@]}" "$bin/initdb" -D "$PG_DIR/data" -A trust -U skdl >"$PG_DIR/initdb.log" 2>&1 \
        && "${PG_AS[@]}" "$PG_CTL" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
            -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null \
        && "$psql" -q -h 127.0.0.1 -p "$port" -U skdl -d postgres \
            -c "CREATE DATABASE skdl_test" >/dev/null \
        || { echo "ci: PostgreSQL did not start; its tests will skip"; \
             cat "$PG_DIR/initdb.log" "$PG_DIR/server.log" 2>/dev/null | tail -5; return 0; }
    export SKDL_TEST_POSTGRES_URL="postgresql+psycopg2://skdl@127.0.0.1:$port/skdl_test"
    echo "ci: PostgreSQL up at $SKDL_TEST_POSTGRES_URL"
}

stop_postgres() {
    if [ -n "${PG_CTL:-}" ]; then
        "${PG_AS[@]}" "$PG_CTL" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
        echo "ci: PostgreSQL stopped"
    fi
    [ -n "${PG_DIR:-}" ] && rm -rf "$PG_DIR"
}
