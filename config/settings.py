"""Settings from the environment (names fixed in docs/CONTRACT.md)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
from datetime import time, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.i18n import SUPPORTED_LOCALES, normalize_locale
from bot.reminder_schedule import QuietHours
from bot.slots import BookingPolicy

if TYPE_CHECKING:  # Settings.translation() imports it when called
    from bot.ports.metrics import Metrics
    from bot.translation import TranslationService

TELEGRAM_DEFAULT_API = "https://api.telegram.org"
_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


class ConfigError(Exception):
    """A setting is missing or wrong; the message names the variable in one line."""


class StartupError(Exception):
    """Something the settings point at cannot be used (the database unreachable, not a
    database, locked); the message names it in one line, never with a password."""


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
    REMINDER_OFFSETS: str = "24h,2h"
    QUIET_HOURS: str = "21:00-08:00"
    SEND_RATE: float = 25
    #: Reminders one process claims at a time: smaller spreads a flood over processes.
    REMINDER_BATCH: int = 500
    #: Local time of the case managers' daily agenda on their working days.
    AGENDA_TIME: str = "07:30"
    #: Fernet keys for case notes, comma-separated, newest first (see config/keys.py).
    NOTES_KEY: str | None = None
    #: Machine translation: `off`, a provider, or per language `fa_AF=microsoft,*=libre`.
    TRANSLATOR: str = "off"
    TRANSLATOR_API_KEY: str | None = None
    TRANSLATOR_URL: str | None = None
    #: How long one translation may take before the original goes out alone (extra).
    TRANSLATOR_TIMEOUT: timedelta = timedelta(seconds=4)
    #: How long relayed texts are kept (encrypted); 0 keeps none.
    RELAY_RETENTION: timedelta = timedelta(days=30)
    #: Clients without any activity this long are erased (their case manager warned first).
    CLIENT_INACTIVE_RETENTION: timedelta = timedelta(days=365)
    #: Audit entries are kept this long (extra).
    AUDIT_RETENTION: timedelta = timedelta(days=730)
    #: On a client's erasure their notes are deleted, or kept without text and link (extra).
    NOTES_ON_ERASURE: str = "delete"
    #: Port of the demo's web page (and its Bot API emulator), on 127.0.0.1.
    DEMO_PORT: int = 8080
    #: Port of the web console (and later /healthz, /metrics, the webhook), on 127.0.0.1.
    WEB_PORT: int = 8090
    #: The console's public address behind a reverse proxy; login links start with it.
    WEB_BASE_URL: str | None = None
    #: Redis for several bot processes: FSM state, per-person order, the send rate.
    REDIS_URL: str | None = None
    #: After this the client is asked once whether they went to an offer sent to them;
    #: 0 asks never.
    REFERRAL_FOLLOWUP: timedelta = timedelta(days=14)
    #: The public https URL Telegram posts updates to: set = webhook mode, unset = polling.
    WEBHOOK_URL: str | None = None
    #: Checked on every webhook request; unset = derived from BOT_TOKEN (`webhook_secret`).
    WEBHOOK_SECRET: str | None = None

    @field_validator(
        "TRANSLATOR_TIMEOUT",
        "RELAY_RETENTION",
        "CLIENT_INACTIVE_RETENTION",
        "AUDIT_RETENTION",
        "REFERRAL_FOLLOWUP",
        mode="before",
    )
    @classmethod
    def _durations(cls, value: object) -> timedelta:
        if isinstance(value, timedelta):
            return value
        if str(value).strip() == "0":
            return timedelta(0)
        return parse_duration(str(value))

    @field_validator("NOTES_ON_ERASURE")
    @classmethod
    def _notes_on_erasure(cls, value: str) -> str:
        if value not in ("delete", "anonymise"):
            raise ValueError("expected delete or anonymise")
        return value

    @field_validator("TRANSLATOR")
    @classmethod
    def _translator(cls, value: str) -> str:
        from bot.translation import parse_translator

        parse_translator(value, factory=lambda name, **_: name)
        return value.strip() or "off"

    @field_validator("TRANSLATOR_URL")
    @classmethod
    def _translator_url(cls, value: str | None) -> str | None:
        if value and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("expected an http(s) URL such as http://127.0.0.1:5000")
        return value or None

    @field_validator("WEB_PORT")
    @classmethod
    def _port(cls, value: int) -> int:
        if not 1 <= value <= 65535:
            raise ValueError("expected a port number from 1 to 65535")
        return value

    @field_validator("WEB_BASE_URL")
    @classmethod
    def _web_base_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        # No path: the console's pages are /console/... on that host (docs/CONTRACT.md).
        if not re.match(r"^https?://[^\s/]+$", value):
            raise ValueError(
                "expected an http(s) URL without a path, such as https://lotse.example.org"
            )
        return value

    @field_validator("REDIS_URL")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not re.match(r"^(rediss?://[^\s/]+(/\d+)?|unix:///\S+)$", value):
            raise ValueError("expected a Redis URL such as redis://127.0.0.1:6379/0")
        return value

    @field_validator("WEBHOOK_URL")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not re.match(r"^https?://[^\s/?#]+(/[^\s?#]*)?$", value):
            raise ValueError(
                "expected an https URL without a query, such as "
                "https://lotse.example.org/telegram/webhook"
            )
        path = _url_path(value)
        if path.startswith("/console") or path in ("/healthz", "/readyz", "/metrics"):
            raise ValueError("its path must not be the console's or /healthz, /readyz, /metrics")
        return value

    @field_validator("WEBHOOK_SECRET")
    @classmethod
    def _webhook_secret(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not re.match(r"^[A-Za-z0-9_-]{16,256}$", value):
            raise ValueError("expected 16 to 256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @model_validator(mode="after")
    def _token_not_in_webhook_url(self) -> Settings:
        if self.WEBHOOK_URL and self.BOT_TOKEN and self.BOT_TOKEN in self.WEBHOOK_URL:
            # The secret token authenticates Telegram; the URL ends up in proxy logs.
            raise ValueError("WEBHOOK_URL must not contain the bot token")
        return self

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

    @field_validator("NOTES_KEY")
    @classmethod
    def _notes_key(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        for key in value.split(","):
            if not is_fernet_key(key.strip()):
                raise ValueError(
                    "expected Fernet keys (44 characters of url-safe base64), comma-separated; "
                    "make one with: python main.py notes new-key"
                )
        return value

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

    @field_validator("REMINDER_OFFSETS")
    @classmethod
    def _offsets(cls, value: str) -> str:
        parts = [p for p in value.replace(" ", "").split(",") if p]
        if not parts:
            raise ValueError("expected durations such as 24h,2h")
        for part in parts:
            if parse_duration(part) <= timedelta(0):
                raise ValueError("expected positive durations such as 24h,2h")
        return ",".join(parts)

    @field_validator("QUIET_HOURS")
    @classmethod
    def _quiet(cls, value: str) -> str:
        parse_quiet_hours(value)
        return value.strip()

    @field_validator("AGENDA_TIME")
    @classmethod
    def _agenda(cls, value: str) -> str:
        try:
            time.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError("expected a time such as 07:30") from exc
        return value.strip()

    @field_validator("SEND_RATE")
    @classmethod
    def _rate(cls, value: float) -> float:
        if not 0 < value <= 1000:
            raise ValueError("expected messages per second, more than 0")
        return value

    @field_validator("REMINDER_BATCH")
    @classmethod
    def _batch(cls, value: int) -> int:
        if not 1 <= value <= 10_000:
            raise ValueError("expected reminders per claim, 1 to 10000")
        return value

    @property
    def reminder_offsets(self) -> list[timedelta]:
        return [parse_duration(part) for part in self.REMINDER_OFFSETS.split(",")]

    @property
    def quiet_hours(self) -> tuple[time, time]:
        return parse_quiet_hours(self.QUIET_HOURS)

    @property
    def agenda_time(self) -> time:
        return time.fromisoformat(self.AGENDA_TIME)

    def translation(self, metrics: Metrics | None = None) -> TranslationService:
        """The translation service for these settings (empty when TRANSLATOR=off)."""
        from bot.translation import TranslationService, parse_translator

        providers = parse_translator(
            self.TRANSLATOR, api_key=self.TRANSLATOR_API_KEY, url=self.TRANSLATOR_URL
        )
        service = TranslationService(providers, timeout=self.TRANSLATOR_TIMEOUT.total_seconds())
        if metrics is not None:
            service.metrics = metrics
        return service

    def booking_policy(self) -> BookingPolicy:
        """The rules of booking and reminders, for the services."""
        quiet_start, quiet_end = self.quiet_hours
        return BookingPolicy(
            lead=self.BOOKING_LEAD,
            horizon_days=self.BOOKING_HORIZON_DAYS,
            max_open=self.MAX_OPEN_APPOINTMENTS,
            zone=self.zone,
            reminder_offsets=tuple(self.reminder_offsets),
            quiet=QuietHours(quiet_start, quiet_end, self.zone),
        )

    @property
    def web_base_url(self) -> str:
        """Where browsers reach the console: WEB_BASE_URL, else 127.0.0.1:WEB_PORT."""
        return self.WEB_BASE_URL or f"http://127.0.0.1:{self.WEB_PORT}"

    @property
    def webhook_path(self) -> str:
        """Where the webhook is served: WEBHOOK_URL's path, else /telegram/webhook."""
        path = _url_path(self.WEBHOOK_URL or "")
        return path if path not in ("", "/") else "/telegram/webhook"

    @property
    def webhook_secret(self) -> str:
        """WEBHOOK_SECRET, else derived from BOT_TOKEN (HMAC-SHA256): every process with
        the same token derives the same secret, nothing is stored, and it cannot be
        guessed without the token. Never logged."""
        if self.WEBHOOK_SECRET:
            return self.WEBHOOK_SECRET
        assert self.BOT_TOKEN is not None
        return hmac.new(
            self.BOT_TOKEN.encode(), b"lotse webhook secret", hashlib.sha256
        ).hexdigest()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.TIMEZONE)

    @property
    def log_level(self) -> int:
        return logging.getLevelNamesMapping()[self.LOG_LEVEL]


_DURATION_RE = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def _url_path(url: str) -> str:
    return urlsplit(url).path


def parse_duration(value: str) -> timedelta:
    """`90s`, `45m`, `2h`, `30d` (docs/CONTRACT.md)."""
    match = _DURATION_RE.match(value)
    if not match:
        raise ValueError("expected a duration such as 90s, 45m, 2h or 30d")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def parse_quiet_hours(value: str) -> tuple[time, time]:
    """`21:00-08:00` (local): start and end; they may wrap past midnight."""
    try:
        start_text, end_text = value.strip().split("-")
        start, end = time.fromisoformat(start_text.strip()), time.fromisoformat(end_text.strip())
    except ValueError as exc:
        raise ValueError("expected HH:MM-HH:MM such as 21:00-08:00") from exc
    if start == end:
        raise ValueError("expected two different times such as 21:00-08:00")
    return start, end


def is_fernet_key(value: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(value.encode("ascii"))) == 32 and len(value) == 44
    except (ValueError, UnicodeEncodeError):
        return False


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


def load_settings(**overrides: Any) -> Settings:
    """Read the settings; raise ConfigError with one line naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(part) for part in first.get("loc", ())) or "configuration"
        message = first.get("msg", "invalid value").removeprefix("Value error, ")
        raise ConfigError(f"{name}: {message}") from None
