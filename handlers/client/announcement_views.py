"""What a client reads of an announcement (issue 23): the text in their language; a
machine translation is labelled, with the original under it, as relayed answers are."""

from __future__ import annotations

from bot.announcements import AnnouncementMessage
from bot.i18n import Translator
from handlers.relay_views import _sections


def announcement(t: Translator, message: AnnouncementMessage) -> list[str]:
    """One or more HTML messages (a long text continues in the next)."""
    # TRANSLATORS: the head of a message the advice centre sends to many clients at once.
    head = "📣 " + t._("Announcement from your advice centre:")
    if message.machine:
        return _sections(
            [
                (head, message.text),
                ("🤖 " + t._("This is a machine translation. The original:"), message.original),
            ]
        )
    parts = [(head, message.text)]
    if message.untranslated:
        parts.append(("", t._("(This announcement could not be translated into your language.)")))
    return _sections(parts)
