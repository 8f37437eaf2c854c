"""/offers for case managers: filters by buttons or free text, cards, sending to a client,
and inline mode (staff only). Clients and strangers reach none of it."""

from __future__ import annotations

import logging
from secrets import token_hex

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import (
    CallbackQuery,
    InlineQuery,
    InlineQueryResultArticle,
    InlineQueryResultUnion,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
)

from bot.domain import LifeArea, Staff
from bot.i18n import Translator, normalize_locale
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import booking as booking_service
from bot.services import offers as offer_service
from bot.services import referrals as referral_service
from bot.slots import BookingPolicy
from handlers import labels
from handlers.callbacks import OfferAction, OfferCb
from handlers.common import answer, refuse_button, show
from handlers.staff import offer_views as ov
from handlers.staff import views as sv
from handlers.staff.access import IsStaff, StaffTurn, staff_only_router
from handlers.states import OffersSG

log = logging.getLogger("lotse.offers")

#: A topic button: any topic, or one life area.
_AREA_CHOICES = {"*"} | {a.value for a in LifeArea}
#: Offer cards carry a website link; its preview would push the card's text away.
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def _results(turn: StaffTurn) -> ov.Screen:
    """The current page of the search in the FSM data."""
    data = await turn.state.get_data()
    page = await offer_service.search_offers(
        turn.uow_factory,
        turn.clock,
        turn.policy.zone,
        text=data.get("of_text", ""),
        life_area=data.get("of_area"),
        municipality=data.get("of_place"),
        language=data.get("of_lang"),
        open_to_duldung=bool(data.get("of_duldung")),
        page=int(data.get("of_page", 0)),
    )
    return ov.results(turn.t, page, data.get("of_id", ""))


async def _new_search(turn: StaffTurn, text: str) -> ov.Screen:
    """A free-text search from its first page, with a new id for its page buttons."""
    await turn.state.set_data({"of_text": text, "of_page": 0, "of_id": token_hex(3)})
    return await _results(turn)


async def _show_results(callback: CallbackQuery, turn: StaffTurn) -> None:
    """The current page of the search in the FSM data, in place of the pressed screen."""
    await turn.show(callback, await _results(turn))


def offers_router() -> Router:
    router = staff_only_router("offers")
    router.inline_query.filter(IsStaff())

    @router.message(Command("offers"))
    async def offers_command(message: Message, command: CommandObject, turn: StaffTurn) -> None:
        await turn.state.clear()
        await turn.state.set_state(OffersSG.browse)
        text = (command.args or "").strip()[:200]
        await answer(message, await _new_search(turn, text) if text else ov.pick_area(turn.t))

    @router.message(OffersSG.browse, F.text, ~F.text.startswith("/"))
    async def offers_typed(message: Message, turn: StaffTurn) -> None:
        # While looking up offers, typed words are a search (as after /offers).
        await answer(message, await _new_search(turn, (message.text or "").strip()[:200]))

    @router.callback_query(OfferCb.filter(F.action == OfferAction.NEW))
    async def new_lookup(callback: CallbackQuery, turn: StaffTurn) -> None:
        await turn.state.clear()
        await turn.state.set_state(OffersSG.browse)
        await turn.show(callback, ov.pick_area(turn.t))

    @router.callback_query(
        OfferCb.filter((F.action == OfferAction.AREA) & F.value.in_(_AREA_CHOICES))
    )
    async def area_chosen(callback: CallbackQuery, callback_data: OfferCb, turn: StaffTurn) -> None:
        value = callback_data.value
        await turn.state.set_data(
            {"of_area": None if value == "*" else value, "of_page": 0, "of_id": token_hex(3)}
        )
        await callback.answer()
        places = await offer_service.municipalities(turn.uow_factory)
        await show(callback, turn.bot, ov.pick_place(turn.t, places))

    @router.callback_query(OfferCb.filter(F.action == OfferAction.PLACE))
    async def place_chosen(
        callback: CallbackQuery, callback_data: OfferCb, turn: StaffTurn
    ) -> None:
        value = callback_data.value
        places = await offer_service.municipalities(turn.uow_factory)
        if value != "*" and not (value.isdigit() and int(value) < len(places)):
            await callback.answer()
            return
        await turn.state.update_data(of_place=None if value == "*" else places[int(value)])
        await turn.show(callback, ov.pick_language(turn.t))

    @router.callback_query(OfferCb.filter(F.action == OfferAction.LANGUAGE))
    async def language_chosen(
        callback: CallbackQuery, callback_data: OfferCb, turn: StaffTurn
    ) -> None:
        value = callback_data.value
        if value != "*" and normalize_locale(value) != value:
            await callback.answer()
            return
        await turn.state.update_data(of_lang=None if value == "*" else value)
        await turn.show(callback, ov.pick_duldung(turn.t))

    @router.callback_query(OfferCb.filter(F.action == OfferAction.DULDUNG))
    async def duldung_chosen(
        callback: CallbackQuery, callback_data: OfferCb, turn: StaffTurn
    ) -> None:
        await turn.state.update_data(of_duldung=callback_data.value == "1", of_page=0)
        await _show_results(callback, turn)

    @router.callback_query(OfferCb.filter(F.action == OfferAction.PAGE))
    async def page_of_results(
        callback: CallbackQuery, callback_data: OfferCb, turn: StaffTurn
    ) -> None:
        number, _, search_id = callback_data.value.partition(".")
        data = await turn.state.get_data()
        if not number.isdigit() or not search_id or search_id != data.get("of_id"):
            # A list of an earlier search (or a forged page): not this search's pages.
            await refuse_button(callback, turn.bot, turn.t, sv.menu(turn.t))
            return
        await turn.state.update_data(of_page=int(number))
        await _show_results(callback, turn)

    @router.callback_query(OfferCb.filter(F.action == OfferAction.LIST))
    async def back_to_results(callback: CallbackQuery, turn: StaffTurn) -> None:
        await _show_results(callback, turn)

    @router.callback_query(OfferCb.filter((F.action == OfferAction.CARD) & F.value.isdigit()))
    async def offer_card(callback: CallbackQuery, callback_data: OfferCb, turn: StaffTurn) -> None:
        offer = await offer_service.get_offer(turn.uow_factory, int(callback_data.value))
        if offer is None:  # gone from the catalog since: the list again
            await _show_results(callback, turn)
            return
        await turn.show(callback, ov.card(turn.t, offer))

    @router.callback_query(OfferCb.filter((F.action == OfferAction.SEND) & F.value.isdigit()))
    async def pick_recipient(
        callback: CallbackQuery, callback_data: OfferCb, turn: StaffTurn
    ) -> None:
        offer = await offer_service.get_offer(turn.uow_factory, int(callback_data.value))
        if offer is None:
            await callback.answer()
            return
        clients = await booking_service.clients_of_staff_site(turn.uow_factory, staff=turn.staff)
        await turn.show(callback, ov.pick_client(turn.t, offer, clients, turn.staff.id))

    @router.callback_query(OfferCb.filter(F.action == OfferAction.TO))
    async def send_to_client(
        callback: CallbackQuery, callback_data: OfferCb, turn: StaffTurn
    ) -> None:
        await _send_to_client(callback, turn, callback_data.value)

    @router.callback_query(OfferCb.filter())
    async def not_a_choice(callback: CallbackQuery) -> None:
        """An unknown area, a card or send button without an offer id: nothing to do."""
        await callback.answer()

    # An inline query is no conversation: IsStaff promises it no turn, so its tools by name.
    @router.inline_query()
    async def inline_offers(
        inline_query: InlineQuery,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        page = await offer_service.search_offers(
            uow_factory, clock, policy.zone, text=inline_query.query[:200], page_size=20
        )
        results = [
            InlineQueryResultArticle(
                id=str(offer.id),
                title=offer.title[:100],
                description=f"{offer.provider} · {offer.municipality}"[:200],
                input_message_content=InputTextMessageContent(
                    message_text=ov.card_text(t, offer),
                    parse_mode="HTML",
                    link_preview_options=NO_PREVIEW,
                ),
            )
            for offer in page.offers
        ]
        await inline_query.answer(
            list[InlineQueryResultUnion](results), cache_time=0, is_personal=True
        )

    return router


def inline_refusal_router() -> Router:
    """Inline queries from anyone who is not staff get nothing (and no hint of the catalog)."""
    router = Router(name="inline-refusal")

    @router.inline_query()
    async def not_for_you(inline_query: InlineQuery) -> None:
        await inline_query.answer([], cache_time=0, is_personal=True)

    return router


async def _send_to_client(callback: CallbackQuery, turn: StaffTurn, value: str) -> None:
    t, staff, uow_factory, clock = turn.t, turn.staff, turn.uow_factory, turn.clock
    try:
        offer_text, client_text = value.split(".", 1)
        offer = await offer_service.get_offer(uow_factory, int(offer_text))
        client, _ = await booking_service.client_for_staff(
            uow_factory, clock, staff=staff, client_id=int(client_text)
        )
    except booking_service.NotYoursError as refused:
        await turn.audit_refusal(refused)
        await callback.answer(sv.not_your_client(t), show_alert=True)
        return
    except ValueError:
        await callback.answer(sv.not_your_client(t), show_alert=True)
        return
    if offer is None or client.id is None:
        await callback.answer()
        return
    ct = turn.speaking(client.locale)
    # Offer texts are public catalog data: the one kind of text that may be cached.
    result = await turn.translation.translate(
        f"{offer.title}\n\n{offer.description}".strip(), "de", client.locale, cacheable=True
    )
    body = ov.for_client(ct, offer, result.text if result.ok else None, result.provider)
    try:
        await turn.bot.send_message(client.chat_id, body, link_preview_options=NO_PREVIEW)
    except Exception as exc:  # noqa: BLE001 - say so to the case manager; nothing else changes
        log.warning("offer not delivered", extra={"error": type(exc).__name__})
        await callback.answer(sv.not_delivered(t), show_alert=True)
        return
    # A referral (client, offer, case manager, date) with its one follow-up question.
    assert turn.policy.quiet is not None
    await referral_service.record_referral(
        uow_factory,
        clock,
        turn.policy.quiet,
        delay=turn.settings.REFERRAL_FOLLOWUP,
        staff=staff,
        client=client,
        offer=offer,
    )
    who = labels.client_name(t, client.nickname, client.id)
    await callback.answer(ov.sent_to(t, who)[:200])
    # The picker gives way to the card again, so a second tap cannot send it twice.
    await show(callback, turn.bot, ov.card(t, offer))
