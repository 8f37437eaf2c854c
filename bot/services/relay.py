"""Clients and case managers write to each other, each in their own language.

A client's text goes to their case manager (and a deputy named for today), or to
the site's case managers while nobody has taken the client on. The case manager
answers by replying to the relayed message, or with its reply button. Nothing is
lost: when translation is off, fails, hangs or is busy, the original goes out with
a note. Records keep ids, times and direction; the text only encrypted and only
for RELAY_RETENTION.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import Client, Staff, StaffRole
from bot.ports import Clock, UnitOfWork, UnitOfWorkFactory
from bot.services.notes import audit
from bot.slots import BookingPolicy, next_working_start
from bot.translation import Outcome, Translation, TranslationService

#: Words that make a message look urgent, in the languages clients write (lower case).
URGENT = re.compile(
    r"\b(urgent|urgence|emergency|help|dringend|notfall|hilfe|sofort|polizei|police|"
    r"krankenhaus|hospital|hôpital|suicide|suizid|danger|gefahr|"
    r"عاجل|طوارئ|النجدة|ساعدني|خطر|شرطة|مستشفى|"
    r"فوری|فورى|اضطراری|کمک|پولیس|شفاخانه|خطر|"
    r"بیړنی|بیړني|مرسته|پولیس|روغتون)\b|!!!|🆘",
    re.IGNORECASE,
)
NOTHING = Translation(Outcome.SAME)  # media: nothing to translate
#: A case manager without working hours within this time is "out of office".
AWAY_AFTER = timedelta(hours=24)


class NotYourClientError(Exception):
    """The client is not of the case manager's site (or does not exist)."""


def looks_urgent(text: str) -> bool:
    return bool(URGENT.search(text or ""))


@dataclass(frozen=True)
class Recipient:
    staff: Staff
    translation: Translation


@dataclass(frozen=True)
class Availability:
    working_now: bool
    next_start: datetime | None  # None: no hours within two weeks
    out_of_office: bool  # no working hours within AWAY_AFTER


async def _recipients(
    uow: UnitOfWork, client: Client, clock: Clock, policy: BookingPolicy
) -> list[Staff]:
    today = clock.now().astimezone(policy.zone).date()
    people: list[Staff] = []
    if client.case_manager_id is not None:
        own = await uow.staff.get(client.case_manager_id)
        if (
            own is not None
            and own.active
            and own.site_id == client.site_id
            and own.telegram_user_id
        ):
            people.append(own)
            for deputy_id in await uow.deputies.deputies_of(own.id or 0, today):
                deputy = await uow.staff.get(deputy_id)
                if deputy is not None and deputy.active and deputy.site_id == own.site_id:
                    people.append(deputy)
    people = [p for p in people if p.telegram_user_id is not None]
    if not people and client.site_id is not None:
        site = await uow.staff.active_of_site(client.site_id)
        people = [s for s in site if s.role is StaffRole.THM] or site
    return [p for p in people if p.telegram_user_id is not None]


async def someone_to_write_to(
    uow_factory: UnitOfWorkFactory, clock: Clock, policy: BookingPolicy, *, client: Client
) -> bool:
    """Would a message of this client reach anyone (their case manager, a deputy, the
    site's case managers)?"""
    async with uow_factory() as uow:
        return bool(await _recipients(uow, client, clock, policy))


async def inbound(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    policy: BookingPolicy,
    translation: TranslationService,
    *,
    client: Client,
    text: str | None,
) -> tuple[list[Recipient], Availability]:
    """Who receives a client's message, each with the text in their language."""
    async with uow_factory() as uow:
        people = await _recipients(uow, client, clock, policy)
        hours = await uow.hours.for_staff([p.id for p in people if p.id is not None])
        start, end = clock.now().date(), clock.now().date() + timedelta(days=15)
        days_off = await uow.days_off.for_staff([p.id for p in people if p.id], start, end)
    by_locale: dict[str, Translation] = {}
    recipients = []
    for person in people:
        if text and person.locale not in by_locale:
            by_locale[person.locale] = await translation.translate(
                text, client.locale, person.locale
            )
        recipients.append(Recipient(person, by_locale.get(person.locale, NOTHING)))
    now = clock.now()
    # Out of office when nobody of them works within AWAY_AFTER (days off per person).
    starts = []
    for person in people:
        own = [h for h in hours if h.staff_id == person.id]
        off = {d.day for d in days_off if d.staff_id == person.id}
        found = next_working_start(own, off, now, policy.zone)
        if found is not None:
            starts.append(found)
    first = min(starts) if starts else None
    return recipients, Availability(
        working_now=first is not None and first <= now,
        next_start=first,
        out_of_office=first is None or first - now > AWAY_AFTER,
    )


async def record(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    retention: timedelta,
    *,
    client_id: int,
    staff_id: int | None,
    direction: str,
    staff_chat_id: int | None,
    staff_message_ids: list[int],
    client_message_id: int | None,
    text: str | None,
) -> None:
    """One row per message in the staff chat (a reply to any of them finds the client).
    The text goes (encrypted) into the first row only, and only when retention allows."""
    keep = text if retention > timedelta(0) else None
    async with uow_factory() as uow:
        for index, message_id in enumerate(staff_message_ids or [None]):
            await uow.relay.add(
                client_id=client_id,
                staff_id=staff_id,
                direction=direction,
                at=clock.now(),
                staff_chat_id=staff_chat_id,
                staff_message_id=message_id,
                client_message_id=client_message_id,
                text=keep if index == 0 else None,
            )
        await uow.commit()


async def client_behind(
    uow_factory: UnitOfWorkFactory, *, staff: Staff, staff_chat_id: int, message_id: int
) -> Client | None:
    """The client whose relayed message a case manager replies to; None if it is none."""
    async with uow_factory() as uow:
        client_id = await uow.relay.client_behind(staff_chat_id, message_id)
    if client_id is None:
        return None
    return await client_of_site(uow_factory, staff=staff, client_id=client_id)


async def client_of_site(uow_factory: UnitOfWorkFactory, *, staff: Staff, client_id: int) -> Client:
    async with uow_factory() as uow:
        client = await uow.clients.get(client_id)
    if client is None or client.site_id != staff.site_id or not client.has_consented:
        raise NotYourClientError()
    return client


async def outbound(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    translation: TranslationService,
    *,
    staff: Staff,
    client_id: int,
    text: str,
) -> tuple[Client, Translation]:
    client = await client_of_site(uow_factory, staff=staff, client_id=client_id)
    result = await translation.translate(text, staff.locale, client.locale)
    async with uow_factory() as uow:
        await audit(uow, clock, staff, "client.message", client_id=client.id)
        await uow.commit()
    return client, result


async def purge_texts(uow_factory: UnitOfWorkFactory, clock: Clock, retention: timedelta) -> int:
    """Texts older than the retention become NULL (all of them with retention 0)."""
    async with uow_factory() as uow:
        purged = await uow.relay.purge_texts(clock.now() - retention)
        await uow.commit()
    return purged


async def fixed_outbound(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, client_id: int
) -> Client:
    """A ready-made reply goes to the client: no translation, only the audit entry."""
    client = await client_of_site(uow_factory, staff=staff, client_id=client_id)
    async with uow_factory() as uow:
        await audit(uow, clock, staff, "client.message", client_id=client.id)
        await uow.commit()
    return client


async def addresses_of(uow_factory: UnitOfWorkFactory, *, staff: Staff) -> list[str]:
    """The addresses of the staff member's in-person hours (for a ready reply's {place}),
    each once, in the order of their hours."""
    async with uow_factory() as uow:
        hours = await uow.hours.for_staff([staff.id or 0])
    found: list[str] = []
    for window in sorted(hours, key=lambda h: (h.weekday, h.start)):
        if window.address and window.address not in found:
            found.append(window.address)
    return found
