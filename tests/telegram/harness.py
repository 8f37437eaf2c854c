"""Feed updates through the real Dispatcher; record what the bot would send to Telegram."""

from __future__ import annotations

import itertools
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.methods import (
    AnswerCallbackQuery,
    CopyMessage,
    EditMessageReplyMarkup,
    EditMessageText,
    GetMe,
    SendDocument,
    SendMessage,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import (
    CallbackQuery,
    Chat,
    InlineKeyboardMarkup,
    Location,
    Message,
    MessageId,
    PhotoSize,
    Sticker,
    Update,
    User,
    Voice,
)
from aiogram.types import Document as TgDocument

from emulator.state import visible_text
from handlers.plumbing.session import install as install_session_middlewares

TOKEN = "42:TEST-token"
# Telegram's update ids keep growing across restarts; so do ours across harnesses.
_UPDATE_IDS = itertools.count(1000)


@dataclass
class Sent:
    method: str
    chat_id: int | None
    text: str | None
    buttons: list[tuple[str, str]]
    raw: TelegramMethod[Any]
    message_id: int | None = None

    @property
    def labels(self) -> list[str]:
        return [label for label, _ in self.buttons]


class RecordingSession(BaseSession):
    """Answers like Telegram, checks Telegram's limits, and keeps every call."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Sent] = []
        self.refuse: dict[str, Exception] = {}
        self._ids = itertools.count(100)

    async def close(self) -> None:
        return None

    async def stream_content(self, *args: Any, **kwargs: Any) -> AsyncGenerator[bytes, None]:
        raise NotImplementedError
        yield b""  # pragma: no cover

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        name = type(method).__name__
        if name in self.refuse:
            raise self.refuse[name]
        text = getattr(method, "text", None)
        buttons: list[tuple[str, str]] = []
        markup = getattr(method, "reply_markup", None)
        if markup is not None and hasattr(markup, "inline_keyboard"):
            for row in markup.inline_keyboard:
                for button in row:
                    data = button.callback_data or ""
                    assert len(data.encode()) <= 64, f"callback data too long: {data!r}"
                    buttons.append((button.text, data))
        if text is not None:
            shown = visible_text(text, "HTML")  # raises on broken HTML, like Telegram
            assert len(shown) <= 4096, "message too long for Telegram"
        if isinstance(method, AnswerCallbackQuery) and method.text:
            assert len(method.text) <= 200, "callback answer too long"
        chat_id = getattr(method, "chat_id", None)
        record = Sent(name, int(chat_id) if chat_id is not None else None, text, buttons, method)
        self.calls.append(record)
        answer: object = True
        if isinstance(method, SendDocument):
            record.message_id = next(self._ids)
            answer = Message(
                message_id=record.message_id,
                date=datetime.now(UTC),
                chat=Chat(id=int(chat_id or 0), type="private"),
                document=TgDocument(file_id=f"f{record.message_id}", file_unique_id="u"),
                caption=method.caption,
            )
        elif isinstance(method, SendMessage | EditMessageText | EditMessageReplyMarkup):
            message_id = getattr(method, "message_id", None) or next(self._ids)
            record.message_id = message_id
            answer = Message(
                message_id=message_id,
                date=datetime.now(UTC),
                chat=Chat(id=int(chat_id or 0), type="private"),
                text=text,
                # Telegram echoes only inline keyboards back.
                reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
            )
        elif isinstance(method, CopyMessage):
            record.message_id = next(self._ids)
            answer = MessageId(message_id=record.message_id)
        elif isinstance(method, GetMe):
            answer = User(id=bot.id, is_bot=True, first_name="Lotse", username="lotse_test_bot")
        # aiogram types make_request generic over the method's result (TelegramType); a fake
        # answering several methods cannot tie its concrete answer to that type variable.
        return answer  # type: ignore[return-value]


@dataclass
class Person:
    """A Telegram user talking to the bot in a private chat."""

    harness: TelegramHarness
    user_id: int
    language_code: str | None = "de"
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def user(self) -> User:
        return User(
            id=self.user_id, is_bot=False, first_name="Test", language_code=self.language_code
        )

    @property
    def chat(self) -> Chat:
        return Chat(id=self.user_id, type="private")

    def _message(self, **content: Any) -> Message:
        return Message(
            message_id=next(self._message_ids),
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=self.user,
            **content,
        )

    async def send(self, text: str) -> list[Sent]:
        entities = None
        if text.startswith("/"):
            from aiogram.types import MessageEntity

            entities = [MessageEntity(type="bot_command", offset=0, length=len(text.split()[0]))]
        return await self.harness.feed(
            Update(
                update_id=self.harness.next_update_id(),
                message=self._message(text=text, entities=entities),
            )
        )

    async def reply(self, text: str, to_message_id: int) -> list[Sent]:
        """A Telegram reply to one of the bot's messages in this chat."""
        replied = Message(message_id=to_message_id, date=datetime.now(UTC), chat=self.chat)
        return await self.harness.feed(
            Update(
                update_id=self.harness.next_update_id(),
                message=self._message(text=text, reply_to_message=replied),
            )
        )

    async def send_media(self, kind: str) -> list[Sent]:
        media: dict[str, dict[str, Any]] = {
            "voice": {"voice": Voice(file_id="v", file_unique_id="v", duration=2)},
            "photo": {"photo": [PhotoSize(file_id="p", file_unique_id="p", width=9, height=9)]},
            "sticker": {
                "sticker": Sticker(
                    file_id="s",
                    file_unique_id="s",
                    type="regular",
                    width=9,
                    height=9,
                    is_animated=False,
                    is_video=False,
                )
            },
            "location": {"location": Location(latitude=51.4, longitude=7.0)},
            "document": {"document": TgDocument(file_id="d", file_unique_id="d")},
        }
        return await self.harness.feed(
            Update(update_id=self.harness.next_update_id(), message=self._message(**media[kind]))
        )

    async def send_contact(self, phone: str, *, owner: int | None = None) -> list[Sent]:
        from aiogram.types import Contact

        contact = Contact(phone_number=phone, first_name="Test", user_id=owner or self.user_id)
        return await self.harness.feed(
            Update(update_id=self.harness.next_update_id(), message=self._message(contact=contact))
        )

    async def inline(self, query: str) -> list[Sent]:
        from aiogram.types import InlineQuery

        event = InlineQuery(
            id=str(self.harness.next_update_id()), from_user=self.user, query=query, offset=""
        )
        return await self.harness.feed(
            Update(update_id=self.harness.next_update_id(), inline_query=event)
        )

    async def press(self, data: str, *, message_id: int = 1) -> list[Sent]:
        query = CallbackQuery(
            id=str(self.harness.next_update_id()),
            from_user=self.user,
            chat_instance="x",
            data=data,
            message=Message(
                message_id=message_id, date=datetime.now(UTC), chat=self.chat, text="…"
            ),
        )
        return await self.harness.feed(
            Update(update_id=self.harness.next_update_id(), callback_query=query)
        )

    async def tap(self, label_part: str) -> list[Sent]:
        """Tap the button whose label contains `label_part` on the bot's latest keyboard."""
        for sent in reversed(self.harness.session.calls):
            if sent.chat_id == self.user_id or (sent.chat_id is None and sent.buttons):
                for label, data in sent.buttons:
                    if label_part in label:
                        return await self.press(data, message_id=sent.message_id or 1)
                if sent.buttons:
                    break
        raise AssertionError(f"no button with {label_part!r} in the latest keyboard")

    async def tap_on(self, screen: Sent, label_part: str) -> list[Sent]:
        """Tap a button of an earlier message (`screen`), as someone scrolling up does."""
        for label, data in screen.buttons:
            if label_part in label:
                return await self.press(data, message_id=screen.message_id or 1)
        raise AssertionError(f"no button with {label_part!r} on that message")

    def last_text(self) -> str:
        for sent in reversed(self.harness.session.calls):
            if sent.text is not None and sent.chat_id == self.user_id:
                return sent.text
        raise AssertionError("the bot sent no text")


class TelegramHarness:
    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self.session = RecordingSession()
        install_session_middlewares(self.session, dispatcher["uow_factory"], dispatcher["clock"])
        self.bot = Bot(TOKEN, session=self.session, default=DefaultBotProperties(parse_mode="HTML"))

    def next_update_id(self) -> int:
        return next(_UPDATE_IDS)

    def person(self, user_id: int, language_code: str | None = "de") -> Person:
        return Person(self, user_id, language_code)

    async def feed(self, update: Update) -> list[Sent]:
        before = len(self.session.calls)
        await self.dispatcher.feed_update(self.bot, update)
        return self.session.calls[before:]

    def answers(self) -> list[AnswerCallbackQuery]:
        return [c.raw for c in self.session.calls if isinstance(c.raw, AnswerCallbackQuery)]
