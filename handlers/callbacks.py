"""Typed callback data. Short prefixes and ids only: Telegram allows 64 bytes.

Every `action` (or `step`, `item`) is a StrEnum: a button whose action is not one of its
members does not parse, so no handler's filter matches it and the fallback answers it
("this button no longer works"). Handlers filter on one member each:
`BookCb.filter(F.step == BookStep.DAY)`.
"""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.intents import Intent


class LangCb(CallbackData, prefix="lang"):
    code: str


class ConsentAction(StrEnum):
    AGREE = "agree"
    MORE = "more"
    NO = "no"
    AGAIN = "again"


class ConsentCb(CallbackData, prefix="cons"):
    action: ConsentAction


class StartCb(CallbackData, prefix="start"):
    """'Start again' after a deletion: the language picker, as for a new person."""


class MenuItem(StrEnum):
    HOME = "home"
    #: The menu in a new message: the button sits on a confirmation, which stays as it is.
    HOME_BELOW = "home2"
    BOOK = "book"
    APPOINTMENTS = "appts"
    WRITE = "write"
    LANGUAGE = "lang"
    PRIVACY = "privacy"


class MenuCb(CallbackData, prefix="menu"):
    item: MenuItem


class PrivacyAction(StrEnum):
    DELETE = "delete"
    CONFIRM = "confirm"
    KEEP = "keep"
    NOTICE = "notice"
    EXPORT = "export"
    QUESTIONS_OFF = "qoff"  # no questions about offers sent (referral follow-ups)
    QUESTIONS_ON = "qon"
    ANNOUNCEMENTS_OFF = "aoff"  # no announcements (issue 23)
    ANNOUNCEMENTS_ON = "aon"


class PrivacyCb(CallbackData, prefix="priv"):
    action: PrivacyAction


class BookStep(StrEnum):
    SITE = "site"
    TOPIC = "topic"
    MODE = "mode"
    DAY = "day"
    TIME = "time"
    INTERPRETER = "interp"
    CONFIRM = "confirm"
    BACK = "back"
    CANCEL = "cancel"


class BookCb(CallbackData, prefix="bk"):
    """A step of the booking (or moving) flow; `value` is short: an id, a code or a slot."""

    step: BookStep
    value: str = ""


class WaitAction(StrEnum):
    START = "start"  # "None of these times suit me" / "Tell me when a time frees up"
    MODE = "mode"
    DAY = "day"  # a weekday toggled
    PART = "part"  # morning, afternoon or any time
    NEXT = "next"
    UNTIL = "until"  # 2, 4 or 8 weeks: the wish is saved
    BACK = "back"
    STOP = "stop"
    LEAVE = "leave"  # leave the waiting list (`id`: the wish)
    TAKE = "take"  # "Book it" on an offer (`id`: the offer)


class WaitCb(CallbackData, prefix="wl"):
    """The waiting list; `value` is short (a code, a weekday, "topic.mode")."""

    action: WaitAction
    id: int = 0
    value: str = ""


class ApptAction(StrEnum):
    VIEW = "view"
    CANCEL = "cancel"
    REASON = "reason"
    MOVE = "move"
    LIST = "list"
    #: The list in a new message: the button sits on a confirmation, which stays as it is.
    LIST_BELOW = "list2"


class ApptCb(CallbackData, prefix="ap"):
    action: ApptAction
    id: int = 0
    value: str = ""


class StaffAction(StrEnum):
    MENU = "menu"
    INVITE = "invite"
    HOURS = "hours"
    SPOKEN = "spoken"
    TOGGLE = "toggle"
    LANGUAGE = "lang"
    SET_LANGUAGE = "setlang"
    CONSOLE = "console"


class AnnAction(StrEnum):
    LIST = "list"
    NEW = "new"
    LANG = "lang"
    DAYS = "days"
    SOURCE = "src"
    PREVIEW = "prev"
    FILTERS = "filt"
    NOW = "now"
    TOMORROW = "tmrw"
    TYPE = "type"
    CONFIRM = "ok"
    CANCEL = "cancel"


class AnnCb(CallbackData, prefix="an"):
    """Announcements (issue 23); `value`: a locale or an announcement's id."""

    action: AnnAction
    value: str = ""


class StaffCb(CallbackData, prefix="st"):
    action: StaffAction
    value: str = ""


class AvailAction(StrEnum):
    LIST = "list"
    ADD = "add"
    DAY = "day"
    FROM = "from"
    TO = "to"
    SLOT = "slot"
    MODE = "mode"
    ADDRESS = "addr"
    REMOVE = "rm"
    DAYS_OFF = "off"
    TOGGLE_DAY_OFF = "offday"


class AvailCb(CallbackData, prefix="av"):
    """Working hours and days off of the pressing case manager (never someone else's)."""

    action: AvailAction
    value: str = ""


class ClientAction(StrEnum):
    LIST = "list"
    FIND = "find"
    VIEW = "view"
    BOOK = "book"
    TOPIC = "topic"
    MODE = "mode"
    DAY = "day"
    TIME = "time"
    INTERPRETER = "interp"
    CONFIRM = "confirm"
    CANCEL = "cancel"
    STOP = "stop"


class ClientCb(CallbackData, prefix="sc"):
    """A case manager's view of one client of their site, and booking for them."""

    action: ClientAction
    id: int = 0
    value: str = ""


class RemAction(StrEnum):
    COME = "come"


class RemCb(CallbackData, prefix="rem"):
    """Buttons on a reminder; the appointment must be the pressing client's."""

    action: RemAction
    id: int = 0


class RefAction(StrEnum):
    HELPED = "ok"  # went, it helped
    NO_HELP = "meh"  # went, it did not help
    NOT_WENT = "no"  # did not go: the reasons follow
    REASON = "why"  # `value`: a bot.referrals.ReferralReason
    STOP = "stop"  # "I don't want these questions"


class RefCb(CallbackData, prefix="rf"):
    """The follow-up question about an offer sent to the client; `id` is the referral,
    which must be the pressing client's."""

    action: RefAction
    id: int = 0
    value: str = ""


class OfferAction(StrEnum):
    AREA = "area"
    PLACE = "place"
    LANGUAGE = "lang"
    DULDUNG = "duldung"
    PAGE = "page"
    CARD = "card"
    SEND = "send"
    TO = "to"
    LIST = "list"
    NEW = "new"


class OfferCb(CallbackData, prefix="of"):
    """Offer lookup for staff; filters live in the FSM data, ids here."""

    action: OfferAction
    value: str = ""


class NoteAction(StrEnum):
    NEW = "new"
    PICK = "pick"
    CLIENT = "client"
    AREA = "area"
    AREAS = "areas"
    PHASE = "phase"
    LIST = "list"
    SHOW = "show"
    EDIT = "edit"
    DELETE = "del"
    DELETE_CONFIRMED = "delok"
    APPOINTMENT = "appt"
    DRAFT_SAVE = "dsave"  # the typed note waiting as a draft: save it (ask what is missing)
    DRAFT_DROP = "ddrop"  # ... or discard it


class NoteCb(CallbackData, prefix="nt"):
    """Case notes. `id` is a client id (new, client, list) or a note id (show, edit, del, delok),
    or an appointment id (appt); the note being written waits in the FSM data."""

    action: NoteAction
    id: int = 0
    value: str = ""


class AgendaAction(StrEnum):
    TODAY = "today"
    WEEK = "week"
    VIEW = "view"
    ATTENDED = "att"
    NO_SHOW = "noshow"
    CANCEL = "cancel"
    CANCEL_DAY = "cday"
    CANCEL_DAY_CONFIRMED = "cdayok"


class AgendaCb(CallbackData, prefix="ag"):
    """The pressing case manager's agenda; `id` is an appointment id, `value` a day."""

    action: AgendaAction
    id: int = 0
    value: str = ""


class TeamAction(StrEnum):
    HANDOVER = "ho"
    HANDOVER_TO = "hto"
    HANDOVER_CONFIRMED = "hok"
    AWAY = "away"
    DEPUTY = "dep"
    DEPUTY_PERIOD = "dper"
    DEPUTY_SET = "dset"
    DEPUTY_END = "dend"


class TeamCb(CallbackData, prefix="tm"):
    """Handover (`id` = client) and absence with a deputy (`id` = period row)."""

    action: TeamAction
    id: int = 0
    value: str = ""


class RelayAction(StrEnum):
    FORWARD = "fwd"
    REPLY = "reply"
    TOWN = "town"  # the town of a client whose typed message waits for it (`id`: site)
    DROP = "drop"  # the waiting message is not sent after all


class RelayCb(CallbackData, prefix="rl"):
    """Messages between client and case manager. fwd: the client sends one of their own
    messages on (`id` = its message id in their chat); reply: staff answer client `id`."""

    action: RelayAction
    id: int = 0


class TypedCb(CallbackData, prefix="ty"):
    """A request typed in words that may mean several things: the one the client meant."""

    intent: Intent


class ReadyAction(StrEnum):
    LIST = "list"  # the ready-made replies for client `id`
    PICK = "pick"  # one chosen (`value`: its key)
    DAY = "day"  # its {day} (`value`: ISO date)
    TIME = "time"  # its {time} (`value`: "1030")
    PLACE = "place"  # its {place} (`value`: index among the staff member's addresses)
    SEND = "send"  # the previewed reply goes out now
    LATER = "later"  # ... or at a time chosen next


class ReadyCb(CallbackData, prefix="rr"):
    """Ready-made replies (issue 23): picked and filled by buttons, sent in the client's
    language as people translated them."""

    action: ReadyAction
    id: int = 0
    value: str = ""


class LaterAction(StrEnum):
    WRITE = "write"  # a typed answer to client `id`, to be sent later
    TOMORROW = "tmr"  # send it tomorrow morning
    HOURS = "hours"  # at the start of my next working hours
    TYPE = "type"  # at a date and time typed next
    LIST = "list"  # my answers waiting to go out
    CANCEL = "cancel"  # pending answer `id` does not go out


class LaterCb(CallbackData, prefix="lt"):
    """Answers sent later (issue 23)."""

    action: LaterAction
    id: int = 0
