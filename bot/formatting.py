"""Dates and numbers for people, through Babel, in the client's zone.

Inside, time is aware UTC; the zone is applied only here, at the edge. Month
names come from CLDR (Afghan month names for fa_AF); digits stay Latin in every
shipped language (see locales/GLOSSARY.md).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.numbers import format_decimal

_DATE_PATTERNS = {"de": "d. MMMM y"}
_DEFAULT_DATE_PATTERN = "d MMMM y"


def format_day(moment: datetime, locale: str, zone: ZoneInfo) -> str:
    """'25. November 2026', '25 نومبر 2026': day first, month as a word, never 3/4."""
    local = moment.astimezone(zone)
    pattern = _DATE_PATTERNS.get(locale, _DEFAULT_DATE_PATTERN)
    return _babel_date(local.date(), pattern, locale=locale)


def format_clock(moment: datetime, locale: str, zone: ZoneInfo) -> str:
    """24-hour clock, '10:30' (the words around it, like 'Uhr', are in the catalogs)."""
    return _babel_time(moment.astimezone(zone).time(), "HH:mm", locale=locale)


def format_number(value: int | float, locale: str) -> str:
    return format_decimal(value, locale=locale, numbering_system="latn")


TELEGRAM_LIMIT = 4096


def telegram_length(text: str) -> int:
    """Telegram counts a message's length in UTF-16 code units (an emoji may be two)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` (UTF-16 units), cut after a line, else a sentence, else a
    space; a word longer than the limit is cut where it must be. Nothing is lost."""
    pieces: list[str] = []
    rest = text
    while telegram_length(rest) > limit:
        # The longest prefix that fits.
        low, high = 0, len(rest)
        while low < high:
            middle = (low + high + 1) // 2
            if telegram_length(rest[:middle]) <= limit:
                low = middle
            else:
                high = middle - 1
        window = rest[:low]
        cut = max(window.rfind("\n"), -1)
        if cut < low // 2:
            cut = max(
                window.rfind(". "), window.rfind("۔ "), window.rfind("؟ "), window.rfind("! ")
            )
            cut = cut + 1 if cut >= low // 2 else -1
        if cut < low // 2:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = low
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not pieces:
        pieces.append(rest)
    return pieces
