"""The emulated Telegram: users, chats, messages, updates, and the Bot API methods."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import deque
from typing import Any

from emulator.entities import message_entities
from emulator.extras import ExtrasMixin
from emulator.files import FilesMixin
from emulator.model import FakeUser, StoredMessage
from emulator.screen import ReplyKeyboard, ScreenMixin
from emulator.validation import (  # noqa: F401 - re-exported for tests
    MAX_CALLBACK_ANSWER,
    MAX_CALLBACK_DATA,
    MAX_COMMANDS,
    MAX_TEXT,
    NOT_MODIFIED,
    ApiError,
    _check_markup,
    bad_request,
    visible_text,
)
from emulator.webhook import WebhookMixin


class Emulator(FilesMixin, ExtrasMixin, ScreenMixin, WebhookMixin):
    """All state of the emulated Telegram. One bot token at a time is enough here: its
    updates go to getUpdates, or to its webhook once one is set (emulator.webhook)."""

    def __init__(self, *, rate_limit_per_second: float | None = None) -> None:
        self.users: dict[int, FakeUser] = {}
        self.messages: dict[tuple[int, int], StoredMessage] = {}
        self.updates: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.reply_keyboards: dict[int, ReplyKeyboard] = {}
        self.issued_callbacks: set[str] = set()
        self.issued_inline: set[str] = set()
        self.inline_answers: dict[str, list[dict[str, Any]]] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.refuse_methods: set[str] = set()
        self.rate_limit_per_second = rate_limit_per_second
        self.answered_429 = 0
        self._sent_times: deque[float] = deque()
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._callback_ids = itertools.count(1)
        self.files = {}
        self._file_counter = itertools.count(1)
        self._new_update = asyncio.Condition()
        self._init_webhook()

    # ----- playing a user -------------------------------------------------------------
    def user(
        self, user_id: int, *, first_name: str = "Test", language_code: str | None = None
    ) -> FakeUser:
        user = self.users.get(user_id)
        if user is None:
            user = FakeUser(user_id, first_name, language_code)
            self.users[user_id] = user
        elif language_code is not None:
            user.language_code = language_code
        return user

    def _next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def _chat_json(self, chat_id: int) -> dict[str, Any]:
        user = self.users.get(chat_id)
        return {"id": chat_id, "type": "private", "first_name": user.first_name if user else "Test"}

    async def _push(self, update: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **update}
        async with self._new_update:
            self.updates.append(update)
            self._new_update.notify_all()
        return update

    async def push_raw(self, update: dict[str, Any]) -> dict[str, Any]:
        """Push an update as given (a redelivery keeps its update_id)."""
        async with self._new_update:
            self.updates.append(update)
            self._new_update.notify_all()
        return update

    async def user_message(
        self,
        user_id: int,
        *,
        text: str | None = None,
        kind: str = "text",
        language_code: str | None = None,
        phone_number: str | None = None,
        reply_to: int | None = None,
    ) -> dict[str, Any]:
        """The user sends text, or a voice/photo/sticker/location/document/contact message;
        `reply_to` makes it a reply to that message of the chat."""
        user = self.user(user_id, language_code=language_code)
        message_id = self._next_message_id(user_id)
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._chat_json(user_id),
            "from": user.as_json(),
        }
        media: dict[str, Any] = {}
        if reply_to is not None:
            replied = self.messages.get((user_id, reply_to))
            if replied is None:
                raise bad_request("message to reply to not found")
            message["reply_to_message"] = self._message_json(replied, with_reply=False)
        if kind == "text":
            message["text"] = text or ""
            if message["text"].startswith("/"):
                command = message["text"].split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        else:
            media = self._user_media(kind, message_id, user, phone_number)
            message.update(media)
        stored = StoredMessage(message_id, user_id, False, message["date"], kind=kind, media=media)
        stored.text = stored.visible = text
        stored.reply_to = reply_to
        self.messages[(user_id, message_id)] = stored
        return await self._push({"message": message})

    async def press(self, user_id: int, message_id: int, data: str) -> dict[str, Any]:
        """The user taps an inline button (or sends any callback data, forged or not)."""
        user = self.user(user_id)
        stored = self.messages.get((user_id, message_id))
        callback_id = str(next(self._callback_ids))
        self.issued_callbacks.add(callback_id)
        query: dict[str, Any] = {
            "id": callback_id,
            "from": user.as_json(),
            "chat_instance": str(user_id),
            "data": data,
        }
        if stored is not None and not stored.deleted:
            query["message"] = self._message_json(stored)
        else:
            query["message"] = {
                "message_id": message_id,
                "date": 0,
                "chat": self._chat_json(user_id),
            }
        return await self._push({"callback_query": query})

    async def inline_query(self, user_id: int, query: str) -> dict[str, Any]:
        """The user types `@bot query` in any chat."""
        user = self.user(user_id)
        query_id = f"iq{next(self._callback_ids)}"
        self.issued_inline.add(query_id)
        return await self._push(
            {"inline_query": {"id": query_id, "from": user.as_json(), "query": query, "offset": ""}}
        )

    def block(self, user_id: int, blocked: bool = True) -> None:
        self.user(user_id).blocked_bot = blocked

    # ----- what the bot did -------------------------------------------------------------
    def chat(self, chat_id: int, *, include_deleted: bool = False) -> list[StoredMessage]:
        found = [m for (c, _), m in self.messages.items() if c == chat_id and m.from_bot]
        return [
            m for m in sorted(found, key=lambda m: m.message_id) if include_deleted or not m.deleted
        ]

    def _message_json(self, stored: StoredMessage, *, with_reply: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": stored.message_id,
            "date": stored.date,
            "chat": self._chat_json(stored.chat_id),
        }
        if stored.from_bot:
            data["from"] = {
                "id": self.bot_id,
                "is_bot": True,
                "first_name": "Lotse",
                "username": "lotse_test_bot",
            }
        if stored.visible is not None:
            data["text"] = stored.visible
            if stored.from_bot and (entities := message_entities(stored.text, stored.parse_mode)):
                data["entities"] = entities
        replied = self.messages.get((stored.chat_id, stored.reply_to or 0))
        if with_reply and replied is not None and not replied.deleted:
            # One level only, as on Telegram.
            data["reply_to_message"] = self._message_json(replied, with_reply=False)
        data.update(stored.media)
        if stored.caption is not None:
            data["caption"] = stored.caption
        if stored.protect_content:
            data["has_protected_content"] = True
        if stored.reply_markup and "inline_keyboard" in stored.reply_markup:
            data["reply_markup"] = stored.reply_markup  # reply keyboards are not in the Message
        if stored.edits:
            data["edit_date"] = int(time.time())
        return data

    bot_id: int = 0
    token: str = ""

    # ----- the Bot API -------------------------------------------------------------------
    async def call(self, token: str, method: str, params: dict[str, Any]) -> Any:
        self.bot_id = int(token.split(":", 1)[0])
        self.token = token
        self.requests.append({"method": method, "params": params, "at": time.time()})
        if method in self.refuse_methods:
            raise bad_request(f"method {method} is refused by this server")
        handler = getattr(self, f"m_{method.lower()}", None)
        if handler is None:
            raise ApiError(404, "Not Found")
        return await handler(params)

    def _check_rate(self) -> None:
        """Telegram's flood control: above `rate_limit_per_second` messages in any sliding
        second, answer 429 with retry_after (the message is not sent)."""
        if not self.rate_limit_per_second:
            return
        now = time.monotonic()
        window = self._sent_times
        while window and now - window[0] >= 1.0:
            window.popleft()
        if len(window) >= self.rate_limit_per_second:
            self.answered_429 += 1
            raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
        window.append(now)

    def _target_user(self, params: dict[str, Any]) -> int:
        try:
            chat_id = int(params["chat_id"])
        except (KeyError, TypeError, ValueError):
            raise bad_request("chat not found") from None
        user = self.users.get(chat_id)
        if user is None:
            raise bad_request("chat not found")
        if user.blocked_bot:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _stored(self, params: dict[str, Any]) -> StoredMessage:
        chat_id = self._target_user(params)
        try:
            stored = self.messages[(chat_id, int(params["message_id"]))]
        except (KeyError, TypeError, ValueError):
            raise bad_request("message to edit not found") from None
        if stored.deleted:
            raise bad_request("message to edit not found")
        if not stored.from_bot:
            raise bad_request("message can't be edited")
        return stored

    async def m_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Lotse",
            "username": "lotse_test_bot",
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    async def m_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        self._check_no_webhook()  # 409 Conflict while a webhook is set
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 50.0)
        limit = int(params.get("limit") or 100)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        deadline = time.monotonic() + timeout
        async with self._new_update:
            while not self.updates and time.monotonic() < deadline:
                try:
                    await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())
                except TimeoutError:
                    break
        return self.updates[:limit]

    async def m_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._target_user(params)
        text = params.get("text")
        if not text:
            raise bad_request("message text is empty")
        visible = visible_text(text, params.get("parse_mode"))
        if not visible.strip():
            raise bad_request("message text is empty")
        if len(visible) > MAX_TEXT:
            raise bad_request("message is too long")
        _check_markup(params.get("reply_markup"))
        self._check_rate()
        stored = self._new_bot_message(
            chat_id, params, text=text, visible=visible, parse_mode=params.get("parse_mode")
        )
        return self._message_json(stored)

    def _new_bot_message(
        self, chat_id: int, params: dict[str, Any], **fields: Any
    ) -> StoredMessage:
        """Store a message the bot sends; reply_markup, the message it replies to and the
        flags come from `params`."""
        replying = params.get("reply_parameters") or {}
        reply_to = replying.get("message_id") or params.get("reply_to_message_id")
        stored = StoredMessage(
            self._next_message_id(chat_id),
            chat_id,
            True,
            int(time.time()),
            reply_markup=params.get("reply_markup"),
            protect_content=bool(params.get("protect_content")),
            silent=bool(params.get("disable_notification")),
            reply_to=int(reply_to) if reply_to else None,
            **fields,
        )
        self.messages[(chat_id, stored.message_id)] = stored
        self._note_keyboard(stored)
        return stored

    async def m_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._stored(params)
        if stored.kind != "text":
            raise bad_request("there is no text in the message to edit")
        text = params.get("text")
        if not text:
            raise bad_request("message text is empty")
        visible = visible_text(text, params.get("parse_mode"))
        if len(visible) > MAX_TEXT:
            raise bad_request("MESSAGE_TOO_LONG")
        markup = params.get("reply_markup")
        _check_markup(markup)
        if visible == stored.visible and markup == stored.reply_markup:
            raise bad_request(NOT_MODIFIED)
        stored.text, stored.visible, stored.reply_markup = text, visible, markup
        stored.parse_mode = params.get("parse_mode")
        stored.edits += 1
        return self._message_json(stored)

    async def m_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._stored(params)
        markup = params.get("reply_markup")
        _check_markup(markup)
        if markup == stored.reply_markup:
            raise bad_request("message is not modified")
        stored.reply_markup = markup
        stored.edits += 1
        return self._message_json(stored)

    async def m_deletemessage(self, params: dict[str, Any]) -> bool:
        chat_id = self._target_user(params)
        stored = self.messages.get((chat_id, int(params.get("message_id") or 0)))
        if stored is None or stored.deleted:
            raise bad_request("message to delete not found")
        stored.deleted = True
        return True

    async def m_answercallbackquery(self, params: dict[str, Any]) -> bool:
        callback_id = str(params.get("callback_query_id") or "")
        if callback_id not in self.issued_callbacks or callback_id in self.callback_answers:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get("text") or ""
        if len(text) > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        self.callback_answers[callback_id] = {
            "text": text,
            "show_alert": bool(params.get("show_alert")),
        }
        return True

    async def m_sendchataction(self, params: dict[str, Any]) -> bool:
        self._target_user(params)
        return True
