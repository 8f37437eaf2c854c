"""The command line: exit codes and messages (docs/CONTRACT.md)."""

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
    base = {name: value for name, value in base.items() if value != ""}  # "" = leave unset
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=tmp_path,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_demo_refuses_a_database_url(tmp_path: Path) -> None:
    # _run sets DATABASE_URL: the demo must never seed a real database.
    for args in ([], ["demo"]):
        result = _run(args, tmp_path)
        assert result.returncode == 2
        assert "DATABASE_URL" in result.stderr and "data/demo" in result.stderr
    assert not (tmp_path / "cli.db").exists()


def test_the_demo_refusal_says_where_database_url_is_set_and_what_to_do(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DATABASE_URL=sqlite+aiosqlite:///data/lotse.db\n")
    from_file = _run(["demo"], tmp_path, DATABASE_URL="")
    assert from_file.returncode == 2
    assert from_file.stderr.strip().count("\n") == 0
    assert "is set in .env" in from_file.stderr
    assert "comment out the DATABASE_URL line in .env" in from_file.stderr
    from_environment = _run(["demo"], tmp_path)
    assert "is set in the environment" in from_environment.stderr
    assert "unset DATABASE_URL" in from_environment.stderr


def test_the_env_example_copied_to_env_is_safe_for_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The README's first step; before, .env.example set DATABASE_URL and the demo refused.
    from cli.demo import refuse_database_url
    from config.settings import Settings, load_settings

    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text())
    monkeypatch.chdir(tmp_path)
    for name in Settings.model_fields:
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.BOT_TOKEN is None  # so `python main.py` starts the demo
    assert "DATABASE_URL" not in settings.model_fields_set
    refuse_database_url(settings)  # does not raise
    # Every name the example sets is one Lotse reads.
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            assert line.split("=", 1)[0] in Settings.model_fields, line


def test_a_bad_setting_stops_with_one_line_and_code_2(tmp_path: Path) -> None:
    result = _run(["migrate"], tmp_path, TIMEZONE="Europe/Nowhere")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "TIMEZONE" in result.stderr


def test_migrate_and_site_add(tmp_path: Path) -> None:
    result = _run(["migrate"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "database at revision 0020" in result.stdout
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
    "args",
    [
        ["--help"],
        ["site", "--help"],
        ["site", "add", "--help"],
        ["migrate", "--help"],
        ["notes", "--help"],
        ["audit", "--help"],
    ],
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


def test_staff_invite_without_a_bot_name_makes_no_invite(tmp_path: Path) -> None:
    import sqlite3

    # Before: the invite was stored, then the command failed with exit 2, and each retry
    # stored one more valid invite.
    assert _run(["site", "add", "essen", "--name", "Essen"], tmp_path).returncode == 0
    for _ in range(2):
        refused = _run(["staff", "invite", "--site", "essen", "--role", "thm"], tmp_path)
        assert refused.returncode == 2
        assert "set BOT_USERNAME" in refused.stderr and "staff invite" in refused.stderr
        assert refused.stdout == ""
    with sqlite3.connect(tmp_path / "cli.db") as connection:
        (stored,) = connection.execute("SELECT count(*) FROM staff_invites").fetchone()
    assert stored == 0
    made = _run(
        ["staff", "invite", "--site", "essen", "--role", "thm"],
        tmp_path,
        BOT_USERNAME="lotse_test_bot",
    )
    assert made.returncode == 0 and "?start=staff-" in made.stdout
    with sqlite3.connect(tmp_path / "cli.db") as connection:
        (stored,) = connection.execute("SELECT count(*) FROM staff_invites").fetchone()
    assert stored == 1


def test_staff_list_of_a_site_without_staff_says_so(tmp_path: Path) -> None:
    assert _run(["site", "add", "essen", "--name", "Essen"], tmp_path).returncode == 0
    listed = _run(["staff", "list", "--site", "essen"], tmp_path)
    assert listed.returncode == 0
    assert listed.stdout.startswith("no staff yet at essen")


def test_offers_reimport_of_an_unchanged_file_changes_nothing(tmp_path: Path) -> None:
    sample = ROOT / "samples" / "offers_sample.csv"
    first = _run(["offers", "import", str(sample)], tmp_path)
    assert first.returncode == 0, first.stderr
    assert "0 unchanged, 0 updated, 70 added" in first.stdout
    again = _run(["offers", "import", str(sample)], tmp_path)
    assert again.returncode == 0, again.stderr
    assert "70 unchanged, 0 updated, 0 added" in again.stdout


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


def test_notes_keys_new_rotate_and_wrong(tmp_path: Path) -> None:
    from cryptography.fernet import Fernet

    key = _run(["notes", "new-key"], tmp_path)
    assert key.returncode == 0
    first = key.stdout.strip()
    Fernet(first.encode())  # a usable key
    second = _run(["notes", "new-key"], tmp_path).stdout.strip()
    assert first != second
    done = _run(["notes", "rotate-key"], tmp_path, NOTES_KEY=f"{second},{first}")
    assert done.returncode == 0, done.stderr
    assert "re-encrypted 0 stored text(s)" in done.stdout
    missing = _run(["notes"], tmp_path)
    assert missing.returncode == 2 and "new-key, rotate-key" in missing.stderr


def test_postgres_without_a_notes_key_is_refused(tmp_path: Path) -> None:
    result = _run(
        [],
        tmp_path,
        BOT_TOKEN="123456:ABC-def",
        DATABASE_URL="postgresql://nobody:x@127.0.0.1:1/none",
    )
    assert result.returncode == 2
    assert result.stderr.startswith("configuration error: NOTES_KEY: required with PostgreSQL")


def test_sqlite_without_a_key_writes_a_private_key_file(tmp_path: Path) -> None:
    import stat

    from config.keys import notes_keys
    from config.settings import load_settings

    settings = load_settings(DATABASE_URL=f"sqlite:///{tmp_path / 'data' / 'lotse.db'}")
    first = notes_keys(settings)
    path = tmp_path / "data" / "notes.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert notes_keys(settings) == first  # read again, not replaced


def test_a_lost_key_file_beside_stored_notes_is_named_and_not_replaced(tmp_path: Path) -> None:
    import sqlite3

    from config.keys import notes_keys
    from config.settings import ConfigError, load_settings

    database = tmp_path / "data" / "lotse.db"
    settings = load_settings(DATABASE_URL=f"sqlite:///{database}")
    notes_keys(settings)  # the first start writes the key file
    with sqlite3.connect(database) as connection:  # notes were written with it
        connection.execute("CREATE TABLE notes (id INTEGER, body TEXT)")
        connection.execute("INSERT INTO notes VALUES (1, 'ciphertext')")
    key_file = tmp_path / "data" / "notes.key"
    key_file.unlink()  # then the file is lost
    with pytest.raises(ConfigError, match="notes.key is missing") as refused:
        notes_keys(settings)
    assert str(database) in str(refused.value)
    assert not key_file.exists()  # no new key written over the lost one


def test_a_database_that_cannot_be_used_is_named_without_its_password(
    tmp_path: Path,
) -> None:
    # Before, start-up said only "error: ConnectionRefusedError (see the log above)".
    refused = _run(
        ["migrate"], tmp_path, DATABASE_URL="postgresql://lotse:s3cret@127.0.0.1:1/lotse"
    )
    assert refused.returncode == 1
    assert "the database postgresql+asyncpg://lotse:***@127.0.0.1:1/lotse" in refused.stderr
    assert "s3cret" not in refused.stderr + refused.stdout
    corrupt = tmp_path / "broken.db"
    corrupt.write_bytes(b"this is not a database" * 100)
    broken = _run(["migrate"], tmp_path, DATABASE_URL=f"sqlite:///{corrupt}")
    assert broken.returncode == 1 and str(corrupt) in broken.stderr, broken.stderr


def test_audit_names_an_unknown_site(tmp_path: Path) -> None:
    result = _run(["audit", "--site", "nowhere"], tmp_path)
    assert result.returncode == 2 and "no site 'nowhere'" in result.stderr
    bad_day = _run(["audit", "--site", "x", "--since", "yesterday"], tmp_path)
    assert bad_day.returncode == 2 and "expected a date" in bad_day.stderr


def test_a_wrong_notes_key_stops_with_one_line(tmp_path: Path) -> None:
    import sqlite3

    from cryptography.fernet import Fernet

    right, wrong = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    assert _run(["migrate"], tmp_path, NOTES_KEY=right).returncode == 0
    token = Fernet(right.encode()).encrypt(b"Notiz").decode()
    with sqlite3.connect(tmp_path / "cli.db") as connection:  # foreign keys are off here
        connection.execute(
            "INSERT INTO notes (client_id, author_id, life_areas, body, created_at, updated_at) "
            "VALUES (1, 1, 'work', ?, '2026-11-25 09:00:00', '2026-11-25 09:00:00')",
            (token,),
        )
    for args, env in (
        (["notes", "rotate-key"], {"NOTES_KEY": wrong}),
        ([], {"NOTES_KEY": wrong, "BOT_TOKEN": "123456:ABC-def"}),
    ):
        result = _run(args, tmp_path, **env)
        assert result.returncode == 2, result.stderr
        assert result.stderr.strip() == (
            "configuration error: NOTES_KEY: the stored notes do not open with the key(s) "
            "given (a wrong key?)"
        )
    rotated = _run(["notes", "rotate-key"], tmp_path, NOTES_KEY=f"{wrong},{right}")
    assert rotated.returncode == 0 and "re-encrypted 1 stored text(s)" in rotated.stdout
    with sqlite3.connect(tmp_path / "cli.db") as connection:
        (stored,) = connection.execute("SELECT body FROM notes").fetchone()
    assert Fernet(wrong.encode()).decrypt(stored.encode()) == b"Notiz"


def test_stats_writes_csv_and_png(tmp_path: Path) -> None:
    assert _run(["site", "add", "essen", "--name", "Essen"], tmp_path).returncode == 0
    result = _run(
        ["stats", "--site", "essen", "--from", "2026-01-01", "--to", "2026-12-31", "--out", "out"],
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "stats.csv").read_text().startswith("figure,category,count")
    assert (tmp_path / "out" / "stats.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = _run(
        ["stats", "--site", "essen", "--from", "2026-12-31", "--to", "2026-01-01", "--out", "o"],
        tmp_path,
    )
    assert bad.returncode == 2 and "--to is before --from" in bad.stderr
