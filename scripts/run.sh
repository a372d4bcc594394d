#!/usr/bin/env bash
# make run: the whole portal with demo data (web, one Celery worker, Celery beat, Redis) as one process group.
# Ctrl-C stops all of it; data stays in var/ for the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

export DEBUG="${DEBUG:-true}"
# Static files as production serves them (portal/settings.py): hashed names cached for a year, gzip and Brotli.
export COLLECTED_STATIC="${COLLECTED_STATIC:-true}"
PORT="${PORT:-8000}"
HOST="${HOST:-127.0.0.1}"
[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ] || fail "PORT must be a number from 1 to 65535, got '$PORT'"
# Links in reminder emails point back at this server.
export PORTAL_BASE_URL="${PORTAL_BASE_URL:-http://$HOST:$PORT}"
mkdir -p var

ensure_venv requirements.txt
.venv/bin/python -c 'import socket, sys; socket.create_server((sys.argv[1], int(sys.argv[2]))).close()' "$HOST" "$PORT" \
    2>/dev/null || fail "port $PORT on $HOST is already in use: stop what uses it, or choose another with PORT=8765 make run"

children=()
stop_all() {
    trap - INT TERM EXIT
    if [ ${#children[@]} -gt 0 ]; then
        say "stopping the portal"
        kill -TERM "${children[@]}" 2>/dev/null || true
        wait "${children[@]}" 2>/dev/null || true
    fi
}
trap stop_all EXIT
trap 'stop_all; exit 130' INT TERM

if [ -n "${REDIS_URL:-}" ]; then
    say "using Redis at $REDIS_URL"
else
    if ! command -v redis-server >/dev/null; then
        is_root || fail "redis-server is missing: install it with 'sudo apt-get install redis-server', or set REDIS_URL"
        apt_install redis-server
    fi
    redis_port=$(free_port)
    mkdir -p var/redis
    redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$PWD/var/redis" --save 60 1 \
        --appendonly no --loglevel warning --logfile "$PWD/var/redis/redis.log" &
    children+=($!)
    export REDIS_URL="redis://127.0.0.1:$redis_port/0"
    say "started Redis on port $redis_port"
fi
wait_for_redis "$REDIS_URL"

.venv/bin/python manage.py migrate --no-input -v 0
seed_output=$(.venv/bin/python manage.py seed_demo)

# collectstatic again only when static/ or the installed packages (the admin's files) changed since last time.
if [ ! -f staticfiles/staticfiles.json ] \
    || [ -n "$(find static .venv/.installed-requirements.txt -newer staticfiles/staticfiles.json -print -quit)" ]; then
    say "collecting static files into staticfiles/ (hashed names, gzip and Brotli copies)"
    .venv/bin/python manage.py collectstatic --no-input --clear -v 0
fi

# --nostatic: WhiteNoise (in the middleware) serves the static files, compressed and with cache headers.
.venv/bin/python manage.py runserver "$HOST:$PORT" --noreload --nostatic &
children+=($!)
.venv/bin/celery -A portal worker --loglevel INFO --hostname "portal@%h" &
children+=($!)
.venv/bin/celery -A portal beat --loglevel INFO --pidfile= &
children+=($!)

# Wait until the web server answers and a worker replies to /health/'s ping, so the banner comes last.
.venv/bin/python - "http://$HOST:$PORT/health/" <<'PY' || fail "the portal did not become healthy within 60 seconds"
import sys, time, urllib.request
for _ in range(120):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=3)
        sys.exit(0)
    except OSError:  # not listening yet, or 503 while the worker starts
        time.sleep(0.5)
sys.exit(1)
PY

cat <<TXT

============================================================================
 The hamstring rehab portal is running: http://$HOST:$PORT/
 Service status:                        http://$HOST:$PORT/health/
$(printf '%s\n' "$seed_output" | sed 's/^/ /')
 Press Ctrl-C to stop the web server, the worker, beat and Redis.
============================================================================

TXT

# If any part stops, stop the rest: a portal without its worker would silently drop reminders.
set +e
wait -n "${children[@]}"
status=$?
[ "$status" -eq 0 ] || say "a part of the portal stopped with status $status"
exit "$status"
