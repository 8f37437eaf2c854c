"""The links the CLI prints are bare (issue 18, item 9): a line of the URL alone, nothing
invisible before or after it, so copy and paste gives only the URL."""

from __future__ import annotations

from pathlib import Path

from tests.unit.test_cli import _run

URL_CHARACTERS = {chr(c) for c in range(0x21, 0x7F)}


def _link_line(stdout: str) -> str:
    lines = [line for line in stdout.split("\n") if "?start=" in line]
    assert len(lines) == 1, stdout
    return lines[0]


def test_printed_links_are_the_url_alone(tmp_path: Path) -> None:
    env = {"BOT_USERNAME": "lotse_test_bot"}
    assert _run(["site", "add", "essen", "--name", "Essen"], tmp_path).returncode == 0
    site = _link_line(_run(["site", "link", "essen"], tmp_path, **env).stdout)
    assert site == "https://t.me/lotse_test_bot?start=site-essen"
    invite = _run(["staff", "invite", "--site", "essen", "--role", "thm"], tmp_path, **env)
    staff = _link_line(invite.stdout)
    assert staff.startswith("https://t.me/lotse_test_bot?start=staff-")
    assert set(staff) <= URL_CHARACTERS
