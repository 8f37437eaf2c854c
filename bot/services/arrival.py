"""How a client arrives: a case manager's personal invite, a site's link, or a pick.

Start codes (Telegram deep-link payloads, `[A-Za-z0-9_-]{1,64}`):
`c-<code>` a personal invite, `site-<slug>` a site's link, `staff-<code>` a staff invite.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from bot.domain import Client, ClientInvite, Site, Staff
from bot.ports import Clock, UnitOfWork, UnitOfWorkFactory

CLIENT_INVITE_TTL = timedelta(days=30)
CLIENT_PREFIX = "c-"
SITE_PREFIX = "site-"
MAX_NICKNAME = 40


class NicknameError(ValueError):
    pass


class Arrival(StrEnum):
    """What a start code did (arrive())."""

    NOTHING = "nothing"  # no code, or one that is not ours to judge (a site gone, noise)
    LINKED = "linked"  # a case manager or a site now
    ALREADY = "already"  # their own invite, opened again: linked before
    #: A personal invite that is unknown, used by someone else, expired, or of a colleague
    #: who has left.
    INVITE_UNUSABLE = "invite_unusable"


@dataclass(frozen=True)
class IssuedClientInvite:
    payload: str
    nickname: str


async def invite_client(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, nickname: str
) -> IssuedClientInvite:
    """A personal link for a client the case manager knows, under a nickname they choose."""
    cleaned = " ".join(nickname.split())
    if not cleaned or len(cleaned) > MAX_NICKNAME or cleaned.startswith("/"):
        raise NicknameError(nickname)
    assert staff.id is not None
    code = secrets.token_urlsafe(12)
    async with uow_factory() as uow:
        await uow.invites.add_client_invite(
            ClientInvite(code, staff.site_id, staff.id, cleaned, clock.now() + CLIENT_INVITE_TTL),
            clock.now(),
        )
        await uow.commit()
    return IssuedClientInvite(CLIENT_PREFIX + code, cleaned)


async def _apply(uow: UnitOfWork, clock: Clock, client: Client, code: str) -> Arrival:
    if code.startswith(CLIENT_PREFIX):
        return await _apply_invite(uow, clock, client, code[len(CLIENT_PREFIX) :])
    if code.startswith(SITE_PREFIX):
        site = await uow.sites.by_slug(code[len(SITE_PREFIX) :])
        if site is None or site.id is None:
            return Arrival.NOTHING
        if client.site_id is None:
            client.site_id = site.id
        return Arrival.LINKED
    return Arrival.NOTHING


async def _apply_invite(uow: UnitOfWork, clock: Clock, client: Client, code: str) -> Arrival:
    invite = await uow.invites.client_invite(code)
    if invite is None:
        return Arrival.INVITE_UNUSABLE
    if invite.used_at is not None:
        mine = client.case_manager_id == invite.staff_id and client.nickname == invite.nickname
        return Arrival.ALREADY if mine else Arrival.INVITE_UNUSABLE
    if invite.expires_at <= clock.now():
        return Arrival.INVITE_UNUSABLE
    staff = await uow.staff.get(invite.staff_id)
    if staff is None or not staff.active:
        return Arrival.INVITE_UNUSABLE
    if not await uow.invites.use_client_invite(invite.code, clock.now()):
        return Arrival.INVITE_UNUSABLE  # taken by someone else a moment ago
    client.case_manager_id = invite.staff_id
    client.site_id = invite.site_id
    client.nickname = invite.nickname
    return Arrival.LINKED


async def arrive(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, telegram_user_id: int, code: str | None = None
) -> Arrival:
    """After consent: apply the stored (or given) start code, and say what it did. An
    unusable personal invite is said so (the client is told; onboarding goes on)."""
    async with uow_factory() as uow:
        client = await uow.clients.by_telegram_id(telegram_user_id)
        if client is None or not client.has_consented:
            return Arrival.NOTHING
        code = code or client.start_code
        if not code:
            return Arrival.NOTHING
        arrival = await _apply(uow, clock, client, code)
        client.start_code = None
        await uow.clients.update(client)
        await uow.commit()
        return arrival


async def choose_site(
    uow_factory: UnitOfWorkFactory, *, telegram_user_id: int, site_id: int
) -> Client | None:
    async with uow_factory() as uow:
        client = await uow.clients.by_telegram_id(telegram_user_id)
        site = await uow.sites.get(site_id)
        if client is None or site is None or not client.has_consented:
            return None
        client.site_id = site.id
        client = await uow.clients.update(client)
        await uow.commit()
        return client


async def sites_with_staff(uow_factory: UnitOfWorkFactory) -> list[Site]:
    async with uow_factory() as uow:
        return [
            site
            for site in await uow.sites.list()
            if site.id is not None and await uow.staff.active_of_site(site.id)
        ]
