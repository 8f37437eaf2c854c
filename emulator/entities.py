"""Message entities as Telegram reports them: the formatting of an HTML text (bold, links,
code...) and what Telegram finds in any text by itself (web addresses, e-mail addresses,
phone numbers, /commands). Offsets and lengths count UTF-16 code units, as in the Bot API
(and as JavaScript counts a string, so the demo page can use them as they are)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

_ALLOWED_TAGS = set(
    "b strong i em u ins s strike del a code pre tg-spoiler span blockquote tg-emoji".split()
)
_KIND = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "a": "text_link",
}
# Bidirectional controls (the isolates the bot wraps values in) end an address.
_BIDI = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
_FOUND = (
    ("url", re.compile(rf"(?:https?://|tg://|www\.)[^\s<>\"'{_BIDI}]+", re.IGNORECASE)),
    ("email", re.compile(rf"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{{2,}}(?![^\s{_BIDI}])")),
    ("phone_number", re.compile(r"(?<![\w+])\+\d[\d ()/-]{5,18}\d(?!\w)")),
    ("bot_command", re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")),
)
_TRAILING = ".,;:!?)]}'\""
_NO_DETECTION_IN = {"text_link", "code", "pre"}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _Html(HTMLParser):
    """The visible text of Telegram's HTML and its formatting entities; `error` says what
    Telegram would refuse."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0  # of the visible text so far, in UTF-16 code units
        self.stack: list[tuple[str, dict[str, str | None], int]] = []
        self.entities: list[dict[str, Any]] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED_TAGS:
            self.error = f'can\'t parse entities: unsupported start tag "{tag}"'
        self.stack.append((tag, dict(attrs), self.length))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            self.error = (
                f"can't parse entities: can't find end tag corresponding to start tag \"{tag}\""
            )
            return
        _, attrs, start = self.stack.pop()
        entity = self._entity(tag, attrs)
        if entity is not None and self.length > start:
            self.entities.append({**entity, "offset": start, "length": self.length - start})

    def _entity(self, tag: str, attrs: dict[str, str | None]) -> dict[str, Any] | None:
        if tag == "span":
            return {"type": "spoiler"} if attrs.get("class") == "tg-spoiler" else None
        kind = _KIND.get(tag)
        if kind == "text_link":
            return {"type": kind, "url": attrs.get("href") or ""}
        if kind == "blockquote" and "expandable" in attrs:
            return {"type": "expandable_blockquote"}
        if kind == "code" and self.stack and self.stack[-1][0] == "pre":
            language = (attrs.get("class") or "").removeprefix("language-")
            if language:  # <pre><code class="language-x">: one pre entity with a language
                self.stack[-1][1]["language"] = language
            return None
        if kind == "pre" and attrs.get("language"):
            return {"type": kind, "language": attrs["language"]}
        return {"type": kind} if kind else None

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.length += utf16_len(data)


def parse_html(text: str) -> tuple[str, list[dict[str, Any]], str | None]:
    """(visible text, formatting entities, Telegram's error or None) of an HTML text."""
    parser = _Html()
    parser.feed(text)
    parser.close()
    if parser.error is None and parser.stack:
        parser.error = f'can\'t parse entities: unclosed start tag "{parser.stack[-1][0]}"'
    return "".join(parser.parts), parser.entities, parser.error


def found_entities(text: str, taken: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """What Telegram finds in a text by itself: url, email, phone_number and bot_command
    entities, outside links and code (the `taken` entities)."""
    busy = [
        (e["offset"], e["offset"] + e["length"])
        for e in taken or []
        if e["type"] in _NO_DETECTION_IN
    ]
    found: list[dict[str, Any]] = []
    for kind, pattern in _FOUND:
        for match in pattern.finditer(text):
            value = match.group()
            if kind == "url":
                value = value.rstrip(_TRAILING)
            start = utf16_len(text[: match.start()])
            end = start + utf16_len(value)
            spans = busy + [(e["offset"], e["offset"] + e["length"]) for e in found]
            if not value or any(start < stop and begin < end for begin, stop in spans):
                continue
            found.append({"type": kind, "offset": start, "length": end - start})
    return found


def message_entities(text: str | None, parse_mode: str | None) -> list[dict[str, Any]]:
    """All entities of a message text as sent (with its parse_mode), by offset."""
    if not text:
        return []
    formatting: list[dict[str, Any]] = []
    visible = text
    if parse_mode and parse_mode.upper() == "HTML":
        visible, formatting, error = parse_html(text)
        if error:
            return []
    entities = formatting + found_entities(visible, formatting)
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))
