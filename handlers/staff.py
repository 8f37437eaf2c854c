"""Case managers and coordinators. Every handler here checks the role in the database.

The router-level filter asks the database on every update, so a deactivated
account is refused at once, whatever buttons it still has.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import BaseFilter, Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message, TelegramObject

from bot.domain import Staff
from bot.i18n import Catalogs, Translator, normalize_locale
from bot.ports import Clock, UnitOfWorkFactory
from bot.qr import qr_png
from bot.services import staff as staff_service
from bot.services.arrival import NicknameError, invite_client
from handlers import availability_views as av
from handlers import staff_views as sv
from handlers import views
from handlers.callbacks import STAFF_ACTIONS, StaffCb
from handlers.commands import set_chat_commands
from handlers.common import refuse_button, show
from handlers.states import StaffSG


class IsStaff(BaseFilter):
    """True only for an active staff account, as read from the database for this update
    (by UpdateContextMiddleware), so a deactivated account is refused at once."""

    async def __call__(
        self, event: TelegramObject, acting_staff: Staff | None = None
    ) -> bool | dict[str, Any]:
        return {"staff": acting_staff} if acting_staff is not None else False


def staff_join_router() -> Router:
    """Opening a staff invite link registers the account (before any client flow)."""
    router = Router(name="staff-join")

    @router.message(
        CommandStart(deep_link=True, magic=F.args.startswith(staff_service.STAFF_PREFIX)),
        F.chat.type == "private",
    )
    async def join(
        message: Message,
        command: CommandObject,
        bot: Bot,
        state: FSMContext,
        catalogs: Catalogs,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        t: Translator,
    ) -> None:
        assert message.from_user is not None and command.args is not None
        code = command.args[len(staff_service.STAFF_PREFIX) :]
        try:
            staff = await staff_service.redeem_staff_invite(
                uow_factory,
                clock,
                code=code,
                telegram_user_id=message.from_user.id,
                display_name=message.from_user.first_name or "",
            )
        except staff_service.InviteError as exc:
            await message.answer(sv.invite_failed(t, exc.reason))
            return
        await state.clear()
        st = catalogs.translator(staff.locale)
        async with uow_factory() as uow:
            site = await uow.sites.get(staff.site_id)
        await set_chat_commands(bot, message.chat.id, st, staff=True)
        screen = sv.menu(st, intro=sv.welcome(st, staff, site))
        await message.answer(screen.text, reply_markup=screen.markup)

    return router


def staff_router() -> Router:
    router = Router(name="staff")
    router.message.filter(F.chat.type == "private", IsStaff())
    router.callback_query.filter(IsStaff())

    @router.message(CommandStart())
    @router.message(Command("menu"))
    async def staff_start(
        message: Message, state: FSMContext, staff: Staff, catalogs: Catalogs
    ) -> None:
        await state.clear()
        screen = sv.menu(catalogs.translator(staff.locale))
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.message(Command("invite"))
    async def invite_command(
        message: Message, state: FSMContext, staff: Staff, catalogs: Catalogs
    ) -> None:
        await state.set_state(StaffSG.invite_nickname)
        screen = sv.invite_ask(catalogs.translator(staff.locale))
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.message(StaffSG.invite_nickname, F.text, ~F.text.startswith("/"))
    async def nickname(
        message: Message,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        catalogs: Catalogs,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
    ) -> None:
        t = catalogs.translator(staff.locale)
        try:
            invite = await invite_client(
                uow_factory, clock, staff=staff, nickname=message.text or ""
            )
        except NicknameError:
            await message.answer(sv.nickname_invalid(t))
            return
        await state.clear()
        me = await bot.me()
        link = f"https://t.me/{me.username}?start={invite.payload}"
        text = sv.invite_ready(t, invite.nickname, link)
        try:
            await bot.send_photo(
                message.chat.id,
                BufferedInputFile(qr_png(link), "invite.png"),
                caption=text,
                protect_content=True,
            )
        except Exception:  # noqa: BLE001 - a server without photos still gets the link
            await message.answer(text, protect_content=True)
        screen = sv.menu(t)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.message(StaffSG.invite_nickname, ~F.text.startswith("/"))
    async def nickname_not_text(message: Message, staff: Staff, catalogs: Catalogs) -> None:
        await message.answer(sv.nickname_invalid(catalogs.translator(staff.locale)))

    @router.message(Command("help"))
    async def staff_help(message: Message, staff: Staff, catalogs: Catalogs) -> None:
        t = catalogs.translator(staff.locale)
        await message.answer(sv.help_text(t))
        screen = sv.menu(t)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.message(Command("language"))
    async def staff_language(message: Message, staff: Staff, catalogs: Catalogs) -> None:
        screen = sv.ui_language_picker(catalogs.translator(staff.locale), staff)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.message(Command("cancel"))
    async def staff_cancel(
        message: Message, state: FSMContext, staff: Staff, catalogs: Catalogs
    ) -> None:
        t = catalogs.translator(staff.locale)
        had_flow = await state.get_state() is not None
        await state.clear()
        screen = sv.menu(t, intro=views.cancelled(t, had_flow=had_flow))
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.callback_query(StaffCb.filter(F.action.in_(STAFF_ACTIONS)))
    async def staff_action(
        callback: CallbackQuery,
        callback_data: StaffCb,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        catalogs: Catalogs,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        t = catalogs.translator(staff.locale)
        action, value = callback_data.action, callback_data.value
        assert staff.id is not None
        if action == "invite":
            await state.set_state(StaffSG.invite_nickname)
            await callback.answer()
            await show(callback, bot, sv.invite_ask(t))
        elif action == "hours":
            await callback.answer()
            windows = await staff_service.hours_of(uow_factory, staff_id=staff.id)
            await show(callback, bot, av.overview(t, windows))
        elif action == "spoken":
            await callback.answer()
            await show(callback, bot, sv.spoken_picker(t, staff))
        elif action == "toggle":
            if normalize_locale(value) != value:
                await callback.answer()
                return
            staff = await staff_service.toggle_spoken_language(
                uow_factory, staff_id=staff.id, language=value
            )
            await callback.answer()
            await show(callback, bot, sv.spoken_picker(t, staff))
        elif action == "lang":
            await callback.answer()
            await show(callback, bot, sv.ui_language_picker(t, staff))
        elif action == "setlang":
            if normalize_locale(value) != value:
                await callback.answer()
                return
            staff = await staff_service.set_staff_locale(
                uow_factory, staff_id=staff.id, locale=value
            )
            t = catalogs.translator(staff.locale)
            await callback.answer()
            await set_chat_commands(bot, callback.from_user.id, t, staff=True)
            await show(callback, bot, sv.menu(t))
        else:  # menu
            await state.clear()
            await callback.answer()
            await show(callback, bot, sv.menu(t))

    return router


def staff_fallback_router() -> Router:
    """After every staff router: what no staff handler took gets the staff menu."""
    router = Router(name="staff-fallback")
    router.message.filter(F.chat.type == "private", IsStaff())

    @router.message()
    async def staff_not_understood(message: Message, staff: Staff, catalogs: Catalogs) -> None:
        # Staff are not clients: nothing of theirs falls into the client flows.
        t = catalogs.translator(staff.locale)
        text = message.text or ""
        await message.answer(
            views.not_understood(
                t, "command" if text.startswith("/") else "text" if message.text else "media"
            )
        )
        screen = sv.menu(t)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.callback_query(IsStaff())
    async def staff_stale_or_forged(
        callback: CallbackQuery, bot: Bot, staff: Staff, catalogs: Catalogs
    ) -> None:
        # A button no staff handler took (old, forged, or a client's): the staff menu,
        # never a client flow.
        t = catalogs.translator(staff.locale)
        await refuse_button(callback, bot, t, sv.menu(t))

    return router
