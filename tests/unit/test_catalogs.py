"""The catalog check: complete, not fuzzy, placeholders kept, plurals right, not behind the code.

`pybabel compile` counts fuzzy entries as translated; this test does not.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from bot.i18n import RTL_LOCALES, SUPPORTED_LOCALES
from emulator.state import visible_text

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "n_": (1, 2), "p_": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def _catalog(locale: str):  # type: ignore[no-untyped-def]
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def _code_messages() -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()
    for folder in ("bot", "handlers"):
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / folder, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            found.add((context, msgid))
    return found


def _key(message) -> tuple[str | None, str]:  # type: ignore[no-untyped-def]
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return (message.context, msgid)


def _first_strong(text: str) -> str | None:
    for char in visible_text(text, "HTML"):
        kind = unicodedata.bidirectional(char)
        if kind in ("L", "R", "AL"):
            return kind
    return None


def test_code_has_messages() -> None:
    assert len(_code_messages()) > 20


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalog_is_not_behind_the_code(locale: str) -> None:
    in_code = _code_messages()
    in_catalog = {_key(m) for m in _catalog(locale) if m.id}
    assert sorted(in_code - in_catalog, key=str) == [], "run scripts/update_catalogs.sh"
    assert sorted(in_catalog - in_code, key=str) == [], (
        "obsolete entries: run scripts/update_catalogs.sh"
    )


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_plural_header_matches_babel(locale: str) -> None:
    catalog = _catalog(locale)
    expected = get_plural(locale)
    assert catalog.plural_forms == expected.plural_forms
    assert catalog.num_plurals == expected.num_plurals


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_entry_translated_and_not_fuzzy(locale: str) -> None:
    catalog = _catalog(locale)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(("fuzzy", message.id))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if isinstance(message.id, tuple) and len(strings) != catalog.num_plurals:
            problems.append(("plural forms", message.id))
        if any(not s for s in strings):
            problems.append(("untranslated", message.id))
    assert problems == []


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_placeholders_and_markup_are_kept(locale: str) -> None:
    problems = []
    for message in _catalog(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for index, string in enumerate(strings):
            found = set(PLACEHOLDER.findall(string))
            # Arabic forms 0-2 name exactly one number and may leave out {n}.
            allowed_missing = (
                {"n"} if locale == "ar" and isinstance(message.id, tuple) and index < 3 else set()
            )
            if found - expected or (expected - found) - allowed_missing:
                problems.append((ids[0], string))
            try:
                visible_text(string, "HTML")
            except Exception:  # noqa: BLE001
                problems.append(("broken HTML", string))
    assert problems == []


@pytest.mark.parametrize("locale", sorted(RTL_LOCALES))
def test_right_to_left_texts_start_right_to_left(locale: str) -> None:
    # Telegram picks a message's direction from its first strong character.
    wrong = [
        m.string
        for m in _catalog(locale)
        if m.id and isinstance(m.string, str) and _first_strong(m.string) not in ("R", "AL", None)
    ]
    assert wrong == []
