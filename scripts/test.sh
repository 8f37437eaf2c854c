#!/usr/bin/env bash
# Set up (once) and run every check: import contracts, lint, types, the test suite.
# With TEST_DATABASE_URL=postgresql+asyncpg://... the database tests run on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
.venv/bin/lint-imports
.venv/bin/ruff check .
.venv/bin/mypy bot handlers storage config cli emulator main.py scheduler.py tests benchmarks
.venv/bin/python -m pytest "$@"
