"""locales/GLOSSARY.md stays true to the catalogs: each term is the catalog's text, and the
spelling decisions it states hold in every entry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.i18n import SUPPORTED_LOCALES

LOCALES = Path(__file__).resolve().parents[2] / "locales"
GLOSSARY = (LOCALES / "GLOSSARY.md").read_text(encoding="utf-8")


def _catalog(locale: str) -> Catalog:
    with (LOCALES / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


def _tables() -> list[tuple[list[str], list[str]]]:
    """Each terms table: its languages (the header's columns after concept and msgid) and its
    lines. Two tables: the six languages of the start, the seven of issue 24."""
    tables: list[tuple[list[str], list[str]]] = []
    for line in GLOSSARY.splitlines():
        if line.startswith("| concept | msgid"):
            tables.append(([cell.strip() for cell in line.strip().strip("|").split("|")][2:], []))
        elif tables and line.startswith("|"):
            tables[-1][1].append(line)
        elif tables and tables[-1][1] and not line.strip():
            tables.append(([], []))  # a table ends at its first empty line
    return [table for table in tables if table[0]]


def _terms() -> list[tuple[str, str | None, dict[str, str]]]:
    """(msgid, context, {locale: cell}) of each row of every terms table."""
    rows = []
    for locales, lines in _tables():
        for line in lines:
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if len(cells) != 2 + len(locales) or not cells[1].startswith("`"):
                continue
            found = re.fullmatch(r"`([^`]+)`(?: \(([^)]+)\))?", cells[1])
            assert found, line
            rows.append(
                (found.group(1), found.group(2), dict(zip(locales, cells[2:], strict=True)))
            )
    return rows


def test_the_tables_list_the_thirteen_languages_in_order() -> None:
    assert [locales for locales, _ in _tables()] == [
        list(SUPPORTED_LOCALES[:6]),
        list(SUPPORTED_LOCALES[6:]),
    ]


def test_both_tables_have_the_same_terms() -> None:
    (_, first), (_, second) = _tables()
    concepts = [[line.split("|")[1:3] for line in lines[2:]] for lines in (first, second)]
    assert concepts[0] == concepts[1] and len(concepts[0]) >= 40


def test_every_term_is_the_catalogs_text() -> None:
    terms = _terms()
    assert len(terms) >= 80  # two tables of 40 and more
    catalogs = {locale: _catalog(locale) for locale in SUPPORTED_LOCALES}
    wrong = []
    checked: set[str] = set()
    for msgid, context, cells in terms:
        for locale, cell in cells.items():
            message = catalogs[locale].get(msgid, context=context)
            checked.add(locale)
            if message is None or message.string != cell:
                wrong.append((locale, msgid, cell, message.string if message else None))
    assert wrong == []
    assert checked == set(SUPPORTED_LOCALES)


def test_every_language_has_its_open_questions_and_its_review_status() -> None:
    """Issue 24: the open questions for a native speaker, per new language; the review
    status names every language no native speaker has read yet."""
    questions = GLOSSARY.split("## Open questions for a native speaker", 1)[1]
    for locale in SUPPORTED_LOCALES[6:]:
        assert f"(`{locale}`)" in questions, locale
    status = GLOSSARY.split("**Review status.**", 1)[1].split("\n\n", 1)[0]
    for locale in ("ar", "fa_AF", "ps", *SUPPORTED_LOCALES[6:]):
        assert f"`{locale}`" in status, locale


@pytest.mark.parametrize(
    ("locale", "forbidden"),
    [
        ("fa_AF", "\u064a\u0643"),  # Arabic ي ك in Dari
        ("ps", "\u06af"),  # Persian گ in Pashto
        ("fa", "\u064a\u0643"),  # Arabic ي ك in Farsi
        ("ckb", "\u064a\u0643\u200c"),  # Arabic ي ك, or a ZWNJ, in Sorani
        ("sr", "абвгдђежзијклљмнњопрстћуфхцчџшАБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ"),  # Latin only
        ("mk", "čćšžđČĆŠŽĐ"),  # Macedonian in Cyrillic, never Serbian Latin letters
    ],
)
def test_the_stated_spelling_holds_in_every_entry(locale: str, forbidden: str) -> None:
    texts = [
        text
        for message in _catalog(locale)
        if message.id
        for text in ([message.string] if isinstance(message.string, str) else message.string or [])
    ]
    assert [text for text in texts if any(char in text for char in forbidden)] == []
