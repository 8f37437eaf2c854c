from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.formatting import format_clock, format_day
from bot.i18n import FSI, PDI, Catalogs, guess_locale, isolate, normalize_locale


def test_values_are_escaped_and_isolated() -> None:
    assert isolate("<b>Ahmad & Co</b>") == f"{FSI}&lt;b&gt;Ahmad &amp; Co&lt;/b&gt;{PDI}"


def test_translator_wraps_values(catalogs: Catalogs) -> None:
    t = catalogs.translator("ar")
    text = t._("Language: {language}", language="دری")
    assert f"{FSI}دری{PDI}" in text
    assert text != "Language: {language}"  # translated


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("fa", "fa_AF"),
        ("fa-IR", "fa_AF"),
        ("prs", "fa_AF"),
        ("ps-AF", "ps"),
        ("ar-SY", "ar"),
        ("en-US", "en"),
        ("fr", "fr"),
        ("de-AT", "de"),
        ("ru", "de"),
        (None, "de"),
        ("", "de"),
    ],
)
def test_guess_from_telegram(code: str | None, expected: str) -> None:
    assert guess_locale(code, "de") == expected


def test_normalize_locale() -> None:
    assert normalize_locale("FA_af") == "fa_AF"
    assert normalize_locale("ps") == "ps"
    assert normalize_locale("xx") is None


def test_unknown_locale_falls_back_to_default(catalogs: Catalogs) -> None:
    assert catalogs.translator("tlh").locale == "de"


def test_fuzzy_entries_are_not_used(tmp_path: Path) -> None:
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\nmsgid "Help"\nmsgstr "Hilfe?"\n\nmsgid "Main menu"\nmsgstr "Hauptmenü"\n',
        encoding="utf-8",
    )
    t = Catalogs(tmp_path).translator("de")
    assert t._("Help") == "Help"
    assert t._("Main menu") == "Hauptmenü"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("de", "3. März 2026"),
        ("en", "3 March 2026"),
        ("fr", "3 mars 2026"),
        ("ar", "3 مارس 2026"),
        ("fa_AF", "3 مارچ 2026"),
        ("ps", "3 مارچ 2026"),
    ],
)
def test_dates_day_first_with_month_names_and_latin_digits(locale: str, expected: str) -> None:
    moment = datetime(2026, 3, 3, 22, 30, tzinfo=UTC)  # 23:30 in Berlin, still the 3rd
    assert format_day(moment, locale, ZoneInfo("Europe/Berlin")) == expected


def test_time_in_the_local_zone_across_dst() -> None:
    summer = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    winter = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    zone = ZoneInfo("Europe/Berlin")
    assert format_clock(summer, "fa_AF", zone) == "10:00"
    assert format_clock(winter, "ps", zone) == "09:00"


def test_translated_values_are_not_escaped_twice(catalogs: Catalogs) -> None:
    t = catalogs.translator("en")
    inner = t._("Language: {language}", language="A & B")
    outer = t._("Language: {language}", language=inner)
    assert outer.count("&amp;") == 1
