"""Reminders, confirmations, unreachable clients, daily agendas.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clients") as batch:
        batch.add_column(sa.Column("unreachable_at", storage.types.UTCDateTime(), nullable=True))
    with op.batch_alter_table("appointments") as batch:
        batch.add_column(sa.Column("confirmed_at", storage.types.UTCDateTime(), nullable=True))
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("due_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("lease_until", storage.types.UTCDateTime(), nullable=True),
        sa.Column("claim_token", sa.String(36), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"], ["appointments.id"],
            name="fk_reminders_appointment_id_appointments", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reminders"),
        sa.UniqueConstraint("appointment_id", "kind", name="uq_reminders_appointment_id"),
    )
    op.create_index("ix_reminders_status_due_at", "reminders", ["status", "due_at"])
    op.create_table(
        "staff_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sent_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name="fk_staff_digests_staff_id_staff", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_staff_digests"),
        sa.UniqueConstraint("staff_id", "day", name="uq_staff_digests_staff_id"),
    )


def downgrade() -> None:
    op.drop_table("staff_digests")
    op.drop_table("reminders")
    with op.batch_alter_table("appointments") as batch:
        batch.drop_column("confirmed_at")
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("unreachable_at")
