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


def _terms() -> list[tuple[str, str | None, list[str]]]:
    """(msgid, context, the six cells) of each row of the terms table."""
    table = GLOSSARY.split("## Terms", 1)[1]
    rows = []
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 2 + len(SUPPORTED_LOCALES) or not cells[1].startswith("`"):
            continue
        found = re.fullmatch(r"`([^`]+)`(?: \(([^)]+)\))?", cells[1])
        assert found, line
        rows.append((found.group(1), found.group(2), cells[2:]))
    return rows


def test_the_table_lists_the_six_languages_in_order() -> None:
    header = next(line for line in GLOSSARY.splitlines() if line.startswith("| concept | msgid"))
    assert [cell.strip() for cell in header.strip("|").split("|")][2:] == list(SUPPORTED_LOCALES)


def test_every_term_is_the_catalogs_text() -> None:
    terms = _terms()
    assert len(terms) >= 40
    catalogs = {locale: _catalog(locale) for locale in SUPPORTED_LOCALES}
    wrong = []
    for msgid, context, cells in terms:
        for locale, cell in zip(SUPPORTED_LOCALES, cells, strict=True):
            message = catalogs[locale].get(msgid, context=context)
            if message is None or message.string != cell:
                wrong.append((locale, msgid, cell, message.string if message else None))
    assert wrong == []


@pytest.mark.parametrize(
    ("locale", "forbidden"),
    [("fa_AF", "\u064a\u0643"), ("ps", "\u06af")],  # Arabic ي ك in Dari; Persian گ in Pashto
)
def test_the_stated_spelling_holds_in_every_entry(locale: str, forbidden: str) -> None:
    texts = [
        text
        for message in _catalog(locale)
        if message.id
        for text in ([message.string] if isinstance(message.string, str) else message.string or [])
    ]
    assert [text for text in texts if any(char in text for char in forbidden)] == []
