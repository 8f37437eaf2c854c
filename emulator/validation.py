"""Telegram's limits and checks: errors, HTML entities, keyboards."""

from __future__ import annotations

import itertools
from typing import Any

from emulator.entities import parse_html

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_CALLBACK_ANSWER = 200
MAX_COMMANDS = 100
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
#: What Telegram takes as the address of an inline URL button.
URL_BUTTON_SCHEMES = ("http://", "https://", "tg://")


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(text: str) -> ApiError:
    return ApiError(400, f"Bad Request: {text}")


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text as the user sees it; raises like Telegram on broken HTML."""
    if not parse_mode or parse_mode.upper() != "HTML":
        return text
    visible, _, error = parse_html(text)
    if error:
        raise bad_request(error)
    return visible


def _check_markup(markup: Any) -> None:
    """Inline keyboards, reply keyboards, {"remove_keyboard": true} and {"force_reply": true}."""
    if markup is None:
        return
    unparsable = bad_request("can't parse reply keyboard markup JSON object")
    if not isinstance(markup, dict):
        raise unparsable
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise unparsable
        for button in itertools.chain.from_iterable(rows):
            if not (button if isinstance(button, str) else (button or {}).get("text")):
                raise unparsable
        return
    if "remove_keyboard" in markup or "force_reply" in markup:
        if markup.get("remove_keyboard", markup.get("force_reply")) is not True:
            raise unparsable
        return
    if "inline_keyboard" not in markup:
        raise unparsable
    for row in markup.get("inline_keyboard", []) or []:
        for button in row:
            if not button.get("text"):
                raise bad_request("text buttons are unallowed in the inline keyboard")
            url = button.get("url")
            if url is not None and not str(url).lower().startswith(URL_BUTTON_SCHEMES):
                raise bad_request("BUTTON_URL_INVALID")
            data = button.get("callback_data")
            if data is not None and not (1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA):
                raise bad_request("BUTTON_DATA_INVALID")
