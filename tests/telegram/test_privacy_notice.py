"""The privacy notice says what is really stored (issue 18, item 10): the Telegram ID (not
a "Telegram number", which reads like the phone number), and the case manager's short
notes, encrypted, which can be about health."""

from __future__ import annotations

import pytest

from bot.i18n import SUPPORTED_LOCALES
from handlers import views
from tests.telegram.world import World, language_chosen


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
async def test_read_more_before_consent_and_from_privacy(world: World, locale: str) -> None:
    t = world.t(locale)
    person = await language_chosen(world, 8800 + SUPPORTED_LOCALES.index(locale), locale)
    short = person.last_text()
    sent = await person.tap(t.p_("button", "📄 Read more"))
    details = sent[-1].text
    assert details == views.consent_details(t).text
    if locale != "en":  # in the reader's language, not the English source
        assert details != views.consent_details(world.t("en")).text
        assert short != views.consent_notice(world.t("en")).text
    await person.tap(t.p_("button", "✅ I agree"))
    await person.send("/privacy")
    sent = await person.tap(t.p_("button", "📄 Read the privacy notice"))
    assert sent[-1].text == details


@pytest.mark.parametrize(
    ("locale", "stored", "notes", "wrong"),
    [
        ("en", "Telegram ID", ("notes", "encrypted", "health"), "Telegram number"),
        ("de", "Telegram-ID", ("Notizen", "verschlüsselt", "Gesundheit"), "Telegram-Nummer"),
        ("fr", "identifiant Telegram", ("notes", "chiffrée", "santé"), "numéro Telegram"),
    ],
)
def test_the_notice_names_the_notes_and_the_telegram_id(
    world: World, locale: str, stored: str, notes: tuple[str, ...], wrong: str
) -> None:
    t = world.t(locale)
    details = views.consent_details(t).text
    short = views.consent_notice(t).text
    for text in (details, short):
        assert stored in text and wrong not in text
        assert notes[0] in text and notes[1] in text
    # Notes can be tagged mental or physical health: the notice says so.
    assert notes[2] in details.split("<b>")[3]  # in the part about notes, not "not stored"
