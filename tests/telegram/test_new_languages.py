"""Issue 24: a client in Farsi, Sorani or Albanian goes through onboarding, a booking and
its reminder by buttons, through the real Dispatcher; every screen they get (texts, button
labels, the answers to taps) is in their language's script, Sorani in Sorani letters and
right to left as Arabic, Dari and Pashto are (values isolated, a mark on day buttons)."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.domain import LifeArea
from bot.i18n import FSI, PDI, RTL_LOCALES
from bot.services.reminders import dispatch_due
from emulator.state import visible_text
from handlers import labels, views
from handlers.client import reminder_views as rv
from handlers.plumbing.notifier import TelegramNotifier
from handlers.plumbing.sending import RateLimitedSender
from storage.models import AppointmentRow, ClientRow
from tests.telegram.harness import Sent
from tests.telegram.world import World, add_hours, book_by_buttons, case_manager
from tests.writing import SCRIPT, is_sorani, own_words, stray_words

STAFF_ID = 910
THURSDAY_10 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # 10:00 Berlin
#: The language code each one's phone reports: a Persian phone guesses Dari first, so
#: the Farsi client picks Farsi from the second button.
PHONE = {"fa": "fa", "ckb": "ckb", "sq": "sq"}


def _first_strong(text: str) -> str | None:
    """The first strong direction outside isolates (what Telegram lays a text out by) of
    the text as shown (HTML parsed)."""
    try:
        text = visible_text(text, "HTML")
    except Exception:  # noqa: BLE001 - a button's label is no HTML
        pass
    depth = 0
    for char in text:
        if char in "\u2066\u2067\u2068":
            depth += 1
        elif char == "\u2069":
            depth = max(0, depth - 1)
        elif depth == 0 and unicodedata.bidirectional(char) in ("L", "R", "AL"):
            return "ltr" if unicodedata.bidirectional(char) == "L" else "rtl"
    return None


def _screens(sent: list[Sent], user_id: int) -> list[str]:
    """Every text and button label the client was sent."""
    found: list[str] = []
    for each in sent:
        if each.chat_id != user_id:
            continue
        found += [each.text] if each.text else []
        found += [label for label, _ in each.buttons]
    return found


def _assert_written_in(texts: list[str], locale: str) -> None:
    assert texts
    for text in texts:
        assert stray_words(text, locale) == [], text
        if SCRIPT[locale] == "ARABIC" and own_words(text):
            assert _first_strong(text) == "rtl", text
        if locale == "ckb":
            assert is_sorani(text), text


@pytest.mark.parametrize("locale", ["fa", "ckb", "sq"])
async def test_onboarding_booking_and_reminder_in_the_clients_script(
    world: World, locale: str
) -> None:
    harness, t, zone = world.harness, world.t(locale), world.zone
    await case_manager(world, STAFF_ID)
    await add_hours(world, STAFF_ID, weekday=3, hours=(9, 12), address="Rathaus, Raum 2")
    client = harness.person(9500, PHONE[locale])
    start = len(harness.session.calls)

    # Onboarding: the picker (in the guessed language), the notice, the welcome.
    sent = await client.send("/start site-essen")
    picker = sent[-1]
    await client.tap(labels.language_name(locale))
    assert client.last_text() == views.consent_notice(t).text
    await client.tap(t.p_("button", "✅ I agree"))
    assert client.last_text() == views.welcome(t).text
    async with world.engine.connect() as connection:
        stored = (await connection.execute(select(ClientRow.locale))).scalar_one()
    assert stored == locale

    # Booking by buttons, with an interpreter; the confirmation names the time.
    sent = await book_by_buttons(
        client, t, "10:00", area=LifeArea.HOUSING, day=THURSDAY_10, interpreter=True
    )
    title = t._("✅ Your appointment is booked.")
    booked = next(s.text for s in sent if s.text and s.text.startswith(title))
    assert labels.when(t, THURSDAY_10, zone) in booked

    # The reminder two hours before, and "I will come".
    world.clock.current = datetime(2026, 11, 26, 7, 0, 5, tzinfo=UTC)
    notifier = TelegramNotifier(
        harness.bot,
        world.catalogs,
        RateLimitedSender(1000, per_chat_interval=0),
        harness.dispatcher["policy"],
        world.uow_factory,
        world.clock,
    )
    assert (await dispatch_due(world.uow_factory, world.clock, notifier, world.policy)).sent == 1
    reminder = harness.session.calls[-1]
    assert reminder.chat_id == client.user_id and reminder.text is not None
    assert reminder.text.startswith(t._("⏰ A friendly reminder of your appointment:"))
    await client.tap(t.p_("button", "✅ I will come"))
    assert client.last_text() == rv.confirmed(t)
    async with world.engine.connect() as connection:
        confirmed = (await connection.execute(select(AppointmentRow.confirmed_at))).scalar_one()
    assert confirmed is not None

    # Every screen in the client's script (the picker in the guessed one: Dari for a
    # Persian phone, Sorani, Albanian), and the answers to their taps too.
    screens = _screens(harness.session.calls[start:], client.user_id)
    assert len(screens) >= 30  # texts and labels of about a dozen screens
    guessed = {"fa": "fa_AF"}.get(locale, locale)
    assert picker.text and stray_words(picker.text, guessed) == []
    _assert_written_in([s for s in screens if s != picker.text and s not in picker.labels], locale)
    toasts = [a.text for a in harness.answers() if a.text]
    assert toasts and all(stray_words(toast, locale) == [] for toast in toasts)
    if locale in RTL_LOCALES:
        # The address (German data) is isolated; a day alone on a button starts with a mark.
        assert f"{FSI}Rathaus, Raum 2{PDI}" in reminder.text
        day_button = labels.day_label(t, THURSDAY_10, zone)
        assert day_button.startswith("\u200f") and day_button in screens
    else:
        assert "Rathaus, Raum 2" in reminder.text and not _screens_start_with_a_mark(screens)


def _screens_start_with_a_mark(screens: list[str]) -> bool:
    return any(screen.startswith("\u200f") for screen in screens)
