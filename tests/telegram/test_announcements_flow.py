"""Announcements through feed_update (issue 23, item 1): a coordinator writing in German
and a case manager whose Telegram speaks Dari; filters, preview, schedule, cancel; what
the clients receive (machine translation labelled, the original below); "no
announcements" in /privacy."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.announcements import AnnouncementStatus, DeliveryFigures
from bot.domain import StaffRole
from bot.i18n import NATIVE_NAMES
from bot.services.announcement_sending import dispatch_announcements
from bot.translation import TranslationService
from handlers.plumbing.notifier import TelegramNotifier
from handlers.plumbing.sending import RateLimitedSender
from handlers.staff import announcement_views as av
from storage.announcement_models import AnnouncementRow
from storage.models import ClientRow
from tests.fakes import CountingTranslator
from tests.telegram.world import World, case_manager, client_of, consented_client

CARLA, BEN, ANNA = 700, 701, 702


def _sender(world: World) -> TelegramNotifier:
    harness = world.harness
    return TelegramNotifier(
        harness.bot,
        world.catalogs,
        RateLimitedSender(1000, per_chat_interval=0),
        harness.dispatcher["policy"],
        world.uow_factory,
        world.clock,
    )


async def _stored(world: World) -> list[AnnouncementRow]:
    async with world.engine.connect() as connection:
        rows = await connection.execute(select(AnnouncementRow).order_by(AnnouncementRow.id))
        return list(rows.all())  # type: ignore[arg-type]


async def test_a_coordinator_plans_filters_and_cancels_in_german(world: World) -> None:
    t, harness = world.t("de"), world.harness
    carla = await case_manager(world, CARLA, role=StaffRole.COORDINATOR)
    await case_manager(world, ANNA)
    await client_of(world, ANNA, 1, "Ahmad", locale="ar")
    await client_of(world, ANNA, 2, "Samira", locale="ar")
    await client_of(world, ANNA, 3, "Wali", locale="fa_AF")

    await carla.send("/menu")
    await carla.tap(t.p_("button", "📣 Announcements"))
    assert t._("No announcements yet.") in carla.last_text()
    await carla.tap(t.p_("button", "✍️ New announcement"))
    assert t._("It goes to all clients of your site.") in carla.last_text()
    await carla.send("Das Büro ist am Freitag geschlossen.")
    assert t._("Who gets it?") in carla.last_text()

    # Arabic only; "an appointment in the next 3 days" finds nobody, so back to everyone.
    sent = await carla.tap(NATIVE_NAMES["ar"])
    assert "✅ " + NATIVE_NAMES["ar"] in sent[-1].labels
    await carla.tap(t.p_("button", "📅 Everyone, with or without an appointment"))
    await carla.tap(t.p_("button", "👀 Preview"))
    assert t._("Nobody matches these filters.") in carla.last_text()
    await carla.tap(t.p_("button", "⬅️ Change the filters"))
    for _ in range(3):  # 3 -> 7 -> 14 -> everyone
        await carla.tap("📅")
    sent = await carla.tap(t.p_("button", "👀 Preview"))
    preview = sent[-1].text or ""
    assert f"{NATIVE_NAMES['ar']}: 2" in preview
    assert NATIVE_NAMES["fa_AF"] not in preview
    assert t._("Recipients: {count}", count=2) in preview

    # A typed moment inside the quiet hours goes at their end, and says so.
    await carla.tap(t.p_("button", "🗓 Type a date and time"))
    await carla.send("morgen irgendwann")
    assert carla.last_text() == av.when_invalid(t)
    await carla.send("26.11. 23:30")
    friday_8 = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)  # Friday 08:00 in Berlin
    assert (
        carla.last_text() == av.confirm(t, friday_8, friday_8.replace(hour=0), 2, world.zone).text
    )
    await carla.tap(t.p_("button", "✅ Confirm"))
    assert harness.answers()[-1].text == av.scheduled(t)
    (row,) = await _stored(world)
    assert (row.status, row.scheduled_at, row.languages, row.scope) == (
        "scheduled",
        friday_8,
        "ar",
        "site",
    )

    await carla.tap("❌")
    assert harness.answers()[-1].text == av.cancelled(t, done=True)
    (row,) = await _stored(world)
    assert row.status == AnnouncementStatus.CANCELLED
    world.clock.current = friday_8
    report = await dispatch_announcements(
        world.uow_factory, world.clock, _sender(world), None, world.policy.quiet
    )
    assert report.sent == 0
    assert not [s for s in harness.session.calls if s.chat_id in (1, 2)]


async def test_a_case_manager_in_dari_sends_now_to_their_own_clients(world: World) -> None:
    t, harness = world.t("fa_AF"), world.harness
    ben = await case_manager(world, BEN, locale="fa_AF")
    await case_manager(world, ANNA)
    await client_of(world, BEN, 1, "Wali", locale="fa_AF")
    await client_of(world, BEN, 2, "Gul", locale="ps")
    await client_of(world, BEN, 3, "Lena", locale="de")
    await client_of(world, ANNA, 4, "Anna's", locale="fa_AF")

    await ben.send("/menu")
    await ben.tap(t.p_("button", "📣 Announcements"))
    await ben.tap(t.p_("button", "✍️ New announcement"))
    assert t._("It goes to your own clients.") in ben.last_text()
    await ben.send("Office closed on Friday.")
    # Ben writes English: the text's language is switched from German.
    sent = await ben.tap("✏️")
    assert t.p_("button", "✏️ Written in: {language}", language="English") in sent[-1].labels
    sent = await ben.tap(t.p_("button", "👀 Preview"))
    assert t._("Recipients: {count}", count=3) in (sent[-1].text or "")
    await ben.tap(t.p_("button", "🚀 Send now"))
    await ben.tap(t.p_("button", "✅ Confirm"))
    assert harness.answers()[-1].text == av.scheduled(t)

    translator = CountingTranslator()
    translation = TranslationService({"*": translator}, timeout=2)
    report = await dispatch_announcements(
        world.uow_factory, world.clock, _sender(world), translation, world.policy.quiet
    )
    assert report.sent == 3
    got = {s.chat_id: s.text or "" for s in harness.session.calls if s.chat_id in (1, 2, 3, 4)}
    assert set(got) == {1, 2, 3}  # not Anna's client
    dari, pashto = world.t("fa_AF"), world.t("ps")
    assert "[fa_AF] Office closed on Friday." in got[1]
    assert dari._("This is a machine translation. The original:") in got[1]
    assert got[1].rstrip().endswith("Office closed on Friday.")
    assert pashto._("Announcement from your advice centre:") in got[2]
    assert translator.calls == {"fa_AF": 1, "ps": 1, "de": 1}
    # Ben hears the figures, in Dari.
    told = [s.text or "" for s in harness.session.calls if s.chat_id == BEN]
    assert t._("Your announcement went out.") in told[-1]
    assert av.figures_line(t, DeliveryFigures(sent=3)) in told[-1]


async def test_no_announcements_in_privacy(world: World) -> None:
    t = world.t("ps")
    client = await consented_client(world, 50, "ps")
    await client.send("/privacy")
    assert t._("Announcements from your advice centre: on") in client.last_text()
    await client.tap(t.p_("button", "🔕 No announcements"))
    assert t._("Announcements from your advice centre: off") in client.last_text()
    async with world.engine.connect() as connection:
        off = await connection.scalar(
            select(ClientRow.announcements_off_at).where(ClientRow.telegram_user_id == 50)
        )
    assert off == world.clock.now()
    await client.tap(t.p_("button", "🔔 Announcements again"))
    assert t._("Announcements from your advice centre: on") in client.last_text()
