#!/usr/bin/env bash
# The reminders benchmark (bench/reminders_load.py) on SQLite and on PostgreSQL, each with an empty
# database, on a throwaway PostgreSQL cluster and Redis of its own (`start_scratch_services`, as make test
# uses). Arguments go to both runs, e.g. `bash bench/reminders.sh --schedules 20000`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_venv requirements-dev.txt
start_scratch_services portal-bench
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U portal portal_bench

export DEBUG=true SECRET_KEY="bench-only-secret-key" LOG_LEVEL=WARNING
DATABASE_URL="sqlite:///$scratch/bench.sqlite3" .venv/bin/python bench/reminders_load.py "$@"
DATABASE_URL="postgres://portal@127.0.0.1:$pg_port/portal_bench" .venv/bin/python bench/reminders_load.py "$@"
