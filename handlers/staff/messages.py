"""The case manager's side of messages: replying to a relayed message (or the Answer
button) sends the answer back to the client, translated, with the original under it."""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain import Staff
from bot.i18n import Catalogs, Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import relay as relay_service
from bot.translation import TranslationService
from config import Settings
from handlers import relay_views as rv
from handlers.callbacks import RelayCb
from handlers.common import send
from handlers.staff import views as sv
from handlers.staff.access import IsStaff
from handlers.states import OffersSG, StaffRelaySG

log = logging.getLogger("lotse.relay")


def staff_relay_router() -> Router:
    """The case manager's side: answers go back translated."""
    router = Router(name="staff-relay")
    router.message.filter(F.chat.type == "private", IsStaff())
    router.callback_query.filter(IsStaff())

    @router.callback_query(RelayCb.filter())
    async def answer_button(
        callback: CallbackQuery,
        callback_data: RelayCb,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        translation: TranslationService,
    ) -> None:
        try:
            client = await relay_service.client_of_site(
                uow_factory, staff=staff, client_id=callback_data.id
            )
        except relay_service.NotYourClientError:
            await callback.answer(sv.not_your_client(t), show_alert=True)
            return
        await state.set_state(StaffRelaySG.reply)
        await state.set_data({"r_client": client.id})
        await callback.answer()
        translated = translation.can_translate(staff.locale, client.locale)
        await send(bot, callback.from_user.id, rv.reply_prompt(t, client, translated=translated))

    @router.message(StaffRelaySG.reply, F.text, ~F.text.startswith("/"))
    # A Telegram reply is an answer in any state the routers before left open (looking
    # up offers, the staff menu): it must not become a search.
    @router.message(OffersSG.browse, F.reply_to_message, F.text, ~F.text.startswith("/"))
    @router.message(StateFilter(None), F.reply_to_message, F.text, ~F.text.startswith("/"))
    async def staff_answers(
        message: Message,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        catalogs: Catalogs,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        translation: TranslationService,
        settings: Settings,
    ) -> None:
        client_id = (await state.get_data()).get("r_client")
        if message.reply_to_message is not None:
            try:
                found = await relay_service.client_behind(
                    uow_factory,
                    staff=staff,
                    staff_chat_id=message.chat.id,
                    message_id=message.reply_to_message.message_id,
                )
            except relay_service.NotYourClientError:
                found = None
            if found is not None:
                client_id = found.id
            elif client_id is None:
                await message.answer(rv.not_a_relayed_message(t))
                return
        try:
            client, result = await relay_service.outbound(
                uow_factory,
                clock,
                translation,
                staff=staff,
                client_id=int(client_id or 0),
                text=message.text or "",
            )
        except relay_service.NotYourClientError:
            await state.clear()
            await message.answer(sv.not_your_client(t))
            return
        ct = catalogs.translator(client.locale)
        try:
            parts = rv.answer(ct, message.text or "", result)
            for index, part in enumerate(parts):
                markup = rv.answer_buttons(ct) if index == len(parts) - 1 else None
                await bot.send_message(client.chat_id, part, reply_markup=markup)
        except Exception as exc:  # noqa: BLE001 - blocked or gone: say so, keep the flow
            log.warning("answer not delivered", extra={"error": type(exc).__name__})
            await message.answer(sv.not_delivered(t))
            return
        await state.clear()
        await relay_service.record(
            uow_factory,
            clock,
            settings.RELAY_RETENTION,
            client_id=client.id or 0,
            staff_id=staff.id,
            direction="out",
            staff_chat_id=message.chat.id,
            staff_message_ids=[message.message_id],
            client_message_id=None,
            text=message.text,
        )
        await message.answer(rv.reply_sent(t, client, result))

    @router.message(StaffRelaySG.reply, ~F.text.startswith("/"))
    async def staff_answer_not_text(message: Message, staff: Staff, t: Translator) -> None:
        await message.answer(rv.text_only(t))

    return router
