"""Reminders as the client sees them, through the real Telegram adapter (recorded)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter
from aiogram.methods import SendMessage, TelegramMethod
from sqlalchemy import select

from bot.domain import Client, LifeArea
from bot.i18n import Translator
from bot.ports import UnitOfWorkFactory
from bot.services.reminders import dispatch_due
from handlers import labels
from handlers.client import booking_views as bv
from handlers.client import reminder_views as rv
from handlers.plumbing.notifier import TelegramNotifier
from handlers.plumbing.sending import RateLimitedSender
from storage.models import AppointmentRow, ReminderRow
from tests.telegram.harness import Person
from tests.telegram.world import World, add_hours, book_by_buttons, case_manager, consented_client

STAFF_ID = 900
THURSDAY_10 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # 10:00 Berlin


async def _booked(world: World, locale: str, user_id: int) -> tuple[Person, Translator]:
    """A client, reading `locale`, booked by buttons for Thursday 10:00 in the Rathaus."""
    await case_manager(world, STAFF_ID)
    await add_hours(world, STAFF_ID, weekday=3, hours=(9, 12), address="Rathaus")
    t = world.t(locale)
    client = await consented_client(world, user_id, locale)
    await book_by_buttons(
        client, t, "10:00", area=LifeArea.HOUSING, day=THURSDAY_10, interpreter=True
    )
    return client, t


def _sender(world: World) -> TelegramNotifier:
    """The real Telegram notifier on the world's recorded bot, without waiting between sends."""
    harness = world.harness
    return TelegramNotifier(
        harness.bot,
        world.catalogs,
        RateLimitedSender(1000, per_chat_interval=0),
        harness.dispatcher["policy"],
        world.uow_factory,
        world.clock,
    )


@pytest.mark.parametrize("locale", ["fa_AF", "ar", "de", "ps"])
async def test_the_reminder_speaks_the_clients_language_and_i_will_come_is_stored(
    world: World, locale: str
) -> None:
    harness, uow_factory, clock = world.harness, world.uow_factory, world.clock
    client, t = await _booked(world, locale, 9100)
    policy = harness.dispatcher["policy"]
    clock.current = datetime(2026, 11, 26, 7, 0, 5, tzinfo=UTC)  # 08:00 Berlin: the 2 h reminder
    before = len(harness.session.calls)
    report = await dispatch_due(uow_factory, clock, _sender(world), policy)
    assert report.sent == 1
    sent = [c for c in harness.session.calls[before:] if isinstance(c.raw, SendMessage)]
    assert len(sent) == 1 and sent[0].chat_id == client.user_id
    async with uow_factory() as uow:
        appointment = (await uow.appointments.upcoming_for_client(1, clock.now()))[0]
        staff = await uow.staff.by_telegram_id(STAFF_ID)
        assert staff is not None
    assert sent[0].text == rv.reminder(t, appointment, staff, policy.zone).text
    assert labels.when(t, THURSDAY_10, policy.zone) in sent[0].text
    assert sent[0].labels == [
        t.p_("button", "✅ I will come"),
        t.p_("button", "❌ I cannot come"),
        t.p_("button", "🔁 Change the time"),
    ]

    await client.tap(t.p_("button", "✅ I will come"))
    async with world.engine.connect() as connection:
        assert (
            await connection.execute(select(AppointmentRow.confirmed_at))
        ).scalar_one() is not None
    assert client.last_text() == rv.confirmed(t)


async def test_i_cannot_come_cancels_after_a_confirm_step_and_tells_the_case_manager(
    world: World,
) -> None:
    client, t = await _booked(world, "ar", 9200)
    world.clock.current = datetime(2026, 11, 26, 7, 0, 5, tzinfo=UTC)
    await dispatch_due(
        world.uow_factory, world.clock, _sender(world), world.harness.dispatcher["policy"]
    )
    sent = await client.tap(t.p_("button", "❌ I cannot come"))
    assert t.p_("button", "⬅️ No, keep it") in sent[-1].labels
    async with world.engine.connect() as connection:
        assert (await connection.execute(select(AppointmentRow.status))).scalar_one() == "booked"
    sent = await client.tap(t.p_("button", "🕒 The time does not suit me"))
    assert any(s.text == bv.cancelled(t).text for s in sent)
    staff_notice = [s for s in sent if s.chat_id == STAFF_ID]
    assert staff_notice and staff_notice[-1].text is not None
    assert "✖️" in staff_notice[-1].text


async def test_a_blocked_client_tells_the_case_manager_once_and_retry_after_reschedules(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    harness, uow_factory, clock = world.harness, world.uow_factory, world.clock
    client, t = await _booked(world, "fa_AF", 9300)
    policy = harness.dispatcher["policy"]
    clock.current = datetime(2026, 11, 26, 7, 0, 5, tzinfo=UTC)
    harness.session.refuse["SendMessage"] = TelegramRetryAfter(
        method=SendMessage(chat_id=1, text="x"), message="Too Many Requests", retry_after=9
    )
    report = await dispatch_due(uow_factory, clock, _sender(world), policy)
    assert report.retried == 1
    async with world.engine.connect() as connection:
        row = (await connection.execute(select(ReminderRow).where(ReminderRow.kind == "2h"))).one()
    assert row.status == "pending" and row.due_at > clock.current

    harness.session.refuse["SendMessage"] = TelegramForbiddenError(
        method=SendMessage(chat_id=1, text="x"), message="Forbidden: bot was blocked by the user"
    )
    clock.advance(seconds=10)
    sender = _sender(world)
    # Only the client's chat refuses: let messages to the case manager through.
    original = harness.session.make_request

    async def selective(bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        if isinstance(method, SendMessage) and int(method.chat_id) == STAFF_ID:
            harness.session.refuse.pop("SendMessage", None)
            try:
                return await original(bot, method, timeout)
            finally:
                harness.session.refuse["SendMessage"] = TelegramForbiddenError(
                    method=method, message="Forbidden: bot was blocked by the user"
                )
        return await original(bot, method, timeout)

    monkeypatch.setattr(harness.session, "make_request", selective)
    report = await dispatch_due(uow_factory, clock, sender, policy)
    assert report.blocked == 1
    told = [
        c
        for c in harness.session.calls
        if c.chat_id == STAFF_ID and c.text and c.text.startswith("📵")
    ]
    de = world.t("de")
    assert len(told) == 1 and told[0].text == rv.unreachable(de, (await _client(uow_factory)))

    # Writing again means they unblocked the bot.
    monkeypatch.setattr(harness.session, "make_request", original)
    harness.session.refuse.clear()
    await client.send("/start")
    assert (await _client(uow_factory)).unreachable_at is None


async def _client(uow_factory: UnitOfWorkFactory) -> Client:
    async with uow_factory() as uow:
        client = await uow.clients.by_telegram_id(9300)
    assert client is not None
    return client
