"""Booking: staff names, client nickname and phone, hours, days off, appointments, invites.

Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from storage.migrations.columns import create_table_with_id, foreign_key, primary_key, utc_column

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("display_name", sa.String(100), nullable=False, server_default=""))
    with op.batch_alter_table("clients") as batch:
        batch.add_column(sa.Column("nickname", sa.String(100), nullable=True))
        batch.add_column(sa.Column("phone", sa.String(32), nullable=True))

    create_table_with_id(
        "weekly_hours",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start", sa.Time(), nullable=False),
        sa.Column("end", sa.Time(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("address", sa.String(300), nullable=True),
        foreign_key("weekly_hours", "staff_id", "staff", "CASCADE"),
    )
    op.create_index("ix_weekly_hours_staff_id", "weekly_hours", ["staff_id"])

    create_table_with_id(
        "days_off",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        foreign_key("days_off", "staff_id", "staff", "CASCADE"),
        sa.UniqueConstraint("staff_id", "day", name="uq_days_off_staff_id"),
    )

    create_table_with_id(
        "appointments",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        utc_column("starts_at"),
        utc_column("ends_at"),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("topic", sa.String(32), nullable=False),
        sa.Column("address", sa.String(300), nullable=True),
        sa.Column("interpreter", sa.String(16), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("booked_by", sa.String(16), nullable=False),
        sa.Column("cancel_reason", sa.String(32), nullable=True),
        utc_column("created_at"),
        utc_column("updated_at"),
        foreign_key("appointments", "client_id", "clients", "CASCADE"),
        foreign_key("appointments", "staff_id", "staff", "RESTRICT"),
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
        utc_column("created_at"),
        utc_column("expires_at"),
        utc_column("used_at", nullable=True),
        sa.Column("used_by_staff_id", sa.Integer(), nullable=True),
        foreign_key("staff_invites", "site_id", "sites", "CASCADE"),
        foreign_key("staff_invites", "used_by_staff_id", "staff", "SET NULL"),
        primary_key("staff_invites", "code"),
    )

    op.create_table(
        "client_invites",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("nickname", sa.String(100), nullable=False),
        utc_column("created_at"),
        utc_column("expires_at"),
        utc_column("used_at", nullable=True),
        foreign_key("client_invites", "site_id", "sites", "CASCADE"),
        foreign_key("client_invites", "staff_id", "staff", "CASCADE"),
        primary_key("client_invites", "code"),
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
