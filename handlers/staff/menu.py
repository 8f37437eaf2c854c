"""The staff menu: /start and /menu, inviting a client, languages, /help, /cancel, and
the staff fallback. Every router here checks the role in the database (IsStaff)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.domain import Staff
from bot.i18n import Catalogs, Translator, normalize_locale
from bot.ports import Clock, UnitOfWorkFactory
from bot.qr import qr_png
from bot.services import staff as staff_service
from bot.services.arrival import NicknameError, invite_client
from handlers import views
from handlers.callbacks import StaffAction, StaffCb
from handlers.common import refuse_button, show
from handlers.plumbing.commands import set_chat_commands
from handlers.staff import availability_views as av
from handlers.staff import views as sv
from handlers.staff.access import IsStaff
from handlers.states import StaffSG
from handlers.views import Screen


def _is_shipped_locale(value: str) -> bool:
    return normalize_locale(value) == value


#: The value of a language button: a locale the bot ships, spelt as it spells it.
_SHIPPED_LOCALE = F.value.func(_is_shipped_locale)


async def _answer_and_show(callback: CallbackQuery, bot: Bot, screen: Screen) -> None:
    await callback.answer()
    await show(callback, bot, screen)


def staff_router() -> Router:
    router = Router(name="staff")
    router.message.filter(F.chat.type == "private", IsStaff())
    router.callback_query.filter(IsStaff())

    @router.message(CommandStart())
    @router.message(Command("menu"))
    async def staff_start(message: Message, state: FSMContext, staff: Staff, t: Translator) -> None:
        await state.clear()
        screen = sv.menu(t)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.message(Command("invite"))
    async def invite_command(
        message: Message, state: FSMContext, staff: Staff, t: Translator
    ) -> None:
        await state.set_state(StaffSG.invite_nickname)
        screen = sv.invite_ask(t)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.message(StaffSG.invite_nickname, F.text, ~F.text.startswith("/"))
    async def nickname(
        message: Message,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
    ) -> None:
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
    async def nickname_not_text(message: Message, staff: Staff, t: Translator) -> None:
        await message.answer(sv.nickname_invalid(t))

    @router.message(Command("help"))
    async def staff_help(message: Message, staff: Staff, t: Translator) -> None:
        await message.answer(sv.help_text(t))
        screen = sv.menu(t)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.message(Command("language"))
    async def staff_language(message: Message, staff: Staff, t: Translator) -> None:
        screen = sv.ui_language_picker(t, staff)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.message(Command("cancel"))
    async def staff_cancel(
        message: Message, state: FSMContext, staff: Staff, t: Translator
    ) -> None:
        had_flow = await state.get_state() is not None
        await state.clear()
        screen = sv.menu(t, intro=views.cancelled(t, had_flow=had_flow))
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.callback_query(StaffCb.filter(F.action == StaffAction.INVITE))
    async def invite(callback: CallbackQuery, bot: Bot, state: FSMContext, t: Translator) -> None:
        await state.set_state(StaffSG.invite_nickname)
        await _answer_and_show(callback, bot, sv.invite_ask(t))

    @router.callback_query(StaffCb.filter(F.action == StaffAction.HOURS))
    async def hours(
        callback: CallbackQuery,
        bot: Bot,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        assert staff.id is not None
        await callback.answer()
        windows = await staff_service.hours_of(uow_factory, staff_id=staff.id)
        await show(callback, bot, av.overview(t, windows))

    @router.callback_query(StaffCb.filter(F.action == StaffAction.SPOKEN))
    async def spoken(callback: CallbackQuery, bot: Bot, staff: Staff, t: Translator) -> None:
        await _answer_and_show(callback, bot, sv.spoken_picker(t, staff))

    @router.callback_query(StaffCb.filter((F.action == StaffAction.TOGGLE) & _SHIPPED_LOCALE))
    async def toggle_spoken(
        callback: CallbackQuery,
        callback_data: StaffCb,
        bot: Bot,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        assert staff.id is not None
        staff = await staff_service.toggle_spoken_language(
            uow_factory, staff_id=staff.id, language=callback_data.value
        )
        await _answer_and_show(callback, bot, sv.spoken_picker(t, staff))

    @router.callback_query(StaffCb.filter(F.action == StaffAction.LANGUAGE))
    async def language(callback: CallbackQuery, bot: Bot, staff: Staff, t: Translator) -> None:
        await _answer_and_show(callback, bot, sv.ui_language_picker(t, staff))

    @router.callback_query(StaffCb.filter((F.action == StaffAction.SET_LANGUAGE) & _SHIPPED_LOCALE))
    async def set_language(
        callback: CallbackQuery,
        callback_data: StaffCb,
        bot: Bot,
        staff: Staff,
        catalogs: Catalogs,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        assert staff.id is not None
        staff = await staff_service.set_staff_locale(
            uow_factory, staff_id=staff.id, locale=callback_data.value
        )
        t = catalogs.translator(staff.locale)
        await callback.answer()
        await set_chat_commands(bot, callback.from_user.id, t, staff=True)
        await show(callback, bot, sv.menu(t))

    @router.callback_query(StaffCb.filter(F.action == StaffAction.MENU))
    async def back_to_menu(
        callback: CallbackQuery, bot: Bot, state: FSMContext, t: Translator
    ) -> None:
        await state.clear()
        await _answer_and_show(callback, bot, sv.menu(t))

    @router.callback_query(StaffCb.filter())
    async def not_a_shipped_locale(callback: CallbackQuery) -> None:
        # Registered last: a language button whose value is not a shipped locale (forged or
        # from an older release) is answered and changes nothing.
        await callback.answer()

    return router


def staff_fallback_router() -> Router:
    """After every staff router: what no staff handler took gets the staff menu."""
    router = Router(name="staff-fallback")
    router.message.filter(F.chat.type == "private", IsStaff())

    @router.message()
    async def staff_not_understood(message: Message, staff: Staff, t: Translator) -> None:
        # Staff are not clients: nothing of theirs falls into the client flows.
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
        callback: CallbackQuery, bot: Bot, staff: Staff, t: Translator
    ) -> None:
        # A button no staff handler took (old, forged, or a client's): the staff menu,
        # never a client flow.
        await refuse_button(callback, bot, t, sv.menu(t))

    return router
