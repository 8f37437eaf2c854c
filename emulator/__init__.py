"""A small Telegram Bot API emulator for tests and (later) the offline demo.

It speaks HTTP on 127.0.0.1 with Telegram's response shapes and limits, keeps the
chats in memory, and has a control API under `/_emulator/` to play users.
Independent of the bot's code (checked by import-linter).
"""

from emulator.server import EmulatorServer
from emulator.state import Emulator
from emulator.validation import ApiError

__all__ = ["ApiError", "Emulator", "EmulatorServer"]
