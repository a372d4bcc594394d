.PHONY: run test lint format

# The whole portal with demo data: web, Celery worker, beat and Redis. PORT=8765 make run for another port.
run:
	@bash scripts/run.sh

# The whole suite on a throwaway PostgreSQL and Redis. Pass pytest arguments with ARGS="-k health".
test:
	@bash scripts/test.sh $(ARGS)

lint:
	@bash -c 'source scripts/common.sh && ensure_venv requirements-dev.txt'
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	DEBUG=true .venv/bin/mypy .

format:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .
