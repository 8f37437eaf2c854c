"""Dates and numbers for people, through Babel, in the client's zone.

Inside, time is aware UTC; the zone is applied only here, at the edge. Patterns and month
names come from CLDR (Afghan month names for fa_AF, Latin-script Serbian for sr: see
`cldr_locale`); digits stay Latin in every shipped language (see locales/GLOSSARY.md).

A date is always day first with the month as a word, never 3/4: CLDR's own pattern when
it is so ("d. MMMM y." in Serbian, "dی MMMMی y" in Sorani, "d'ê' MMMM'a' y'an'" in
Kurmanji); where CLDR's pattern puts the month or year first (en, ps) or the locale has
none of its own (Sorani has no day-with-month pattern, only root's "MMMM d"), a fallback.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.numbers import format_decimal

from bot.i18n import cldr_locale

_FALLBACK_DATE = "d MMMM y"
_FALLBACK_DAY_MONTH = "d MMMM"
#: Day with month where CLDR has no pattern of its own for the locale: Sorani's long
#: pattern without its year ("3ی ئازار", as "3ی ئازاری 2026").
_DAY_MONTH = {"ckb": "dی MMMM"}
_QUOTED = re.compile(r"'[^']*'")


def _day_first(pattern: str, *, year: bool) -> bool:
    """Day, then the month as a word (then the year): what every date here must be."""
    fields = _QUOTED.sub("", pattern)
    day, month = fields.find("d"), max(fields.find("MMMM"), fields.find("LLLL"))
    if day < 0 or month < day:
        return False
    return not year or fields.find("y") > month


@cache
def date_pattern(locale: str) -> str:
    """The locale's pattern of a whole date ("3. März 2026", "3 مارس 2026")."""
    pattern = Locale.parse(cldr_locale(locale)).date_formats["long"].pattern
    return pattern if _day_first(pattern, year=True) else _FALLBACK_DATE


@cache
def day_month_pattern(locale: str) -> str:
    """The locale's pattern of a day with its month ("3. März", "3ê adarê")."""
    if locale in _DAY_MONTH:
        return _DAY_MONTH[locale]
    skeletons = Locale.parse(cldr_locale(locale)).datetime_skeletons
    pattern = skeletons["MMMMd"].pattern if "MMMMd" in skeletons else ""
    return pattern if _day_first(pattern, year=False) else _FALLBACK_DAY_MONTH


def format_day(moment: datetime, locale: str, zone: ZoneInfo) -> str:
    """'25. November 2026', '25 نومبر 2026': day first, month as a word, never 3/4."""
    local = moment.astimezone(zone)
    return _babel_date(local.date(), date_pattern(locale), locale=cldr_locale(locale))


def format_day_month(day: date, locale: str) -> str:
    """'26. November', '26 نومبر', '26. novembar': a day of this year, on a button."""
    return _babel_date(day, day_month_pattern(locale), locale=cldr_locale(locale))


def format_short_day(day: date, locale: str) -> str:
    """'Do., 26. Nov.'-like short day for a grid of buttons (CLDR's abbreviations; a
    language without any, like Sorani, gets its whole weekday and month names)."""
    return _babel_date(day, "EEE d MMM", locale=cldr_locale(locale))


def format_clock(moment: datetime, locale: str, zone: ZoneInfo) -> str:
    """24-hour clock, '10:30' (the words around it, like 'Uhr', are in the catalogs)."""
    return _babel_time(moment.astimezone(zone).time(), "HH:mm", locale=cldr_locale(locale))


def format_number(value: int | float, locale: str) -> str:
    return format_decimal(value, locale=cldr_locale(locale), numbering_system="latn")


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
