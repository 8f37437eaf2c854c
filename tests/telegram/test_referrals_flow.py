"""Referrals through the real Telegram adapter (issue 22): a case manager sends an offer,
the scheduler's tick asks the client once after REFERRAL_FOLLOWUP in their language, the
answer is stored once and shown to the case manager; the third "not allowed" about an
offer flags it to the coordinator, and not before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage
from sqlalchemy import select

from bot.domain import Offer, StaffRole
from bot.i18n import Translator
from bot.referrals import ReferralAnswer, ReferralReason
from bot.services import offers as offer_service
from bot.services.referrals import dispatch_followups
from handlers import views
from handlers.callbacks import ClientAction, ClientCb, RefAction, RefCb
from handlers.client import referral_views as rfv
from handlers.plumbing.notifier import TelegramNotifier
from handlers.plumbing.sending import RateLimitedSender
from storage.referral_models import ReferralRow
from tests.telegram.harness import Person, Sent
from tests.telegram.world import World, case_manager, consented_client

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "offers_sample.csv"
STAFF_ID, COORDINATOR_ID = 950, 951
FOLLOWUP = timedelta(days=14)
#: What each language's question asks, as a reader of that script sees it.
ASKED = {
    "de": "Sind Sie hingegangen?",
    "fa_AF": "آیا به آنجا رفتید؟",
    "ps": "ایا هلته لاړئ؟",
    "ar": "هل ذهبت إليها؟",
}


def _notifier(world: World) -> TelegramNotifier:
    """The real notifier on the world's recorded bot, without waiting between sends."""
    return TelegramNotifier(
        world.harness.bot,
        world.catalogs,
        RateLimitedSender(1000, per_chat_interval=0),
        world.policy,
        world.uow_factory,
        world.clock,
    )


async def _tick(world: World) -> list[Sent]:
    """What one tick's follow-up dispatch sends."""
    before = len(world.harness.session.calls)
    assert world.policy.quiet is not None
    await dispatch_followups(world.uow_factory, world.clock, _notifier(world), world.policy.quiet)
    return [c for c in world.harness.session.calls[before:] if isinstance(c.raw, SendMessage)]


async def _offer(world: World) -> Offer:
    await offer_service.import_offers(
        world.uow_factory, world.clock, name="s.csv", data=SAMPLE.read_bytes()
    )
    page = await offer_service.search_offers(
        world.uow_factory, world.clock, world.zone, text="Deutschkurs"
    )
    return page.offers[0]


async def _send_offer(manager: Person, offer: Offer, client_id: int) -> None:
    """The case manager opens the card's sender and picks the client (the buttons' data)."""
    await manager.press(f"of:send:{offer.id}")
    await manager.press(f"of:to:{offer.id}.{client_id}")


async def _rows(world: World) -> list[ReferralRow]:
    async with world.engine.connect() as connection:
        return list((await connection.execute(select(ReferralRow))).all())  # type: ignore[arg-type]


def _alerts(world: World, before: int) -> list[str]:
    return [
        a.text or ""
        for a in world.harness.answers()[before:]
        if isinstance(a, AnswerCallbackQuery) and a.show_alert
    ]


@pytest.mark.parametrize("locale", ["de", "fa_AF", "ps", "ar"])
async def test_the_question_comes_once_after_the_time_and_the_answer_reaches_the_manager(
    world: World, locale: str
) -> None:
    offer = await _offer(world)
    manager = await case_manager(world, STAFF_ID)
    t, de = world.t(locale), world.t("de")
    client = await consented_client(world, 9700, locale)
    sent_at = world.clock.now()
    await _send_offer(manager, offer, 1)
    (row,) = await _rows(world)
    assert (row.client_id, row.offer_id, row.sent_at) == (1, offer.id, sent_at)
    assert row.staff_id is not None and row.status == "pending"
    assert row.due_at == sent_at + FOLLOWUP  # Wednesday 10:00 Berlin: outside quiet hours

    world.clock.current = sent_at + FOLLOWUP - timedelta(minutes=1)
    assert await _tick(world) == []  # not before the configured time
    world.clock.advance(minutes=2)
    (question,) = await _tick(world)
    assert question.chat_id == client.user_id and question.text is not None
    assert ASKED[locale] in question.text and offer.title in question.text
    assert question.labels == [
        t.p_("button", "👍 I went, it helped"),
        t.p_("button", "😐 I went, it did not help"),
        t.p_("button", "🚫 I did not go"),
        t.p_("button", "🔕 I don't want these questions"),
    ]
    world.clock.advance(days=3)
    assert await _tick(world) == []  # one question, no nagging

    await client.tap(t.p_("button", "🚫 I did not go"))
    assert client.last_text() == rfv.reasons(t, 1).text
    await client.tap(t.p_("button", "🛂 Not allowed (residence status)"))
    assert client.last_text() == rfv.thanks(t).text
    (row,) = await _rows(world)
    assert (row.answer, row.reason) == ("not_went", "not_allowed")
    # The same answer tapped again (a second tap, an old message): stored once, said kindly.
    before = len(world.harness.answers())
    await client.press(RefCb(action=RefAction.REASON, id=1, value="full").pack())
    await client.press(RefCb(action=RefAction.HELPED, id=row.id).pack())
    assert _alerts(world, before) == [rfv.already(t)] * 2
    (again,) = await _rows(world)
    assert (again.answer, again.reason, again.answered_at) == (
        "not_went",
        "not_allowed",
        row.answered_at,
    )

    # The case manager sees it in the client's entry and in the agenda's follow-ups.
    outcome = de._("did not go: {reason}", reason="Nicht erlaubt (Aufenthaltsstatus)")
    entry = await manager.press(ClientCb(action=ClientAction.VIEW, id=1).pack())
    assert entry[-1].text is not None and outcome in entry[-1].text
    assert offer.title in entry[-1].text
    today = await manager.send("/today")
    assert today[-1].text is not None
    assert de._("📬 Follow-ups, new answers:") in today[-1].text and outcome in today[-1].text
    later = await manager.send("/week")
    assert later[-1].text is not None
    assert de._("📬 Follow-ups, latest answers:") in later[-1].text


async def test_a_stale_or_forged_button_and_no_more_questions(world: World) -> None:
    offer = await _offer(world)
    manager = await case_manager(world, STAFF_ID)
    fa = world.t("fa_AF")
    client = await consented_client(world, 9710, "fa_AF")
    before = len(world.harness.answers())
    await client.press(RefCb(action=RefAction.HELPED, id=1).pack())  # no such referral
    await client.press(RefCb(action=RefAction.NO_HELP, id=77).pack())
    assert _alerts(world, before) == [views.stale_button(fa)] * 2

    await _send_offer(manager, offer, 1)
    await _send_offer(manager, offer, 1)
    world.clock.advance(days=14, minutes=1)
    first, _ = await _tick(world)
    await client.tap_on(first, fa.p_("button", "🔕 I don't want these questions"))
    assert client.last_text() == rfv.stopped(fa).text
    rows = await _rows(world)
    assert [r.answer for r in rows] == [None, None]
    # /privacy tells the choice, and switches the questions on again.
    shown = await client.send("/privacy")
    assert shown[-1].text is not None
    assert fa._("Questions about offers from your advisor: off") in shown[-1].text
    await client.tap(fa.p_("button", "🔔 Questions about offers again"))
    assert fa._("Questions about offers from your advisor: on") in client.last_text()
    await client.tap(fa.p_("button", "🔕 No questions about offers"))
    assert fa._("Questions about offers from your advisor: off") in client.last_text()
    # While they are off, an offer sent is recorded, but never asked about.
    await _send_offer(manager, offer, 1)
    world.clock.advance(days=15)
    assert await _tick(world) == []
    assert [r.status for r in await _rows(world)] == ["asked", "asked", "off"]


async def _answers_not_allowed(
    world: World, manager: Person, offer: Offer, user_id: int, locale: str
) -> list[Sent]:
    """A new client gets the offer, is asked after 14 days, and answers "not allowed";
    returns what that last tap sent."""
    t: Translator = world.t(locale)
    client = await consented_client(world, user_id, locale)
    async with world.uow_factory() as uow:
        found = await uow.clients.by_telegram_id(user_id)
    assert found is not None and found.id is not None
    await _send_offer(manager, offer, found.id)
    world.clock.advance(days=14, minutes=1)
    (question,) = await _tick(world)
    await client.tap_on(question, t.p_("button", "🚫 I did not go"))
    return await client.tap(t.p_("button", "🛂 Not allowed (residence status)"))


async def test_the_coordinator_is_told_at_the_third_not_allowed_and_not_before(
    world: World,
) -> None:
    offer = await _offer(world)
    manager = await case_manager(world, STAFF_ID)
    await case_manager(world, COORDINATOR_ID, role=StaffRole.COORDINATOR)
    de = world.t("de")

    def flags(sent: list[Sent]) -> list[Sent]:
        return [s for s in sent if s.chat_id == COORDINATOR_ID and s.text and "⚠️" in s.text]

    assert flags(await _answers_not_allowed(world, manager, offer, 9801, "ar")) == []
    assert flags(await _answers_not_allowed(world, manager, offer, 9802, "ps")) == []
    third = flags(await _answers_not_allowed(world, manager, offer, 9803, "fa_AF"))
    assert len(third) == 1 and third[0].text is not None
    assert offer.title in third[0].text
    assert third[0].text == de.n_(
        "⚠️ Offer <b>{offer}</b>: {n} person said in the last 90 days that they were not "
        "allowed in because of their residence status. Please check the offer.",
        "⚠️ Offer <b>{offer}</b>: {n} people said in the last 90 days that they were not "
        "allowed in because of their residence status. Please check the offer.",
        3,
        offer=offer.title,
    )
    # Once per flag: the fourth answer tells nobody again.
    assert flags(await _answers_not_allowed(world, manager, offer, 9804, "de")) == []
    rows = await _rows(world)
    assert [r.reason for r in rows] == [ReferralReason.NOT_ALLOWED.value] * 4
    assert {r.answer for r in rows} == {ReferralAnswer.NOT_WENT.value}


async def test_a_question_due_in_quiet_hours_waits_for_the_morning(world: World) -> None:
    offer = await _offer(world)
    manager = await case_manager(world, STAFF_ID)
    await consented_client(world, 9720, "ar")
    world.clock.current = datetime(2026, 11, 25, 21, 30, tzinfo=UTC)  # 22:30 Berlin
    await _send_offer(manager, offer, 1)
    (row,) = await _rows(world)
    assert row.due_at == datetime(2026, 12, 10, 7, 0, tzinfo=UTC)  # 08:00 Berlin
    world.clock.current = datetime(2026, 12, 10, 6, 59, tzinfo=UTC)
    assert await _tick(world) == []
    world.clock.current = datetime(2026, 12, 10, 7, 0, 30, tzinfo=UTC)
    assert len(await _tick(world)) == 1
