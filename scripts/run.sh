#!/usr/bin/env bash
# Set up (once) and run the bot: `bash scripts/run.sh [command ...]` = `python main.py [command ...]`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
exec .venv/bin/python main.py "$@"
