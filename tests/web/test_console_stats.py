"""The console's statistics (issue 20): the same figures as /stats and `python main.py
stats` for a month, a quarter or a range, as a table and a chart (its own route, a PNG),
small counts as "<5", a sentence instead of an empty chart, the CSV safe to open."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest

from bot.domain import Client, Site, StaffRole
from bot.i18n import Catalogs, Translator
from tests.helpers import id_of
from tests.web.conftest import Browser, ConsoleWorld
from web import stats as web_stats

COORDINATOR = StaffRole.COORDINATOR
HOSTILE = "=HYPERLINK(1)"  # fits a locale column (16) on PostgreSQL too


def de(message: str) -> str:
    return Catalogs().translator("de").raw_p("console", message)


async def fetch(browser: Browser, path: str) -> tuple[int, str, bytes]:
    """Status, content type and body of a download (a PNG, a CSV)."""
    async with browser.session.get(browser.server.make_url(path)) as response:
        return response.status, response.content_type, await response.read()


async def clients(
    console: ConsoleWorld, site: Site, locales: dict[str, int], created: datetime
) -> None:
    """Consented clients of `site`: so many of each language."""
    async with console.uow_factory() as uow:
        number = 1000 * id_of(site)
        for locale, count in locales.items():
            for _ in range(count):
                number += 1
                client = Client(None, number, number, locale)
                client.site_id, client.consented_at = id_of(site), created
                client.created_at = created
                await uow.clients.add(client)
        await uow.commit()


async def test_the_month_shows_the_figures_with_small_counts_hidden(
    console: ConsoleWorld,
) -> None:
    cora = await console.staff(100, role=COORDINATOR, name="Cora")
    essen = await console.site("essen")
    await clients(console, essen, {"de": 6, "fa_AF": 2}, console.clock.now())
    browser = await console.signed_in(cora)
    page = await browser.get("/console/stats?month=2026-11")
    assert page.status == 200
    assert 'href="/console/stats"' in page.text  # the menu
    assert "<caption>Klient*innen nach Sprache</caption>" in page.text
    assert '<th scope="row">Deutsch</th><td class="count">6</td>' in page.text
    assert '<th scope="row">Dari</th><td class="count">&lt;5</td>' in page.text
    assert ">2<" not in page.text  # the two Dari speakers are never counted in the open
    assert de("{start} to {end}").format(start="1. November 2026", end="30. November 2026") in (
        page.text
    )
    assert 'src="/console/stats/chart.png?from=2026-11-01&amp;to=2026-11-30"' in page.text
    assert 'href="/console/stats/stats.csv?from=2026-11-01&amp;to=2026-11-30"' in page.text
    assert ("console.stats", cora.id, cora.site_id) in await console.audit()


async def test_without_a_month_the_current_one_is_shown(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=COORDINATOR)
    page = await (await console.signed_in(cora)).get("/console/stats")
    assert page.status == 200 and 'value="2026-11"' in page.text
    assert "chart.png?from=2026-11-01&amp;to=2026-11-30" not in page.text  # nothing yet
    assert de("Nothing to count in this period yet.") in page.text


async def test_a_quarter_and_a_range_are_periods_too(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=COORDINATOR, locale="en")
    essen = await console.site("essen")
    await clients(console, essen, {"ps": 7}, console.clock.now() - timedelta(days=60))
    browser = await console.signed_in(cora)
    quarter = await browser.get("/console/stats?quarter=2026-Q4")
    assert quarter.status == 200 and "<caption>Clients by language</caption>" in quarter.text
    assert "1 October 2026 to 31 December 2026" in quarter.text
    assert '<option value="2026-Q4" selected>Q4 2026</option>' in quarter.text
    assert '<th scope="row">Pashto</th><td class="count">7</td>' in quarter.text
    # The clients arrived in September: a range that ends before then counts none.
    early = await browser.get("/console/stats?from=2026-01-01&to=2026-08-31")
    assert early.status == 200 and "Nothing to count in this period yet." in early.text
    assert "<img" not in early.text  # no chart of empty axes


async def test_a_wrong_period_is_shown_on_the_form_with_the_values_kept(
    console: ConsoleWorld,
) -> None:
    cora = await console.staff(100, role=COORDINATOR)
    browser = await console.signed_in(cora)
    backwards = await browser.get("/console/stats?from=2026-11-30&to=2026-11-01")
    assert backwards.status == 400
    assert de("The end is before the start.") in backwards.text
    assert 'value="2026-11-30"' in backwards.text and 'value="2026-11-01"' in backwards.text
    assert "<img" not in backwards.text
    month = await browser.get("/console/stats?month=2026-13")
    assert month.status == 400 and de("Please give a month such as 2026-11.") in month.text
    assert 'value="2026-13"' in month.text
    forged = await browser.get("/console/stats?quarter=2026-Q9")
    assert forged.status == 400


async def test_the_chart_is_a_png_of_its_own_route(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=COORDINATOR)
    essen = await console.site("essen")
    await clients(console, essen, {"de": 3}, console.clock.now())
    browser = await console.signed_in(cora)
    status, kind, body = await fetch(
        browser, "/console/stats/chart.png?from=2026-11-01&to=2026-11-30"
    )
    assert status == 200 and kind == "image/png" and body.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(body) > 10_000
    for wrong in ("from=2026-11-30&to=2026-11-01", "from=x&to=2026-11-01", ""):
        assert (await fetch(browser, f"/console/stats/chart.png?{wrong}"))[0] == 404


async def test_the_chart_is_drawn_once_for_the_same_figures_and_anew_when_they_change(
    console: ConsoleWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[dict[str, dict[str, int | str]]] = []
    real = web_stats.chart_png

    def counting(t: Translator, figures: dict[str, dict[str, int | str]], *, title: str) -> bytes:
        drawn.append(figures)
        return real(t, figures, title=title)

    monkeypatch.setattr(web_stats, "chart_png", counting)
    web_stats._CHARTS.clear()
    cora = await console.staff(100, role=COORDINATOR)
    essen = await console.site("essen")
    await clients(console, essen, {"de": 6}, console.clock.now())
    browser = await console.signed_in(cora)
    path = "/console/stats/chart.png?from=2026-11-01&to=2026-11-30"
    first = await fetch(browser, path)
    again = await fetch(browser, path)
    assert first == again and len(drawn) == 1
    async with console.uow_factory() as uow:  # the figures change: six French speakers
        for number in range(5001, 5007):
            client = Client(None, number, number, "fr", site_id=id_of(essen))
            client.consented_at = client.created_at = console.clock.now()
            await uow.clients.add(client)
        await uow.commit()
    changed = await fetch(browser, path)
    assert changed[2] != first[2] and len(drawn) == 2


async def test_the_csv_is_safe_to_open_in_a_spreadsheet(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=COORDINATOR)
    essen = await console.site("essen")
    await clients(console, essen, {HOSTILE: 5, "de": 1}, console.clock.now())
    browser = await console.signed_in(cora)
    async with browser.session.get(
        browser.server.make_url("/console/stats/stats.csv?from=2026-11-01&to=2026-11-30")
    ) as response:
        assert response.status == 200 and response.content_type == "text/csv"
        assert response.headers["Content-Disposition"] == (
            'attachment; filename="lotse-stats-essen-2026-11-01-2026-11-30.csv"'
        )
        rows = list(csv.reader(io.StringIO(await response.text())))
    assert rows[0] == ["figure", "category", "count"]
    assert ["clients_by_language", "'" + HOSTILE, "5"] in rows
    assert ["clients_by_language", "de", "<5"] in rows
    assert ("console.stats.csv", cora.id, cora.site_id) in await console.audit()


async def test_each_coordinator_sees_their_own_site_only(console: ConsoleWorld) -> None:
    await console.staff(100, role=COORDINATOR)
    essen = await console.site("essen")
    await clients(console, essen, {"de": 9}, console.clock.now())
    bea = await console.staff(200, role=COORDINATOR, slug="borken", name="Bea")
    browser = await console.signed_in(bea)
    page = await browser.get("/console/stats?month=2026-11")
    assert page.status == 200 and de("Nothing to count in this period yet.") in page.text
    _, _, body = await fetch(browser, "/console/stats/stats.csv?from=2026-11-01&to=2026-11-30")
    assert body.decode() == "figure,category,count\n"


async def test_a_case_manager_gets_403_and_it_is_audited(console: ConsoleWorld) -> None:
    await console.staff(100, role=COORDINATOR)
    ben = await console.staff(101, name="Ben")
    browser = await console.signed_in(ben)
    assert 'href="/console/stats"' not in (await browser.get("/console/")).text
    for path in (
        "/console/stats",
        "/console/stats/chart.png?from=2026-11-01&to=2026-11-30",
        "/console/stats/stats.csv?from=2026-11-01&to=2026-11-30",
    ):
        assert (await fetch(browser, path))[0] == 403, path
    refusals = [row for row in await console.audit() if row[0].startswith("refused.")]
    assert refusals == [("refused.role", ben.id, ben.site_id)] * 3
