"""scripts/run.sh: passes its arguments on, and runs pip only when pyproject.toml changed
(issue 18, item 14: it re-ran pip on every start, about 8 s)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _checkout(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the scripts and pyproject.toml with a .venv whose python only logs what
    it is asked (pip, main.py) and runs the hash one-liner with the real interpreter."""
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    for name in ("run.sh", "venv.sh"):
        shutil.copy(ROOT / "scripts" / name, repo / "scripts" / name)
    shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")
    log = tmp_path / "calls.log"
    python = repo / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(
        "#!/bin/sh\n"
        'case "$1" in\n'
        f'  -c) exec "{sys.executable}" "$@" ;;\n'
        f'  -m) echo "pip $*" >>"{log}" ;;\n'
        f'  *) echo "run $*" >>"{log}" ;;\n'
        "esac\n"
    )
    python.chmod(python.stat().st_mode | stat.S_IXUSR)
    return repo, log


def _run(repo: Path, *args: str) -> None:
    subprocess.run(
        ["bash", str(repo / "scripts" / "run.sh"), *args],
        check=True,
        timeout=60,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
    )


def test_run_sh_installs_once_per_pyproject_and_passes_arguments_on(tmp_path: Path) -> None:
    repo, log = _checkout(tmp_path)
    _run(repo, "staff", "list", "--site", "essen")
    _run(repo, "demo", "--port", "8099")
    calls = log.read_text().splitlines()
    assert [c for c in calls if c.startswith("pip")] == [
        "pip -m pip install --quiet --disable-pip-version-check -e ."
    ]
    assert [c for c in calls if c.startswith("run")] == [
        "run main.py staff list --site essen",
        "run main.py demo --port 8099",
    ]
    with (repo / "pyproject.toml").open("a") as pyproject:
        pyproject.write("\n# a new dependency\n")
    _run(repo)
    assert sum(c.startswith("pip") for c in log.read_text().splitlines()) == 2
