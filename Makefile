.PHONY: run test lint format css bench screenshots

# The whole portal with demo data: web, Celery worker, beat and Redis. PORT=8765 make run for another port.
run:
	@bash scripts/run.sh

# The import layers, then the whole suite on a throwaway PostgreSQL and Redis. Pass pytest arguments with
# ARGS="-k health".
test:
	@bash scripts/test.sh $(ARGS)

# ruff, mypy and import-linter (the layers contract in pyproject.toml).
lint:
	@bash -c 'source scripts/common.sh && ensure_venv requirements-dev.txt'
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	DEBUG=true .venv/bin/mypy .
	.venv/bin/lint-imports --no-logo

format:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# The page benchmark (docs/performance.md): production mode at clinic scale, wrk against every page. Pass
# arguments with ARGS="--duration 30".
bench:
	@bash bench/load.sh $(ARGS)

# Trim the vendored Bootstrap CSS and JS to what the templates use (tools/css/build.mjs). Run it after adding a
# template or a Bootstrap class, and commit static/vendor/bootstrap/bootstrap.trimmed.min.{css,js}.
css:
	@bash tools/css/build.sh

# The README's screenshots of Today, the exercise player and the plan builder at 375 and 1280 px
# (docs/screenshots/), taken in the system Chromium from a throwaway demo portal.
screenshots:
	@bash scripts/screenshots.sh
