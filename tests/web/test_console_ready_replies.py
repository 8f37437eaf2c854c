"""A site's own ready-made replies in the console (issue 23, item 2): a coordinator writes
the German text and the languages colleagues can translate; the chat offers a reply only
to clients whose language is filled in."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain import StaffRole
from bot.i18n import Catalogs
from bot.ready_replies import READY_REPLIES
from bot.services import ready_replies as ready_service
from storage.later_models import SiteReplyRow
from tests.web.conftest import ConsoleWorld

COORDINATOR = StaffRole.COORDINATOR
GERMAN = "Das Büro ist am 24.12. geschlossen. <Bitte> kommen Sie am 27.12."
PASHTO = "دفتر د 24.12. په نېټه تړلی دی."


def de(message: str) -> str:
    return Catalogs().translator("de").raw_p("console", message)


async def test_a_coordinator_adds_a_reply_offered_only_in_the_languages_filled(
    console: ConsoleWorld,
) -> None:
    cora = await console.staff(201, role=COORDINATOR, name="Cora")
    browser = await console.signed_in(cora)
    site_page = await browser.get("/console/site")
    assert 'href="/console/site/replies"' in site_page.text
    page = await browser.get("/console/site/replies")
    assert page.status == 200 and de("The site has no own ready-made replies yet.") in page.text
    assert 'name="text_ar" rows="2" maxlength="500" lang="ar" dir="rtl"' in page.text
    assert 'lang="fa-AF" dir="rtl"' in page.text and 'lang="fr">' in page.text
    # Without the German text nothing is saved.
    refused = await browser.post(
        "/console/site/replies", {"csrf": page.csrf, "text_de": " ", "text_ps": PASHTO}
    )
    assert refused.status == 400 and PASHTO in refused.text
    assert 'aria-invalid="true"' in refused.text
    saved = await browser.post(
        "/console/site/replies", {"csrf": page.csrf, "text_de": GERMAN, "text_ps": PASHTO}
    )
    assert saved.status == 200 and saved.url.endswith("/console/site/replies?saved=1")
    assert "Das Büro ist am 24.12. geschlossen. &lt;Bitte&gt;" in saved.text
    assert "Deutsch, پښتو" in saved.text
    ps = await ready_service.offered(console.uow_factory, site_id=cora.site_id, locale="ps")
    ar = await ready_service.offered(console.uow_factory, site_id=cora.site_id, locale="ar")
    assert len(ps) == len(READY_REPLIES) + 1 and ps[-1].texts == {"de": GERMAN, "ps": PASHTO}
    assert len(ar) == len(READY_REPLIES)  # nobody wrote it in Arabic: not offered
    assert ("ready_reply.add", cora.id, cora.site_id) in await console.audit()

    # A coordinator of another site cannot remove it; its own coordinator can.
    other = await console.staff(301, role=COORDINATOR, slug="borken", name="Olaf")
    stranger = await console.signed_in(other)
    form = await stranger.get("/console/site/replies")
    await stranger.post(
        "/console/site/replies/remove", {"csrf": form.csrf, "reply": ps[-1].key[1:]}
    )
    async with console.engine.connect() as connection:
        assert len((await connection.execute(select(SiteReplyRow.id))).all()) == 1
    page = await browser.get("/console/site/replies")
    await browser.post("/console/site/replies/remove", {"csrf": page.csrf, "reply": ps[-1].key[1:]})
    async with console.engine.connect() as connection:
        assert (await connection.execute(select(SiteReplyRow.id))).all() == []


async def test_a_case_manager_cannot_open_or_post_the_page(console: ConsoleWorld) -> None:
    ben = await console.staff(202, name="Ben")
    browser = await console.signed_in(ben)
    page = await browser.get("/console/site/replies")
    assert page.status in (403, 404)
    csrf = (await browser.get("/console/clients")).csrf
    posted = await browser.post("/console/site/replies", {"csrf": csrf, "text_de": GERMAN})
    assert posted.status in (403, 404)
    async with console.engine.connect() as connection:
        assert (await connection.execute(select(SiteReplyRow.id))).all() == []
