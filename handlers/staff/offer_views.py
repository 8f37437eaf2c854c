"""Offer lookup screens for case managers, and the card a client receives."""

from __future__ import annotations

import html
from urllib.parse import quote

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import Client, LifeArea, Offer
from bot.i18n import FSI, PDI, SUPPORTED_LOCALES, Translator, language_label
from bot.services.offers import SearchPage
from handlers import labels
from handlers.callbacks import OfferCb, StaffCb
from handlers.views import Screen


def _b(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def _grid(buttons: list[InlineKeyboardButton], columns: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + columns] for i in range(0, len(buttons), columns)]


def _menu(t: Translator) -> list[InlineKeyboardButton]:
    return [_b(t.p_("button", "⬅️ Back to the menu"), StaffCb(action="menu").pack())]


def pick_area(t: Translator) -> Screen:
    buttons = [
        _b(labels.life_area(t, a), OfferCb(action="area", value=a.value).pack()) for a in LifeArea
    ]
    buttons.append(_b(t.p_("button", "All topics"), OfferCb(action="area", value="*").pack()))
    return Screen(
        t._(
            "🔎 Support offers: which topic? You can also type, for example: /offers Deutschkurs Essen"
        ),
        InlineKeyboardMarkup(inline_keyboard=[*_grid(buttons, 2), _menu(t)]),
    )


def pick_place(t: Translator, places: list[str]) -> Screen:
    buttons = [
        _b(place, OfferCb(action="place", value=str(i)).pack())
        for i, place in enumerate(places[:40])
    ]
    buttons.append(_b(t.p_("button", "All places"), OfferCb(action="place", value="*").pack()))
    return Screen(
        t._("📍 Where?"), InlineKeyboardMarkup(inline_keyboard=[*_grid(buttons, 2), _menu(t)])
    )


def pick_language(t: Translator) -> Screen:
    buttons = [
        _b(language_label(code), OfferCb(action="lang", value=code).pack())
        for code in SUPPORTED_LOCALES
    ]
    buttons.append(_b(t.p_("button", "Any language"), OfferCb(action="lang", value="*").pack()))
    return Screen(
        t._("🗣 In which language should the offer be?"),
        InlineKeyboardMarkup(inline_keyboard=[*_grid(buttons, 2), _menu(t)]),
    )


def pick_duldung(t: Translator) -> Screen:
    return Screen(
        t._("Only offers open to people with a Duldung?"),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    _b(
                        t.p_("button", "Yes, only those"),
                        OfferCb(action="duldung", value="1").pack(),
                    )
                ],
                [_b(t.p_("button", "No, show all"), OfferCb(action="duldung", value="0").pack())],
                _menu(t),
            ]
        ),
    )


def results(t: Translator, page: SearchPage, search_id: str = "") -> Screen:
    """One page of results; the page buttons carry the search's id, so an old list's
    buttons cannot page another search."""
    if not page.offers:
        return Screen(
            t._("No offers found. Try fewer words or other filters."),
            InlineKeyboardMarkup(
                inline_keyboard=[
                    [_b(t.p_("button", "🔎 New search"), OfferCb(action="new").pack())],
                    _menu(t),
                ]
            ),
        )
    rows = [
        [_b(f"{o.title} · {o.municipality}"[:60], OfferCb(action="card", value=str(o.id)).pack())]
        for o in page.offers
    ]
    nav = []
    if page.page > 0:
        nav.append(_b("◀️", OfferCb(action="page", value=f"{page.page - 1}.{search_id}").pack()))
    if page.page + 1 < page.pages:
        nav.append(_b("▶️", OfferCb(action="page", value=f"{page.page + 1}.{search_id}").pack()))
    if nav:
        rows.append(nav)
    rows.append([_b(t.p_("button", "🔎 New search"), OfferCb(action="new").pack())])
    rows.append(_menu(t))
    text = t.n_(
        "🔎 {n} offer found (page {page} of {pages}).",
        "🔎 {n} offers found (page {page} of {pages}).",
        page.total,
        page=page.page + 1,
        pages=page.pages,
    )
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=rows))


def _map_link(offer: Offer) -> str | None:
    if offer.latitude is not None and offer.longitude is not None:
        return (
            f"https://www.openstreetmap.org/?mlat={offer.latitude}&mlon={offer.longitude}"
            f"#map=17/{offer.latitude}/{offer.longitude}"
        )
    if offer.address:
        return "https://www.openstreetmap.org/search?query=" + quote(
            f"{offer.address}, {offer.postcode} {offer.municipality}"
        )
    return None


def _around(t: Translator, markup: str) -> str:
    """Already escaped markup, isolated in a right-to-left chat."""
    return f"{FSI}{markup}{PDI}" if t.is_rtl else markup


def card_text(t: Translator, offer: Offer) -> str:
    """The offer as a message. Texts of the catalog are German: escaped here, and each
    isolated in a right-to-left chat (Translator.german), so a phone number, an address
    or a "[Beispieldaten]" keeps its order among Dari, Arabic or Pashto lines."""
    g = t.german
    lines = [f"<b>{g(offer.title)}</b>", g(offer.provider)]
    if offer.description:
        lines += ["", g(offer.description)]
    lines.append("")
    place = ", ".join(
        p for p in (offer.address, f"{offer.postcode} {offer.municipality}".strip()) if p
    )
    link = _map_link(offer)
    map_label = t._("Map")
    map_link = f' · <a href="{html.escape(link)}">{map_label}</a>' if link else ""
    lines.append(f"📍 {g(place)}{map_link}")
    if offer.phone:
        lines.append(f"📞 {g(offer.phone)}")
    if offer.email:
        lines.append(f"✉️ {g(offer.email)}")
    if offer.website:
        # An explicit link: the address Telegram opens and copies is the URL alone, never
        # with an isolate around it glued on.
        url = html.escape(offer.website)
        lines.append("🌐 " + _around(t, f'<a href="{url}">{url}</a>'))
    if offer.opening_hours:
        lines.append(f"🕘 {g(offer.opening_hours)}")
    if offer.cost:
        lines.append(f"💶 {g(offer.cost)}")
    if offer.languages:
        names = ", ".join(labels.language_in(t, code) for code in offer.languages)
        lines.append(t._("🗣 Languages: {languages}", languages=names))
    if offer.open_to_duldung:
        lines.append(t._("✓ Open to people with a Duldung"))
    else:
        lines.append(t._("✗ Not open to people with a Duldung"))
    if offer.diaa_module:
        lines.append(t._("DiAA module {module}", module=offer.diaa_module))
    return "\n".join(lines)


def card(t: Translator, offer: Offer) -> Screen:
    return Screen(
        card_text(t, offer),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    _b(
                        t.p_("button", "📤 Send to a client"),
                        OfferCb(action="send", value=str(offer.id)).pack(),
                    )
                ],
                [_b(t.p_("button", "⬅️ Back to the results"), OfferCb(action="list").pack())],
            ]
        ),
    )


def pick_client(t: Translator, offer: Offer, clients: list[Client], own_id: int | None) -> Screen:
    rows = []
    for client in clients[:40]:
        name = labels.client_name(t, client.nickname, client.id or 0)
        mark = "★ " if client.case_manager_id == own_id else ""
        rows.append(
            [_b(f"{mark}{name}", OfferCb(action="to", value=f"{offer.id}.{client.id}").pack())]
        )
    rows.append([_b(t.p_("button", "⬅️ Back"), OfferCb(action="card", value=str(offer.id)).pack())])
    text = (
        t._("📤 To whom? The client gets the offer in their language.")
        if clients
        else t._("📋 No clients yet. Invite one with “➕ Invite a client”.")
    )
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=rows))


def sent_to(t: Translator, who: str) -> str:
    return t._("✓ Sent to {client}.", client=who)


def for_client(
    t: Translator, offer: Offer, translated: str | None = None, provider: str | None = None
) -> str:
    """What the client reads: their advisor's offer; in their language as a labelled
    machine translation when there is one, else with a note that it is in German."""
    head = t._("📌 Your advisor sends you this offer:")
    if t.locale == "de":
        return f"{head}\n\n{card_text(t, offer)}"
    if translated:
        label = t._(
            "🤖 Machine translation ({provider}), may contain mistakes. The German original "
            "is below.",
            provider=provider or "",
        )
        return (
            f"{head}\n\n<i>{html.escape(label)}</i>\n{html.escape(translated[:1500])}"
            f"\n\n{card_text(t, offer)}"
        )
    note = t._("The offer is written in German. Your advisor can explain it to you.")
    return f"{head}\n\n{card_text(t, offer)}\n\n<i>{note}</i>"


def review(t: Translator, offers: list[Offer]) -> str:
    lines: list[str] = [t._("📋 These offers need a look (ended, or not checked for a year):")]
    lines += [f"• {t.german(o.title)} ({t.german(o.external_id)})" for o in offers[:50]]
    return "\n".join(lines)
