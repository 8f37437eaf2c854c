"""Dates and numbers for people, through Babel, in the client's zone.

Inside, time is aware UTC; the zone is applied only here, at the edge. Month
names come from CLDR (Afghan month names for fa_AF); digits stay Latin in every
shipped language (see shared/GLOSSARY.md).
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
