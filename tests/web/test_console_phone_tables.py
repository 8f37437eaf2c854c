"""Issue 20, found by the coordinator's journey in Chromium (tests/e2e/
test_console_journey_browser.py): at 360 px the import preview's error table squeezed its
columns until "Zeile" and "Lebensbereiche" broke letter by letter, and the audit log hid
its last columns to the right. On a phone, these tables now stack: each row a card, each
cell under its column's name (data-label), and no cell breaks a word anywhere."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import aiohttp

from bot.domain import StaffRole
from bot.i18n import Catalogs
from tests.web.conftest import ConsoleWorld

CSS = Path(__file__).resolve().parents[2] / "web" / "static" / "console.css"
CELL = re.compile(r"<td\b([^>]*)>")


def de(message: str) -> str:
    return Catalogs().translator("de").raw_p("console", message)


def _cells(html: str, table: str) -> list[str]:
    """The attributes of every cell of the first <table class="TABLE ...">."""
    start = html.index(f'<table class="{table}')
    return CELL.findall(html[start : html.index("</table>", start)])


def _phone_rules() -> str:
    css = CSS.read_text(encoding="utf-8")
    return css[css.index("@media (max-width: 47.99rem)") :]


def test_the_stacked_tables_show_each_cell_under_its_name_on_a_phone() -> None:
    phone = _phone_rules()
    assert "table.stack tr { display: block;" in phone
    assert 'table.stack td[data-label]::before { content: attr(data-label) ": ";' in phone
    # Letter-by-letter breaking came from overflow-wrap: anywhere in these tables' cells.
    css = CSS.read_text(encoding="utf-8")
    cells = css[css.index("table.errors th, table.errors td") :]
    assert "overflow-wrap: anywhere" not in cells[: cells.index("}")]


async def test_the_import_preview_names_each_cell(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=StaffRole.COORDINATOR, name="Cora")
    browser = await console.signed_in(cora)
    page = await browser.get("/console/offers/import")
    data = (
        b"external_id,title,provider,life_areas,municipality\n"
        b"a-1,Kurs,VHS,language,Essen\n"
        b"a-2,Training,Jobwerk,flying,Essen\n"
    )
    form = aiohttp.FormData()
    form.add_field("csrf", page.csrf)
    form.add_field("file", data, filename="offers.csv", content_type="text/csv")
    async with browser.session.post(
        browser.server.make_url("/console/offers/import"), data=form
    ) as response:
        html = await response.text()
    assert response.status == 422
    labels = [f'data-label="{de(name)}"' for name in ("Line", "Field", "Problem")]
    assert [cell.strip() for cell in _cells(html, "errors stack")] == labels
    assert 'class="rows stack"' in html


async def test_the_audit_log_names_each_cell(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=StaffRole.COORDINATOR, name="Cora")
    html = (await (await console.signed_in(cora)).get("/console/audit")).text
    cells: list[Any] = _cells(html, "audit stack")
    assert cells, "no rows in the audit log"
    for name in ("When", "Staff member", "Action", "Client", "Note"):
        assert f'data-label="{de(name)}"' in cells[0] + "".join(cells[:5])
