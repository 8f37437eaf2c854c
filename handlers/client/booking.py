"""The client's booking flow: (site) -> topic -> how -> (phone) -> day -> time ->
interpreter -> summary -> confirm. One handler per step, chosen by the step's button
(BookCb.step) and the FSM state; moving an appointment is handlers/client/moving.py,
"back" and "stop" are handlers/client/booking_nav.py, a topic, day or time typed instead
of tapped is handlers/client/booking_typed.py.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot.domain import Client
from bot.i18n import Translator
from bot.services.arrival import choose_site, sites_with_staff
from bot.services.booking import may_book_another
from handlers import views
from handlers.callbacks import BookCb, BookStep, MenuCb, MenuItem
from handlers.client import booking_views as bv
from handlers.client.access import ClientTurn, Consented
from handlers.client.booker import BooksForThemself
from handlers.client.booking_nav import booking_nav_router
from handlers.client.booking_steps import (
    BookingDesk,
    phone_given,
    register_steps,
    show_topics_or_site,
    typed_phone,
)
from handlers.client.booking_typed import register_typed_steps
from handlers.client.moving import moving_router
from handlers.common import refuse_button, send, show
from handlers.states import BookingSG
from handlers.turn import Turn

BOOKING = StateFilter(BookingSG)


def booking_router() -> Router:
    """Booking, moving, and the way back; a booking button out of its flow is refused."""
    router = Router(name="booking")
    router.callback_query.filter(Consented())
    steps = _steps_router()
    router.include_routers(booking_nav_router(), moving_router(), steps)

    @steps.callback_query(BookCb.filter())
    async def out_of_flow(callback: CallbackQuery, turn: ClientTurn) -> None:
        # A booking button with no booking under way (old, or from a finished flow).
        await refuse_button(callback, turn.bot, turn.t, views.main_menu(turn.t))

    return router


def _steps_router() -> Router:
    router = Router(name="booking-steps")
    router.callback_query.filter(BooksForThemself())
    register_steps(router, lambda step: BookCb.filter(F.step == BookStep(step)), BOOKING)
    # Messages pass no router filter here: the typed steps check consent themselves.
    register_typed_steps(router, Consented(), BooksForThemself())

    @router.callback_query(MenuCb.filter(F.item == MenuItem.BOOK))
    async def start(callback: CallbackQuery, turn: ClientTurn) -> None:
        await callback.answer()
        if not await may_book_another(
            turn.uow_factory, turn.clock, turn.policy, client_id=turn.client.id or 0
        ):
            # Said now, not after every step: with "My appointments" to cancel one.
            await turn.state.clear()
            await show(callback, turn.bot, bv.too_many(turn.t, turn.policy.max_open))
            return
        await show_topics_or_site(callback, turn)

    @router.callback_query(BookCb.filter(F.step == BookStep.SITE), BOOKING)
    async def site(callback: CallbackQuery, callback_data: BookCb, turn: ClientTurn) -> None:
        sites = {str(s.id) for s in await sites_with_staff(turn.uow_factory)}
        if callback_data.value not in sites:
            await refuse_button(callback, turn.bot, turn.t, views.main_menu(turn.t))
            return
        site_id = int(callback_data.value)
        await choose_site(turn.uow_factory, telegram_user_id=callback.from_user.id, site_id=site_id)
        await turn.state.update_data(site_id=site_id)
        await turn.state.set_state(BookingSG.topic)
        await turn.show(callback, bv.topic_picker(turn.t))

    # The phone step is answered by a message, and messages pass no consent filter: these
    # handlers take the update's plain Turn and check the client themselves.
    @router.message(BookingSG.phone, F.contact)
    async def phone_shared(
        message: Message, turn: Turn, client: Client | None, desk: BookingDesk
    ) -> None:
        contact = message.contact
        assert contact is not None
        if client is None or message.from_user is None or contact.user_id != message.from_user.id:
            await message.answer(bv.phone_not_own(turn.t))
            return
        await phone_given(message, turn.bot, turn.state, client, turn.t, desk, contact.phone_number)

    @router.message(BookingSG.phone, F.text.func(typed_phone))
    async def phone_typed(
        message: Message, turn: Turn, client: Client | None, desk: BookingDesk
    ) -> None:
        number = typed_phone(message.text or "")
        if client is None or number is None:
            await _ask_phone_again(message, turn.t)
            return
        # A number typed by hand is taken as given.
        await phone_given(message, turn.bot, turn.state, client, turn.t, desk, number)

    @router.message(BookingSG.phone, F.text, _is_stop)
    async def phone_stopped(message: Message, turn: Turn) -> None:
        await turn.state.clear()
        await message.answer(bv.stopped(turn.t), reply_markup=ReplyKeyboardRemove())
        await send(turn.bot, message.chat.id, views.main_menu(turn.t))

    @router.message(BookingSG.phone, F.text, ~F.text.startswith("/"))
    async def phone_invalid(message: Message, t: Translator) -> None:
        # Text that is no phone number ("123", a word): what is wrong and what a number
        # looks like; the flow stays where it is. Commands pass on to their own routers.
        _, keyboard = bv.phone_request(t)
        await message.answer(bv.phone_invalid(t), reply_markup=keyboard)

    @router.message(BookingSG.phone, ~F.text)
    async def phone_other(message: Message, t: Translator) -> None:
        # Anything else (a sticker, a photo) asks again.
        await _ask_phone_again(message, t)

    return router


async def _is_stop(message: Message, t: Translator) -> bool:
    """The reply keyboard's 'Stop' button (its label, in the client's language)."""
    return message.text == bv.stop_label(t)


async def _ask_phone_again(message: Message, t: Translator) -> None:
    screen, keyboard = bv.phone_request(t)
    await message.answer(screen.text, reply_markup=keyboard)
