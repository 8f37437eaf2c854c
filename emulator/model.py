"""The records of the emulated Telegram: its users and the messages of the chats.

Shared by `Emulator` (emulator.state) and its mixins, which import them from here, so that
no mixin has to import emulator.state (which imports the mixins).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class StoredMessage:
    message_id: int
    chat_id: int
    from_bot: bool
    date: int
    text: str | None = None
    visible: str | None = None
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    kind: str = "text"
    protect_content: bool = False
    silent: bool = False  # sent with disable_notification
    deleted: bool = False
    edits: int = 0
    reply_to: int | None = None  # the message of the chat this one replies to
    caption: str | None = None  # as the user sees it
    file_id: str | None = None
    file_name: str | None = None
    mime_type: str | None = None
    data: bytes | None = field(default=None, repr=False)
    media: dict[str, Any] = field(default_factory=dict)  # e.g. {"document": {...}}
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class FakeUser:
    id: int
    first_name: str = "Test"
    language_code: str | None = None
    blocked_bot: bool = False
    phone_number: str | None = None  # shared by a request_contact button (else a default)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            data["language_code"] = self.language_code
        return data
