"""Every request phrasing of tests/unit/intent_phrasings.py, typed by a client through
the real dispatcher, lands on its screen; every plain question reaches the advisor; a
request that may mean two things asks with a button each (issue 19, item 1)."""

from __future__ import annotations

import pytest
from aiogram.methods import SendMessage

from bot.domain import Client
from bot.i18n import Translator
from bot.intents import Intent
from handlers import relay_views as rv
from handlers import views
from handlers.client import booking_views as bv
from handlers.client import typed_views as tv
from handlers.views import Screen
from tests.telegram.world import World, case_manager, client_of
from tests.unit.intent_phrasings import AMBIGUOUS, PLAIN, REQUESTS

STAFF, CLIENT = 860, 6
LOCALES = sorted(REQUESTS)


def _screen(world: World, t: Translator, client: Client, intent: Intent) -> Screen:
    zone = world.settings.zone
    return {
        Intent.BOOK: lambda: bv.topic_picker(t),
        Intent.APPOINTMENTS: lambda: bv.appointment_list(t, [], zone),
        Intent.MOVE: lambda: bv.appointment_list(t, [], zone),
        Intent.CANCEL: lambda: bv.appointment_list(t, [], zone),
        Intent.MESSAGE: lambda: rv.write_prompt(t, translated=False),
        Intent.LANGUAGE: lambda: views.language_picker(
            t, guessed=(client.locale,), current=client.locale
        ),
        Intent.PRIVACY: lambda: views.privacy_overview(t, client, zone, []),
        Intent.HELP: lambda: views.main_menu(t, intro=views.help_text(t)),
    }[intent]()


@pytest.mark.parametrize("locale", LOCALES)
async def test_each_typed_request_lands_on_its_screen(world: World, locale: str) -> None:
    await case_manager(world, STAFF)
    client = await client_of(world, STAFF, CLIENT, "Ahmad K.", locale=locale)
    person, t = world.harness.person(CLIENT, locale[:2]), world.t(locale)
    missed = []
    for intent, phrasings in REQUESTS[locale].items():
        assert len(phrasings) >= 5
        expected = _screen(world, t, client, intent)
        for typed in phrasings:
            sent = await person.send(typed)
            to_staff = [s for s in sent if s.chat_id == STAFF]
            if person.last_text() != expected.text or to_staff:
                missed.append((intent.value, typed))
            await person.press("menu:home")  # out of whatever flow it opened
    assert missed == []


@pytest.mark.parametrize("locale", LOCALES)
async def test_each_plain_question_reaches_the_advisor(world: World, locale: str) -> None:
    await case_manager(world, STAFF)
    await client_of(world, STAFF, CLIENT, "Ahmad K.", locale=locale)
    person = world.harness.person(CLIENT, locale[:2])
    sent_to_a_person = 0
    for typed in PLAIN[locale]:
        sent = await person.send(typed)
        sent_to_a_person += any(s.chat_id == STAFF and isinstance(s.raw, SendMessage) for s in sent)
    assert sent_to_a_person == len(PLAIN[locale]) >= 10


@pytest.mark.parametrize(("locale", "typed", "intents"), AMBIGUOUS)
async def test_two_meanings_are_asked_with_buttons(
    world: World, locale: str, typed: str, intents: list[Intent]
) -> None:
    await case_manager(world, STAFF)
    client = await client_of(world, STAFF, CLIENT, "Ahmad K.", locale=locale)
    person, t = world.harness.person(CLIENT, locale[:2]), world.t(locale)
    screens = {_screen(world, t, client, i).text for i in intents}
    await person.send(typed)
    if len(screens) == 1:  # moving and cancelling both start from the list
        assert person.last_text() == screens.pop()
        return
    labels = [tv.intent_label(t, i) for i in intents]
    assert person.last_text() == tv.which_one(t, intents).text
    await person.tap(labels[-1])
    assert person.last_text() == _screen(world, t, client, intents[-1]).text
