"""Labels read right in every language: dates on buttons, language names."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Catalogs
from handlers import labels

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


@pytest.mark.parametrize(("locale", "direction"), [("ar", "rtl"), ("fa_AF", "rtl"), ("ps", "rtl")])
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
