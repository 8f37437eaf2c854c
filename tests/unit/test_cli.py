"""The command line: exit codes and messages (shared/CONTRACT.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
    }
    base.update(env)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=tmp_path,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_a_token_it_explains_how_to_get_one(tmp_path: Path) -> None:
    result = _run([], tmp_path)
    assert result.returncode == 2
    assert "@BotFather" in result.stderr and "BOT_TOKEN" in result.stderr


def test_a_bad_setting_stops_with_one_line_and_code_2(tmp_path: Path) -> None:
    result = _run(["migrate"], tmp_path, TIMEZONE="Europe/Nowhere")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "TIMEZONE" in result.stderr


def test_migrate_and_site_add(tmp_path: Path) -> None:
    result = _run(["migrate"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "database at revision 0005" in result.stdout
    result = _run(
        ["site", "add", "kreis-kleve", "--name", "Kreis Kleve", "--kind", "district"], tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert _run(["site", "add", "kreis-kleve", "--name", "x"], tmp_path).returncode == 2
    assert _run(["site", "add", "Kreis Kleve", "--name", "x"], tmp_path).returncode == 2
    assert _run(["site", "add", "x", "--kind", "village", "--name", "x"], tmp_path).returncode == 2
    listed = _run(["site", "list"], tmp_path)
    assert "kreis-kleve\tdistrict\tKreis Kleve" in listed.stdout


@pytest.mark.parametrize(
    "args", [["--help"], ["site", "--help"], ["site", "add", "--help"], ["migrate", "--help"]]
)
def test_every_command_answers_help(tmp_path: Path, args: list[str]) -> None:
    result = _run(args, tmp_path)
    assert result.returncode == 0 and "usage:" in result.stdout


def test_unknown_command_is_exit_2(tmp_path: Path) -> None:
    assert _run(["frobnicate"], tmp_path).returncode == 2


def test_coordinator_sets_up_a_site_a_case_manager_and_hours(tmp_path: Path) -> None:
    env = {"BOT_USERNAME": "lotse_test_bot"}
    assert _run(["site", "add", "essen", "--name", "Essen"], tmp_path).returncode == 0
    link = _run(["site", "link", "essen", "--qr", str(tmp_path / "site.png")], tmp_path, **env)
    assert link.returncode == 0, link.stderr
    assert "https://t.me/lotse_test_bot?start=site-essen" in link.stdout
    assert (tmp_path / "site.png").read_bytes().startswith(b"\x89PNG")

    invite = _run(["staff", "invite", "--site", "essen", "--role", "thm"], tmp_path, **env)
    assert invite.returncode == 0, invite.stderr
    assert "https://t.me/lotse_test_bot?start=staff-" in invite.stdout
    assert (
        _run(["staff", "invite", "--site", "nowhere", "--role", "thm"], tmp_path, **env).returncode
        == 2
    )
    no_name = _run(["staff", "invite", "--site", "essen", "--role", "thm"], tmp_path)
    assert no_name.returncode == 2 and "BOT_USERNAME" in no_name.stderr

    assert (
        _run(
            ["staff", "hours", "4242", "--day", "mon", "--from", "09:00", "--to", "12:00"], tmp_path
        ).returncode
        == 2
    )  # nobody has registered with that id
    assert _run(["staff", "list", "--site", "essen"], tmp_path).returncode == 0
    assert _run(["staff", "deactivate", "4242"], tmp_path).returncode == 2
    assert _run(["staff", "hours", "4242"], tmp_path).returncode == 2  # no --day/--from/--to
    assert _run(["staff"], tmp_path).returncode == 2


def test_the_worker_needs_a_token_too(tmp_path: Path) -> None:
    result = _run(["worker"], tmp_path)
    assert result.returncode == 2 and "@BotFather" in result.stderr


def test_offers_import_and_export(tmp_path: Path) -> None:
    sample = ROOT / "samples" / "offers_sample.csv"
    result = _run(["offers", "import", str(sample)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "imported" in result.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "external_id,title,provider,life_areas,municipality\nx,,p,cooking,Essen\n", encoding="utf-8"
    )
    failed = _run(["offers", "import", str(bad)], tmp_path)
    assert failed.returncode == 2
    assert "bad.csv: line 2: title: required" in failed.stderr
    assert "unknown life area 'cooking'" in failed.stderr and "nothing imported" in failed.stderr
    out = tmp_path / "out.csv"
    assert _run(["offers", "export", str(out)], tmp_path).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("external_id,title,provider")
