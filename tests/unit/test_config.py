from __future__ import annotations

import pytest

from config import ConfigError, Settings, load_settings


def _load(**env: str) -> Settings:
    return load_settings(_env_file=None, **env)


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "BOT_TOKEN",
        "DATABASE_URL",
        "TIMEZONE",
        "DEFAULT_LOCALE",
        "LOG_LEVEL",
        "TELEGRAM_API_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    settings = _load()
    assert settings.BOT_TOKEN is None
    assert settings.DATABASE_URL == "sqlite+aiosqlite:///data/lotse.db"
    assert settings.TIMEZONE == "Europe/Berlin"
    assert settings.DEFAULT_LOCALE == "de"
    assert settings.TELEGRAM_API_URL == "https://api.telegram.org"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BOT_TOKEN", "not-a-token"),
        ("TELEGRAM_API_URL", "ftp://x"),
        ("DATABASE_URL", "mysql://x/y"),
        ("TIMEZONE", "Mars/Olympus"),
        ("DEFAULT_LOCALE", "tlh"),
        ("LOG_LEVEL", "LOUD"),
        ("BOOKING_LEAD", "2 hours"),
        ("BOOKING_HORIZON_DAYS", "0"),
        ("MAX_OPEN_APPOINTMENTS", "many"),
        ("REMINDER_OFFSETS", "soon"),
        ("QUIET_HOURS", "21-8"),
        ("SEND_RATE", "0"),
        ("REMINDER_BATCH", "0"),
        ("REMINDER_BATCH", "many"),
        ("AGENDA_TIME", "7.30"),
        ("BOT_USERNAME", "no spaces allowed"),
        ("NOTES_KEY", "secret"),
    ],
)
def test_a_wrong_value_names_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as info:
        _load(**{name: value})
    message = str(info.value)
    assert message.startswith(f"{name}:")
    assert "\n" not in message


def test_spellings_are_normalised() -> None:
    settings = _load(
        DATABASE_URL="postgresql://u:p@127.0.0.1/db",
        DEFAULT_LOCALE="fa-AF",
        LOG_LEVEL="debug",
        TELEGRAM_API_URL="http://127.0.0.1:8081/",
    )
    assert settings.DATABASE_URL == "postgresql+asyncpg://u:p@127.0.0.1/db"
    assert settings.DEFAULT_LOCALE == "fa_AF"
    assert settings.LOG_LEVEL == "DEBUG"
    assert settings.TELEGRAM_API_URL == "http://127.0.0.1:8081"


def test_reminder_settings() -> None:
    from datetime import time, timedelta

    settings = _load(REMINDER_OFFSETS="1d, 90m", QUIET_HOURS="22:00-07:00")
    assert settings.reminder_offsets == [timedelta(days=1), timedelta(minutes=90)]
    assert settings.quiet_hours == (time(22), time(7))
    policy = settings.booking_policy()
    assert policy.reminder_offsets == (timedelta(days=1), timedelta(minutes=90))
    assert policy.quiet is not None and policy.quiet.start == time(22)
