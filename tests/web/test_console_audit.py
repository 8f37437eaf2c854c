"""The console's audit log (issue 20): the site's entries newest first, paged, filtered
by staff member, client number, action and days; the CSV of the filtered rows; reading
it is audited; another site's rows never show, and another site's ids are refused."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from bot.domain import AuditEntry, Client, Staff, StaffRole
from bot.i18n import Catalogs
from tests.helpers import id_of
from tests.web.conftest import Browser, ConsoleWorld

COORDINATOR = StaffRole.COORDINATOR
HOSTILE = "=HYPERLINK(1)"


def de(message: str) -> str:
    return Catalogs().translator("de").raw_p("console", message)


async def client_of(console: ConsoleWorld, staff: Staff, number: int) -> Client:
    async with console.uow_factory() as uow:
        client = Client(None, number, number, "de", site_id=staff.site_id)
        client.consented_at, client.case_manager_id = console.clock.now(), staff.id
        client = await uow.clients.add(client)
        await uow.commit()
    return client


async def entry(
    console: ConsoleWorld,
    staff: Staff,
    action: str,
    *,
    days_ago: float = 0,
    client: int | None = None,
) -> None:
    async with console.uow_factory() as uow:
        await uow.audit.record(
            AuditEntry(
                at=console.clock.now() - timedelta(days=days_ago),
                staff_id=staff.id,
                site_id=staff.site_id,
                action=action,
                client_id=client,
            )
        )
        await uow.commit()


def rows_of(text: str) -> list[str]:
    """The table's rows, each as its cells' text joined by '|'."""
    body = text.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in text else ""
    rows = []
    for row in body.split("<tr>")[1:]:
        cells = [cell.split("</td>")[0] for cell in row.split("<td")[1:]]
        rows.append(
            "|".join(
                cell.split(">", 1)[1].replace("<code>", "").replace("</code>", "") for cell in cells
            )
        )
    return rows


async def filtered(browser: Browser, csrf: str, **fields: str) -> str:
    page = await browser.post("/console/audit", {"csrf": csrf, **fields})
    assert page.status == 200, page.text
    return page.text


async def test_the_log_shows_the_sites_entries_newest_first(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=COORDINATOR, name="Cora")
    ben = await console.staff(101, name="Ben")
    bea = await console.staff(200, slug="borken", name="Bea")
    client = await client_of(console, ben, 7)
    await entry(console, ben, "note.read", days_ago=2, client=id_of(client))
    await entry(console, ben, "clients.list", days_ago=1)
    await entry(console, bea, "borken.secret", days_ago=1)
    page = await (await console.signed_in(cora)).get("/console/audit")
    assert page.status == 200 and 'href="/console/audit"' in page.text
    rows = rows_of(page.text)
    # Newest first: the reading of this page, the login, then Ben's two entries.
    assert [row.split("|")[2] for row in rows] == [
        "console.audit",
        "console.login",
        "console.link",
        "clients.list",
        "note.read",
    ]
    assert rows[-1] == f"23. November 2026 10:00|Ben|note.read|{client.id}|–"
    assert "borken.secret" not in page.text and "Bea" not in page.text
    assert ("console.audit", cora.id, cora.site_id) in await console.audit()


async def test_the_filters_narrow_the_rows(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=COORDINATOR, name="Cora")
    ben = await console.staff(101, name="Ben")
    dana = await console.staff(102, name="Dana")
    one, two = await client_of(console, ben, 1), await client_of(console, dana, 2)
    await entry(console, ben, "note.read", days_ago=10, client=id_of(one))
    await entry(console, ben, "note.write", days_ago=3, client=id_of(one))
    await entry(console, dana, "note.read", days_ago=3, client=id_of(two))
    browser = await console.signed_in(cora)
    csrf = (await browser.get("/console/audit")).csrf

    by_ben = rows_of(await filtered(browser, csrf, staff=str(ben.id)))
    assert [row.split("|")[2] for row in by_ben] == ["note.write", "note.read"]
    by_client = rows_of(await filtered(browser, csrf, client=str(two.id)))
    # Reading the log for a client is itself an entry about that client.
    assert [row.split("|")[1:4] for row in by_client] == [
        ["Cora", "console.audit", str(two.id)],
        ["Dana", "note.read", str(two.id)],
    ]
    reads = rows_of(await filtered(browser, csrf, action="note.read"))
    assert [row.split("|")[1] for row in reads] == ["Dana", "Ben"]
    days = rows_of(
        await filtered(
            browser, csrf, action="note.read", **{"from": "2026-11-20", "to": "2026-11-22"}
        )
    )
    assert [row.split("|")[1] for row in days] == ["Dana"]
    page = await filtered(browser, csrf, staff=str(ben.id), action="note.read")
    assert f'<option value="{ben.id}" selected>Ben</option>' in page
    assert '<option value="note.read" selected>note.read</option>' in page
    assert de("No entries match this filter.") in await filtered(browser, csrf, action="x")


async def test_a_wrong_filter_is_shown_on_the_form_with_the_values_kept(
    console: ConsoleWorld,
) -> None:
    cora = await console.staff(100, role=COORDINATOR)
    browser = await console.signed_in(cora)
    csrf = (await browser.get("/console/audit")).csrf
    page = await browser.post(
        "/console/audit",
        {"csrf": csrf, "client": "Ahmad", "from": "2026-11-30", "to": "2026-11-01"},
    )
    assert page.status == 400
    assert de("Please give a client number, such as 12.") in page.text
    assert de("The end is before the start.") in page.text
    assert 'value="Ahmad"' in page.text and 'value="2026-11-30"' in page.text
    assert "<tbody>" not in page.text


async def test_the_log_is_paged(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=COORDINATOR)
    ben = await console.staff(101, name="Ben")
    for number in range(60):
        await entry(console, ben, f"step.{number:02d}", days_ago=1 + number / 100)
    browser = await console.signed_in(cora)
    first = await browser.get("/console/audit")
    assert len(rows_of(first.text)) == 50
    assert (
        de("Entries: {count} · page {page} of {pages}").format(count=63, page=1, pages=2)
        in first.text
    )
    assert 'name="page" value="2"' in first.text
    second = rows_of(await filtered(browser, first.csrf, page="2"))
    # The second page holds the 13 oldest (reading the first page added one more row).
    assert len(second) == 14 and second[-1].split("|")[2] == "step.59"


async def test_the_csv_holds_the_filtered_rows_and_is_safe(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=COORDINATOR)
    mallory = await console.staff(101, name=HOSTILE)
    client = await client_of(console, mallory, 3)
    await entry(console, mallory, "note.read", days_ago=1, client=id_of(client))
    await entry(console, cora, "clients.list", days_ago=1)
    browser = await console.signed_in(cora)
    csrf = (await browser.get("/console/audit")).csrf
    async with browser.session.post(
        browser.server.make_url("/console/audit.csv"),
        data={"csrf": csrf, "staff": str(mallory.id), "client": "", "action": ""},
    ) as response:
        assert response.status == 200 and response.content_type == "text/csv"
        assert response.headers["Content-Disposition"] == (
            'attachment; filename="lotse-audit-2026-11-25.csv"'
        )
        rows = list(csv.reader(io.StringIO(await response.text())))
    assert rows == [
        ["at_utc", "staff_id", "staff", "role", "action", "client", "note"],
        [
            "2026-11-24T09:00:00+00:00",
            str(mallory.id),
            "'" + HOSTILE,
            "thm",
            "note.read",
            str(client.id),
            "",
        ],
    ]
    assert ("console.audit.csv", cora.id, cora.site_id) in await console.audit()


async def test_another_sites_staff_or_client_in_the_filter_is_refused(
    console: ConsoleWorld,
) -> None:
    cora = await console.staff(100, role=COORDINATOR)
    bea = await console.staff(200, slug="borken", name="Bea")
    stranger = await client_of(console, bea, 9)
    await entry(console, bea, "note.read", client=id_of(stranger))
    browser = await console.signed_in(cora)
    csrf = (await browser.get("/console/audit")).csrf
    for path in ("/console/audit", "/console/audit.csv"):
        for fields in ({"staff": str(bea.id)}, {"client": str(stranger.id)}, {"staff": "x"}):
            page = await browser.post(path, {"csrf": csrf, **fields})
            assert page.status == 404, (path, fields)
            assert "note.read" not in page.text and "Bea" not in page.text
    refusals = [row for row in await console.audit() if row[0].startswith("refused.")]
    expected = [("refused.staff", cora.id, cora.site_id), ("refused.client", cora.id, cora.site_id)]
    assert refusals == (expected + [expected[0]]) * 2


async def test_a_case_manager_gets_403_and_it_is_audited(console: ConsoleWorld) -> None:
    await console.staff(100, role=COORDINATOR)
    ben = await console.staff(101, name="Ben")
    browser = await console.signed_in(ben)
    home = await browser.get("/console/")
    assert 'href="/console/audit"' not in home.text
    assert (await browser.get("/console/audit")).status == 403
    assert (await browser.post("/console/audit", {"csrf": home.csrf})).status == 403
    assert (await browser.post("/console/audit.csv", {"csrf": home.csrf})).status == 403
    refusals = [row for row in await console.audit() if row[0].startswith("refused.")]
    assert refusals == [("refused.role", ben.id, ben.site_id)] * 3
