#!/usr/bin/env bash
# The page benchmark (bench/load.py, docs/performance.md): the portal in production mode at clinic scale, each
# page driven by wrk and compared with a trivial view on the same server. Installs wrk (Debian) when missing,
# starts a throwaway PostgreSQL and Redis (`start_scratch_services`, as make test does), sets the production
# environment and runs bench/load.py, which seeds, starts gunicorn and prints the table. Everything it started
# is stopped on exit. Arguments go to bench/load.py, e.g. `bash bench/load.sh --duration 30`. The output is also
# written to var/bench/load-last.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_venv requirements-dev.txt  # the test factories name the seeded patients
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v redis-server >/dev/null || missing+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

# PostgreSQL with its defaults (fsync on), as a clinic would run it.
start_scratch_services portal-bench-load
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U portal portal_bench

# bench/load.py stops gunicorn itself; this catches a run killed before it could.
stop_all() {
    if [ -f "$scratch/gunicorn.pid" ]; then
        kill -TERM "$(cat "$scratch/gunicorn.pid")" 2>/dev/null || true
        sleep 2
    fi
    stop_scratch_services
}
trap stop_all EXIT

# Production settings from the environment, as README's "Running it in production" sets them. The TLS proxy
# is stood in for by the X-Forwarded-Proto header every request of the benchmark carries, so secure cookies,
# HSTS and the HTTPS redirect stay on. No email is sent; EMAIL_HOST only satisfies the start-up check.
export DJANGO_SETTINGS_MODULE=bench.settings BENCH_STATIC_ROOT="$scratch/static" BENCH_RUN_DIR="$scratch"
export DEBUG=false ALLOWED_HOSTS=127.0.0.1 BEHIND_TLS_PROXY=true EMAIL_HOST=127.0.0.1 LOG_LEVEL=WARNING
SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')"
export SECRET_KEY
export DATABASE_URL="postgres://portal@127.0.0.1:$pg_port/portal_bench"

mkdir -p var/bench
.venv/bin/python bench/load.py "$@" | tee var/bench/load-last.md
