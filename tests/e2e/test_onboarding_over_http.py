"""The real process, over HTTP, against the emulator: a Dari speaker is onboarded."""

from __future__ import annotations

import pytest

from bot.i18n import SUPPORTED_LOCALES, Catalogs, language_label
from emulator.state import StoredMessage, visible_text
from handlers import views
from tests.e2e.conftest import BotProcess, wait_for, wait_for_message

pytestmark = pytest.mark.e2e

USER = 424242


def _buttons(message: StoredMessage) -> list[tuple[str, str]]:
    markup = message.reply_markup or {}
    return [
        (b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row
    ]


def _button(message: StoredMessage, label_part: str) -> str:
    for label, data in _buttons(message):
        if label_part in label:
            return data
    raise AssertionError(f"no button {label_part!r} in {_buttons(message)}")


async def test_dari_onboarding_then_pashto_over_http(bot_process: BotProcess) -> None:
    server = bot_process.server
    emulator = server.emulator
    dari = Catalogs().translator("fa_AF")
    pashto = Catalogs().translator("ps")

    await emulator.user_message(USER, text="/start", language_code="fa")
    picker = await wait_for_message(server, USER, 0, what="the language picker")
    # Default command lists per app language were set at start-up (Dari under "fa").
    assert emulator.commands["default|fa"][0]["description"] == dari._("Main menu")
    labels = [label for label, _ in _buttons(picker)]
    assert labels[:2] == ["✓ دری", "فارسی"]  # a Persian phone: Dari and Farsi first
    assert set(labels[2:]) == {
        language_label(code) for code in SUPPORTED_LOCALES if code not in ("fa_AF", "fa")
    }
    guessed = ("fa_AF", "fa")
    assert picker.visible == visible_text(views.language_picker(dari, guessed=guessed).text, "HTML")

    # A restart in the middle of onboarding: the old button still works afterwards.
    await bot_process.restart()
    await emulator.press(USER, picker.message_id, _button(picker, "دری"))
    notice = await wait_for(
        lambda: next(
            (m for m in emulator.chat(USER) if m.edits and "🔒" in (m.visible or "")), None
        ),
        what="the privacy notice in Dari",
    )
    assert notice.visible == visible_text(views.consent_notice(dari).text, "HTML")
    assert len(notice.visible) <= 600

    await emulator.press(USER, notice.message_id, _button(notice, dari.p_("button", "✅ I agree")))
    expected_menu = visible_text(views.welcome(dari).text, "HTML")
    await wait_for(lambda: emulator.chat(USER)[-1].visible == expected_menu, what="the Dari menu")
    chat_commands = emulator.commands.get(f"chat:{USER}|")
    assert chat_commands and chat_commands[0]["description"] == dari._("Main menu")

    # /language -> Pashto: later messages and the chat's command list switch.
    last = emulator.chat(USER)[-1].message_id
    await emulator.user_message(USER, text="/language")
    picker2 = await wait_for_message(server, USER, last, what="the picker again")
    assert _buttons(picker2)[0][0] == "✓ دری"
    await emulator.press(USER, picker2.message_id, _button(picker2, "پښتو"))
    await wait_for(
        lambda: (
            emulator.commands.get(f"chat:{USER}|", [{}])[0].get("description")
            == pashto._("Main menu")
        ),
        what="Pashto commands",
    )
    last = emulator.chat(USER)[-1].message_id
    await emulator.user_message(USER, text="/help")
    expected_help = visible_text(views.help_text(pashto), "HTML")
    await wait_for(
        lambda: any(m.visible == expected_help for m in emulator.chat(USER) if m.message_id > last),
        what="help in Pashto",
    )

    # The process logged, but no message text and no button label.
    log = bot_process.log_text()
    assert "getUpdates" in log or "lotse" in log
    assert "دری" not in log and "/language" not in log
