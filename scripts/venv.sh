# Sourced by run.sh and test.sh (from the repository's root): make .venv once, and
# install Lotse into it only when pyproject.toml changed since the last install of the
# same extras. A stamp in .venv holds what was installed and pyproject.toml's hash.
ensure_venv() {
  local spec="$1" stamp=".venv/$2" want
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  want="$spec $(.venv/bin/python -c \
    'import hashlib; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest())')"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec"
    printf '%s\n' "$want" >"$stamp"
  fi
}
