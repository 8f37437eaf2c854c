"""Who is staff: the role read from the database on every update, and joining by an
invite link. A deactivated account is refused at once, whatever buttons it still has."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware, F, Router
from aiogram.filters import BaseFilter, CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.domain import Appointment, Client, Staff
from bot.i18n import Catalogs
from bot.services import audit as audit_service
from bot.services import booking as booking_service
from bot.services import staff as staff_service
from bot.services.audit import Refused
from handlers.plumbing.commands import set_chat_commands
from handlers.staff import views as sv
from handlers.turn import Turn

log = logging.getLogger("lotse.staff")


@dataclass(frozen=True)
class StaffTurn(Turn):
    """One staff member's update: the turn with the acting staff member, its translator
    in *their* language. IsStaff hands it over as `turn`."""

    staff: Staff

    async def audit_refusal(self, refused: Refused | None) -> None:
        """A client, note or appointment not of this person's site was reached for (or a
        button no handler takes, None): written to the audit log, ids only."""
        try:
            await audit_service.audit_refusal(
                self.uow_factory, self.clock, staff=self.staff, refused=refused
            )
        except Exception as exc:  # noqa: BLE001 - the refusal is answered all the same
            log.error("refusal not audited", extra={"error": type(exc).__name__})


class IsStaff(BaseFilter):
    """True only for an active staff account, as read from the database for this update
    (by UpdateContextMiddleware), so a deactivated account is refused at once. The
    handler receives the account as `staff`, a translator in *their* language as `t`
    (the middleware's `t` speaks the client's language), and both with the tools as
    `turn` (a StaffTurn; not for inline queries, which have no conversation state)."""

    async def __call__(
        self,
        event: TelegramObject,
        catalogs: Catalogs,
        acting_staff: Staff | None = None,
        turn: Turn | None = None,
    ) -> bool | dict[str, Any]:
        if acting_staff is None:
            return False
        t = catalogs.translator(acting_staff.locale)
        found: dict[str, Any] = {"staff": acting_staff, "t": t}
        if turn is not None:
            found["turn"] = StaffTurn(**(turn.shared() | {"t": t}), staff=acting_staff)
        return found


def staff_only_router(name: str) -> Router:
    """A router for staff: private messages and buttons of an active staff account only
    (IsStaff re-reads the role for every update)."""
    router = Router(name=name)
    router.message.filter(F.chat.type == "private", IsStaff())
    router.callback_query.filter(IsStaff())
    return router


def staff_join_router() -> Router:
    """Opening a staff invite link registers the account (before any client flow)."""
    router = Router(name="staff-join")

    @router.message(
        CommandStart(deep_link=True, magic=F.args.startswith(staff_service.STAFF_PREFIX)),
        F.chat.type == "private",
    )
    async def join(message: Message, command: CommandObject, turn: Turn) -> None:
        assert message.from_user is not None and command.args is not None
        code = command.args[len(staff_service.STAFF_PREFIX) :]
        try:
            staff = await staff_service.redeem_staff_invite(
                turn.uow_factory,
                turn.clock,
                code=code,
                telegram_user_id=message.from_user.id,
                display_name=message.from_user.first_name or "",
            )
        except staff_service.InviteError as exc:
            await message.answer(sv.invite_failed(turn.t, exc.reason))
            return
        await turn.state.clear()
        st = turn.catalogs.translator(staff.locale)  # the new account's own language
        async with turn.uow_factory() as uow:
            site = await uow.sites.get(staff.site_id)
        await set_chat_commands(turn.bot, message.chat.id, st, staff=True)
        screen = sv.menu(st, intro=sv.welcome(st, staff, site))
        await message.answer(screen.text, reply_markup=screen.markup)

    return router


class ClientOfTheSite(BaseMiddleware):
    """For buttons about one client (ClientCb with the client's id): the client, if they
    belong to the pressing staff member's site, arrives as `client` (with `upcoming`,
    their next appointments, and whatever `also` adds); otherwise the button is answered
    'not at your site' and no handler runs. Reading a client's entry is audited by the
    service."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, CallbackQuery)
        turn: StaffTurn = data["turn"]
        try:
            client, upcoming = await booking_service.client_for_staff(
                turn.uow_factory, turn.clock, staff=turn.staff, client_id=data["callback_data"].id
            )
        except booking_service.NotYoursError as refused:
            await turn.audit_refusal(refused)
            await event.answer(sv.not_your_client(turn.t), show_alert=True)
            return None
        data.update(client=client, upcoming=upcoming, **self.also(turn, client, upcoming))
        return await handler(event, data)

    def also(self, turn: StaffTurn, client: Client, upcoming: list[Appointment]) -> dict[str, Any]:
        """What else the handlers receive about this client: nothing here."""
        return {}
