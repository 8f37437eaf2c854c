"""What a user's screen shows besides the bare messages: the reply keyboard under the input
field (and what tapping its buttons sends), the answers to tapped inline buttons (toasts
and alerts), and the messages as the demo page draws them, with their links, the message
each replies to, and shared contacts. A mixin of `Emulator` (emulator.state)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from emulator.entities import found_entities, message_entities
from emulator.model import FakeUser, StoredMessage
from emulator.validation import bad_request

_QUOTE = 80  # characters of a replied-to message shown above the reply
_BUTTON_FIELDS = ("text", "request_contact", "request_location")


@dataclass
class ReplyKeyboard:
    """The reply keyboard of a chat: the markup of the bot's message that set it, and
    whether it is folded away (a one-time keyboard after a tap)."""

    message_id: int
    markup: dict[str, Any]
    hidden: bool = False

    def button(self, row: int, column: int) -> dict[str, Any]:
        try:
            button = self.markup["keyboard"][row][column]
        except (IndexError, KeyError, TypeError):
            raise bad_request("there is no such button on the keyboard") from None
        return {"text": button} if isinstance(button, str) else dict(button)


class ScreenMixin:
    """The reply keyboards, callback answers and message views of `Emulator`."""

    reply_keyboards: dict[int, ReplyKeyboard]
    callback_answers: dict[str, dict[str, Any]]
    messages: dict[tuple[int, int], StoredMessage]

    if TYPE_CHECKING:  # provided by Emulator

        def user(
            self, user_id: int, *, first_name: str = "Test", language_code: str | None = None
        ) -> FakeUser: ...

        async def user_message(
            self,
            user_id: int,
            *,
            text: str | None = None,
            kind: str = "text",
            language_code: str | None = None,
            phone_number: str | None = None,
            reply_to: int | None = None,
        ) -> dict[str, Any]: ...

    # ----- reply keyboards ----------------------------------------------------------------
    def _note_keyboard(self, stored: StoredMessage) -> None:
        """A message of the bot sets the chat's reply keyboard, or removes it."""
        markup = stored.reply_markup or {}
        if "keyboard" in markup:
            self.reply_keyboards[stored.chat_id] = ReplyKeyboard(stored.message_id, markup)
        elif markup.get("remove_keyboard"):
            self.reply_keyboards.pop(stored.chat_id, None)

    def reply_keyboard(self, chat_id: int) -> dict[str, Any] | None:
        """The chat's reply keyboard as the page draws it, or None."""
        keyboard = self.reply_keyboards.get(chat_id)
        if keyboard is None:
            return None
        rows = [
            [
                {k: v for k, v in keyboard.button(r, c).items() if k in _BUTTON_FIELDS}
                for c in range(len(row))
            ]
            for r, row in enumerate(keyboard.markup["keyboard"])
        ]
        markup = keyboard.markup
        return {
            "message_id": keyboard.message_id,
            "rows": rows,
            "hidden": keyboard.hidden,
            "one_time": bool(markup.get("one_time_keyboard")),
            "placeholder": markup.get("input_field_placeholder"),
        }

    async def tap_reply_button(
        self, user_id: int, row: int, column: int, *, language_code: str | None = None
    ) -> dict[str, Any]:
        """The user taps a button of the reply keyboard: Telegram sends its text, or for
        `request_contact` the user's own contact, for `request_location` a location. A
        one-time keyboard folds away."""
        keyboard = self.reply_keyboards.get(user_id)
        if keyboard is None:
            raise bad_request("there is no reply keyboard in this chat")
        button = keyboard.button(row, column)
        if keyboard.markup.get("one_time_keyboard"):
            keyboard.hidden = True
        if button.get("request_contact"):
            phone = self.user(user_id).phone_number
            return await self.user_message(
                user_id, kind="contact", phone_number=phone, language_code=language_code
            )
        if button.get("request_location"):
            return await self.user_message(user_id, kind="location", language_code=language_code)
        return await self.user_message(user_id, text=button["text"], language_code=language_code)

    def show_reply_keyboard(self, user_id: int, shown: bool = True) -> None:
        """The user opens a folded keyboard again (the keyboard icon), or folds it away."""
        keyboard = self.reply_keyboards.get(user_id)
        if keyboard is not None:
            keyboard.hidden = not shown

    # ----- answers to inline buttons --------------------------------------------------------
    def callback_answer(self, callback_id: str) -> dict[str, Any] | None:
        """The bot's answer to a tap (text, show_alert), once it answered."""
        return self.callback_answers.get(callback_id)

    # ----- the messages as the page draws them ----------------------------------------------
    def chat_view(self, chat_id: int, *, everything: bool = False) -> list[dict[str, Any]]:
        """The bot's messages of a chat (`everything`: the user's too), oldest first."""
        found = sorted(
            (
                m
                for (c, _), m in self.messages.items()
                if c == chat_id and not m.deleted and (everything or m.from_bot)
            ),
            key=lambda m: m.message_id,
        )
        return [self._view(m) for m in found]

    def screen(self, chat_id: int) -> dict[str, Any]:
        """Everything the demo page draws of a chat."""
        return {
            "messages": self.chat_view(chat_id, everything=True),
            "keyboard": self.reply_keyboard(chat_id),
        }

    def _view(self, m: StoredMessage) -> dict[str, Any]:
        view: dict[str, Any] = {
            "from_bot": m.from_bot,
            "message_id": m.message_id,
            "text": m.visible,
            "entities": message_entities(m.text, m.parse_mode) if m.kind == "text" else [],
            "reply_markup": m.reply_markup,
            "edits": m.edits,
            "protect_content": m.protect_content,
            "kind": m.kind,
            "caption": m.caption,
            "caption_entities": found_entities(m.caption) if m.caption else [],
            "file_name": m.file_name,
            "silent": m.silent,
            "contact": m.media.get("contact"),
            "reply_to": None,
        }
        if m.reply_to is not None:
            replied = self.messages.get((m.chat_id, m.reply_to))
            shown = None if replied is None or replied.deleted else replied
            view["reply_to"] = {
                "message_id": m.reply_to,
                "from_bot": bool(shown and shown.from_bot),
                "text": ((shown.visible or shown.caption or shown.kind) if shown else "")[:_QUOTE],
                "deleted": shown is None,
            }
        return view
