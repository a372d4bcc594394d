#!/usr/bin/env bash
# Lighthouse's mobile performance score for Today, a condition article and the plan builder, and the weight of
# a first visit to Today (bench/first_visit.py), against a production-like server: gunicorn with 2 workers and
# DEBUG off, static files collected (hashed, compressed) and served by WhiteNoise, on a throwaway PostgreSQL
# and Redis (`start_scratch_services`, as make test uses) with the demo data. Not a test; targets: 95 or more
# on each page, 100 KB or less for the first visit.
#
#   bash bench/lighthouse.sh                                   # starts and stops its own server
#   BASE_URL=http://127.0.0.1:8000 bash bench/lighthouse.sh    # a server with the demo data that runs already
#
# Chromium reaches nothing but this machine: other host names do not resolve and every other connection goes
# to a proxy address where nothing listens. Reports are written to var/lighthouse/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_venv requirements.txt
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
[ -x "${CHROME_PATH:-/usr/bin/chromium}" ] || apt_install chromium
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
if [ ! -x tools/lighthouse/node_modules/.bin/lighthouse ]; then
    say "installing Lighthouse into tools/lighthouse"
    (cd tools/lighthouse && npm ci --no-audit --no-fund --loglevel error) || fail "npm ci in tools/lighthouse failed"
fi

server_pid=""
stop_server() {
    if [ -n "$server_pid" ]; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    [ -n "${scratch:-}" ] && stop_scratch_services
    return 0
}

if [ -z "${BASE_URL:-}" ]; then
    start_scratch_services portal-lighthouse
    trap stop_server EXIT
    "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U portal portal
    export DATABASE_URL="postgres://portal@127.0.0.1:$pg_port/portal" LOG_LEVEL=WARNING
    DEBUG=true .venv/bin/python manage.py migrate --no-input -v 0
    DEBUG=true .venv/bin/python manage.py seed_demo >/dev/null
    # Production settings, less what needs a real domain: plain HTTP on loopback, an SMTP host never used.
    export DEBUG=false SECURE_SSL_REDIRECT=false ALLOWED_HOSTS=127.0.0.1,localhost EMAIL_HOST=localhost \
        PORTAL_BASE_URL=https://localhost
    SECRET_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')
    export SECRET_KEY
    .venv/bin/python manage.py collectstatic --no-input -v 0
    port=$(free_port)
    .venv/bin/gunicorn portal.wsgi --bind "127.0.0.1:$port" --workers 2 --log-level warning &
    server_pid=$!
    BASE_URL="http://127.0.0.1:$port"
    .venv/bin/python - "$BASE_URL/accounts/sign-in/" <<'PY' || fail "gunicorn did not answer within 30 seconds"
import sys, time, urllib.request
for _ in range(60):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=3)
        sys.exit(0)
    except OSError:
        time.sleep(0.5)
sys.exit(1)
PY
    say "gunicorn (2 workers, DEBUG off) at $BASE_URL"
fi
case "$BASE_URL" in
    http://127.0.0.1:* | http://localhost:*) ;;
    *) fail "BASE_URL must be a server on this machine (http://127.0.0.1:PORT), got $BASE_URL" ;;
esac

runs="${RUNS:-3}"
[[ "$runs" =~ ^[1-9][0-9]?$ ]] || fail "RUNS must be a number from 1 to 99, got '$runs'"
out=var/lighthouse
rm -rf "$out" && mkdir -p "$out"
patient_cookie=$(.venv/bin/python bench/first_visit.py --base-url "$BASE_URL" --email patient@demo.test --cookie-only)
physio_cookie=$(.venv/bin/python bench/first_visit.py --base-url "$BASE_URL" --email physio@demo.test --cookie-only)

# The portal's own condition article, and the plan builder of the first patient on the physio's list.
article=/conditions/hamstring-tendinopathy/
builder=$(curl -sf --max-time 30 -H "Cookie: $physio_cookie" "$BASE_URL/rehab/patients/" \
    | grep -oE '/rehab/patients/[0-9a-f-]{36}/plan/' | head -n 1 || true)
[ -n "$builder" ] || fail "no plan builder linked from /rehab/patients/"

say "first visit to Today, signed in as the demo patient"
.venv/bin/python bench/first_visit.py --base-url "$BASE_URL" --path /rehab/today/ --budget-kb 100 || true

chrome_flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
chrome_flags+=" --disable-sync --disable-default-apps --no-first-run --disable-domain-reliability"
chrome_flags+=' --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"'
chrome_flags+=" --proxy-server=http://127.0.0.1:9 --proxy-bypass-list=localhost;127.0.0.1"

# Each page RUNS times (3 unless set); the run with the median score is shown, as Lighthouse advises, since
# its simulated throttling scales what it observes and a busy machine makes single runs vary.
lighthouse_page() { # NAME PATH COOKIE
    local name=$1 path=$2 cookie=$3 run
    .venv/bin/python -c 'import json, sys; print(json.dumps({"Cookie": sys.argv[1]} if sys.argv[1] else {}))' \
        "$cookie" >"$out/$name.headers.json"
    for run in $(seq "$runs"); do
        tools/lighthouse/node_modules/.bin/lighthouse "$BASE_URL$path" --quiet --only-categories=performance \
            --form-factor=mobile --output=json --output-path="$out/$name-$run.json" \
            --extra-headers="$out/$name.headers.json" --chrome-flags="$chrome_flags" >/dev/null 2>"$out/$name.log" \
            || { cat "$out/$name.log" >&2; fail "Lighthouse failed on $path"; }
    done
    rm -f "$out/$name.headers.json"
    .venv/bin/python - "$name" "$path" "$out/$name"-*.json <<'PY'
import json, sys
name, path, files = sys.argv[1], sys.argv[2], sys.argv[3:]
reports = []
for file in files:
    report = json.load(open(file))
    if report.get("runtimeError"):
        sys.exit(f"{path}: {report['runtimeError']['message']}")
    if report["finalDisplayedUrl"].rstrip("/").endswith("sign-in"):
        sys.exit(f"{path}: Lighthouse was sent to the sign-in page")
    reports.append((round(report["categories"]["performance"]["score"] * 100), report))
reports.sort(key=lambda pair: pair[0])
score, report = reports[len(reports) // 2]
audits = report["audits"]
metric = lambda key: audits[key]["displayValue"]
print(
    f"{name:<13} {score:>6}  ({', '.join(str(each) for each, _ in reports)})  "
    f"FCP {metric('first-contentful-paint')}, LCP {metric('largest-contentful-paint')}, "
    f"TBT {metric('total-blocking-time')}, CLS {metric('cumulative-layout-shift')}, "
    f"{audits['total-byte-weight']['numericValue'] / 1024:.0f} KB  {path}"
)
PY
}

say "Lighthouse $(tools/lighthouse/node_modules/.bin/lighthouse --version), mobile, performance, $runs runs a page (target: 95 or more)"
printf '%-13s %6s  %s\n' page median "(each run)  the median run's metrics"
lighthouse_page today /rehab/today/ "$patient_cookie"
lighthouse_page article "$article" ""
lighthouse_page plan-builder "$builder" "$physio_cookie"
