"""FSM state groups (kept in the database by handlers.fsm_storage)."""

from aiogram.fsm.state import State, StatesGroup


class OnboardingSG(StatesGroup):
    language = State()  # the picker is shown; a start code may wait in the data
    consent = State()  # the privacy notice is shown


class PrivacySG(StatesGroup):
    confirm_delete = State()
