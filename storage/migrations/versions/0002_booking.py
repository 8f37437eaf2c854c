"""Booking: staff names, client nickname and phone, hours, days off, appointments, invites.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("display_name", sa.String(100), nullable=False, server_default=""))
    with op.batch_alter_table("clients") as batch:
        batch.add_column(sa.Column("nickname", sa.String(100), nullable=True))
        batch.add_column(sa.Column("phone", sa.String(32), nullable=True))

    op.create_table(
        "weekly_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start", sa.Time(), nullable=False),
        sa.Column("end", sa.Time(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("address", sa.String(300), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name="fk_weekly_hours_staff_id_staff", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_weekly_hours"),
    )
    op.create_index("ix_weekly_hours_staff_id", "weekly_hours", ["staff_id"])

    op.create_table(
        "days_off",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name="fk_days_off_staff_id_staff", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_days_off"),
        sa.UniqueConstraint("staff_id", "day", name="uq_days_off_staff_id"),
    )

    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("ends_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("topic", sa.String(32), nullable=False),
        sa.Column("address", sa.String(300), nullable=True),
        sa.Column("interpreter", sa.String(16), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("booked_by", sa.String(16), nullable=False),
        sa.Column("cancel_reason", sa.String(32), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name="fk_appointments_client_id_clients",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name="fk_appointments_staff_id_staff", ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_appointments"),
    )
    op.create_index("ix_appointments_client_id", "appointments", ["client_id"])
    op.create_index("ix_appointments_staff_id", "appointments", ["staff_id"])
    op.create_index("ix_appointments_starts_at", "appointments", ["starts_at"])
    op.create_index(
        "uq_appointments_booked_slot",
        "appointments",
        ["staff_id", "starts_at"],
        unique=True,
        sqlite_where=sa.text("status = 'booked'"),
        postgresql_where=sa.text("status = 'booked'"),
    )

    op.create_table(
        "staff_invites",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("used_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("used_by_staff_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name="fk_staff_invites_site_id_sites", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["used_by_staff_id"], ["staff.id"], name="fk_staff_invites_used_by_staff_id_staff",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("code", name="pk_staff_invites"),
    )

    op.create_table(
        "client_invites",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("nickname", sa.String(100), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("used_at", storage.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name="fk_client_invites_site_id_sites", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name="fk_client_invites_staff_id_staff", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("code", name="pk_client_invites"),
    )
    op.create_index("ix_client_invites_staff_id", "client_invites", ["staff_id"])


def downgrade() -> None:
    op.drop_table("client_invites")
    op.drop_table("staff_invites")
    op.drop_table("appointments")
    op.drop_table("days_off")
    op.drop_table("weekly_hours")
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("phone")
        batch.drop_column("nickname")
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("display_name")
