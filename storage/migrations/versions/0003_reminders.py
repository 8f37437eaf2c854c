"""Reminders, confirmations, unreachable clients, daily agendas.

Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from storage.migrations.columns import create_table_with_id, foreign_key, utc_column

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    with op.batch_alter_table("clients") as batch:
        batch.add_column(utc_column("unreachable_at", nullable=True))
    with op.batch_alter_table("appointments") as batch:
        batch.add_column(utc_column("confirmed_at", nullable=True))
    create_table_with_id(
        "reminders",
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        utc_column("due_at"),
        sa.Column("status", sa.String(16), nullable=False),
        utc_column("lease_until", nullable=True),
        sa.Column("claim_token", sa.String(36), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        utc_column("sent_at", nullable=True),
        utc_column("created_at"),
        foreign_key("reminders", "appointment_id", "appointments", "CASCADE"),
        sa.UniqueConstraint("appointment_id", "kind", name="uq_reminders_appointment_id"),
    )
    op.create_index("ix_reminders_status_due_at", "reminders", ["status", "due_at"])
    create_table_with_id(
        "staff_digests",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        utc_column("sent_at"),
        foreign_key("staff_digests", "staff_id", "staff", "CASCADE"),
        sa.UniqueConstraint("staff_id", "day", name="uq_staff_digests_staff_id"),
    )


def downgrade() -> None:
    op.drop_table("staff_digests")
    op.drop_table("reminders")
    with op.batch_alter_table("appointments") as batch:
        batch.drop_column("confirmed_at")
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("unreachable_at")
