# Legato: `make run` and `make test` work from a clean clone.
SHELL := /bin/bash
# uv from PATH, else the copy pip installs into this Python (`python3 -m uv`).
UV ?= $(or $(shell command -v uv 2>/dev/null),python3 -m uv)

.PHONY: setup services examples run test lint typecheck contracts pytest bench clean

setup:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen --all-groups --quiet
	@# byte-compile once: with PYTHONDONTWRITEBYTECODE set (as on some machines) every start
	@# would recompile SQLAlchemy, pydantic and our sources (about a second per `legato` call)
	@.venv/bin/python -m compileall -q -j 0 src .venv/lib >/dev/null 2>&1 || true

# The example flows that need nothing from outside this machine (no network, no scripts yet).
RUNNABLE_EXAMPLES := hello_world fanout_foreach_parallel retry_and_errors scheduled_report subflow_parent

# validate the example flows and run those that need nothing from outside, one by one
examples: setup
	$(UV) run --frozen legato flow validate examples/
	@for flow in $(RUNNABLE_EXAMPLES); do \
		echo "== legato run examples/$$flow.yaml"; \
		$(UV) run --frozen legato run examples/$$flow.yaml --flows examples || exit 1; \
	done
	$(UV) run --frozen legato expression render '{{ "Legato" | upper }} is ready: {{ range(1, 3) | join(",") }}'

# the examples, then the server (executor + worker) on the embedded store with the example
# flows deployed, until Ctrl-C
run: examples
	$(UV) run --frozen legato server standalone --flows examples/

lint: setup
	$(UV) run --frozen ruff check src tests bench
	$(UV) run --frozen ruff format --check src tests bench

typecheck: setup
	$(UV) run --frozen mypy

contracts: setup
	$(UV) run --frozen lint-imports

# PostgreSQL and a Docker engine, started (installed if missing) for the tests that use them
services:
	@./scripts/ensure-services

pytest: setup services
	$(UV) run --frozen pytest --cov=legato.expressions --cov-report=term:skip-covered \
		--cov-fail-under=100

test: lint typecheck contracts pytest

bench: setup
	$(UV) run --frozen python bench/expressions.py

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache .coverage
