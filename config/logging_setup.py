"""Structured logs: one JSON object a line. Never message text, names or notes.

Only fields given in `extra=` and the fixed message are written; callers pass ids,
counts and error class names, nothing a user typed.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info and record.exc_info[0] is not None:
            # The class only: exception messages can quote user input.
            entry["exc_type"] = record.exc_info[0].__name__
            # Frames (file, line, code) help the operator; the message and locals stay out.
            entry["trace"] = "".join(traceback.format_tb(record.exc_info[2]))[-4000:]
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(level: int) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # aiogram logs every handled update at INFO (ids and durations only), which is fine;
    # SQLAlchemy's engine echo would print statements, so keep it quiet.
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    logging.getLogger("aiosqlite").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # APScheduler says "Running job …" and "executed successfully" at INFO every 15 s:
    # the tick's own lines (claimed, sent, failed) say what matters.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
