#!/usr/bin/env bash
# Re-extract every user-visible string and merge it into the six catalogs.
# Then translate the new entries (no fuzzy, no empty msgstr) and run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel extract -F babel.cfg -k _ -k "n_:1,2" -k "p_:1c,2" \
  --add-comments=TRANSLATORS: --no-location --sort-output --width=100 \
  --project=Lotse --copyright-holder=Lotse -o locales/messages.pot .
pybabel update -i locales/messages.pot -d locales -D messages \
  --no-fuzzy-matching --ignore-obsolete --width=100
