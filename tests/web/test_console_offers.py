"""The console's offers pages (issue 20): the site's list with the chat's search, the form
(create, edit, end), import with a preview, the CSV export, and the site's borders."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import aiohttp

from bot.domain import LifeArea, Offer, Staff, StaffRole
from bot.i18n import Catalogs
from bot.offers_io import COLUMNS
from bot.referrals import ReferralReason
from bot.services import offers as chat_offers
from bot.services.console_offers import MAX_UPLOAD_BYTES
from tests.helpers import id_of
from tests.web.conftest import Browser, ConsoleWorld, Page

COORDINATOR = StaffRole.COORDINATOR
HEADER = ",".join(COLUMNS)


def de(message: str, **values: Any) -> str:
    text = Catalogs().translator("de").raw_p("console", message)
    return text.format(**values) if values else text


def _row(**values: str) -> str:
    base = {c: "" for c in COLUMNS}
    base.update(
        external_id="x-1",
        title="Deutschkurs A1",
        provider="VHS (Beispiel)",
        life_areas="language",
        municipality="Essen",
    )
    base.update(values)
    return ",".join(f'"{base[c]}"' for c in COLUMNS)


def _csv(*rows: str) -> bytes:
    return (HEADER + "\n" + "\n".join(rows) + "\n").encode()


def _offer(external_id: str, title: str, **values: Any) -> Offer:
    fields: dict[str, Any] = {
        "provider": "Träger",
        "life_areas": [LifeArea.LANGUAGE],
        "municipality": "Essen",
    }
    fields.update(values)
    return Offer(external_id=external_id, title=title, **fields)


async def _keep(console: ConsoleWorld, site_id: int | None, *offers: Offer) -> None:
    async with console.uow_factory() as uow:
        await uow.offers.upsert_many(list(offers), console.clock.now(), site_id=site_id)
        await uow.commit()


async def _stored(console: ConsoleWorld, external_id: str) -> Offer | None:
    async with console.uow_factory() as uow:
        found = await uow.offers.by_external_ids([external_id])
    return found[0] if found else None


async def _chat_finds(console: ConsoleWorld, text: str) -> list[str]:
    found = await chat_offers.search_offers(
        console.uow_factory, console.clock, console.zone, text=text, page_size=50
    )
    return [o.external_id for o in found.offers]


async def _upload(browser: Browser, csrf: str, name: str, data: bytes) -> Page:
    form = aiohttp.FormData()
    form.add_field("csrf", csrf)
    form.add_field("file", data, filename=name, content_type="text/csv")
    async with browser.session.post(
        browser.server.make_url("/console/offers/import"), data=form
    ) as response:
        return Page(response.status, await response.text(), response.headers, str(response.url))


async def _coordinator(console: ConsoleWorld) -> tuple[Staff, Browser]:
    cora = await console.staff(100, role=COORDINATOR, name="Cora")
    return cora, await console.signed_in(cora)


def _form(page: Page, **values: str) -> dict[str, Any]:
    base = {c: "" for c in COLUMNS}
    base.update(
        external_id="new-1",
        title="Rechtsberatung",
        provider="Rechtshilfe e. V.",
        life_areas="legal",
        municipality="Essen",
        eligible_statuses="duldung",
        csrf=page.csrf,
    )
    base.update(values)
    return base


async def test_the_list_searches_the_sites_offers_with_the_chats_filters(
    console: ConsoleWorld,
) -> None:
    cora, browser = await _coordinator(console)
    yesterday = (console.clock.now() - timedelta(days=1)).astimezone(console.zone).date()
    await _keep(
        console,
        cora.site_id,
        _offer("a", "Deutschkurse am Abend"),
        _offer("b", "Wohnungssuche <b>Hilfe</b>", life_areas=[LifeArea.HOUSING]),
        _offer("c", "Deutschkurs alt", ends_on=yesterday),
        _offer("d", "Deutschkurs in Bottrop", municipality="Bottrop"),
    )
    other = await console.site("borken")
    await _keep(console, id_of(other), _offer("z", "Deutschkurs in Borken"))
    await _keep(console, None, _offer("s", "Deutschkurs geteilt"))

    page = await browser.get("/console/offers?q=Deutschkurs")
    assert page.status == 200
    for title in ("Deutschkurse am Abend", "Deutschkurs alt", "Deutschkurs in Bottrop"):
        assert title in page.text
    assert "Borken" not in page.text and "geteilt" not in page.text
    assert de("ended on {day}", day=yesterday.isoformat()) in page.text
    assert 'class="ended"' in page.text and page.text.count('class="active"') == 2
    assert "Wohnungssuche &lt;b&gt;Hilfe&lt;/b&gt;" in (await browser.get("/console/offers")).text

    housing = await browser.get("/console/offers?area=housing")
    assert "Wohnungssuche" in housing.text and "Deutschkurs" not in housing.text
    bottrop = await browser.get("/console/offers?q=deutschkurs&place=Bottrop")
    assert "in Bottrop" in bottrop.text and "am Abend" not in bottrop.text
    # The chat's search (every site's and the shared catalog) is not narrowed by the console.
    assert set(await _chat_finds(console, "Deutschkurs")) == {"a", "d", "z", "s"}


async def test_the_list_pages_and_case_managers_only_read_it(console: ConsoleWorld) -> None:
    cora, browser = await _coordinator(console)
    await _keep(console, cora.site_id, *(_offer(f"o{n:02}", f"Kurs {n:02}") for n in range(25)))
    first = await browser.get("/console/offers")
    assert "Kurs 00" in first.text and "Kurs 19" in first.text and "Kurs 20" not in first.text
    assert de("Page {page} of {pages}", page=1, pages=2) in first.text
    second = await browser.get("/console/offers?page=2")
    assert "Kurs 24" in second.text and "Kurs 19" not in second.text

    ben = await console.signed_in(await console.staff(101, name="Ben"))
    read = await ben.get("/console/offers")
    assert read.status == 200 and "Kurs 00" in read.text
    assert "/console/offers/new" not in read.text and "/console/offers/1" not in read.text
    assert (await ben.get("/console/offers/new")).status == 403
    assert (await ben.get("/console/offers/export.csv")).status == 403


async def test_create_validates_on_the_form_and_stores_the_sites_offer(
    console: ConsoleWorld,
) -> None:
    cora, browser = await _coordinator(console)
    form = await browser.get("/console/offers/new")
    bad = await browser.post(
        "/console/offers/new", _form(form, title="", postcode="12", provider="<i>VHS</i>")
    )
    assert bad.status == 422
    assert de("Please fill this in.") in bad.text and de("Must be 5 digits.") in bad.text
    assert 'value="&lt;i&gt;VHS&lt;/i&gt;"' in bad.text and 'value="12"' in bad.text
    assert await _stored(console, "new-1") is None

    done = await browser.post("/console/offers/new", _form(form, languages="de, fa_AF"))
    assert done.status == 200 and de("Saved.") in done.text
    stored = await _stored(console, "new-1")
    assert stored is not None and stored.site_id == cora.site_id
    assert stored.languages == ["de", "fa_AF"] and stored.eligible_statuses == ["duldung"]
    assert done.url.endswith(f"/console/offers/{stored.id}?saved=1")
    assert await _chat_finds(console, "Rechtsberatung") == ["new-1"]
    again = await browser.post("/console/offers/new", _form(form))
    assert again.status == 422 and de("Your site already has an offer with this id.") in again.text
    assert ("console.offer.add", cora.id, cora.site_id) in await console.audit()


async def test_edit_keeps_the_id_and_end_hides_the_offer_from_the_chat(
    console: ConsoleWorld,
) -> None:
    cora, browser = await _coordinator(console)
    await _keep(console, cora.site_id, _offer("k-1", "Sprachcafé"))
    stored = await _stored(console, "k-1")
    assert stored is not None
    path = f"/console/offers/{stored.id}"
    form = await browser.get(path)
    assert 'value="Sprachcafé"' in form.text
    edited = await browser.post(
        path,
        _form(form, external_id="forged", title="Sprachcafé am Montag", life_areas="language"),
    )
    assert edited.status == 200 and de("Saved.") in edited.text
    after = await _stored(console, "k-1")
    assert after is not None and after.title == "Sprachcafé am Montag"
    assert await _stored(console, "forged") is None
    assert await _chat_finds(console, "Sprachcafé") == ["k-1"]

    confirm = await browser.get(path + "/end")
    assert de("Yes, end it") in confirm.text
    ended = await browser.post(path + "/end", {"csrf": confirm.csrf})
    assert ended.status == 200
    yesterday = (console.clock.now() - timedelta(days=1)).astimezone(console.zone).date()
    gone = await _stored(console, "k-1")
    assert gone is not None and gone.ends_on == yesterday
    assert await _chat_finds(console, "Sprachcafé") == []
    assert 'class="ended"' in (await browser.get("/console/offers")).text
    actions = [a for a, _, _ in await console.audit()]
    assert "console.offer.edit" in actions and "console.offer.end" in actions


async def test_import_previews_a_bad_row_then_imports_exactly_the_preview(
    console: ConsoleWorld,
) -> None:
    cora, browser = await _coordinator(console)
    await _keep(console, cora.site_id, _offer("x-1", "Deutschkurs A1", provider="VHS (Beispiel)"))
    page = await browser.get("/console/offers/import")
    rows = [
        _row(external_id="x-1"),
        _row(external_id="x-2", title="Kurs zwei", postcode="12"),
        _row(external_id="x-3", title="<script>alert(1)</script>"),
    ]
    bad = await _upload(browser, page.csrf, "offers.csv", _csv(*rows))
    assert bad.status == 422
    assert (
        f'<tr><td data-label="{de("Line")}">3</td><td data-label="{de("Field")}">'
        + de("Postcode")
        + f'</td><td data-label="{de("Problem")}">'
        + de("Must be 5 digits.")
    ) in bad.text
    assert de("Errors: {count}", count=1) in bad.text and "/import/confirm" not in bad.text
    assert await _stored(console, "x-3") is None

    rows[1] = _row(external_id="x-2", title="Kurs zwei", postcode="45127")
    rows[0] = _row(external_id="x-1", cost="kostenlos")
    good = await _upload(browser, page.csrf, "offers.csv", _csv(*rows))
    assert good.status == 200
    assert de("New: {count}", count=2) in good.text
    assert de("Changed: {count}", count=1) in good.text and de("Cost") in good.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in good.text and "<script>" not in good.text
    assert await _stored(console, "x-2") is None  # a preview writes nothing
    done = await browser.post(
        "/console/offers/import/confirm",
        {"csrf": page.csrf, "upload": _hidden(good, "upload"), "check": _hidden(good, "check")},
    )
    assert done.status == 200 and de("Imported") in done.text
    for external_id in ("x-1", "x-2", "x-3"):
        offer = await _stored(console, external_id)
        assert offer is not None and offer.site_id == cora.site_id
    first = await _stored(console, "x-1")
    assert first is not None and first.cost == "kostenlos"
    assert ("console.offers.import", cora.id, cora.site_id) in await console.audit()


def _hidden(page: Page, name: str) -> str:
    marker = f'name="{name}" value="'
    start = page.text.index(marker) + len(marker)
    return page.text[start : page.text.index('"', start)]


async def test_a_stale_forged_or_outdated_preview_imports_nothing(console: ConsoleWorld) -> None:
    cora, browser = await _coordinator(console)
    page = await browser.get("/console/offers/import")
    preview = await _upload(browser, page.csrf, "o.csv", _csv(_row(external_id="p-1")))
    key, check = _hidden(preview, "upload"), _hidden(preview, "check")

    forged = {"csrf": page.csrf, "upload": "forged", "check": check}
    refused = await browser.post("/console/offers/import/confirm", forged)
    assert refused.status == 409 and de("This preview is no longer valid") in refused.text
    other = await console.signed_in(await console.staff(102, role=COORDINATOR, name="Cleo"))
    csrf = (await other.get("/console/offers/import")).csrf
    theirs = {"csrf": csrf, "upload": key, "check": check}
    assert (await other.post("/console/offers/import/confirm", theirs)).status == 409

    # The catalog changed since the preview: a new preview, nothing written.
    await _keep(console, cora.site_id, _offer("p-1", "Schon da"))
    changed = {"csrf": page.csrf, "upload": key, "check": check}
    outdated = await browser.post("/console/offers/import/confirm", changed)
    assert outdated.status == 409 and de("Changed: {count}", count=1) in outdated.text
    kept = await _stored(console, "p-1")
    assert kept is not None and kept.title == "Schon da"

    console.clock.advance(hours=2)
    late = {"csrf": page.csrf, "upload": _hidden(outdated, "upload")}
    late["check"] = _hidden(outdated, "check")
    assert (await browser.post("/console/offers/import/confirm", late)).status == 409


async def test_hostile_files_get_clear_answers(console: ConsoleWorld) -> None:
    cora, browser = await _coordinator(console)
    csrf = (await browser.get("/console/offers/import")).csrf
    latin = await _upload(
        browser, csrf, "o.csv", _csv(_row(title="Café")).replace(b"\xc3\xa9", b"\xe9")
    )
    assert latin.status == 422 and "UTF-8" in latin.text
    huge = await _upload(browser, csrf, "o.csv", b"x" * (MAX_UPLOAD_BYTES + 70 * 1024))
    assert huge.status == 413 and de("The file is too large") in huge.text
    await _keep(console, None, _offer("shared-1", "Geteilt"))
    taken = await _upload(browser, csrf, "o.csv", _csv(_row(external_id="shared-1")))
    assert taken.status == 422
    assert (
        de("Another site or the shared catalog uses this id: please choose another.") in taken.text
    )


async def test_export_is_the_sites_spreadsheet_safe_csv(console: ConsoleWorld) -> None:
    cora, browser = await _coordinator(console)
    await _keep(console, cora.site_id, _offer("e-1", '=HYPERLINK("http://evil","klick")'))
    await _keep(console, None, _offer("s-1", "Geteilt"))
    async with browser.session.get(browser.server.make_url("/console/offers/export.csv")) as r:
        assert r.status == 200 and r.content_type == "text/csv"
        text = await r.text()
    assert text.splitlines()[0].startswith("external_id,title")
    assert "'=HYPERLINK" in text and "s-1" not in text
    assert ("console.offers.export", cora.id, cora.site_id) in await console.audit()


async def test_another_sites_or_the_shared_offer_is_not_found_and_audited(
    console: ConsoleWorld,
) -> None:
    cora, browser = await _coordinator(console)
    borken = await console.site("borken")
    await _keep(console, id_of(borken), _offer("b-1", "In Borken"))
    await _keep(console, None, _offer("s-1", "Geteilt"))
    for external_id in ("b-1", "s-1"):
        offer = await _stored(console, external_id)
        assert offer is not None
        path = f"/console/offers/{offer.id}"
        assert (await browser.get(path)).status == 404
        assert (await browser.get(path + "/end")).status == 404
        csrf = (await browser.get("/console/offers")).csrf
        assert (await browser.post(path + "/end", {"csrf": csrf})).status == 404
        still = await _stored(console, external_id)
        assert still is not None and still.ends_on is None
    refusals = [a for a in await console.audit() if a[0] == "refused.offer"]
    assert refusals == [("refused.offer", cora.id, cora.site_id)] * 6


async def test_the_operators_import_hands_a_file_to_a_site(console: ConsoleWorld) -> None:
    """`offers import FILE --site SLUG` (the CLI's service): the console then keeps them,
    and the review reminder goes to that site's coordinator whatever the offer's place."""
    cora, browser = await _coordinator(console)
    site_id = await chat_offers.site_id_of(console.uow_factory, "essen")
    data = _csv(_row(external_id="h-1", title="Kurs in Kettwig", municipality="Kettwig"))
    await chat_offers.import_offers(
        console.uow_factory, console.clock, name="o.csv", data=data, site_id=site_id
    )
    assert "Kurs in Kettwig" in (await browser.get("/console/offers")).text
    assert "h-1" in await chat_offers.export_offers(console.uow_factory, site_id=site_id)
    review = await chat_offers.offers_to_review(console.uow_factory, console.clock, console.zone)
    assert [(s.id, [o.external_id for o in found]) for s, found in review] == [(cora.id, ["h-1"])]


async def test_the_coordinator_sees_offers_flagged_by_clients_answers(
    console: ConsoleWorld,
) -> None:
    # Issue 22: an offer answered "not allowed" three times in 90 days is flagged to the
    # site's coordinator in the chat and on the console's offers page.
    cora, browser = await _coordinator(console)
    await _keep(console, cora.site_id, _offer("o1", "Sprachcafé Nord"))
    assert (
        de("Offers your clients could not use (last 90 days)")
        not in (await browser.get("/console/offers")).text
    )
    now = console.clock.now()
    async with console.uow_factory() as uow:
        (offer,) = await uow.offers.by_external_ids(["o1"])
        assert cora.site_id is not None
        await uow.referrals.raise_flag(
            id_of(offer), cora.site_id, ReferralReason.NOT_ALLOWED, now, now - timedelta(days=90)
        )
        await uow.commit()
    page = await browser.get("/console/offers")
    assert de("Offers your clients could not use (last 90 days)") in page.text
    reason = Catalogs().translator("de").raw_p("button", "🛂 Not allowed (residence status)")
    assert "<bdi>Sprachcafé Nord</bdi> · " + reason in page.text
    ben = await console.signed_in(await console.staff(101, name="Ben"))
    seen_by_ben = (await ben.get("/console/offers")).text
    assert de("Offers your clients could not use (last 90 days)") not in seen_by_ben
