"""A case manager's clients in the console: the list (as the chat's "My clients") and
the nickname, which the case manager may change. Note texts are not shown here."""

from __future__ import annotations

import unicodedata

from bot.domain import Client, Staff
from bot.ports import Clock, UnitOfWorkFactory
from bot.services.arrival import MAX_NICKNAME, NicknameError
from bot.services.audit import Refused, audit
from bot.services.notes import ClientSummary, list_clients


async def my_clients(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff
) -> list[ClientSummary]:
    """The staff member's own clients (and those of colleagues they deputise for today),
    soonest appointment first; the read is audited ("clients.list")."""
    return await list_clients(uow_factory, clock, staff=staff)


#: Format characters a name may need: the zero-width non-joiner and joiner (Dari and
#: Pashto spelling, emoji sequences). Every other one (direction overrides, isolates,
#: invisible marks) could make a name look like another.
JOINERS = {"\u200c", "\u200d"}


def _hidden(char: str) -> bool:
    return unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"} and char not in JOINERS


def clean_nickname(nickname: str) -> str:
    """The nickname as stored: spaces collapsed; refused (NicknameError) when empty,
    longer than MAX_NICKNAME, a command, or with control or invisible format characters."""
    cleaned = " ".join(nickname.split())
    if (
        not cleaned
        or len(cleaned) > MAX_NICKNAME
        or cleaned.startswith("/")
        or any(_hidden(char) for char in cleaned)
    ):
        raise NicknameError(nickname)
    return cleaned


async def rename_client(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, client_id: int, nickname: str
) -> Client:
    """Give one of the staff member's clients (as my_clients lists them) a new nickname
    (NicknameError when it is not one); any other client is refused (404, audited)."""
    cleaned = clean_nickname(nickname)
    async with uow_factory() as uow:
        assert staff.id is not None
        covered = {staff.id, *await uow.deputies.covered_by(staff.id, clock.now().date())}
        client = await uow.clients.get(client_id)
        if (
            client is None
            or client.site_id != staff.site_id
            or not client.has_consented
            or client.case_manager_id not in covered
        ):
            raise Refused("client", client_id)
        client.nickname = cleaned
        client = await uow.clients.update(client)
        await audit(uow, clock, staff, "console.client.nickname", client_id=client_id)
        await uow.commit()
    return client
