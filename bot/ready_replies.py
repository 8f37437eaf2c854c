"""Ready-made replies: short everyday answers of a case manager, translated once by people
(the catalogs, context "ready reply"), never by a machine.

Each reply is a msgid with at most these placeholders, filled by buttons, never typed:
`{day}` (a date, ISO in the data), `{time}` (a wall-clock time "10:30"), `{place}` (an
address from the case manager's working hours). Every catalog has every reply, with the
same placeholders (tests/unit/test_ready_replies.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

#: The catalogs' context of every ready reply.
CONTEXT = "ready reply"
#: The placeholders a ready reply may have, in the order their buttons are asked.
PLACEHOLDERS: tuple[str, ...] = ("day", "time", "place")

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def p_(context: str, message: str) -> str:
    """Marks a msgid for extraction (pybabel's `p_` keyword); translated when shown."""
    return message


#: A site's own ready replies travel as "s" and their number.
SITE_PREFIX = "s"
#: The language a site's own reply is written in first (required); the others are
#: optional, and the reply is offered only to clients whose language is filled.
SOURCE_LOCALE = "de"
#: Longest text of a site's own reply, per language.
MAX_SITE_TEXT = 500


@dataclass(frozen=True)
class ReadyReply:
    """A shipped reply (`msgid`, translated in the catalogs) or a site's own one (`texts`
    per locale, written by people in the console; no placeholders)."""

    key: str  # short and stable: it travels in callback data and the outbox
    msgid: str  # a shipped reply's msgid; a site's own: its German text
    texts: Mapping[str, str] = field(default_factory=dict)
    site_id: int | None = None

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The reply's placeholders in the order their buttons are asked."""
        if self.site_id is not None:
            return ()
        found = set(_PLACEHOLDER.findall(self.msgid))
        return tuple(name for name in PLACEHOLDERS if name in found)

    def speaks(self, locale: str) -> bool:
        """Has people's text in this language (every shipped reply has)."""
        return self.site_id is None or bool(self.texts.get(locale))


def site_key(reply_id: int) -> str:
    return f"{SITE_PREFIX}{reply_id}"


def site_reply_id(key: str) -> int | None:
    """The number of a site's own reply from its key, None for any other key."""
    number = key[len(SITE_PREFIX) :]
    if key.startswith(SITE_PREFIX) and number.isdigit() and len(number) < 10:
        return int(number)
    return None


READY_REPLIES: tuple[ReadyReply, ...] = (
    # TRANSLATORS: ready-made replies (context "ready reply") are what the advisor writes to
    # the client, in the first person, translated once by people. {day} is a weekday and
    # date, {time} a time like 10:30, {place} an address. Keep them short and plain.
    ReadyReply("rcv", p_("ready reply", "I have received your message. I will answer soon.")),
    ReadyReply("thx", p_("ready reply", "Thank you for your message.")),
    ReadyReply("ill", p_("ready reply", "I am ill today. I will write to you tomorrow.")),
    ReadyReply("off", p_("ready reply", "I am not in the office today. I will answer tomorrow.")),
    ReadyReply("let", p_("ready reply", "Please bring the letter to our appointment.")),
    ReadyReply("pho", p_("ready reply", "Please send me a photo of the letter.")),
    ReadyReply("pas", p_("ready reply", "Please bring your passport or ID card.")),
    ReadyReply("doc", p_("ready reply", "Please bring all your papers to our appointment.")),
    ReadyReply("cal", p_("ready reply", "Please call me at {time}.")),
    ReadyReply("iwc", p_("ready reply", "I will call you on {day} at {time}.")),
    ReadyReply("apt", p_("ready reply", "Our appointment is on {day} at {time}.")),
    ReadyReply("com", p_("ready reply", "Please come to {place}.")),
    ReadyReply("see", p_("ready reply", "See you on {day} at {time} at {place}.")),
    ReadyReply(
        "mov", p_("ready reply", "I must move our appointment. I will send you a new time.")
    ),
    ReadyReply("lat", p_("ready reply", "I am running a little late. Please wait for me.")),
    ReadyReply("yes", p_("ready reply", "Can you come? Please answer with yes or no.")),
    ReadyReply("int", p_("ready reply", "An interpreter will be at our appointment.")),
)

_BY_KEY = {reply.key: reply for reply in READY_REPLIES}


def ready_reply(key: str) -> ReadyReply | None:
    return _BY_KEY.get(key)


def missing(reply: ReadyReply, values: dict[str, str]) -> str | None:
    """The next placeholder still to fill by a button, None when all are filled."""
    return next((name for name in reply.placeholders if name not in values), None)
