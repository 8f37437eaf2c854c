"""The 'I will come' button on a reminder (cancel and move reuse My appointments)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery

from bot.services.reminders import confirm_attendance
from handlers import views
from handlers.callbacks import RemCb
from handlers.client import reminder_views as rv
from handlers.client.access import ClientTurn, Consented
from handlers.common import refuse_button


def reminders_router() -> Router:
    router = Router(name="reminders")
    router.callback_query.filter(Consented())

    @router.callback_query(RemCb.filter(F.action == "come"))
    async def will_come(callback: CallbackQuery, callback_data: RemCb, turn: ClientTurn) -> None:
        bot, t = turn.bot, turn.t
        if not await confirm_attendance(
            turn.uow_factory,
            turn.clock,
            appointment_id=callback_data.id,
            client_id=turn.client.id or 0,
        ):
            await refuse_button(callback, bot, t, views.main_menu(t))
            return
        await callback.answer(rv.confirmed(t)[:200])
        message = callback.message
        if message is not None and hasattr(message, "edit_reply_markup"):
            try:
                await message.edit_reply_markup(reply_markup=None)
            except Exception:  # noqa: BLE001 - the confirmation is stored either way
                pass
        await bot.send_message(callback.from_user.id, rv.confirmed(t))

    return router
