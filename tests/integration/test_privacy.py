"""Privacy on a real database: the export covers every table, erasure leaves nothing,
retention with an injected clock, and small counts are suppressed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.announcements import Announcement, AnnouncementScope
from bot.domain import Client, LifeArea, Staff, Wish
from bot.later import LaterAnswer
from bot.ports import UnitOfWorkFactory
from bot.referrals import FollowupStatus, Referral
from bot.services import notes as notes_service
from bot.services import privacy
from bot.services.updates import begin_update
from storage.note_models import AuditRow, NoteRow
from storage.privacy_repositories import client_tables
from storage.referral_models import ReferralRow
from tests.fakes import FakeClock, FakeNotifier
from tests.helpers import id_of
from tests.unit.service_setup import add_staff

SECRET = "Vertrauliche Notiz über Wohnungssuche"


async def _world(uow_factory: UnitOfWorkFactory, clock: FakeClock) -> tuple[Staff, Client]:
    """Anna of Essen and her client Ahmad with a row in every table that holds client data."""
    from bot.domain import Appointment, Mode

    staff = await add_staff(uow_factory, clock, telegram_user_id=900, name="Anna")
    async with uow_factory() as uow:
        client = await uow.clients.add(
            Client(
                id=None,
                telegram_user_id=7,
                chat_id=7,
                locale="fa_AF",
                consented_at=clock.now(),
                site_id=staff.site_id,
                case_manager_id=staff.id,
                nickname="Ahmad K.",
                phone="+4917612345678",
            )
        )
        start = clock.now() + timedelta(days=2)
        appointment = await uow.appointments.add(
            Appointment(
                id=None,
                client_id=id_of(client),
                staff_id=id_of(staff),
                starts_at=start,
                ends_at=start + timedelta(minutes=30),
                mode=Mode.PHONE,
                topic=LifeArea.HOUSING,
            ),
            clock.now(),
        )
        await uow.reminders.schedule(
            id_of(appointment), [("24h", start - timedelta(hours=24))], clock.now()
        )
        await uow.relay.add(
            client_id=id_of(client),
            staff_id=id_of(staff),
            direction="in",
            at=clock.now(),
            text="سلام",
        )
        await uow.privacy.record_bot_message(7, 55, clock.now())
        await uow.later.add(
            LaterAnswer(
                None,
                id_of(staff),
                id_of(client),
                clock.now() + timedelta(days=1),
                text="Bis morgen",
            ),
            clock.now(),
        )
        await uow.referrals.add(
            Referral(
                id=None,
                client_id=id_of(client),
                offer_id=None,
                staff_id=staff.id,
                site_id=staff.site_id,
                offer_title="Deutschkurs A1",
                life_areas="language",
                sent_at=clock.now(),
                status=FollowupStatus.PENDING,
                due_at=clock.now() + timedelta(days=14),
            )
        )
        wish = await uow.waitlist.add_wish(
            Wish(
                None,
                id_of(client),
                staff.site_id,
                LifeArea.HOUSING,
                Mode.IN_PERSON,
                until=start.date(),
            ),
            clock.now(),
        )
        await uow.waitlist.add_offer(
            id_of(wish),
            id_of(staff),
            start,
            start + timedelta(minutes=30),
            due_at=clock.now(),
            expires_at=start - timedelta(hours=2),
            at=clock.now(),
        )
        announcement = await uow.announcements.add(
            Announcement(
                None,
                staff.site_id,
                id_of(staff),
                AnnouncementScope.OWN,
                "de",
                "Das Büro ist zu.",
                clock.now(),
            ),
            clock.now(),
        )
        await uow.announcements.add_deliveries(id_of(announcement), [id_of(client)], clock.now())
        await uow.commit()
    about, housing = id_of(client), [LifeArea.HOUSING]
    note = await notes_service.write_note(
        uow_factory, clock, staff=staff, client_id=about, body=SECRET, life_areas=housing
    )
    await notes_service.edit_note(
        uow_factory, clock, staff=staff, note_id=id_of(note), body=SECRET + "!"
    )
    return staff, client


async def test_the_export_covers_every_table_that_holds_client_data(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    _, client = await _world(uow_factory, clock)
    export = await privacy.export_client(uow_factory, client_id=id_of(client))
    tables = {table.name for table, _, _ in client_tables()}
    # A new table that references clients must show up here with its rows: add rows for it
    # in _world, and decide what of it the client gets.
    assert tables == {
        "appointments",
        "reminders",
        "notes",
        "note_versions",
        "audit_log",
        "relay_messages",
        "referrals",
        "waitlist_wishes",
        "waitlist_offers",
        "later_answers",
        "announcement_deliveries",
    }
    for name in tables | {"clients"}:
        assert export.get(name), f"{name} missing from the export"
    assert export["clients"][0]["phone"] == "+4917612345678"
    assert export["relay_messages"][0]["text"] == "سلام"  # the client's own words, decrypted
    # The case manager's Telegram ids are not the client's data.
    assert export["relay_messages"][0]["staff_chat_id"] == "withheld"
    assert export["relay_messages"][0]["staff_message_id"] == "withheld"
    assert all(n["body"] == "withheld" for n in export["notes"] + export["note_versions"])
    assert SECRET not in str(export)
    assert export["referrals"][0]["offer_title"] == "Deutschkurs A1"
    assert export["later_answers"][0]["text"] == "Bis morgen"  # an answer still waiting


@pytest.mark.parametrize("policy", ["delete", "anonymise"])
async def test_after_erasure_no_row_references_the_client(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, engine: AsyncEngine, policy: str
) -> None:
    staff, client = await _world(uow_factory, clock)
    erasure = await privacy.erase_client(
        uow_factory, clock, telegram_user_id=7, notes_policy=policy
    )
    assert erasure is not None and [a.topic for a, _ in erasure.cancelled] == [LifeArea.HOUSING]
    assert erasure.recent_messages == [55] and erasure.notes == 1
    async with engine.connect() as connection:
        for table, column, via in client_tables():
            if via is None:
                left = (
                    await connection.execute(select(table).where(table.c[column] == client.id))
                ).all()
                assert left == [], table.name
        assert (await connection.execute(select(ReferralRow))).all() == []  # no referral left
        audit = (await connection.execute(select(AuditRow.action, AuditRow.client_id))).all()
        notes = (
            (await connection.execute(select(NoteRow.client_id, NoteRow.life_areas))).tuples().all()
        )
    assert ("note.create", None) in audit  # the staff action stays, unlinked
    if policy == "anonymise":
        assert notes == [(None, "housing")]
        raw_empty = await privacy.export_client(uow_factory, client_id=id_of(client))
        assert raw_empty["notes"] == []
    else:
        assert notes == []


async def test_retention_warns_then_erases_and_activity_resets_it(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    staff, client = await _world(uow_factory, clock)
    year = timedelta(days=365)

    async def run() -> privacy.RetentionReport:
        return await privacy.apply_retention(
            uow_factory, clock, inactive_after=year, audit_after=timedelta(days=730)
        )

    clock.advance(days=300)
    report = await run()
    assert report.warned == [] and report.erased == []
    clock.advance(days=52)  # 352 days: within two weeks of the end
    report = await run()
    assert [(s.id, c.id) for s, c, _ in report.warned] == [(staff.id, client.id)]
    assert (await run()).warned == []  # once
    await begin_update(  # the client writes again
        uow_factory, clock, bot_id=1, update_id=1, telegram_user_id=client.telegram_user_id
    )
    clock.advance(days=20)
    assert (await run()).erased == []
    clock.advance(days=400)
    report = await run()
    assert [e.client.id for e in report.erased] == [client.id]
    assert report.audit_purged >= 1  # the audit rows of the first day are past 730 days


async def test_small_counts_are_suppressed(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    staff, _ = await _world(uow_factory, clock)
    async with uow_factory() as uow:
        for i in range(6):
            await uow.clients.add(
                Client(
                    id=None,
                    telegram_user_id=100 + i,
                    chat_id=100 + i,
                    locale="ar",
                    consented_at=clock.now(),
                    site_id=staff.site_id,
                )
            )
        await uow.commit()
    from zoneinfo import ZoneInfo

    figures = await privacy.site_stats(
        uow_factory,
        site_id=staff.site_id,
        start=(clock.now() - timedelta(days=1)).date(),
        end=(clock.now() + timedelta(days=5)).date(),
        zone=ZoneInfo("Europe/Berlin"),
    )
    assert figures["clients_by_language"] == {"ar": 6, "fa_AF": "<5"}
    assert figures["appointments_by_life_area"] == {"housing": "<5"}
    assert figures["notes_by_life_area"] == {"housing": "<5"}
    assert "Ahmad" not in str(figures)
    assert privacy.suppress({"x": {"a": 4, "b": 5, "c": 0}}) == {
        "x": {"a": "<5", "b": 5, "c": "<5"}
    }


async def test_the_retention_run_tells_through_the_notifier(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    staff, client = await _world(uow_factory, clock)
    rules = privacy.RetentionRules(
        inactive_after=timedelta(days=365), audit_after=timedelta(days=730)
    )
    notifier = FakeNotifier()
    clock.advance(days=352)
    await privacy.run_retention(uow_factory, clock, notifier, rules)
    clock.advance(days=20)
    await privacy.run_retention(uow_factory, clock, notifier, rules)
    assert notifier.told == [("warn", (staff.id, client.id)), ("erased", (client.id, True))]


async def test_a_failed_retention_run_is_tried_again_the_same_day(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, the day was marked done before the run: an outage skipped it for a day.
    from datetime import time
    from zoneinfo import ZoneInfo

    from bot.services import ticker
    from bot.slots import BookingPolicy

    runs: list[str] = []

    async def flaky(*_args: object, **_kwargs: object) -> privacy.RetentionReport:
        runs.append("run")
        if len(runs) == 1:
            raise ConnectionError("database away")
        return privacy.RetentionReport()

    monkeypatch.setattr(ticker, "run_retention", flaky)
    rules = privacy.RetentionRules(inactive_after=timedelta(days=1), audit_after=timedelta(days=1))
    clock_ticker = ticker.Ticker(
        uow_factory,
        clock,
        FakeNotifier(),
        BookingPolicy(timedelta(hours=2), 14, 3, ZoneInfo("Europe/Berlin")),
        agenda_at=time(7, 30),
        retention=rules,
    )
    await clock_ticker.tick()
    await clock_ticker.tick()
    await clock_ticker.tick()
    assert runs == ["run", "run"]  # failed, then done once for the day
