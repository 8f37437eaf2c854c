"""The catalog check: complete, not fuzzy, placeholders kept, plurals right, not behind the code.

`pybabel compile` counts fuzzy entries as translated; this check does not.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from bot.i18n import RTL_LOCALES, SUPPORTED_LOCALES
from emulator.state import visible_text

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "n_": (1, 2), "p_": ((1, "c"), 2)}
#: As babel.cfg: Python everywhere, and the console's Jinja2 templates.
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def _catalog(locale: str) -> Catalog:
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def _code_messages() -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()
    for folder in ("bot", "handlers", "web"):
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / folder, method_map=METHODS, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            found.add((context, msgid))
    return found


def _key(message: Message) -> tuple[str | None, str]:
    return (message.context, _forms(message.id)[0])


def _first_strong(text: str) -> str | None:
    try:
        text = visible_text(text, "HTML")
    except Exception:  # noqa: BLE001 - reported as broken HTML elsewhere
        pass
    for char in PLACEHOLDER.sub("", text):  # a placeholder's value is isolated at run time
        kind = unicodedata.bidirectional(char)
        if kind in ("L", "R", "AL"):
            return kind
    return None


def _forms(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """A message's id or string: one form, or one per plural form."""
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def catalog_problems(catalog: Catalog, locale: str) -> list[str]:
    """Everything wrong with one catalog, as readable lines."""
    problems: list[str] = []
    expected_plural = get_plural(locale)
    if catalog.plural_forms != expected_plural.plural_forms:
        problems.append(
            f"plural header {catalog.plural_forms!r} != {expected_plural.plural_forms!r}"
        )
    for message in catalog:
        if not message.id:
            continue
        ids = _forms(message.id)
        strings = _forms(message.string or "")
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        if isinstance(message.id, tuple) and len(strings) != expected_plural.num_plurals:
            problems.append(
                f"{len(strings)} plural forms, expected {expected_plural.num_plurals}: {ids[0]!r}"
            )
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for index, string in enumerate(strings):
            if not string:
                problems.append(f"untranslated: {ids[0]!r}")
                continue
            found = set(PLACEHOLDER.findall(string))
            # Arabic forms 0-2 name exactly one number and may leave out {n}.
            may_miss = {"n"} if locale == "ar" and len(ids) > 1 and index < 3 else set()
            if found - expected or (expected - found) - may_miss:
                problems.append(f"placeholders {sorted(found)} != {sorted(expected)}: {ids[0]!r}")
            try:
                visible_text(string, "HTML")
            except Exception:  # noqa: BLE001
                problems.append(f"broken HTML: {ids[0]!r}")
            if locale in RTL_LOCALES and _first_strong(string) == "L":
                # Telegram picks a message's direction from its first strong character.
                problems.append(f"starts left-to-right: {ids[0]!r}")
    return problems


def test_code_has_messages() -> None:
    assert len(_code_messages()) > 20


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalog_is_complete_and_clean(locale: str) -> None:
    assert catalog_problems(_catalog(locale), locale) == []


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalog_is_not_behind_the_code(locale: str) -> None:
    in_code = _code_messages()
    in_catalog = {_key(m) for m in _catalog(locale) if m.id}
    assert sorted(in_code - in_catalog, key=str) == [], "run scripts/update_catalogs.sh"
    assert sorted(in_catalog - in_code, key=str) == [], "obsolete: run scripts/update_catalogs.sh"


def test_the_check_finds_each_kind_of_problem() -> None:
    catalog = Catalog(locale="ar")
    catalog.add("Help", "مساعدة", flags=["fuzzy"])
    catalog.add("Main menu", "")
    catalog.add("Language: {language}", "اللغة: {lang}")
    catalog.add(("{n} day", "{n} days"), ("يوم", "يومان"))
    catalog.add("Your data", "<b>بياناتك")
    catalog.add("Privacy", "Datenschutz")
    problems = "\n".join(catalog_problems(catalog, "ar"))
    for expected in (
        "fuzzy: 'Help'",
        "untranslated: 'Main menu'",
        "placeholders",
        "2 plural forms, expected 6",
        "broken HTML",
        "starts left-to-right",
    ):
        assert expected in problems


def test_the_check_finds_a_wrong_plural_header() -> None:
    catalog = Catalog(locale="fa_AF")
    # As newer tools may write it. Babel types both attributes as None (set lazily).
    catalog._num_plurals, catalog._plural_expr = 2, "(n > 1)"  # type: ignore[assignment]
    assert any("plural header" in p for p in catalog_problems(catalog, "fa_AF"))
