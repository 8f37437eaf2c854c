"""Withdrawal, bad input, stale buttons, duplicates, restarts and failures."""

from __future__ import annotations

import logging
from typing import NoReturn

import pytest
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.methods import SendMessage, SetMyCommands
from aiogram.types import Update
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Catalogs
from config import Settings
from handlers import build_dispatcher, views
from handlers import relay_views as rv
from storage.models import Base, ClientRow, ConversationRow
from tests.fakes import FakeClock
from tests.telegram.harness import TelegramHarness
from tests.telegram.world import World, consented_client, language_chosen


async def _count(engine: AsyncEngine, model: type[Base]) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(model)))


async def test_withdrawal_deletes_the_client_now(world: World) -> None:
    t, engine = world.t("ar"), world.engine
    person = await consented_client(world, 3000, "ar", start="/start")
    sent = await person.send("/privacy")
    assert sent[-1].text is not None
    assert t._("🔒 <b>Your data in Lotse</b>") in sent[-1].text
    await person.tap(t.p_("button", "🗑 Delete my data"))
    assert person.last_text() == views.confirm_delete(t).text
    assert await _count(engine, ClientRow) == 1
    await person.tap(t.p_("button", "Yes, delete my data"))
    assert person.last_text() == views.deleted(t).text
    assert await _count(engine, ClientRow) == 0
    assert await _count(engine, ConversationRow) == 0

    # Afterwards the bot knows nothing: the language picker, guessed again.
    sent = await person.tap(t.p_("button", "🔄 Start again"))
    assert sent[-1].labels[0] == "✓ العربية"
    sent = await person.send("/start")
    assert sent[-1].labels[0] == "✓ العربية"
    assert await _count(engine, ClientRow) == 0


async def test_keep_my_data_keeps_it(world: World) -> None:
    t = world.t("de")
    person = await consented_client(world, 3001, "de", start="/start")
    await person.send("/privacy")
    await person.tap(t.p_("button", "🗑 Delete my data"))
    await person.tap(t.p_("button", "No, keep my data"))
    assert world.harness.answers()[-1].text == views.kept(t)
    assert await _count(world.engine, ClientRow) == 1


async def test_a_stranger_cannot_delete_or_use_the_menu(world: World) -> None:
    harness, engine = world.harness, world.engine
    await consented_client(world, 3002, "en", start="/start")
    stranger = harness.person(3999, "en")
    for data in ("priv:confirm", "menu:privacy", "cons:agree"):
        before = len(harness.answers())
        await stranger.press(data)
        assert len(harness.answers()) == before + 1
    assert await _count(engine, ClientRow) == 1


@pytest.mark.parametrize(
    "data",
    [
        "garbage",
        "lang:xx",
        "lang:",
        "lang:fa-AF",
        "menu:nonexistent",
        "cons:hack",
        "priv:drop-table",
        "x" * 64,
        "",
    ],
)
async def test_forged_or_stale_buttons_are_answered_and_change_nothing(
    world: World, data: str
) -> None:
    t, engine = world.t("fa_AF"), world.engine
    person = await consented_client(world, 3100, "fa_AF", start="/start")
    async with engine.connect() as connection:
        before = (await connection.execute(select(ClientRow))).all()
    sent = await person.press(data)
    answers = world.harness.answers()
    assert answers[-1].text == views.stale_button(t) and answers[-1].show_alert
    assert sent[-1].text == views.main_menu(t).text  # a way on, in Dari
    async with engine.connect() as connection:
        assert (await connection.execute(select(ClientRow))).all() == before


@pytest.mark.parametrize("kind", ["voice", "photo", "sticker", "location", "document"])
async def test_media_gets_a_short_answer_and_the_menu(world: World, kind: str) -> None:
    t = world.t("ps")
    person = await consented_client(world, 3200, "ps", start="/start")
    sent = await person.send_media(kind)
    if kind in ("voice", "photo", "document"):  # these can go on to the advisor
        assert [s.text for s in sent] == [rv.offer_to_send(t, 0).text]
        assert t.p_("button", "✉️ Send it to my advisor") in sent[-1].labels
    else:
        assert [s.text for s in sent] == [
            views.not_understood(t, "media"),
            views.main_menu(t).text,
        ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [("/unknown", "command"), ("hello?", "text"), ("ب" * 4000, "text"), ("<b>&amp;", "text")],
)
async def test_text_outside_a_flow_gets_a_short_answer(world: World, text: str, kind: str) -> None:
    t = world.t("fr")
    person = await consented_client(world, 3300, "fr", start="/start")
    sent = await person.send(text)
    if kind == "command":
        assert [s.text for s in sent] == [views.not_understood(t, kind), views.main_menu(t).text]
    else:  # words go to a person (issue 19); with no site and nobody anywhere, it says so
        assert [s.text for s in sent] == [rv.nobody_to_write_to(t).text]


async def test_text_before_choosing_a_language_shows_the_picker(harness: TelegramHarness) -> None:
    sent = await harness.person(3400, "ar").send("مرحبا")
    assert sent[-1].labels[0] == "✓ العربية"


async def test_text_before_consent_shows_the_notice_again(world: World) -> None:
    person = await language_chosen(world, 3401, "fa_AF")
    sent = await person.send_media("voice")
    assert sent[-1].text == views.consent_notice(world.t("fa_AF")).text


async def test_cancel_leaves_a_flow_and_help_works_inside_it(world: World) -> None:
    t, engine = world.t("en"), world.engine
    person = await consented_client(world, 3500, "en", start="/start")
    await person.send("/privacy")
    await person.tap(t.p_("button", "🗑 Delete my data"))
    sent = await person.send("/help")
    assert sent[0].text == views.help_text(t)
    sent = await person.send("/cancel")
    assert sent[-1].text is not None
    assert views.cancelled(t, had_flow=True) in sent[-1].text
    assert await _count(engine, ConversationRow) == 0
    sent = await person.send("/cancel")
    assert sent[-1].text is not None
    assert views.cancelled(t, had_flow=False) in sent[-1].text
    assert await _count(engine, ClientRow) == 1


async def test_a_duplicated_update_is_handled_once(harness: TelegramHarness) -> None:
    person = harness.person(3600, "de")
    update = Update(update_id=77, message=person._message(text="hallo"))
    first = await harness.feed(update)
    second = await harness.feed(update)
    assert first and second == []


async def test_a_restart_mid_onboarding_continues(world: World) -> None:
    t = world.t("ps")
    first = world.new_harness()
    person = first.person(3700, "ps")
    sent = await person.send("/start site-essen")
    lang_button = next(data for label, data in sent[-1].buttons if "پښتو" in label)

    # A new process: new dispatcher, new bot, same database.
    second = world.new_harness()
    person2 = second.person(3700, "ps")
    sent = await person2.press(lang_button)
    assert sent[-1].text == views.consent_notice(t).text
    async with world.engine.connect() as connection:
        row = (await connection.execute(select(ClientRow))).one()
    assert row.start_code == "site-essen"

    third = world.new_harness()
    person3 = third.person(3700, "ps")
    sent = await person3.send("?")
    assert sent[-1].text == views.consent_notice(t).text


async def test_refused_command_lists_do_not_stop_the_flow(
    harness: TelegramHarness, catalogs: Catalogs
) -> None:
    t = catalogs.translator("de")
    harness.session.refuse["SetMyCommands"] = TelegramBadRequest(
        method=SetMyCommands(commands=[]), message="Bad Request: refused"
    )
    person = harness.person(3800, "de")
    await person.send("/start")
    await person.tap("Deutsch")
    assert person.last_text() == views.consent_notice(t).text


async def test_a_database_error_gets_a_polite_answer_in_the_guessed_language(
    catalogs: Catalogs, settings: Settings, clock: FakeClock
) -> None:
    from sqlalchemy.exc import OperationalError

    def broken_uow() -> NoReturn:
        raise OperationalError("SELECT 1", {}, Exception("database is down"))

    harness = TelegramHarness(
        build_dispatcher(uow_factory=broken_uow, catalogs=catalogs, clock=clock, settings=settings)
    )
    sent = await harness.person(3900, "ar").send("/start")
    assert sent[-1].text == views.failure(catalogs.translator("ar"))


async def test_a_blocked_bot_does_not_break_the_dispatcher(
    harness: TelegramHarness, catalogs: Catalogs, caplog: pytest.LogCaptureFixture
) -> None:
    harness.session.refuse["SendMessage"] = TelegramForbiddenError(
        method=SendMessage(chat_id=1, text="x"), message="Forbidden: bot was blocked by the user"
    )
    with caplog.at_level(logging.INFO):
        await harness.person(4000, "de").send("/start")
    harness.session.refuse.clear()
    sent = await harness.person(4001, "de").send("/start")
    assert sent[-1].labels[0] == "✓ Deutsch"


async def test_logs_carry_no_message_text(world: World, caplog: pytest.LogCaptureFixture) -> None:
    secret = "Zebrastreifen-Geheimnis-4711"
    with caplog.at_level(logging.DEBUG):
        person = await consented_client(world, 4100, "de", start="/start")
        await person.send(secret)
        await person.send(f"/start {secret}")
        await person.press(f"lang:{secret}"[:64])
    assert caplog.records
    from config.logging_setup import JsonFormatter

    formatter = JsonFormatter()
    for record in caplog.records:
        assert secret not in formatter.format(record)
        assert secret not in record.getMessage()


async def test_default_command_lists_per_app_language_and_refusal(
    harness: TelegramHarness, catalogs: Catalogs
) -> None:
    from handlers.plumbing.commands import set_default_commands

    await set_default_commands(harness.bot, catalogs)
    calls = [c.raw for c in harness.session.calls if isinstance(c.raw, SetMyCommands)]
    by_language = {c.language_code: c.commands[0].description for c in calls}
    assert by_language["fa"] == catalogs.translator("fa_AF")._("Main menu")
    assert by_language["ps"] == catalogs.translator("ps")._("Main menu")
    assert by_language[None] == catalogs.translator("de")._("Main menu")
    # Issue 24: each app language once (a Persian app: Dari); Farsi and Sorani have no
    # two-letter code of their own and get their list in the chat, after the pick.
    assert len(calls) == len(by_language) == 12
    for code in ("ku", "tr", "sq", "sr", "mk"):
        assert by_language[code] == catalogs.translator(code)._("Main menu"), code

    harness.session.refuse["SetMyCommands"] = TelegramBadRequest(
        method=SetMyCommands(commands=[]), message="Bad Request: refused"
    )
    await set_default_commands(harness.bot, catalogs)  # must not raise


async def test_a_refused_callback_answer_does_not_stop_the_step(
    harness: TelegramHarness, catalogs: Catalogs
) -> None:
    from aiogram.methods import AnswerCallbackQuery

    t = catalogs.translator("ps")
    person = harness.person(4200, "ps")
    await person.send("/start")
    harness.session.refuse["AnswerCallbackQuery"] = TelegramBadRequest(
        method=AnswerCallbackQuery(callback_query_id="1"),
        message="Bad Request: query is too old and response timeout expired",
    )
    sent = await person.tap("پښتو")
    assert sent[-1].text == views.consent_notice(t).text
