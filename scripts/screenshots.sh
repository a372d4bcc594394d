#!/usr/bin/env bash
# make screenshots: the README's pictures of Today, the exercise player and the plan builder, at a phone's
# 375 px and a desktop's 1280 px, taken in the system Chromium from a fresh demo portal (SQLite and a Redis
# of its own, both thrown away afterwards). Writes docs/screenshots/*.png.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_venv requirements-dev.txt
command -v redis-server >/dev/null || apt_install redis-server
[ -x /usr/bin/chromium ] || apt_install chromium

scratch=$(mktemp -d /tmp/portal-screenshots.XXXXXX)
children=()
cleanup() {
    kill -TERM "${children[@]}" 2>/dev/null || true
    wait "${children[@]}" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$scratch" \
    --loglevel warning --logfile "$scratch/redis.log" &
children+=($!)
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
wait_for_redis "$REDIS_URL"

export DEBUG=true SECRET_KEY="screenshots-only-secret-key" DATABASE_URL="sqlite:///$scratch/portal.sqlite3"
export LOG_LEVEL=WARNING
.venv/bin/python manage.py migrate --no-input -v 0
.venv/bin/python manage.py seed_demo >/dev/null
web_port=$(free_port)
.venv/bin/python manage.py runserver "127.0.0.1:$web_port" --noreload >"$scratch/web.log" 2>&1 &
children+=($!)

mkdir -p docs/screenshots
.venv/bin/python scripts/screenshots.py "http://127.0.0.1:$web_port" docs/screenshots
say "screenshots written to docs/screenshots/"
