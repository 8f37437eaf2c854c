#!/usr/bin/env bash
# Set up (once; pip again only when pyproject.toml changed) and run every check: import
# contracts, lint, types, the test suite.
# With TEST_DATABASE_URL=postgresql+asyncpg://... the database tests run on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
ensure_venv '.[test]' .lotse-installed-test
.venv/bin/lint-imports
.venv/bin/ruff check .
.venv/bin/mypy bot handlers storage config cli emulator web main.py scheduler.py wiring.py tests benchmarks
.venv/bin/python -m pytest "$@"
