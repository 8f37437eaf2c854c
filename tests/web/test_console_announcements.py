"""The console's Announcements pages (issue 23, item 1): a coordinator plans one with a
person's Dari translation; a colleague adds Pashto before it goes out; someone of another
site is refused; cancelling is the author's or the coordinator's; what goes out uses the
people's texts and calls no translator for them."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain import StaffRole
from bot.services.announcement_sending import dispatch_announcements
from bot.translation import TranslationService
from storage.announcement_models import AnnouncementRow
from tests.fakes import CountingTranslator, FakeAnnouncer
from tests.web.conftest import ConsoleWorld
from tests.web.hours_setup import client_of, de

DARI_TEXT = "دفتر روز جمعه بسته است."
PASHTO_TEXT = "دفتر د جمعې په ورځ تړلی دی."


async def _status(console: ConsoleWorld) -> list[str]:
    async with console.engine.connect() as connection:
        return list(await connection.scalars(select(AnnouncementRow.status)))


async def test_plan_translate_refuse_and_cancel(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=StaffRole.COORDINATOR, name="Cora")
    ben = await console.staff(101, name="Ben")
    bea = await console.staff(200, slug="borken", name="Bea")
    await client_of(console, ben, 900)  # Dari
    async with console.uow_factory() as uow:
        pashto = await uow.clients.get((await client_of(console, ben, 901)).id or 0)
        assert pashto is not None
        pashto.locale = "ps"
        await uow.clients.update(pashto)
        await uow.commit()

    browser = await console.signed_in(cora)
    listing = await browser.get("/console/announcements")
    assert listing.status == 200 and de("No announcements yet.") in listing.text
    made = await browser.post(
        "/console/announcements/new",
        {
            "csrf": listing.csrf,
            "text": "Das Büro ist am Freitag geschlossen.",
            "source": "de",
            "days": "",
            "when": "2026-11-26T10:00",
            "text_fa_AF": DARI_TEXT,
        },
    )
    assert made.status == 200 and made.url.endswith("/console/announcements/1?saved=1")
    assert DARI_TEXT in made.text and de("translated by a person") in made.text
    assert de("machine translation, with the original below") in made.text  # Pashto
    assert await _status(console) == ["scheduled"]

    # Ben (same site) adds Pashto; Bea (Borken) may not even look.
    ben_browser = await console.signed_in(ben)
    page = await ben_browser.get("/console/announcements/1")
    assert page.status == 200 and de("Cancel the announcement") not in page.text
    saved = await ben_browser.post(
        "/console/announcements/1/texts", {"csrf": page.csrf, "text_ps": PASHTO_TEXT}
    )
    assert saved.status == 200 and PASHTO_TEXT in saved.text
    refused = await ben_browser.post("/console/announcements/1/cancel", {"csrf": page.csrf})
    assert refused.status == 404
    bea_browser = await console.signed_in(bea)
    assert (await bea_browser.get("/console/announcements/1")).status == 404
    assert "Freitag" not in (await bea_browser.get("/console/announcements")).text
    without_token = await browser.post("/console/announcements/1/cancel", {})
    assert without_token.status == 403 and await _status(console) == ["scheduled"]

    # What goes out: the people's texts, no translator called (Dari and Pashto).
    translator = CountingTranslator()
    announcer = FakeAnnouncer()
    console.clock.advance(days=1, hours=1)  # Thursday 10:00 in Berlin
    await dispatch_announcements(
        console.uow_factory,
        console.clock,
        announcer,
        TranslationService({"*": translator}),
        None,
    )
    assert {k: m.text for k, m in announcer.messages.items()} == {900: DARI_TEXT, 901: PASHTO_TEXT}
    assert not any(m.machine for m in announcer.messages.values())
    assert not translator.calls
    audit = await console.audit()
    for action in ("announcement.create", "announcement.view", "announcement.translation"):
        assert action in {a for a, _, _ in audit}


async def test_the_coordinator_cancels_before_it_goes_out(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=StaffRole.COORDINATOR, name="Cora")
    browser = await console.signed_in(cora)
    listing = await browser.get("/console/announcements")
    await browser.post(
        "/console/announcements/new",
        {"csrf": listing.csrf, "text": "Morgen zu.", "source": "de", "when": "2026-11-26T10:00"},
    )
    page = await browser.get("/console/announcements/1")
    done = await browser.post("/console/announcements/1/cancel", {"csrf": page.csrf})
    assert done.status == 200 and await _status(console) == ["cancelled"]
    too_short = await browser.post(
        "/console/announcements/new", {"csrf": page.csrf, "text": " ", "source": "de"}
    )
    assert too_short.status == 400
