#!/usr/bin/env bash
# make css: installs the pinned build tools (package-lock.json) into tools/css/node_modules when they are
# missing or changed, then runs build.mjs, which writes static/vendor/bootstrap/bootstrap.trimmed.min.{css,js}.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/common.sh

ensure_venv requirements.txt # build.mjs reads crispy-bootstrap5's templates from .venv
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
cd tools/css
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing the CSS build tools into tools/css/node_modules"
    npm ci --no-audit --no-fund --loglevel error || fail "npm ci in tools/css failed"
fi
node build.mjs
