"""Typed callback data. Short prefixes and ids only: Telegram allows 64 bytes."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class LangCb(CallbackData, prefix="lang"):
    code: str


class ConsentCb(CallbackData, prefix="cons"):
    action: str  # agree | more | no | again


class StartCb(CallbackData, prefix="start"):
    """'Start again' after a deletion: the language picker, as for a new person."""


class MenuCb(CallbackData, prefix="menu"):
    item: str  # home | book | appts | write | lang | privacy


class PrivacyCb(CallbackData, prefix="priv"):
    action: str  # delete | confirm | keep | notice | export


CONSENT_ACTIONS = frozenset({"agree", "more", "no", "again"})
MENU_ITEMS = frozenset({"home", "book", "appts", "write", "lang", "privacy"})
PRIVACY_ACTIONS = frozenset({"delete", "confirm", "keep", "notice", "export"})


class BookCb(CallbackData, prefix="bk"):
    """A step of the booking (or moving) flow; `value` is short: an id, a code or a slot."""

    step: str  # site | topic | mode | day | time | interp | confirm | back | cancel | write
    value: str = ""


class ApptCb(CallbackData, prefix="ap"):
    action: str  # view | cancel | reason | move | list
    id: int = 0
    value: str = ""


class StaffCb(CallbackData, prefix="st"):
    action: str  # menu | invite | hours | spoken | toggle | lang | setlang
    value: str = ""


BOOK_STEPS = frozenset(
    {"site", "topic", "mode", "day", "time", "interp", "confirm", "back", "cancel", "write"}
)
APPT_ACTIONS = frozenset({"view", "cancel", "reason", "move", "list"})
STAFF_ACTIONS = frozenset({"menu", "invite", "hours", "spoken", "toggle", "lang", "setlang"})


class AvailCb(CallbackData, prefix="av"):
    """Working hours and days off of the pressing case manager (never someone else's)."""

    action: str  # list | add | day | from | to | slot | mode | addr | rm | off | offday
    value: str = ""


class ClientCb(CallbackData, prefix="sc"):
    """A case manager's view of one client of their site, and booking for them."""

    action: str  # list | view | book | topic | mode | day | time | interp | confirm | cancel | stop
    id: int = 0
    value: str = ""


AVAIL_ACTIONS = frozenset(
    {"list", "add", "day", "from", "to", "slot", "mode", "addr", "rm", "off", "offday"}
)
CLIENT_ACTIONS = frozenset(
    {
        "list",
        "find",
        "view",
        "book",
        "topic",
        "mode",
        "day",
        "time",
        "interp",
        "confirm",
        "cancel",
        "stop",
    }
)


class RemCb(CallbackData, prefix="rem"):
    """Buttons on a reminder; the appointment must be the pressing client's."""

    action: str  # come
    id: int = 0


class OfferCb(CallbackData, prefix="of"):
    """Offer lookup for staff; filters live in the FSM data, ids here."""

    action: str  # area | place | lang | duldung | page | card | send | to | list | new
    value: str = ""


OFFER_ACTIONS = frozenset(
    {"area", "place", "lang", "duldung", "page", "card", "send", "to", "list", "new"}
)


class NoteCb(CallbackData, prefix="nt"):
    """Case notes. `id` is a client id (new, client, list) or a note id (show, edit, del, delok),
    or an appointment id (appt); the note being written waits in the FSM data."""

    action: str  # new | client | area | areas | phase | list | show | edit | del | delok | appt
    id: int = 0
    value: str = ""


NOTE_ACTIONS = frozenset(
    {
        "new",
        "pick",
        "client",
        "area",
        "areas",
        "phase",
        "list",
        "show",
        "edit",
        "del",
        "delok",
        "appt",
    }
)


class AgendaCb(CallbackData, prefix="ag"):
    """The pressing case manager's agenda; `id` is an appointment id, `value` a day."""

    action: str  # today | week | view | att | noshow | cancel | cday | cdayok
    id: int = 0
    value: str = ""


AGENDA_ACTIONS = frozenset({"today", "week", "view", "att", "noshow", "cancel", "cday", "cdayok"})


class TeamCb(CallbackData, prefix="tm"):
    """Handover (`id` = client) and absence with a deputy (`id` = period row)."""

    action: str  # ho | hto | hok | away | dep | dper | dset | dend
    id: int = 0
    value: str = ""


TEAM_ACTIONS = frozenset({"ho", "hto", "hok", "away", "dep", "dper", "dset", "dend"})


class RelayCb(CallbackData, prefix="rl"):
    """Messages between client and case manager. fwd: the client sends one of their own
    messages on (`id` = its message id in their chat); reply: staff answer client `id`."""

    action: str  # fwd | reply
    id: int = 0


RELAY_ACTIONS = frozenset({"fwd", "reply"})
