from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel import Locale

from bot.formatting import format_clock, format_day
from bot.i18n import (
    FSI,
    NATIVE_NAMES,
    PDI,
    RTL_LOCALES,
    SUPPORTED_LOCALES,
    Catalogs,
    cldr_locale,
    guess_locales,
    guesses,
    isolate,
    language_label,
    normalize_locale,
)


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
        # Telegram's apps have no Dari: a Persian phone is Dari or Farsi, both first.
        ("fa", ("fa_AF", "fa")),
        ("fa-AF", ("fa_AF", "fa")),
        ("prs", ("fa_AF", "fa")),
        ("fa-IR", ("fa", "fa_AF")),
        # Either Kurdish suggests both; Southern Kurdish is written like Sorani.
        ("ckb", ("ckb", "ku")),
        ("ckb-IQ", ("ckb", "ku")),
        ("sdh", ("ckb", "ku")),
        ("ku", ("ku", "ckb")),
        ("kmr", ("ku", "ckb")),
        ("ku-Arab-IQ", ("ckb", "ku")),
        ("tr-TR", ("tr",)),
        ("sq", ("sq",)),
        ("sq-XK", ("sq",)),
        # Serbian in Latin script, whichever script the phone has; its neighbours read it.
        ("sr", ("sr",)),
        ("sr-Latn-RS", ("sr",)),
        ("sr-Cyrl", ("sr",)),
        ("bs", ("sr",)),
        ("hr", ("sr",)),
        ("mk", ("mk",)),
        ("ps-AF", ("ps",)),
        ("ar-SY", ("ar",)),
        ("en-US", ("en",)),
        ("fr", ("fr",)),
        ("de-AT", ("de",)),
        ("ru", ()),
        (None, ()),
        ("", ()),
    ],
)
def test_guesses_from_telegram(code: str | None, expected: tuple[str, ...]) -> None:
    assert guesses(code) == expected
    assert guess_locales(code, "de") == (expected or ("de",))
    assert set(expected) <= set(SUPPORTED_LOCALES)


def test_thirteen_languages_each_named_in_itself() -> None:
    """The seven of issue 24 after the six; each name as CLDR writes it (capitalised),
    except Dari and Sorani, which CLDR names otherwise (bot/i18n.py says why)."""
    assert SUPPORTED_LOCALES == (
        "de", "en", "fr", "ar", "fa_AF", "ps", "fa", "ckb", "ku", "tr", "sq", "sr", "mk",
    )  # fmt: skip
    assert set(NATIVE_NAMES) == set(SUPPORTED_LOCALES)
    assert RTL_LOCALES == {"ar", "fa_AF", "ps", "fa", "ckb"}
    for code in set(SUPPORTED_LOCALES) - {"fa_AF", "ckb"}:
        cldr = Locale.parse(cldr_locale(code))
        # sr_Latn: "srpski (latinica)", the script named after the language.
        own = (
            str(cldr.get_display_name(cldr)).split(" (")[0] if code == "sr" else cldr.language_name
        )
        assert own and NATIVE_NAMES[code].casefold() == own.casefold(), code
    assert NATIVE_NAMES["ckb"] == "کوردی (سۆرانی)" and NATIVE_NAMES["ku"] == "Kurdî (Kurmancî)"
    assert NATIVE_NAMES["sr"] == "Srpski" and NATIVE_NAMES["mk"] == "Македонски"


def test_a_right_to_left_name_keeps_its_bracket_on_a_button() -> None:
    assert language_label("ckb") == "کوردی (سۆرانی)\u200f"
    assert language_label("fa") == "فارسی"  # ends in an Arabic letter: nothing to add
    assert language_label("ku") == "Kurdî (Kurmancî)"


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
        ("ps", "3 مارچ 2026"),  # CLDR's pattern is year first: the fallback
        ("fa", "3 مارس 2026"),
        ("ckb", "3ی ئازاری 2026"),
        ("ku", "3ê adara 2026an"),
        ("tr", "3 Mart 2026"),
        ("sq", "3 mars 2026"),
        ("sr", "3. mart 2026."),  # Latin script, as the catalog (Babel's plain sr: Cyrillic)
        ("mk", "3 март 2026\u202fг."),  # CLDR: a narrow no-break space before "г."
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
