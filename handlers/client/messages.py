"""Messages from the client to their case manager, translated on the way.

"✉️ Message my advisor" opens RelaySG.write; texts and media go to the case manager(s).
A voice message, photo or file sent outside any flow gets a button to send it on.
The case manager's side (answers going back) is handlers/staff/messages.py.
"""

from __future__ import annotations

import logging
from contextlib import suppress

from aiogram import F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message

from bot.domain import Client
from bot.i18n import Translator
from bot.services import relay as relay_service
from handlers import relay_views as rv
from handlers import views
from handlers.callbacks import RelayAction, RelayCb
from handlers.client.access import ClientTurn, Consented
from handlers.client.fallback import where_they_stand
from handlers.common import answer, current_screen, leave_flow, refuse_button, send
from handlers.states import RelaySG
from handlers.views import Screen

log = logging.getLogger("lotse.relay")

#: Media offered with a "send it to my case manager" button (message ids, newest last).
OFFERED = "media_offered"
OFFERED_KEPT = 5
MEDIA = F.voice | F.photo | F.document | F.video | F.audio | F.video_note
#: In the write flow everything the client sends goes on (copied as it is).
ANYTHING_BUT_TEXT = MEDIA | F.sticker | F.location | F.contact


async def relay_from_client(
    turn: ClientTurn, *, chat_id: int, message_id: int, text: str | None
) -> None:
    """Text (translated) or a copied media message to every recipient; then the ack."""
    bot, client, t = turn.bot, turn.client, turn.t
    catalogs, translation = turn.catalogs, turn.translation
    uow_factory, clock, policy = turn.uow_factory, turn.clock, turn.policy
    recipients, availability = await relay_service.inbound(
        uow_factory, clock, policy, translation, client=client, text=text
    )
    if not recipients:
        await send(bot, chat_id, rv.nobody_to_write_to(t))
        return
    delivered = 0
    for recipient in recipients:
        staff = recipient.staff
        assert staff.telegram_user_id is not None
        st = catalogs.translator(staff.locale)
        hint = rv.reply_hint(
            st, client, translated=translation.can_translate(staff.locale, client.locale)
        )
        ids: list[int] = []
        try:
            if text is not None:
                parts = rv.inbound(st, client, text, recipient.translation)
                for index, part in enumerate(parts):
                    last = index == len(parts) - 1
                    sent = await bot.send_message(
                        staff.telegram_user_id,
                        part + ("\n\n" + hint if last else ""),
                        reply_markup=rv.reply_buttons(st, client) if last else None,
                    )
                    ids.append(sent.message_id)
            else:
                head = await bot.send_message(staff.telegram_user_id, rv.media_head(st, client))
                copied = await bot.copy_message(
                    staff.telegram_user_id,
                    from_chat_id=chat_id,
                    message_id=message_id,
                    reply_markup=rv.reply_buttons(st, client),
                )
                ids += [head.message_id, copied.message_id]
        except Exception as exc:  # noqa: BLE001 - the others still get it; the client is told
            log.warning("relay to staff failed", extra={"error": type(exc).__name__})
            continue
        delivered += 1
        try:
            await relay_service.record(
                uow_factory,
                clock,
                turn.settings.RELAY_RETENTION,
                client_id=client.id or 0,
                staff_id=staff.id,
                direction="in",
                staff_chat_id=staff.telegram_user_id,
                staff_message_ids=ids,
                client_message_id=message_id,
                text=text,
            )
        except Exception as exc:  # noqa: BLE001 - delivered is delivered; the others still get it
            log.error("relay not recorded", extra={"error": type(exc).__name__})
    if not delivered:
        await bot.send_message(
            chat_id, views.failure(t), reply_markup=rv.nobody_to_write_to(t).markup
        )
        return
    urgent = relay_service.looks_urgent(text or "")
    team = client.case_manager_id is None
    await send(bot, chat_id, rv.sent(t, availability, policy.zone, urgent=urgent, team=team))


async def start_writing(turn: ClientTurn) -> Screen:
    """ "Message my advisor" (the menu's button, or typed): the write step, or said at once
    that nobody would receive it (not after they have written their message)."""
    if not await relay_service.someone_to_write_to(
        turn.uow_factory, turn.clock, turn.policy, client=turn.client
    ):
        await leave_flow(turn.state)
        return rv.nobody_to_write_to(turn.t)
    await turn.state.set_state(RelaySG.write)
    return rv.write_prompt(turn.t, translated=turn.translation.enabled)


def relay_router() -> Router:
    """The client side (after the booking routers, before the menu and the fallback)."""
    router = Router(name="relay")
    router.message.filter(F.chat.type == "private")

    @router.message(RelaySG.write, F.text, ~F.text.startswith("/"), Consented())
    @router.message(RelaySG.write, ANYTHING_BUT_TEXT, Consented())
    # A Telegram reply to one of the bot's messages (an answer of the case manager, a
    # reminder): it is meant for the case manager, so it goes there.
    @router.message(
        StateFilter(None), F.reply_to_message, F.text, ~F.text.startswith("/"), Consented()
    )
    @router.message(StateFilter(None), F.reply_to_message, MEDIA, Consented())
    async def client_writes(message: Message, turn: ClientTurn) -> None:
        await relay_from_client(
            turn, chat_id=message.chat.id, message_id=message.message_id, text=message.text
        )

    @router.message(StateFilter(None), F.reply_to_message, F.text, ~F.text.startswith("/"))
    @router.message(StateFilter(None), F.reply_to_message, MEDIA)
    async def reply_before_consent(
        message: Message, client: Client | None, t: Translator, guessed_locales: tuple[str, ...]
    ) -> None:
        # Not onboarded yet: where they stand (the language or the privacy question).
        await answer(message, current_screen(t, client, guessed=guessed_locales))

    @router.message(StateFilter(None), MEDIA, Consented())
    async def media_outside_a_flow(message: Message, turn: ClientTurn) -> None:
        # Only media offered here can be sent on, each once (see send_it_on).
        data = await turn.state.get_data()
        offered = [*data.get(OFFERED, []), message.message_id][-OFFERED_KEPT:]
        await turn.state.update_data({OFFERED: offered})
        await answer(message, rv.offer_to_send(turn.t, message.message_id))

    # Not onboarded yet: where they stand (the language or the privacy question).
    router.message.register(where_they_stand, StateFilter(None), MEDIA)

    @router.callback_query(RelayCb.filter(F.action == RelayAction.FORWARD), Consented())
    async def send_it_on(callback: CallbackQuery, callback_data: RelayCb, turn: ClientTurn) -> None:
        data = await turn.state.get_data()
        offered = data.get(OFFERED, [])
        if callback_data.id not in offered:
            # Sent already (a second tap), or an id this chat was never offered.
            await refuse_button(callback, turn.bot, turn.t, views.main_menu(turn.t))
            return
        await turn.state.update_data({OFFERED: [i for i in offered if i != callback_data.id]})
        await callback.answer()
        if isinstance(callback.message, Message):
            with suppress(TelegramAPIError):  # the button goes; the sending goes on anyway
                await callback.message.edit_reply_markup(reply_markup=None)
        # The id names a media message of the client's own chat, offered above: copy it.
        await relay_from_client(
            turn, chat_id=callback.from_user.id, message_id=callback_data.id, text=None
        )

    return router
