#!/usr/bin/env bash
# Set up (once) and run the bot: `bash scripts/run.sh [command ...]` = `.venv/bin/python
# main.py [command ...]` (every argument is passed on). pip runs again only when
# pyproject.toml has changed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
ensure_venv . .lotse-installed
exec .venv/bin/python main.py "$@"
