"""Labels read right in every language: dates on buttons, language names."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.formatting import date_pattern, day_month_pattern, format_number, format_short_day
from bot.i18n import Catalogs
from handlers import labels
from tests.writing import own_words, script_of

BERLIN = ZoneInfo("Europe/Berlin")
MOMENT = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def _first_strong(text: str) -> str | None:
    """The first strong direction outside isolates (the rule Telegram's layout follows)."""
    depth = 0
    for char in text:
        if char in "\u2066\u2067\u2068":
            depth += 1
        elif char == "\u2069":
            depth = max(0, depth - 1)
        elif depth == 0 and unicodedata.bidirectional(char) in ("L", "R", "AL"):
            return "ltr" if unicodedata.bidirectional(char) == "L" else "rtl"
    return None


@pytest.mark.parametrize(
    ("locale", "direction"),
    [("ar", "rtl"), ("fa_AF", "rtl"), ("ps", "rtl"), ("fa", "rtl"), ("ckb", "rtl")],
)
def test_a_day_label_alone_on_a_button_reads_right_to_left(locale: str, direction: str) -> None:
    t = Catalogs(default_locale="de").translator(locale)
    assert _first_strong(labels.day_label(t, MOMENT, BERLIN)) == direction


def test_a_day_label_in_german_has_no_direction_mark() -> None:
    t = Catalogs(default_locale="de").translator("de")
    assert not labels.day_label(t, MOMENT, BERLIN).startswith("\u200f")


@pytest.mark.parametrize(
    ("locale", "code", "name"),
    [
        ("de", "fa_AF", "Dari"),
        ("fa_AF", "fa_AF", "دری"),
        ("de", "ti", "Tigrinya"),
        ("en", "ps", "Pashto"),
    ],
)
def test_languages_are_named_in_the_readers_language(locale: str, code: str, name: str) -> None:
    t = Catalogs(default_locale="de").translator(locale)
    assert labels.language_in(t, code) == name


# ----- issue 24: the seven new languages -------------------------------------------------

NEW = ["fa", "ckb", "ku", "tr", "sq", "sr", "mk"]


@pytest.mark.parametrize(
    ("locale", "day_with_month", "script"),
    [
        ("fa", "27 نوامبر", "ARABIC"),  # Iranian month names, not Dari's نومبر
        ("ckb", "27ی تشرینی دووەم", "ARABIC"),  # CLDR has none: the fallback
        ("ku", "27ê mijdarê", "LATIN"),
        ("tr", "27 Kasım", "LATIN"),
        ("sq", "27 nëntor", "LATIN"),
        ("sr", "27. novembar", "LATIN"),  # Latin script, as the catalog
        ("mk", "27 ноември", "CYRILLIC"),
    ],
)
def test_a_day_on_a_button_in_each_new_language(
    locale: str, day_with_month: str, script: str
) -> None:
    """The weekday from the catalog, the day and month from CLDR, Latin digits; right to
    left for Farsi and Sorani (a mark first, values isolated) as for Dari."""
    t = Catalogs(default_locale="de").translator(locale)
    label = labels.day_label(t, MOMENT, BERLIN)
    weekday = labels.weekday(t, 4)  # Friday, 27 November 2026
    assert f"\u2068{day_with_month}\u2069" in label and f"\u2068{weekday}\u2069" in label
    assert weekday != "Friday" and script_of(weekday) == {script}
    assert script_of(day_with_month) == {script} and "27" in day_with_month
    assert label.startswith("\u200f") == t.is_rtl == (locale in ("fa", "ckb"))
    assert _first_strong(label) == ("rtl" if t.is_rtl else None)  # None: left to right
    assert labels.when(t, MOMENT, BERLIN).count("10:00") == 1  # 24-hour clock, Latin digits


def test_serbian_dates_are_latin_and_macedonian_cyrillic() -> None:
    catalogs = Catalogs(default_locale="de")
    serbian = labels.when(catalogs.translator("sr"), MOMENT, BERLIN)
    macedonian = labels.when(catalogs.translator("mk"), MOMENT, BERLIN)
    assert "CYRILLIC" not in {s for word in own_words(serbian) for s in script_of(word)}
    assert {s for word in own_words(macedonian) for s in script_of(word)} == {"CYRILLIC"}


@pytest.mark.parametrize("locale", NEW)
def test_short_days_and_numbers_have_latin_digits(locale: str) -> None:
    short = format_short_day(MOMENT.date(), locale)
    assert "27" in short and not any(c.isdigit() and not c.isascii() for c in short)
    assert (
        format_number(1234, locale)
        .replace(".", "")
        .replace(",", "")
        .replace("\u00a0", "")
        .replace("\u202f", "")
        == "1234"
    )


def test_where_cldr_puts_the_month_first_the_fallback_puts_the_day_first() -> None:
    assert day_month_pattern("en") == "d MMMM"  # CLDR: "MMMM d"
    assert day_month_pattern("ps") == "d MMMM"  # CLDR: "MMMM d"
    assert date_pattern("ps") == "d MMMM y"  # CLDR: "y MMMM d"
    assert day_month_pattern("ckb") == "dی MMMM"  # CLDR: root's "MMMM d", none of its own
    assert date_pattern("ckb") == "dی MMMMی y"  # CLDR's own
    assert date_pattern("sr") == "d. MMMM y."  # sr_Latn's


def test_a_serbian_reader_gets_language_names_in_latin_script() -> None:
    t = Catalogs(default_locale="de").translator("sr")
    assert labels.language_in(t, "de") == "Nemački"  # Babel's plain sr: "Немачки"
    assert labels.language_in(t, "ar") == "Arapski"
