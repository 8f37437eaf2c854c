"""Settings from the environment (names fixed in shared/CONTRACT.md)."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.i18n import SUPPORTED_LOCALES, normalize_locale

TELEGRAM_DEFAULT_API = "https://api.telegram.org"
_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


class ConfigError(Exception):
    """A setting is missing or wrong; the message names the variable in one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=True,
    )

    BOT_TOKEN: str | None = None
    #: Only for printed deep links when the CLI cannot ask Telegram (no token, offline).
    BOT_USERNAME: str | None = None
    TELEGRAM_API_URL: str = TELEGRAM_DEFAULT_API
    DATABASE_URL: str = "sqlite+aiosqlite:///data/lotse.db"
    TIMEZONE: str = "Europe/Berlin"
    DEFAULT_LOCALE: str = "de"
    LOG_LEVEL: str = "INFO"
    BOOKING_LEAD: timedelta = timedelta(hours=2)
    BOOKING_HORIZON_DAYS: int = 14
    MAX_OPEN_APPOINTMENTS: int = 3

    @field_validator("BOOKING_LEAD", mode="before")
    @classmethod
    def _duration(cls, value: object) -> timedelta:
        if isinstance(value, timedelta):
            return value
        return parse_duration(str(value))

    @field_validator("BOOKING_HORIZON_DAYS")
    @classmethod
    def _horizon(cls, value: int) -> int:
        if not 1 <= value <= 365:
            raise ValueError("expected a number of days from 1 to 365")
        return value

    @field_validator("MAX_OPEN_APPOINTMENTS")
    @classmethod
    def _max_open(cls, value: int) -> int:
        if not 1 <= value <= 50:
            raise ValueError("expected a number from 1 to 50")
        return value

    @field_validator("BOT_TOKEN")
    @classmethod
    def _token(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not _TOKEN_RE.match(value):
            raise ValueError("expected the form 123456789:ABC-def from @BotFather")
        return value

    @field_validator("BOT_USERNAME")
    @classmethod
    def _username(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().lstrip("@")
        if not re.match(r"^[A-Za-z][A-Za-z0-9_]{3,31}$", value):
            raise ValueError("expected a bot username such as lotse_essen_bot")
        return value

    @field_validator("TELEGRAM_API_URL")
    @classmethod
    def _api_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("expected an http(s) URL such as https://api.telegram.org")
        return value

    @field_validator("DATABASE_URL")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return normalize_database_url(value)

    @field_validator("TIMEZONE")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("expected an IANA time zone such as Europe/Berlin") from exc
        return value

    @field_validator("DEFAULT_LOCALE")
    @classmethod
    def _locale(cls, value: str) -> str:
        locale = normalize_locale(value)
        if locale is None:
            raise ValueError("expected one of " + ", ".join(SUPPORTED_LOCALES))
        return locale

    @field_validator("LOG_LEVEL")
    @classmethod
    def _log_level(cls, value: str) -> str:
        value = value.strip().upper()
        if value not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.TIMEZONE)

    @property
    def log_level(self) -> int:
        return logging.getLevelNamesMapping()[self.LOG_LEVEL]


_DURATION_RE = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_duration(value: str) -> timedelta:
    """`90s`, `45m`, `2h`, `30d` (shared/CONTRACT.md)."""
    match = _DURATION_RE.match(value)
    if not match:
        raise ValueError("expected a duration such as 90s, 45m, 2h or 30d")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def normalize_database_url(value: str) -> str:
    """Accept the usual spellings and return an async SQLAlchemy URL."""
    value = value.strip()
    for plain, async_prefix in (
        ("postgres://", "postgresql+asyncpg://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("sqlite://", "sqlite+aiosqlite://"),
    ):
        if value.startswith(plain):
            value = async_prefix + value[len(plain) :]
    if not (value.startswith("sqlite+aiosqlite://") or value.startswith("postgresql+asyncpg://")):
        raise ValueError(
            "expected sqlite+aiosqlite:///path.db or postgresql+asyncpg://user:pass@host/db"
        )
    return value


def load_settings(**overrides: object) -> Settings:
    """Read the settings; raise ConfigError with one line naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(part) for part in first.get("loc", ())) or "configuration"
        message = first.get("msg", "invalid value").removeprefix("Value error, ")
        raise ConfigError(f"{name}: {message}") from None
