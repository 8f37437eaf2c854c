"""FSM state groups (kept in the database by handlers.fsm_storage)."""

from aiogram.fsm.state import State, StatesGroup


class OnboardingSG(StatesGroup):
    language = State()  # the picker is shown; a start code may wait in the data
    consent = State()  # the privacy notice is shown


class PrivacySG(StatesGroup):
    confirm_delete = State()


class BookingSG(StatesGroup):
    """A new appointment, step by step (topic, how, day, time, interpreter, summary)."""

    site = State()
    topic = State()
    mode = State()
    phone = State()
    day = State()
    time = State()
    interpreter = State()
    summary = State()


class MoveSG(StatesGroup):
    """Moving an appointment: a new day and time of the same case manager. The data
    holds `move_id`, `move_staff_id` and the appointment's topic, mode and interpreter."""

    day = State()
    time = State()
    summary = State()


class WaitlistSG(StatesGroup):
    """Asking to be told when an earlier time frees up: topic and mode come from the
    booking (w_topic, w_mode); then weekdays and part of day, then until when."""

    mode = State()
    when = State()
    until = State()


class AnnounceSG(StatesGroup):
    """Writing an announcement (issue 23); the draft waits in the data (an_*)."""

    text = State()  # the text is typed
    filters = State()  # languages, appointments, source language by buttons; the preview
    when = State()  # a date and time is typed
    confirm = State()  # the moment is chosen (an_when): confirm


class StaffSG(StatesGroup):
    invite_nickname = State()


class AvailabilitySG(StatesGroup):
    """Adding hours by buttons, one state per step; a step chosen again from an older
    message changes what was chosen there and keeps the step reached."""

    adding = State()  # the weekday is chosen (nothing chosen yet)
    address = State()  # typing the address of in-person hours
    start = State()  # weekday chosen (av_day): the start time
    end = State()  # start chosen (av_from): the end time
    slot = State()  # end chosen (av_to): the length of one appointment
    mode = State()  # slot chosen (av_slot): in person, by phone or video
    in_person = State()  # in person chosen, then a weekday again: typed text is no address


class NoteSG(StatesGroup):
    """Writing a note: client, areas and phase are in the data; then the text is typed."""

    pick = State()  # choosing the client; typed text searches nicknames
    choosing = State()  # life areas and phase by buttons
    text = State()  # the note itself is typed
    edit = State()  # the new text of an own note (n_note in the data)


class ClientsSG(StatesGroup):
    search = State()  # a typed name searches the site's clients


class RelaySG(StatesGroup):
    write = State()  # what the client sends goes to their case manager
    town = State()  # a typed message (kept, encrypted) waits for the client's town


class StaffRelaySG(StatesGroup):
    reply = State()  # the case manager's next text goes to client r_client
    ready = State()  # a ready-made reply (rr_key) is being filled (rr_values) or previewed
    later_text = State()  # the next text waits (l_text) for a time to be sent
    later_when = State()  # an answer (l_text, or rr_key with rr_values) waits for a time
    later_typed = State()  # the time is typed


class OffersSG(StatesGroup):
    browse = State()  # looking up offers: a typed text is a search
