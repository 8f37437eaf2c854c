"""Announcements (issue 23): texts, translations per language, the outbox of deliveries,
and the client's "no announcements".

Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from storage.migrations.columns import create_table_with_id, foreign_key, utc_column

revision = "0020"
down_revision = "0019"


def upgrade() -> None:
    with op.batch_alter_table("clients") as batch:
        batch.add_column(utc_column("announcements_off_at", nullable=True))
    create_table_with_id(
        "announcements",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("scope", sa.String(8), nullable=False),
        sa.Column("source_locale", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("languages", sa.String(200), nullable=False),
        sa.Column("appointment_days", sa.Integer(), nullable=True),
        utc_column("scheduled_at"),
        sa.Column("status", sa.String(16), nullable=False),
        utc_column("created_at"),
        foreign_key("announcements", "site_id", "sites", "CASCADE"),
        foreign_key("announcements", "author_id", "staff", "SET NULL"),
    )
    op.create_index("ix_announcements_site_id", "announcements", ["site_id"])
    op.create_index(
        "ix_announcements_status_scheduled_at", "announcements", ["status", "scheduled_at"]
    )
    create_table_with_id(
        "announcement_texts",
        sa.Column("announcement_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("machine", sa.Boolean(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        foreign_key("announcement_texts", "announcement_id", "announcements", "CASCADE"),
        foreign_key("announcement_texts", "author_id", "staff", "SET NULL"),
        sa.UniqueConstraint(
            "announcement_id", "locale", name="uq_announcement_texts_announcement_id"
        ),
    )
    create_table_with_id(
        "announcement_deliveries",
        sa.Column("announcement_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        utc_column("due_at"),
        utc_column("lease_until", nullable=True),
        sa.Column("claim_token", sa.String(36), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        utc_column("sent_at", nullable=True),
        foreign_key("announcement_deliveries", "announcement_id", "announcements", "CASCADE"),
        foreign_key("announcement_deliveries", "client_id", "clients", "CASCADE"),
        sa.UniqueConstraint(
            "announcement_id", "client_id", name="uq_announcement_deliveries_announcement_id"
        ),
    )
    op.create_index(
        "ix_announcement_deliveries_client_id", "announcement_deliveries", ["client_id"]
    )
    op.create_index(
        "ix_announcement_deliveries_status_due_at",
        "announcement_deliveries",
        ["status", "due_at"],
    )


def downgrade() -> None:
    op.drop_table("announcement_deliveries")
    op.drop_table("announcement_texts")
    op.drop_table("announcements")
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("announcements_off_at")
