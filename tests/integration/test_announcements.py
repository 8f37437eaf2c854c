"""Announcements on a real database (SQLite; PostgreSQL with TEST_DATABASE_URL): the
outbox, each client once across a crash, human texts before machine ones, quiet hours,
"no announcements", cancelling, scopes and filters, erasure."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.announcements import DeliveryFigures, audience_of
from bot.domain import Client, Staff, StaffRole
from bot.ports import Outcome, SendResult
from bot.reminder_schedule import QuietHours
from bot.services import announcement_sending as sending
from bot.services import announcements as service
from bot.services import staff as staff_service
from bot.services.privacy import erase_client
from bot.translation import TranslationService
from storage.announcement_models import DeliveryRow
from tests.fakes import CountingTranslator, FakeAnnouncer
from tests.helpers import id_of
from tests.integration.conftest import Db
from tests.unit.service_setup import BERLIN, THURSDAY_MORNING, add_staff

QUIET = QuietHours(time(21), time(8), BERLIN)
THIRTEEN = ("de", "en", "fr", "ar", "fa_AF", "ps", "fa", "ckb", "ku", "tr", "sq", "sr", "mk")
TEXT = "Das Büro ist am 24.12. geschlossen."


@dataclass
class Site:
    db: Db
    coordinator: Staff
    thm: Staff
    other: Staff
    announcer: FakeAnnouncer
    translator: CountingTranslator
    translation: TranslationService

    async def client(self, user_id: int, locale: str, *, manager: Staff | None = None) -> Client:
        async with self.db.uow_factory() as uow:
            client = await uow.clients.add(
                Client(
                    id=None,
                    telegram_user_id=user_id,
                    chat_id=user_id,
                    locale=locale,
                    consented_at=self.db.clock.now(),
                    site_id=self.thm.site_id,
                    case_manager_id=(manager or self.thm).id,
                )
            )
            await uow.commit()
        return client

    async def announce(self, author: Staff | None = None, **kwargs: object) -> int:
        values: dict[str, object] = {"text": TEXT, "source_locale": "de"}
        values["when"] = self.db.clock.now()
        values.update(kwargs)
        made = await service.announce(
            self.db.uow_factory,
            self.db.clock,
            QUIET,
            author=author or self.coordinator,
            **values,  # type: ignore[arg-type]
        )
        return id_of(made)

    async def dispatch(self, **kwargs: object) -> sending.AnnouncementReport:
        return await sending.dispatch_announcements(
            self.db.uow_factory,
            self.db.clock,
            self.announcer,
            self.translation,
            QUIET,
            **kwargs,  # type: ignore[arg-type]
        )


async def _site(db: Db) -> Site:
    coordinator = await add_staff(
        db.uow_factory, db.clock, telegram_user_id=1, role=StaffRole.COORDINATOR
    )
    thm = await add_staff(db.uow_factory, db.clock, telegram_user_id=2)
    other = await add_staff(db.uow_factory, db.clock, telegram_user_id=3)
    translator = CountingTranslator()
    translation = TranslationService({"*": translator}, timeout=2)
    return Site(db, coordinator, thm, other, FakeAnnouncer(), translator, translation)


async def test_three_hundred_clients_once_each_across_a_crash(db: Db) -> None:
    """300 clients in 13 languages: people's texts where given, the machine's (made once
    per language) elsewhere; the process dies half-way with sends under way; the next one
    sends the rest after the lease: nobody twice, nobody left out."""
    site = await _site(db)
    for n in range(300):
        await site.client(1000 + n, THIRTEEN[n % 13], manager=site.thm if n % 2 else site.other)
    human = {"fa_AF": "دفتر در ۲۴ دسامبر بسته است.", "ps": "دفتر د ډسمبر په ۲۴ تړلی دی."}
    await site.announce(human=human)

    stalled = asyncio.Event()

    async def stall_after_120() -> None:
        if sum(site.announcer.sent.values()) >= 120:
            stalled.set()
            await asyncio.Event().wait()  # hangs in the network until killed

    site.announcer.on_send = stall_after_120
    first = asyncio.create_task(site.dispatch(concurrency=8))
    await stalled.wait()
    await asyncio.sleep(0.3)  # the sends that went out are marked meanwhile
    first.cancel()  # SIGKILL: its claims stay until their lease ends
    await asyncio.gather(first, return_exceptions=True)
    assert sum(site.announcer.sent.values()) == 120

    site.announcer.on_send = None
    report = await site.dispatch()  # another process, before the lease ends: nothing taken
    assert report.sent <= 300 - 120 - 8
    site.db.clock.advance(seconds=31)
    await site.dispatch()

    assert sorted(site.announcer.sent) == [1000 + n for n in range(300)]
    assert set(site.announcer.sent.values()) == {1}
    for n in range(300):
        locale, message = THIRTEEN[n % 13], site.announcer.messages[1000 + n]
        if locale in human:
            assert (message.text, message.machine) == (human[locale], False)
        elif locale == "de":
            assert (message.text, message.machine) == (TEXT, False)
        else:
            assert message.machine and message.text == f"[{locale}] {TEXT}"
            assert message.original == TEXT
    # One machine translation per language without a person's, however many clients.
    assert site.translator.calls == Counter(
        {loc: 1 for loc in THIRTEEN if loc not in ("de", *human)}
    )
    ((author, _, figures),) = site.announcer.told
    assert author == id_of(site.coordinator)
    assert figures == DeliveryFigures(sent=300)


async def test_nothing_in_quiet_hours(db: Db) -> None:
    site = await _site(db)
    await site.client(10, "ar")
    db.clock.current = datetime(2026, 11, 25, 21, 30, tzinfo=UTC)  # 22:30 in Berlin
    announcement_id = await site.announce()
    async with db.uow_factory() as uow:
        stored = await uow.announcements.get(announcement_id)
    assert stored is not None
    assert stored.scheduled_at == datetime(2026, 11, 26, 7, 0, tzinfo=UTC)  # 08:00 Berlin
    for _ in range(3):
        await site.dispatch()
        db.clock.advance(hours=3)
    assert not site.announcer.sent  # 07:30 Berlin: still quiet
    db.clock.current = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    await site.dispatch()
    assert site.announcer.sent == Counter({10: 1})


async def test_sending_stops_when_quiet_hours_begin(db: Db) -> None:
    site = await _site(db)
    for n in range(5):
        await site.client(10 + n, "de")
    db.clock.current = datetime(2026, 11, 25, 19, 59, tzinfo=UTC)  # 20:59 in Berlin
    await site.announce()

    async def quiet_begins() -> None:
        if sum(site.announcer.sent.values()) == 2:
            db.clock.current = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)

    site.announcer.on_send = quiet_begins  # 21:00 strikes while the third one goes out
    report = await site.dispatch(concurrency=1)
    assert set(site.announcer.sent) == {10, 11, 12}  # no further send starts
    assert report.held == 2
    db.clock.current = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    await site.dispatch()
    assert set(site.announcer.sent) == {10, 11, 12, 13, 14}


async def test_opted_out_clients_get_nothing(db: Db) -> None:
    site = await _site(db)
    before = await site.client(10, "ps")
    after = await site.client(11, "ps")
    await site.client(12, "ps")
    await service.switch_announcements(db.uow_factory, db.clock, client_id=id_of(before), off=True)
    await site.announce(when=db.clock.now() + timedelta(hours=1))
    db.clock.advance(hours=1)

    # 11's first try is refused for now (429); then 11 says "no": the retry sends nothing.
    site.announcer.outcomes[11] = SendResult(Outcome.RETRY, retry_after=5)
    await site.dispatch()
    del site.announcer.outcomes[11]
    await service.switch_announcements(db.uow_factory, db.clock, client_id=id_of(after), off=True)
    db.clock.advance(minutes=1)
    await site.dispatch()
    assert set(site.announcer.sent) == {12}


async def test_cancelled_before_its_time_sends_nothing(db: Db) -> None:
    site = await _site(db)
    await site.client(10, "fa_AF")
    announcement_id = await site.announce(author=site.thm, when=db.clock.now() + timedelta(days=1))
    # Another case manager may not cancel it; its author may.
    assert not await service.cancel_announcement(
        db.uow_factory, db.clock, staff=site.other, announcement_id=announcement_id
    )
    assert await service.cancel_announcement(
        db.uow_factory, db.clock, staff=site.thm, announcement_id=announcement_id
    )
    db.clock.advance(days=2)
    await site.dispatch()
    assert not site.announcer.sent
    assert await db.scalar(select(func.count()).select_from(DeliveryRow)) == 0


async def test_a_started_announcement_cannot_be_cancelled(db: Db) -> None:
    site = await _site(db)
    await site.client(10, "de")
    announcement_id = await site.announce()
    await site.dispatch()
    assert not await service.cancel_announcement(
        db.uow_factory, db.clock, staff=site.coordinator, announcement_id=announcement_id
    )


async def test_scope_and_filters(db: Db) -> None:
    """A case manager reaches their own clients; languages and "an appointment in the
    next N days" narrow it down."""
    site = await _site(db)
    own_ar = await site.client(10, "ar")
    await site.client(11, "fa_AF")
    await site.client(12, "ar", manager=site.other)
    await staff_service.add_hours(db.uow_factory, telegram_user_id=2, **THURSDAY_MORNING)
    starts = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)  # Thursday 09:00, tomorrow
    await db.book(id_of(own_ar), id_of(site.thm), starts)
    audience = audience_of(site.thm, ("ar",), 3)
    assert await service.audience_by_language(db.uow_factory, db.clock, audience) == {"ar": 1}
    await site.announce(author=site.thm, languages=("ar", "fa_AF"))
    await site.dispatch()
    assert set(site.announcer.sent) == {10, 11}


async def test_erasing_a_client_removes_their_outbox_rows(db: Db) -> None:
    site = await _site(db)
    await site.client(10, "de")
    await site.client(11, "de")
    site.announcer.outcomes[10] = SendResult(Outcome.RETRY, retry_after=60)
    await site.announce()
    await site.dispatch()
    assert await db.scalar(select(func.count()).select_from(DeliveryRow)) == 2
    await erase_client(db.uow_factory, db.clock, telegram_user_id=10)
    assert await db.scalar(select(func.count()).select_from(DeliveryRow)) == 1


async def test_a_translation_that_cannot_be_kept_still_goes_out(db: Db) -> None:
    """Two processes translating one language at once both find no row and both insert:
    the second insert breaks the unique row (or the database is away a moment). That
    process's translation still goes out; the batch does not fail."""
    site = await _site(db)
    announcement_id = await site.announce()
    async with db.uow_factory() as uow:
        announcement = await uow.announcements.get(announcement_id)
    assert announcement is not None

    class Refused(Exception):
        pass

    async def refuse(*_args: object, **_kwargs: object) -> None:
        raise Refused("duplicate key value violates unique constraint")

    class RefusingUnitOfWork:
        def __init__(self) -> None:
            self.inner = db.uow_factory()

        async def __aenter__(self) -> Any:
            uow = await self.inner.__aenter__()
            uow.announcements.set_text = refuse  # type: ignore[method-assign]
            return uow

        async def __aexit__(self, *exc: Any) -> Any:
            return await self.inner.__aexit__(*exc)

    texts = sending._Texts(RefusingUnitOfWork, site.translation)  # type: ignore[arg-type]
    made = await texts.message(announcement, "tr")
    assert made.machine and not made.untranslated and made.text == f"[tr] {TEXT}"
    assert site.translator.calls["tr"] == 1
