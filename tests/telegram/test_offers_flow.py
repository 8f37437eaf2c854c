"""Case managers look up offers; clients and strangers reach none of it."""

from __future__ import annotations

from pathlib import Path

from aiogram.methods import AnswerInlineQuery, SendMessage
from aiogram.types import InlineQueryResultArticle, InputTextMessageContent

from bot.domain import LifeArea
from bot.services import offers as offer_service
from handlers import labels, views
from handlers.staff import offer_views as ov
from tests.telegram.harness import Person
from tests.telegram.world import World, case_manager, consented_client

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "offers_sample.csv"
STAFF_ID = 950


async def _setup(world: World, staff_locale: str = "de") -> Person:
    """The sample offers imported, and a case manager of Essen reading `staff_locale`."""
    await offer_service.import_offers(
        world.uow_factory, world.clock, name="s.csv", data=SAMPLE.read_bytes()
    )
    return await case_manager(world, STAFF_ID, locale=staff_locale)


async def test_lookup_by_buttons_then_card_then_send_to_a_dari_client(world: World) -> None:
    manager = await _setup(world)
    de, fa = world.t("de"), world.t("fa_AF")
    client = await consented_client(world, 9600, "fa_AF")

    sent = await manager.send("/offers")
    assert sent[-1].text == ov.pick_area(de).text
    await manager.tap(labels.life_area(de, LifeArea.LANGUAGE))
    await manager.tap("Essen")
    await manager.tap(de.p_("button", "Any language"))
    sent = await manager.tap(de.p_("button", "Yes, only those"))
    titles = [label for label, _ in sent[-1].buttons if "·" in label]
    assert titles and all(label.endswith("Essen") for label in titles)
    sent = await manager.tap(titles[0].split(" · ")[0][:20])
    card = sent[-1].text
    assert card is not None
    assert "📞" in card and "openstreetmap.org" in card
    assert de._("✓ Open to people with a Duldung") in card
    sent = await manager.tap(de.p_("button", "📤 Send to a client"))
    sent = await manager.tap(
        de._("Client no. {number}", number=1).replace("\u2068", "").replace("\u2069", "")[:6]
    )
    to_client = [c for c in sent if isinstance(c.raw, SendMessage) and c.chat_id == client.user_id]
    assert len(to_client) == 1 and to_client[0].text is not None
    assert sent[-1].text == card  # the picker gave way to the card: no second send by a tap
    assert to_client[0].text.startswith(fa._("📌 Your advisor sends you this offer:"))
    assert (
        fa._("The offer is written in German. Your advisor can explain it to you.")
        in to_client[0].text
    )
    # Dari reads right to left: the German phone number keeps its order (issue 18, item 4).
    assert "📞 \u2068+49 " in to_client[0].text and "📞 +49" in card


async def test_free_text_finds_word_forms_and_paging_works(world: World) -> None:
    manager = await _setup(world, staff_locale="ar")
    t = world.t("ar")
    sent = await manager.send("/offers Deutschkurse")
    assert any("Deutschkurs" in label for label, _ in sent[-1].buttons)
    # Typed words while looking up offers are a search too.
    await manager.send("/offers")
    sent = await manager.send("Deutschkurse")
    assert any("Deutschkurs" in label for label, _ in sent[-1].buttons)
    sent = await manager.send("/offers Deutschkurs Essen")
    assert [label for label, _ in sent[-1].buttons if "·" in label][0].endswith("Essen")
    sent = await manager.send("/offers zzzzqqq")
    assert (
        sent[-1].text
        == ov.results(
            t,
            await offer_service.search_offers(
                world.uow_factory, world.clock, world.zone, text="zzzzqqq"
            ),
        ).text
    )
    sent = await manager.send("/offers")
    await manager.tap(t.p_("button", "All topics"))
    await manager.tap(t.p_("button", "All places"))
    await manager.tap(t.p_("button", "Any language"))
    sent = await manager.tap(t.p_("button", "No, show all"))
    first_page = [label for label, _ in sent[-1].buttons if "·" in label]
    old_next = next(data for label, data in sent[-1].buttons if label == "▶️")
    sent = await manager.tap("▶️")
    second_page = [label for label, _ in sent[-1].buttons if "·" in label]
    assert len(first_page) == 5 and not set(first_page) & set(second_page)
    # After a new search, the old list's page buttons do not page it (nor show everything).
    await manager.send("/offers Deutschkurse")
    sent = await manager.press(old_next)
    assert world.harness.answers()[-1].text == views.stale_button(t)
    assert "·" not in " ".join(label for label, _ in sent[-1].buttons)


async def test_inline_mode_is_for_staff_only(world: World) -> None:
    manager = await _setup(world)
    sent = await manager.inline("Deutschkurs")
    answer = next(c.raw for c in sent if isinstance(c.raw, AnswerInlineQuery))
    assert answer.results and all(
        isinstance(r, InlineQueryResultArticle)  # what the bot answers with
        and (
            "Deutschkurs" in r.title
            or (
                isinstance(r.input_message_content, InputTextMessageContent)
                and "deutschkurs" in r.input_message_content.message_text.lower()
            )
        )
        for r in answer.results
    )
    stranger = world.harness.person(9700, "en")
    sent = await stranger.inline("Deutschkurs")
    answer = next(c.raw for c in sent if isinstance(c.raw, AnswerInlineQuery))
    assert answer.results == []


async def test_clients_and_strangers_reach_no_offer_handler(world: World) -> None:
    await _setup(world)
    t = world.t("de")
    client = await consented_client(world, 9800, "de", start="/start")
    for data in ("of:new:", "of:card:1", "of:send:1", "of:to:1.1", "of:area:language", "of:page:2"):
        sent = await client.press(data)
        assert world.harness.answers()[-1].text in (views.stale_button(t), views.consent_first(t))
        assert not any(c.chat_id == 9800 and c.text and "📍" in c.text for c in sent)
    sent = await client.send("/offers Deutschkurs")
    assert sent[0].text == views.not_understood(t, "command")
