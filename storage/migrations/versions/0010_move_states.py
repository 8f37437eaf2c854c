"""Half-done moves get their own FSM states (MoveSG) instead of BookingSG with `move_id`.

The Telegram layer routes by state now, so a client who was choosing a new time when
the new release started goes on with the move, not with a new booking.

Create Date: 2026-12-07
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"

_STEPS = {"day": "day", "time": "time", "summary": "summary", "interpreter": "summary"}


def _data(value: object) -> dict[str, object]:
    """The JSON column as stored: a dict (PostgreSQL) or its text (SQLite drivers vary)."""
    if isinstance(value, str):
        value = json.loads(value or "{}")
    return value if isinstance(value, dict) else {}


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT key, state, data FROM conversations WHERE state LIKE 'BookingSG:%'")
    ).all()
    for key, state, data in rows:
        step = state.split(":", 1)[1]
        if not _data(data).get("move_id"):
            continue
        new = f"MoveSG:{_STEPS.get(step, 'day')}"
        bind.execute(
            sa.text("UPDATE conversations SET state = :state WHERE key = :key"),
            {"state": new, "key": key},
        )


def downgrade() -> None:
    op.execute("UPDATE conversations SET state = 'BookingSG:day' WHERE state LIKE 'MoveSG:%'")
