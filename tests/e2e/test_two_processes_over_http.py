"""Issue 21's acceptance, for real (tests/e2e/two_process_world.py): two webhook
processes behind nginx (round-robin), a worker, PostgreSQL and Redis, the emulator
delivering by webhook. A client's onboarding and booking go through both processes;
an update delivered again is handled once; one process killed with SIGKILL mid-booking,
the client finishes through the other; reminders for 200 clients go out once each, no
faster than the shared SEND_RATE."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select

from bot.domain import LifeArea, Mode
from bot.i18n import Catalogs
from storage import create_engine
from storage.models import AppointmentRow, ClientRow, ReminderRow, SiteRow, StaffRow
from tests.e2e import conftest as e2e
from tests.e2e.conftest import wait_for
from tests.e2e.two_process_world import SEND_RATE, Site, site

pytestmark = pytest.mark.e2e
__all__ = ["site"]

MANAGER, CLIENT = 640001, 640002
MANY = 200
FIRST = 650000  # the seeded clients' Telegram ids: FIRST .. FIRST + MANY - 1


async def _seed_due_reminders(site: Site) -> None:
    """MANY clients of Essen's case manager, each with an appointment tomorrow whose
    reminder is due now (the database is the schedule)."""
    now = datetime.now(UTC)
    engine = create_engine(site.database_url)
    try:
        async with engine.begin() as connection:
            site_id = (
                await connection.execute(select(SiteRow.id).where(SiteRow.slug == "essen"))
            ).scalar_one()
            staff = (
                await connection.execute(
                    select(StaffRow.id).where(StaffRow.telegram_user_id == MANAGER)
                )
            ).scalar_one()
            clients = (
                (
                    await connection.execute(
                        insert(ClientRow).returning(ClientRow.id),
                        [
                            {
                                "telegram_user_id": FIRST + i,
                                "chat_id": FIRST + i,
                                "locale": ("de", "ar", "fa_AF", "ps", "en", "fr")[i % 6],
                                "consent_version": "e2e",
                                "consented_at": now,
                                "site_id": site_id,
                                "case_manager_id": staff,
                                "created_at": now,
                            }
                            for i in range(MANY)
                        ],
                    )
                )
                .scalars()
                .all()
            )
            start = now + timedelta(days=1)
            appointments = (
                (
                    await connection.execute(
                        insert(AppointmentRow).returning(AppointmentRow.id),
                        [
                            {
                                "client_id": client,
                                "staff_id": staff,
                                "starts_at": start + timedelta(minutes=30 * i),
                                "ends_at": start + timedelta(minutes=30 * i + 30),
                                "mode": "in_person",
                                "topic": "work",
                                "address": "Rathaus",
                                "status": "booked",
                                "booked_by": "client",
                                "created_at": now,
                                "updated_at": now,
                            }
                            for i, client in enumerate(clients)
                        ],
                    )
                )
                .scalars()
                .all()
            )
            await connection.execute(
                insert(ReminderRow),
                [
                    {
                        "appointment_id": appointment,
                        "kind": "24h",
                        "due_at": now - timedelta(seconds=1),
                        "status": "pending",
                        "attempts": 0,
                        "created_at": now,
                    }
                    for appointment in appointments
                ],
            )
    finally:
        await engine.dispose()


def _sends(site: Site) -> list[dict[str, Any]]:
    return [r for r in site.server.emulator.requests if r["method"] == "sendMessage"]


async def test_two_processes_a_worker_postgresql_and_redis(site: Site) -> None:
    emulator, bot = site.server.emulator, site.bots[1]
    assert emulator.webhook is not None and emulator.webhook.url == site.env["WEBHOOK_URL"]
    de = Catalogs().translator("de")

    # Onboarding: updates through nginx, round-robin over both processes.
    await e2e.set_up_case_manager(bot, MANAGER, "--mode", "phone")
    await e2e.join_as_client(bot, CLIENT, de, language_code="de", language="Deutsch")

    # The same update delivered twice (then three times) is handled once.
    answered = len(emulator.chat(CLIENT))
    update = await emulator.user_message(CLIENT, text="/start")
    await wait_for(lambda: len(emulator.chat(CLIENT)) == answered + 1, what="the menu")
    await wait_for(lambda: emulator.delivered(update["update_id"]) == 1, what="the delivery")
    for count in (2, 3):
        await emulator.redeliver(update["update_id"])

        def delivered(count: int = count) -> bool:
            return emulator.delivered(update["update_id"]) == count

        await wait_for(delivered, what="the update delivered again")
    await asyncio.sleep(0.5)
    assert len(emulator.chat(CLIENT)) == answered + 1

    # The booking, up to the slot; both processes have handled some updates so far.
    await e2e.start_booking(bot, CLIENT, de, LifeArea.HEALTH, Mode.PHONE)
    await emulator.user_message(CLIENT, kind="contact", phone_number="+4915112345678")
    await wait_for(
        lambda: "inline_keyboard" in (emulator.chat(CLIENT)[-1].reply_markup or {}),
        what="the day picker",
    )
    await e2e.pick_first_slot(bot, CLIENT)
    handled = [await site.handled(0), await site.handled(1)]
    assert all(count >= 3 for count in handled), handled

    # One process killed mid-booking: the client finishes through the other.
    await asyncio.sleep(0.3)  # its last answer sent and the person's lock let go
    site.kill(0)
    await e2e.confirm_booking(bot, CLIENT, de, de.p_("button", "No, thank you"))
    assert await site.handled(1) > handled[1]
    engine = create_engine(site.database_url)
    try:
        async with engine.connect() as connection:
            booked = (
                (
                    await connection.execute(
                        select(AppointmentRow.status)
                        .join(ClientRow, ClientRow.id == AppointmentRow.client_id)
                        .where(ClientRow.telegram_user_id == CLIENT)
                    )
                )
                .scalars()
                .all()
            )
    finally:
        await engine.dispose()
    assert booked == ["booked"]

    # Reminders for MANY clients: once each, no faster than the shared rate.
    for user in range(FIRST, FIRST + MANY):
        emulator.user(user)
    await _seed_due_reminders(site)

    def reminded() -> Counter[int]:
        return Counter(
            int(r["params"]["chat_id"])
            for r in _sends(site)
            if FIRST <= int(r["params"]["chat_id"]) < FIRST + MANY
        )

    await wait_for(lambda: len(reminded()) == MANY, timeout=90, what="all the reminders")
    await asyncio.sleep(3)  # no second send comes after
    assert set(reminded().values()) == {1}
    # Answers to a person's update are not paced (handlers/plumbing/sending.py): the
    # bulk sends are, here the reminders.
    sent_at = sorted(
        float(r["at"]) for r in _sends(site) if FIRST <= int(r["params"]["chat_id"]) < FIRST + MANY
    )
    busiest = max(
        sum(1 for later in sent_at[i:] if later - first < 1.0) for i, first in enumerate(sent_at)
    )
    assert busiest <= SEND_RATE + 1
    # Both processes still ticking (the other bot and the worker) took part: the rate
    # kept is the shared one (Redis), not one process's.
    by_process = [
        await site.reminders_sent(site.ports[1]),
        await site.reminders_sent(site.worker_port),
    ]
    assert sum(by_process) == MANY and min(by_process) > 0, by_process
