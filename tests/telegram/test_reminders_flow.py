"""Reminders as the client sees them, through the real Telegram adapter (recorded)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter
from aiogram.methods import SendMessage, TelegramMethod
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain import Client, LifeArea, Mode, SiteKind, StaffRole
from bot.i18n import NATIVE_NAMES, Catalogs, Translator
from bot.ports import UnitOfWorkFactory
from bot.services import staff as staff_service
from bot.services.reminders import dispatch_due
from bot.services.sites import add_site
from handlers import labels
from handlers.client import booking_views as bv
from handlers.client import reminder_views as rv
from handlers.plumbing.notifier import TelegramNotifier
from handlers.plumbing.sending import RateLimitedSender
from storage.models import AppointmentRow, ReminderRow
from tests.fakes import FakeClock
from tests.telegram.harness import Person, TelegramHarness

STAFF_ID = 900
THURSDAY_10 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # 10:00 Berlin


async def _booked(
    harness: TelegramHarness,
    catalogs: Catalogs,
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
    locale: str,
    code: str,
    user_id: int,
) -> tuple[Person, Translator]:
    await add_site(uow_factory, clock, slug="essen", name="Essen", kind=SiteKind.CITY)
    invite = await staff_service.invite_staff(
        uow_factory, clock, site_slug="essen", role=StaffRole.THM
    )
    await harness.person(STAFF_ID, "de").send(f"/start {invite.payload}")
    await staff_service.add_hours(
        uow_factory,
        telegram_user_id=STAFF_ID,
        weekday=3,
        start=time(9),
        end=time(12),
        slot_minutes=30,
        mode=Mode.IN_PERSON,
        address="Rathaus",
    )
    t = catalogs.translator(locale)
    zone = harness.dispatcher["policy"].zone
    client = harness.person(user_id, code)
    await client.send("/start site-essen")
    await client.tap(NATIVE_NAMES[locale])
    await client.tap(t.p_("button", "✅ I agree"))
    await client.tap(t.p_("button", "📅 Book an appointment"))
    await client.tap(labels.life_area(t, LifeArea.HOUSING))
    await client.tap(labels.mode(t, Mode.IN_PERSON))
    await client.tap(labels.day_label(t, THURSDAY_10, zone))
    await client.tap("10:00")
    await client.tap(t.p_("button", "Yes, please"))
    await client.tap(t.p_("button", "✅ Book this appointment"))
    return client, t


def _sender(
    harness: TelegramHarness, catalogs: Catalogs, uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> TelegramNotifier:
    return TelegramNotifier(
        harness.bot,
        catalogs,
        RateLimitedSender(1000, per_chat_interval=0),
        harness.dispatcher["policy"],
        uow_factory,
        clock,
    )


@pytest.mark.parametrize(
    ("locale", "code"), [("fa_AF", "fa"), ("ar", "ar"), ("de", "de"), ("ps", "ps")]
)
async def test_the_reminder_speaks_the_clients_language_and_i_will_come_is_stored(
    harness: TelegramHarness,
    catalogs: Catalogs,
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
    engine: AsyncEngine,
    locale: str,
    code: str,
) -> None:
    client, t = await _booked(harness, catalogs, uow_factory, clock, locale, code, 9100)
    policy = harness.dispatcher["policy"]
    clock.current = datetime(2026, 11, 26, 7, 0, 5, tzinfo=UTC)  # 08:00 Berlin: the 2 h reminder
    before = len(harness.session.calls)
    report = await dispatch_due(
        uow_factory, clock, _sender(harness, catalogs, uow_factory, clock), policy
    )
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
    async with engine.connect() as connection:
        assert (
            await connection.execute(select(AppointmentRow.confirmed_at))
        ).scalar_one() is not None
    assert client.last_text() == rv.confirmed(t)


async def test_i_cannot_come_cancels_after_a_confirm_step_and_tells_the_case_manager(
    harness: TelegramHarness,
    catalogs: Catalogs,
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
    engine: AsyncEngine,
) -> None:
    client, t = await _booked(harness, catalogs, uow_factory, clock, "ar", "ar", 9200)
    clock.current = datetime(2026, 11, 26, 7, 0, 5, tzinfo=UTC)
    await dispatch_due(
        uow_factory,
        clock,
        _sender(harness, catalogs, uow_factory, clock),
        harness.dispatcher["policy"],
    )
    sent = await client.tap(t.p_("button", "❌ I cannot come"))
    assert t.p_("button", "⬅️ No, keep it") in sent[-1].labels
    async with engine.connect() as connection:
        assert (await connection.execute(select(AppointmentRow.status))).scalar_one() == "booked"
    sent = await client.tap(t.p_("button", "🕒 The time does not suit me"))
    assert any(s.text == bv.cancelled(t).text for s in sent)
    staff_notice = [s for s in sent if s.chat_id == STAFF_ID]
    assert staff_notice and staff_notice[-1].text is not None
    assert "✖️" in staff_notice[-1].text


async def test_a_blocked_client_tells_the_case_manager_once_and_retry_after_reschedules(
    harness: TelegramHarness,
    catalogs: Catalogs,
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, t = await _booked(harness, catalogs, uow_factory, clock, "fa_AF", "fa", 9300)
    policy = harness.dispatcher["policy"]
    clock.current = datetime(2026, 11, 26, 7, 0, 5, tzinfo=UTC)
    harness.session.refuse["SendMessage"] = TelegramRetryAfter(
        method=SendMessage(chat_id=1, text="x"), message="Too Many Requests", retry_after=9
    )
    report = await dispatch_due(
        uow_factory, clock, _sender(harness, catalogs, uow_factory, clock), policy
    )
    assert report.retried == 1
    async with engine.connect() as connection:
        row = (await connection.execute(select(ReminderRow).where(ReminderRow.kind == "2h"))).one()
    assert row.status == "pending" and row.due_at > clock.current

    harness.session.refuse["SendMessage"] = TelegramForbiddenError(
        method=SendMessage(chat_id=1, text="x"), message="Forbidden: bot was blocked by the user"
    )
    clock.advance(seconds=10)
    sender = _sender(harness, catalogs, uow_factory, clock)
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
    de = catalogs.translator("de")
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
