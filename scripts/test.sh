#!/usr/bin/env bash
# make test: the import layers (import-linter), then the whole suite against a throwaway PostgreSQL cluster
# and a Redis of its own, with the system Chromium for the browser tests, and beside it the pages, browser
# journeys, sign-in and reminders on SQLite (the embedded default every newcomer meets first with `make run`),
# all but the tests that start a separate Celery worker, which the PostgreSQL run has. Arguments
# go to both pytest runs. Exits with the PostgreSQL run's status if it failed, else the SQLite run's, or 1
# when an import breaks the layers.
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

start_scratch_services portal-test "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"

export DATABASE_URL="postgres://portal@127.0.0.1:$pg_port/portal"
export DEBUG=true
export SECRET_KEY="test-only-secret-key-never-used-outside-make-test"
export CHROMIUM_PATH=/usr/bin/chromium

# On SQLite, what a newcomer's `make run` exercises: the pages, the browser journeys, sign-in and the
# reminders, not the rules already walked on PostgreSQL. Arguments naming tests replace this selection.
sqlite_selection=()
names_tests=false
for arg in "$@"; do [ -e "${arg%%::*}" ] && names_tests=true; done
# Browser tests whose server side does nothing particular to a database run once, on SQLite, so that the
# PostgreSQL run, the longer of the two, stays well within the suite's 15 minutes: the accessibility scans
# (axe on every page at both widths, the admin's included; about two minutes), and the player, the public
# pages, the questionnaires, sign-in and two-factor journeys (about two minutes more). The journeys whose
# requests take row locks, run the pain rules or queue reminders (plan builder, daily loop, red-flag hold,
# care team, reminders) run on both.
skipped_on_postgres=()
if ! $names_tests; then
    for module in accessibility admin player polish conditions outcomes sign_in two_factor; do
        skipped_on_postgres+=("--ignore=tests/e2e/test_$module.py")
    done
    for path in tests/e2e tests/security tests/accounts tests/portal tests/reminders tests/rehab/views \
        tests/careteam/test_views.py tests/careteam/test_timeline.py tests/conditions/test_views.py \
        tests/rehab/test_change_counters.py; do
        [ -e "$path" ] && sqlite_selection+=("$path")
    done
fi

# The two runs share the machine's two cores, so they run side by side: the SQLite one in the background,
# on a Redis database of its own (queued tasks, worker pings and cache keys never cross), its output shown
# when both are done.
say "The suite on PostgreSQL, and beside it the pages, journeys and reminders on SQLite"
sqlite_log="$scratch/sqlite-run.log"
# Its test database is a file (portal/env.py says why); in memory-backed /dev/shm where there is one, as on
# disk its writes cost the run about two minutes. pytest removes it at the end.
sqlite_dir="$scratch"
[ -d /dev/shm ] && [ -w /dev/shm ] && sqlite_dir=/dev/shm
sqlite_db="$sqlite_dir/$(basename "$scratch").sqlite3"
trap 'rm -f "$sqlite_db".*; stop_scratch_services' EXIT  # a run cut short leaves nothing in /dev/shm
(
    DATABASE_URL="sqlite:///$sqlite_db" REDIS_URL="${REDIS_URL%/*}/1" \
        .venv/bin/python -m pytest -m "not integration" "${sqlite_selection[@]}" "$@"
) >"$sqlite_log" 2>&1 &
sqlite_run=$!

pg_status=0
.venv/bin/python -m pytest "${skipped_on_postgres[@]}" "$@" || pg_status=$?

sqlite_status=0
wait "$sqlite_run" || sqlite_status=$?
# Status 5 is "no tests collected": what a run of only the integration tests leaves for SQLite.
[ "$sqlite_status" -eq 5 ] && sqlite_status=0
say "The SQLite run (without the separate Celery worker), status $sqlite_status"
cat "$sqlite_log"
[ "$pg_status" -ne 0 ] && exit "$pg_status"
exit "$sqlite_status"
