"""The console's words: the gettext catalogs (context "console"), escaped for HTML.

The console speaks German and English for now: a staff member whose chat language is
another one reads it in German.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from bot.formatting import format_clock, format_day
from bot.i18n import Catalogs, Translator

CONSOLE_LOCALES = ("de", "en")


class ConsoleText:
    """`p_("console", "…", name=value)` for templates and pages: the translation escaped,
    its `{placeholders}` filled with escaped values (no Unicode isolates: both console
    languages read left to right)."""

    def __init__(self, translator: Translator) -> None:
        self._t = translator
        self.locale = translator.locale
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, build: Callable[[ConsoleText], Any]) -> Any:
        """`build(self)`, made once per language (tables of labels: a page with 60
        appointments looked up 1,100 translations to show 200; console benchmark)."""
        if key not in self._memo:
            self._memo[key] = build(self)
        return self._memo[key]

    def p_(self, context: str, message: str, /, **values: object) -> Markup:
        return escape(self._t.raw_p(context, message)).format(**values)

    def day(self, moment: datetime, zone: ZoneInfo) -> str:
        """The date in words, made once per local day (Babel takes ~0.1 ms a call)."""
        days: dict[tuple[object, str], str] = self.memo("days", lambda _: {})
        key = (moment.astimezone(zone).date(), zone.key)
        if key not in days:
            if len(days) > 1_000:
                days.clear()
            days[key] = format_day(moment, self.locale, zone)
        return days[key]

    def clock(self, moment: datetime, zone: ZoneInfo) -> str:
        return format_clock(moment, self.locale, zone)


def console_text(catalogs: Catalogs, locale: str | None) -> ConsoleText:
    """The console in the staff member's language where it has it, else German."""
    return _console_text(catalogs, locale if locale in CONSOLE_LOCALES else "de")


@lru_cache(maxsize=16)
def _console_text(catalogs: Catalogs, locale: str) -> ConsoleText:
    """One per catalogs and language, kept (its memo with it)."""
    return ConsoleText(catalogs.translator(locale))
