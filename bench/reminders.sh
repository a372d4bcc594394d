#!/usr/bin/env bash
# The reminders benchmark (bench/reminders_load.py) on SQLite and on PostgreSQL, each with an empty database, on a
# throwaway PostgreSQL cluster and Redis of its own (as scripts/test.sh makes them). Arguments go to both
# runs, e.g. `bash bench/reminders.sh --schedules 20000`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_venv requirements-dev.txt
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
scratch=$(mktemp -d /tmp/portal-bench.XXXXXX)
chmod 755 "$scratch"
run_as_postgres=()
if is_root; then
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
"${run_as_postgres[@]}" "$pg_bin/initdb" -D "$scratch/pg" -U portal -A trust -E UTF8 --no-sync >/dev/null
"${run_as_postgres[@]}" "$pg_bin/pg_ctl" -D "$scratch/pg" -l "$scratch/pg.log" -w -o \
    "-p $pg_port -k $scratch -c listen_addresses=127.0.0.1" start >/dev/null
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U portal portal_bench

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$scratch/redis.pid" --logfile "$scratch/redis.log" --dir "$scratch" >/dev/null
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
wait_for_redis "$REDIS_URL"

export DEBUG=true SECRET_KEY="bench-only-secret-key" LOG_LEVEL=WARNING
DATABASE_URL="sqlite:///$scratch/bench.sqlite3" .venv/bin/python bench/reminders_load.py "$@"
DATABASE_URL="postgres://portal@127.0.0.1:$pg_port/portal_bench" .venv/bin/python bench/reminders_load.py "$@"
