"""Right-to-left chats (ar, fa_AF, ps): German data and bot commands keep their order.

Without isolates, "+49 201 2194350" in a Dari line reads "2194350 201 49+", brackets of
"[Beispieldaten]" jump to the other end, and "/privacy" shows as "privacy/"."""

from __future__ import annotations

import html
import re
import string
from collections.abc import Sequence
from datetime import time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.domain import Mode, Offer, WeeklyHours
from bot.i18n import FSI, LRI, PDI, RTL_LOCALES, Catalogs, Translator
from bot.offers_io import parse_csv
from handlers import views
from handlers.staff import offer_views as ov
from handlers.staff.availability_views import window_line

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "offers_sample.csv"
LOCALES = Path(__file__).resolve().parents[2] / "locales"
RTL = sorted(RTL_LOCALES)

#: "/command" as Telegram would see it in a text (not inside a URL or a closing tag).
COMMAND = re.compile(r"(?<![\w/<])/[a-z][a-z0-9_]*")


def _sample() -> Offer:
    """The first sample offer: every field filled, "[Beispieldaten]" in its description."""
    offer = parse_csv(SAMPLE.read_bytes())[0]
    assert offer.phone == "+49 201 2194350" and "[Beispieldaten]" in offer.description
    return offer


def _german_fields(offer: Offer) -> dict[str, str]:
    place = f"{offer.address}, {offer.postcode} {offer.municipality}"
    return {
        "title": offer.title,
        "provider": offer.provider,
        "description": offer.description,
        "place": place,
        "phone": offer.phone,
        "email": offer.email,
        "opening hours": offer.opening_hours,
        "cost": offer.cost,
    }


def _assert_isolated(text: str, offer: Offer) -> None:
    for name, value in _german_fields(offer).items():
        assert f"{FSI}{html.escape(value, quote=False)}{PDI}" in text, name
    url = html.escape(offer.website)
    # The website: isolated as a whole, the link itself (what Telegram copies) bare.
    assert f'{FSI}<a href="{url}">{url}</a>{PDI}' in text


@pytest.mark.parametrize("locale", RTL)
def test_every_german_field_of_an_offer_card_is_isolated(catalogs: Catalogs, locale: str) -> None:
    t, offer = catalogs.translator(locale), _sample()
    _assert_isolated(ov.card_text(t, offer), offer)  # the card a case manager reads
    _assert_isolated(ov.for_client(t, offer), offer)  # the card a client receives
    _assert_isolated(ov.for_client(t, offer, "ترجمه", "LibreTranslate"), offer)
    assert f"{FSI}{html.escape(offer.title, quote=False)}{PDI}" in ov.review(t, [offer])


def test_a_left_to_right_card_carries_no_invisible_characters(catalogs: Catalogs) -> None:
    """German, English, French: nothing to reorder, nothing invisible copied with a number."""
    offer = _sample()
    for locale in ("de", "en", "fr"):
        text = ov.card_text(catalogs.translator(locale), offer)
        assert f"📞 {offer.phone}\n" in text and FSI not in text.split("🗣")[0]


def _placeholders(message: str) -> dict[str, object]:
    return {name: "x" for _, name, _, _ in string.Formatter().parse(message) if name}


def _rendered(t: Translator, message_id: str | Sequence[str], context: str | None) -> list[str]:
    """Each form of a catalog entry as the Translator gives it out."""
    if not isinstance(message_id, str):
        singular, plural = message_id
        values = _placeholders(singular) | _placeholders(plural)
        values.pop("n", None)
        return [t.n_(singular, plural, n, **values) for n in (0, 1, 2, 3, 11, 100)]
    values = _placeholders(message_id)
    if context is not None:
        return [t.p_(context, message_id, **values)]
    return [t._(message_id, **values)]


@pytest.mark.parametrize("locale", RTL)
def test_commands_in_right_to_left_catalog_strings_are_isolated(
    catalogs: Catalogs, locale: str
) -> None:
    with (LOCALES / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    t = catalogs.translator(locale)
    checked = 0
    for message in catalog:
        if not message.id:
            continue
        for text in _rendered(t, message.id, message.context):
            for match in COMMAND.finditer(text):
                before, after = text[: match.start()], text[match.end() :]
                assert before.endswith(LRI), (message.id, text)
                assert PDI in after and LRI not in after.split(PDI, 1)[0], (message.id, text)
                checked += 1
    assert checked > 20  # /start, /cancel, /privacy, ... are in many texts


def test_commands_keep_their_latin_arguments_and_leave_paths_alone(catalogs: Catalogs) -> None:
    t = catalogs.translator("ar")
    text = t._(
        "🔎 Support offers: which topic? You can also type, for example: /offers Deutschkurs Essen"
    )
    assert f"{LRI}/offers Deutschkurs Essen{PDI}" in text
    assert LRI not in catalogs.translator("de")._("Your data: /privacy")  # only right-to-left


def test_the_address_of_working_hours_is_escaped_and_isolated(catalogs: Catalogs) -> None:
    window = WeeklyHours(None, 1, 0, time(9), time(12), 30, Mode.IN_PERSON, "Rathaus <2. OG>")
    assert f"({FSI}Rathaus &lt;2. OG&gt;{PDI})" in window_line(catalogs.translator("ps"), window)
    assert window_line(catalogs.translator("de"), window).endswith("(Rathaus &lt;2. OG&gt;)")


def test_sorani_and_farsi_read_right_to_left_as_arabic_does(catalogs: Catalogs) -> None:
    """Issue 24, item 5: every check above runs for ckb and fa too (RTL_LOCALES); here the
    pieces, as for ar: German data isolated, commands isolated, a mark on a day button."""
    assert {"ar", "fa_AF", "ps", "fa", "ckb"} == set(RTL)
    english = catalogs.translator("en")
    for locale in ("ckb", "fa"):
        t = catalogs.translator(locale)
        assert t.is_rtl and t.german("+49 201 2194350") == f"{FSI}+49 201 2194350{PDI}"
        notice = views.consent_notice(t).text  # "... at any time with /privacy."
        assert f"{LRI}/privacy{PDI}" in notice and notice != views.consent_notice(english).text
        window = WeeklyHours(None, 1, 0, time(9), time(12), 30, Mode.IN_PERSON, "Rathaus")
        assert f"{FSI}Rathaus{PDI}" in window_line(t, window)
