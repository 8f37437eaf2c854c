"""A case manager's appointments by time: one index on (staff_id, starts_at).

The agenda and the console's "My week" ask for one staff member's appointments between
two times, whatever their status. The partial unique index on the same columns covers
booked ones only, so SQLite walked all of the person's appointments through the staff_id
index: 25 ms for 2,500 of them (console benchmark, 10,000 clients), 0.1 ms with this one.

Create Date: 2026-12-07
"""

from alembic import op

revision = "0015"
down_revision = "0014"


def upgrade() -> None:
    op.create_index("ix_appointments_staff_starts", "appointments", ["staff_id", "starts_at"])


def downgrade() -> None:
    op.drop_index("ix_appointments_staff_starts", table_name="appointments")
