"""The staff menu: /start and /menu, inviting a client, languages, /help, /cancel, and
the staff fallback. Every router here checks the role in the database (IsStaff)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandStart
from aiogram.types import BufferedInputFile, CallbackQuery, LinkPreviewOptions, Message

from bot.i18n import normalize_locale
from bot.qr import qr_png
from bot.services import staff as staff_service
from bot.services.arrival import NicknameError, invite_client
from bot.services.console import issue_login_link, login_url
from handlers import views
from handlers.callbacks import StaffAction, StaffCb
from handlers.common import answer, refuse_button, show
from handlers.plumbing.commands import set_chat_commands
from handlers.staff import availability_views as av
from handlers.staff import views as sv
from handlers.staff.access import IsStaff, StaffTurn, staff_only_router
from handlers.states import StaffSG

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def _is_shipped_locale(value: str) -> bool:
    return normalize_locale(value) == value


#: The value of a language button: a locale the bot ships, spelt as it spells it.
_SHIPPED_LOCALE = F.value.func(_is_shipped_locale)


async def _send_invite(message: Message, turn: StaffTurn, nickname: str, payload: str) -> None:
    """The invite link, as a QR code with the link under it (the link alone where a
    server takes no photos)."""
    me = await turn.bot.me()
    link = f"https://t.me/{me.username}?start={payload}"
    text = sv.invite_ready(turn.t, nickname, link)
    try:
        await turn.bot.send_photo(
            message.chat.id,
            BufferedInputFile(qr_png(link), "invite.png"),
            caption=text,
            protect_content=True,
        )
    except Exception:  # noqa: BLE001 - a server without photos still gets the link
        await message.answer(text, protect_content=True)


async def _send_console_link(chat_id: int, turn: StaffTurn) -> None:
    """A one-time login link for the web console, for this staff account (10 minutes).
    No link preview: Telegram's servers would fetch the page."""
    token = await issue_login_link(turn.uow_factory, turn.clock, staff_id=turn.staff.id)
    link = login_url(turn.settings.web_base_url, token)
    await turn.bot.send_message(
        chat_id,
        sv.console_link(turn.t, link),
        protect_content=True,
        link_preview_options=NO_PREVIEW,
    )


def staff_router() -> Router:
    router = staff_only_router("staff")

    @router.message(CommandStart())
    @router.message(Command("menu"))
    async def staff_start(message: Message, turn: StaffTurn) -> None:
        await turn.state.clear()
        await answer(message, sv.menu(turn.t))

    @router.message(Command("invite"))
    async def invite_command(message: Message, turn: StaffTurn) -> None:
        await turn.state.set_state(StaffSG.invite_nickname)
        await answer(message, sv.invite_ask(turn.t))

    @router.message(StaffSG.invite_nickname, F.text, ~F.text.startswith("/"))
    async def nickname(message: Message, turn: StaffTurn) -> None:
        try:
            invite = await invite_client(
                turn.uow_factory, turn.clock, staff=turn.staff, nickname=message.text or ""
            )
        except NicknameError:
            await message.answer(sv.nickname_invalid(turn.t))
            return
        await turn.state.clear()
        await _send_invite(message, turn, invite.nickname, invite.payload)
        await answer(message, sv.menu(turn.t))

    @router.message(StaffSG.invite_nickname, ~F.text.startswith("/"))
    async def nickname_not_text(message: Message, turn: StaffTurn) -> None:
        await message.answer(sv.nickname_invalid(turn.t))

    @router.message(Command("console"))
    async def console_command(message: Message, turn: StaffTurn) -> None:
        await _send_console_link(message.chat.id, turn)

    @router.callback_query(StaffCb.filter(F.action == StaffAction.CONSOLE))
    async def console_button(callback: CallbackQuery, turn: StaffTurn) -> None:
        await callback.answer()
        await _send_console_link(callback.from_user.id, turn)

    @router.message(Command("help"))
    async def staff_help(message: Message, turn: StaffTurn) -> None:
        await message.answer(sv.help_text(turn.t))
        await answer(message, sv.menu(turn.t))

    @router.message(Command("language"))
    async def staff_language(message: Message, turn: StaffTurn) -> None:
        await answer(message, sv.ui_language_picker(turn.t, turn.staff))

    @router.message(Command("cancel"))
    async def staff_cancel(message: Message, turn: StaffTurn) -> None:
        had_flow = await turn.state.get_state() is not None
        await turn.state.clear()
        await answer(message, sv.menu(turn.t, intro=views.cancelled(turn.t, had_flow=had_flow)))

    @router.callback_query(StaffCb.filter(F.action == StaffAction.INVITE))
    async def invite(callback: CallbackQuery, turn: StaffTurn) -> None:
        await turn.state.set_state(StaffSG.invite_nickname)
        await turn.show(callback, sv.invite_ask(turn.t))

    @router.callback_query(StaffCb.filter(F.action == StaffAction.HOURS))
    async def hours(callback: CallbackQuery, turn: StaffTurn) -> None:
        assert turn.staff.id is not None
        await callback.answer()
        windows = await staff_service.hours_of(turn.uow_factory, staff_id=turn.staff.id)
        await show(callback, turn.bot, av.overview(turn.t, windows))

    @router.callback_query(StaffCb.filter(F.action == StaffAction.SPOKEN))
    async def spoken(callback: CallbackQuery, turn: StaffTurn) -> None:
        await turn.show(callback, sv.spoken_picker(turn.t, turn.staff))

    @router.callback_query(StaffCb.filter((F.action == StaffAction.TOGGLE) & _SHIPPED_LOCALE))
    async def toggle_spoken(
        callback: CallbackQuery, callback_data: StaffCb, turn: StaffTurn
    ) -> None:
        assert turn.staff.id is not None
        staff = await staff_service.toggle_spoken_language(
            turn.uow_factory, staff_id=turn.staff.id, language=callback_data.value
        )
        await turn.show(callback, sv.spoken_picker(turn.t, staff))

    @router.callback_query(StaffCb.filter(F.action == StaffAction.LANGUAGE))
    async def language(callback: CallbackQuery, turn: StaffTurn) -> None:
        await turn.show(callback, sv.ui_language_picker(turn.t, turn.staff))

    @router.callback_query(StaffCb.filter((F.action == StaffAction.SET_LANGUAGE) & _SHIPPED_LOCALE))
    async def set_language(
        callback: CallbackQuery, callback_data: StaffCb, turn: StaffTurn
    ) -> None:
        assert turn.staff.id is not None
        staff = await staff_service.set_staff_locale(
            turn.uow_factory, staff_id=turn.staff.id, locale=callback_data.value
        )
        t = turn.speaking(staff.locale)  # the staff member's new language
        await callback.answer()
        await set_chat_commands(turn.bot, callback.from_user.id, t, staff=True)
        await show(callback, turn.bot, sv.menu(t))

    @router.callback_query(StaffCb.filter(F.action == StaffAction.MENU))
    async def back_to_menu(callback: CallbackQuery, turn: StaffTurn) -> None:
        await turn.state.clear()
        await turn.show(callback, sv.menu(turn.t))

    @router.callback_query(StaffCb.filter())
    async def not_a_shipped_locale(callback: CallbackQuery) -> None:
        # Registered last: a language button whose value is not a shipped locale (forged or
        # from an older release) is answered and changes nothing.
        await callback.answer()

    return router


def _not_understood_kind(message: Message) -> str:
    text = message.text or ""
    return "command" if text.startswith("/") else "text" if message.text else "media"


def staff_fallback_router() -> Router:
    """After every staff router: what no staff handler took gets the staff menu."""
    router = Router(name="staff-fallback")
    router.message.filter(F.chat.type == "private", IsStaff())

    @router.message()
    async def staff_not_understood(message: Message, turn: StaffTurn) -> None:
        # Staff are not clients: nothing of theirs falls into the client flows.
        await message.answer(views.not_understood(turn.t, _not_understood_kind(message)))
        await answer(message, sv.menu(turn.t))

    @router.callback_query(IsStaff())
    async def staff_stale_or_forged(callback: CallbackQuery, turn: StaffTurn) -> None:
        # A button no staff handler took (old, forged, or a client's): the staff menu,
        # never a client flow. Written to the audit log (who, when; no data of the button).
        await turn.audit_refusal(None)
        await refuse_button(callback, turn.bot, turn.t, sv.menu(turn.t))

    return router
