#!/usr/bin/env bash
# make test: the import layers (import-linter), then the whole suite against a throwaway PostgreSQL cluster
# and a Redis of its own, with the system Chromium for the browser tests, then the suite again on SQLite (the
# embedded default every newcomer meets first with `make run`), all but the tests that start a separate Celery
# worker, which cannot share an in-memory database. Arguments go to both pytest runs. Exits with the first
# failing run's status, or 1 when an import breaks the layers.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_venv requirements-dev.txt

# Before anything starts: a back-edge between the apps fails the build (contract in pyproject.toml). Run from
# the project root, which lint-imports puts on the import path.
.venv/bin/lint-imports --no-logo || fail "an import breaks the app layers: see the broken contract above"

missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
scratch=$(mktemp -d /tmp/portal-test.XXXXXX)
chmod 755 "$scratch"
run_as_postgres=()
if is_root; then
    # PostgreSQL refuses to run as root.
    chown postgres "$scratch"
    run_as_postgres=(runuser -u postgres --)
fi

cleanup() {
    "${run_as_postgres[@]}" "$pg_bin/pg_ctl" -D "$scratch/pg" -m immediate stop >/dev/null 2>&1 || true
    [ -f "$scratch/redis.pid" ] && kill "$(cat "$scratch/redis.pid")" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

pg_port=$(free_port)
"${run_as_postgres[@]}" "$pg_bin/initdb" -D "$scratch/pg" -U portal -A trust -E UTF8 --no-sync >/dev/null \
    || fail "initdb failed"
"${run_as_postgres[@]}" "$pg_bin/pg_ctl" -D "$scratch/pg" -l "$scratch/pg.log" -w -o \
    "-p $pg_port -k $scratch -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$scratch/pg.log" >&2; fail "PostgreSQL did not start"; }
say "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on port $pg_port"

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$scratch/redis.pid" --logfile "$scratch/redis.log" --dir "$scratch" >/dev/null
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
wait_for_redis "$REDIS_URL"
say "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) on port $redis_port"

export DATABASE_URL="postgres://portal@127.0.0.1:$pg_port/portal"
export DEBUG=true
export SECRET_KEY="test-only-secret-key-never-used-outside-make-test"
export CHROMIUM_PATH=/usr/bin/chromium

say "The suite on PostgreSQL"
.venv/bin/python -m pytest "$@" || exit $?

say "The suite on SQLite (without the separate Celery worker)"
DATABASE_URL="sqlite:///$scratch/portal.sqlite3" .venv/bin/python -m pytest -m "not integration" "$@"
