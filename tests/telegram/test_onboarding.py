"""Client onboarding through the real Dispatcher, in all thirteen languages."""

from __future__ import annotations

import pytest
from aiogram.methods import SetMyCommands
from aiogram.types import BotCommandScopeChat
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.i18n import NATIVE_NAMES, SUPPORTED_LOCALES, language_label
from bot.services.onboarding import CONSENT_VERSION
from handlers import relay_views as rv
from handlers import views
from storage.models import ClientRow, ConversationRow
from tests.telegram.harness import TelegramHarness
from tests.telegram.world import World, consented_client, language_chosen

TELEGRAM_CODE = {
    "de": "de", "en": "en-GB", "fr": "fr", "ar": "ar", "fa_AF": "fa", "ps": "ps",
    "fa": "fa-IR", "ckb": "ckb", "ku": "kmr", "tr": "tr", "sq": "sq", "sr": "sr-Latn", "mk": "mk",
}  # fmt: skip


async def _client_row(engine: AsyncEngine, user_id: int) -> ClientRow | None:
    async with AsyncSession(engine) as session:
        return await session.scalar(select(ClientRow).where(ClientRow.telegram_user_id == user_id))


async def _stored_client_row(engine: AsyncEngine, user_id: int) -> ClientRow:
    row = await _client_row(engine, user_id)
    assert row is not None, f"no client row for {user_id}"
    return row


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
async def test_onboarding_in_every_language(world: World, locale: str) -> None:
    t, harness, engine = world.t(locale), world.harness, world.engine
    person = harness.person(1000 + SUPPORTED_LOCALES.index(locale), TELEGRAM_CODE[locale])

    sent = await person.send("/start")
    picker = sent[-1]
    assert picker.labels[0] == f"✓ {language_label(locale)}"
    assert sorted(picker.labels[1:]) == sorted(
        language_label(code) for code in SUPPORTED_LOCALES if code != locale
    )
    assert picker.text == t._("🌐 Please choose your language:")

    await person.tap(NATIVE_NAMES[locale])
    assert person.last_text() == views.consent_notice(t).text
    # The chat's own command list, in the chosen language.
    scoped = [
        c.raw
        for c in harness.session.calls
        if isinstance(c.raw, SetMyCommands) and isinstance(c.raw.scope, BotCommandScopeChat)
    ]
    assert scoped and isinstance(scoped[-1].scope, BotCommandScopeChat)  # as filtered
    assert scoped[-1].scope.chat_id == person.user_id
    assert scoped[-1].commands[0].description == t._("Main menu")

    row = await _client_row(engine, person.user_id)
    assert row is not None and row.locale == locale and row.consented_at is None

    await person.tap(t.p_("button", "✅ I agree"))
    assert person.last_text() == views.welcome(t).text
    row = await _stored_client_row(engine, person.user_id)
    assert row.consent_version == CONSENT_VERSION and row.consented_at is not None


async def test_dari_is_guessed_for_persian_and_unknown_languages_get_the_default(
    harness: TelegramHarness,
) -> None:
    sent = await harness.person(2001, "fa").send("/start")
    assert sent[-1].labels[:2] == ["✓ دری", "فارسی"]  # issue 24: Farsi beside Dari
    sent = await harness.person(2002, "ti").send("/start")
    assert sent[-1].labels[0] == "✓ Deutsch"
    sent = await harness.person(2003, None).send("/start")
    assert sent[-1].labels[0] == "✓ Deutsch"


RLM = "\u200f"


@pytest.mark.parametrize(
    ("code", "first"),
    [
        ("fa", ["✓ دری", "فارسی"]),
        ("fa-IR", ["✓ فارسی", "دری"]),
        ("ckb", [f"✓ کوردی (سۆرانی){RLM}", "Kurdî (Kurmancî)"]),
        ("kmr", ["✓ Kurdî (Kurmancî)", f"کوردی (سۆرانی){RLM}"]),
        ("sr-Cyrl", ["✓ Srpski", "Deutsch"]),
        ("bs", ["✓ Srpski", "Deutsch"]),
        ("ti", ["✓ Deutsch", "English"]),
    ],
)
async def test_the_picker_is_one_phone_screen_with_the_guesses_first(
    harness: TelegramHarness, code: str, first: list[str]
) -> None:
    """Issue 24, item 2: thirteen native names in two columns (seven rows), each once, the
    guesses first; a right-to-left name's bracket kept in place by a mark."""
    sent = await harness.person(2100 + len(code), code).send("/start")
    markup = sent[-1].raw.reply_markup  # type: ignore[attr-defined]
    rows = [[button.text for button in row] for row in markup.inline_keyboard]
    assert [len(row) for row in rows] == [2, 2, 2, 2, 2, 2, 1]
    labels = [label for row in rows for label in row]
    assert labels[:2] == first
    assert sorted(label.removeprefix("✓ ") for label in labels) == sorted(
        language_label(locale) for locale in SUPPORTED_LOCALES
    )
    assert sum(label.startswith("✓ ") for label in labels) == 1


async def test_before_consent_only_id_language_and_start_code_are_stored(
    harness: TelegramHarness, engine: AsyncEngine
) -> None:
    person = harness.person(2100, "ar")
    await person.send("/start essen-2026")
    assert await _client_row(engine, person.user_id) is None
    await person.tap("العربية")
    row = await _stored_client_row(engine, person.user_id)
    assert row.locale == "ar" and row.start_code == "essen-2026"
    assert (row.consented_at, row.consent_version, row.site_id, row.case_manager_id) == (
        None,
        None,
        None,
        None,
    )


async def test_a_start_code_that_is_not_a_telegram_payload_is_dropped(
    harness: TelegramHarness, engine: AsyncEngine
) -> None:
    person = harness.person(2101, "en")
    await person.send("/start <script>")
    await person.tap("English")
    assert (await _stored_client_row(engine, person.user_id)).start_code is None


async def test_no_thanks_keeps_the_door_open(world: World) -> None:
    t, harness = world.t("fr"), world.harness
    person = await language_chosen(world, 2200, "fr")
    await person.tap(t.p_("button", "No, thanks"))
    assert person.last_text() == views.consent_refused(t).text
    row = await _client_row(world.engine, person.user_id)
    assert row is not None and row.consented_at is None and row.locale == "fr"

    # The menu is closed until they agree; the notice comes back.
    sent = await person.press("menu:book")
    assert harness.answers()[-1].text == views.consent_first(t)
    assert harness.answers()[-1].show_alert is True
    assert sent[-1].text == views.consent_notice(t).text

    await person.send("/start")
    await person.tap("Français")
    await person.tap(t.p_("button", "✅ I agree"))
    assert person.last_text() == views.welcome(t).text


async def test_read_more_shows_the_details_with_the_same_choice(world: World) -> None:
    t = world.t("ps")
    person = await language_chosen(world, 2300, "ps")
    sent = await person.tap(t.p_("button", "📄 Read more"))
    assert sent[-1].text == views.consent_details(t).text
    assert t.p_("button", "✅ I agree") in sent[-1].labels
    assert len(views.consent_notice(t).text) <= 700


async def test_a_second_tap_on_agree_changes_nothing(world: World) -> None:
    t, engine = world.t("en"), world.engine
    person = await language_chosen(world, 2400, "en")
    notice_calls = list(world.harness.session.calls)
    await person.tap(t.p_("button", "✅ I agree"))
    first = (await _stored_client_row(engine, person.user_id)).consented_at
    world.clock.advance(minutes=5)
    # The same old button again (its message id is the notice's).
    agree = next(data for label, data in notice_calls[-1].buttons if "agree" in label)
    await person.press(agree, message_id=notice_calls[-1].message_id or 1)
    assert (await _stored_client_row(engine, person.user_id)).consented_at == first
    async with engine.connect() as connection:
        count = await connection.scalar(select(func.count()).select_from(ClientRow))
    assert count == 1


async def test_language_switch_changes_every_later_message(world: World) -> None:
    pashto = world.t("ps")
    person = await consented_client(world, 2500, "fa_AF", start="/start")
    sent = await person.send("/language")
    assert sent[-1].labels[0] == "✓ دری"
    sent = await person.tap("پښتو")
    assert sent[-1].text is not None
    assert views.language_changed(pashto, "ps") in sent[-1].text
    scoped = [c.raw for c in sent if isinstance(c.raw, SetMyCommands)]
    assert scoped[-1].commands[0].description == pashto._("Main menu")
    sent = await person.send("/help")
    assert sent[0].text == views.help_text(pashto)
    sent = await person.send("hello")  # words for a person: nobody yet, said in Pashto
    assert sent[0].text == rv.nobody_to_write_to(pashto).text


async def test_conversation_state_is_kept_in_the_database(
    harness: TelegramHarness, engine: AsyncEngine
) -> None:
    person = harness.person(2600, "de")
    await person.send("/start code-1")
    async with engine.connect() as connection:
        rows = (await connection.execute(select(ConversationRow))).all()
    assert len(rows) == 1
    assert rows[0].state == "OnboardingSG:language"
    assert rows[0].data == {"start_code": "code-1"}
