"""A client's data: the export, the erasure, retention, and anonymous statistics.

Erasure is one transaction: upcoming appointments are listed (their case managers are
told, without details), notes are deleted or kept anonymised (per NOTES_ON_ERASURE),
then the client row goes and everything linked to it goes with it (foreign keys
cascade; audit rows keep the staff action and lose the client link).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import Client, Erasure, Staff
from bot.ports import Clock, Notifier, UnitOfWork, UnitOfWorkFactory
from bot.services.updates import Write, write_together
from bot.services.waitlist_events import freed_by

#: Telegram lets a bot delete its own messages, and those it received in a private chat,
#: for 48 hours.
RECENT = timedelta(hours=48)
WARN_BEFORE = timedelta(days=14)
SMALL = 5  # counts below this are shown as "<5"
NOTES_POLICIES = ("delete", "anonymise")


async def erase_client(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    telegram_user_id: int,
    notes_policy: str = "delete",
) -> Erasure | None:
    """Erase the client and everything linked; None when there is no such client."""
    now = clock.now()
    async with uow_factory() as uow:
        await uow.conversations.delete_for_user(telegram_user_id)
        client = await uow.clients.by_telegram_id(telegram_user_id)
        if client is None or client.id is None:
            await uow.commit()
            return None
        erasure = Erasure(client)
        for appointment in await uow.appointments.upcoming_for_client(client.id, now):
            staff = await uow.staff.get(appointment.staff_id)
            if staff is not None:
                erasure.cancelled.append((appointment, staff))
            await freed_by(uow, appointment)  # the time goes to those waiting
        if client.case_manager_id is not None:
            erasure.case_manager = await uow.staff.get(client.case_manager_id)
        erasure.notes = await uow.privacy.count_notes(client.id)
        if notes_policy == "anonymise" and erasure.notes:
            await uow.privacy.anonymise_notes(client.id)
            erasure.notes_kept_anonymised = True
        erasure.recent_messages = await uow.privacy.bot_messages_since(client.chat_id, now - RECENT)
        await uow.privacy.forget_bot_messages(client.chat_id, None)
        await uow.later.delete_for_client(client.id)  # answers waiting to go out
        await uow.clients.delete(client.id)
        await uow.commit()
    return erasure


async def export_client(uow_factory: UnitOfWorkFactory, *, client_id: int) -> dict[str, Any]:
    async with uow_factory() as uow:
        return await uow.privacy.export(client_id)


def chat_message_writes(sent: Sequence[tuple[int, int, datetime]]) -> Write:
    """(chat, message id, sent at) of messages in a private chat, the bot's and the
    person's own (ids only, never text), as one write: the erasure deletes them."""

    async def write(uow: UnitOfWork) -> None:
        for chat_id, message_id, at in sent:
            await uow.privacy.record_bot_message(chat_id, message_id, at)

    return write


async def record_bot_messages(
    uow_factory: UnitOfWorkFactory, sent: Sequence[tuple[int, int, datetime]]
) -> None:
    """Remember (chat, message id, sent at) of the bot's messages, in one transaction."""
    if sent:
        await write_together(uow_factory, [chat_message_writes(sent)])


@dataclass
class RetentionReport:
    warned: list[tuple[Staff, Client, datetime]] = field(default_factory=list)
    erased: list[Erasure] = field(default_factory=list)
    audit_purged: int = 0
    bot_messages_forgotten: int = 0


async def apply_retention(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    inactive_after: timedelta,
    audit_after: timedelta,
    notes_policy: str = "delete",
) -> RetentionReport:
    """Warn case managers two weeks ahead, then erase clients inactive for too long;
    purge audit entries past their retention and the bot's message ids past 48 hours."""
    now = clock.now()
    report = RetentionReport()
    async with uow_factory() as uow:
        candidates = await uow.privacy.inactive(now - inactive_after + WARN_BEFORE)
    for client, seen, warned_at in candidates:
        assert client.id is not None
        if seen < now - inactive_after:
            erased = await erase_client(
                uow_factory,
                clock,
                telegram_user_id=client.telegram_user_id,
                notes_policy=notes_policy,
            )
            if erased is not None:
                report.erased.append(erased)
        elif warned_at is None and client.case_manager_id is not None:
            async with uow_factory() as uow:
                staff = await uow.staff.get(client.case_manager_id)
                first = await uow.privacy.mark_warned(client.id, now)
                await uow.commit()
            if staff is not None and first:
                report.warned.append((staff, client, seen + inactive_after))
    async with uow_factory() as uow:
        report.audit_purged = await uow.privacy.purge_audit(now - audit_after)
        report.bot_messages_forgotten = await uow.privacy.forget_bot_messages(None, now - RECENT)
        await uow.commit()
    return report


@dataclass(frozen=True)
class RetentionRules:
    """How long data is kept (CLIENT_INACTIVE_RETENTION, AUDIT_RETENTION, NOTES_ON_ERASURE)."""

    inactive_after: timedelta
    audit_after: timedelta
    notes_policy: str = "delete"


async def run_retention(
    uow_factory: UnitOfWorkFactory, clock: Clock, notifier: Notifier, rules: RetentionRules
) -> RetentionReport:
    """The daily retention run: warn case managers, erase, and tell whom it concerns."""
    report = await apply_retention(
        uow_factory,
        clock,
        inactive_after=rules.inactive_after,
        audit_after=rules.audit_after,
        notes_policy=rules.notes_policy,
    )
    for staff, client, erase_on in report.warned:
        await notifier.warn_retention(staff, client, erase_on)
    for erasure in report.erased:
        await notifier.tell_erasure(erasure, inactive=True)
    return report


def suppress(figures: dict[str, dict[str, int]]) -> dict[str, dict[str, int | str]]:
    """Counts below SMALL become "<5": no small group can be singled out."""
    return {
        figure: {
            key: (count if count >= SMALL else f"<{SMALL}") for key, count in sorted(values.items())
        }
        for figure, values in figures.items()
    }


async def site_stats(
    uow_factory: UnitOfWorkFactory, *, site_id: int, start: date, end: date, zone: ZoneInfo
) -> dict[str, dict[str, int | str]]:
    """Figures for [start, end] (local days), with small counts suppressed."""
    begin = datetime.combine(start, time(0), zone)
    stop = datetime.combine(end + timedelta(days=1), time(0), zone)
    async with uow_factory() as uow:
        figures = await uow.privacy.stats(site_id, begin, stop)
    return suppress(figures)


async def record_offer_send(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, site_id: int | None, life_areas: list[str]
) -> None:
    async with uow_factory() as uow:
        await uow.privacy.record_offer_send(site_id, life_areas, clock.now())
        await uow.commit()
