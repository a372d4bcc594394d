.PHONY: run test lint format

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
