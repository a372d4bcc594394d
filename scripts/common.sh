# Shared by run.sh, test.sh and the benchmarks: the virtualenv, Debian packages, free ports, and a
# throwaway PostgreSQL and Redis.
# shellcheck shell=bash

say() { printf '==> %s\n' "$*"; }
fail() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# apt_install PACKAGE...: install Debian packages, or stop with one line saying how to get them.
apt_updated=""
apt_install() {
    if ! is_root; then
        fail "missing Debian package(s): $*. Install them with: sudo apt-get install -y $*"
    fi
    if [ -z "$apt_updated" ]; then
        say "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq || fail "apt-get update failed"
        apt_updated=1
    fi
    say "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
        || fail "apt-get install $* failed"
}

# ensure_venv REQUIREMENTS_FILE: create .venv and install the file when it changed since the last install.
ensure_venv() {
    local requirements=$1 stamp
    if [ ! -x .venv/bin/python ]; then
        if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
            apt_install python3-venv
        fi
        say "creating .venv with $(python3 --version)"
        python3 -m venv .venv || fail "python3 -m venv .venv failed"
    fi
    stamp=".venv/.installed-$(basename "$requirements")"
    if [ ! -f "$stamp" ] || ! cmp -s "$stamp" <(cat requirements*.txt); then
        say "installing $requirements into .venv"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements" \
            || fail "pip install -r $requirements failed"
        cat requirements*.txt > "$stamp"
    fi
}

free_port() {
    .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for_redis URL: up to 10 seconds.
wait_for_redis() {
    .venv/bin/python - "$1" <<'PY' || fail "Redis at $1 did not answer within 10 seconds"
import sys, time, redis
client = redis.Redis.from_url(sys.argv[1], socket_connect_timeout=1)
for _ in range(50):
    try:
        client.ping()
        sys.exit(0)
    except redis.RedisError:
        time.sleep(0.2)
sys.exit(1)
PY
}

# start_scratch_services NAME [POSTGRES_OPTIONS]: a throwaway PostgreSQL cluster (database user portal, trust
# on 127.0.0.1) and a Redis of its own in a new folder, both stopped and removed when the script exits. Sets
# scratch, pg_port and REDIS_URL (exported). Run as root, PostgreSQL runs as the postgres user.
start_scratch_services() {
    local name=$1 pg_options=${2:-} redis_port
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    scratch=$(mktemp -d "/tmp/$name.XXXXXX")
    chmod 755 "$scratch"
    run_as_postgres=()
    if is_root; then
        # PostgreSQL refuses to run as root.
        chown postgres "$scratch"
        run_as_postgres=(runuser -u postgres --)
    fi
    trap stop_scratch_services EXIT

    pg_port=$(free_port)
    "${run_as_postgres[@]}" "$pg_bin/initdb" -D "$scratch/pg" -U portal -A trust -E UTF8 --no-sync >/dev/null \
        || fail "initdb failed"
    "${run_as_postgres[@]}" "$pg_bin/pg_ctl" -D "$scratch/pg" -l "$scratch/pg.log" -w -o \
        "-p $pg_port -k $scratch -c listen_addresses=127.0.0.1 $pg_options" \
        start >/dev/null || { cat "$scratch/pg.log" >&2; fail "PostgreSQL did not start"; }
    say "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on port $pg_port"

    redis_port=$(free_port)
    redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
        --pidfile "$scratch/redis.pid" --logfile "$scratch/redis.log" --dir "$scratch" >/dev/null
    export REDIS_URL="redis://127.0.0.1:$redis_port/0"
    wait_for_redis "$REDIS_URL"
    say "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) on port $redis_port"
}

stop_scratch_services() {
    "${run_as_postgres[@]}" "$pg_bin/pg_ctl" -D "$scratch/pg" -m immediate stop >/dev/null 2>&1 || true
    [ -f "$scratch/redis.pid" ] && kill "$(cat "$scratch/redis.pid")" 2>/dev/null || true
    rm -rf "$scratch"
}
