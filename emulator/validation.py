"""Telegram's limits and checks: errors, HTML entities, keyboards."""

from __future__ import annotations

import html
import itertools
from html.parser import HTMLParser
from typing import Any

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_CALLBACK_ANSWER = 200
MAX_COMMANDS = 100
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_ALLOWED_TAGS = set(
    "b strong i em u ins s strike del a code pre tg-spoiler span blockquote tg-emoji".split()
)


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


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED_TAGS:
            self.error = f'can\'t parse entities: unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.error = (
                f"can't parse entities: can't find end tag corresponding to start tag \"{tag}\""
            )
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text as the user sees it; raises like Telegram on broken HTML."""
    if not parse_mode or parse_mode.upper() != "HTML":
        return text
    parser = _TextOfHtml()
    parser.feed(text)
    parser.close()
    if parser.error is None and parser.stack:
        parser.error = f'can\'t parse entities: unclosed start tag "{parser.stack[-1]}"'
    if parser.error:
        raise bad_request(parser.error)
    return html.unescape("".join(parser.parts))


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
            data = button.get("callback_data")
            if data is not None and not (1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA):
                raise bad_request("BUTTON_DATA_INVALID")
