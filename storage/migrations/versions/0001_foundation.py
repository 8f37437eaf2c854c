"""Foundation: sites, staff, clients, processed updates, conversations.

Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from storage.migrations.columns import create_table_with_id, foreign_key, primary_key, utc_column

revision = "0001"
down_revision = None


def upgrade() -> None:
    create_table_with_id(
        "sites",
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        utc_column("created_at"),
        sa.UniqueConstraint("slug", name="uq_sites_slug"),
    )
    create_table_with_id(
        "staff",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("locale", sa.String(16), nullable=False),
        sa.Column("languages", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        foreign_key("staff", "site_id", "sites", "RESTRICT"),
        sa.UniqueConstraint("telegram_user_id", name="uq_staff_telegram_user_id"),
    )
    op.create_index("ix_staff_site_id", "staff", ["site_id"])
    create_table_with_id(
        "clients",
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("locale", sa.String(16), nullable=False),
        sa.Column("start_code", sa.String(64), nullable=True),
        sa.Column("consent_version", sa.String(32), nullable=True),
        utc_column("consented_at", nullable=True),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("case_manager_id", sa.Integer(), nullable=True),
        utc_column("created_at"),
        foreign_key("clients", "site_id", "sites", "SET NULL"),
        foreign_key("clients", "case_manager_id", "staff", "SET NULL"),
        sa.UniqueConstraint("telegram_user_id", name="uq_clients_telegram_user_id"),
    )
    op.create_index("ix_clients_site_id", "clients", ["site_id"])
    op.create_index("ix_clients_case_manager_id", "clients", ["case_manager_id"])
    create_table_with_id(
        "processed_updates",
        sa.Column("bot_id", sa.BigInteger(), nullable=False),
        sa.Column("update_id", sa.BigInteger(), nullable=False),
        utc_column("received_at"),
        sa.UniqueConstraint("bot_id", "update_id", name="uq_processed_updates_bot_id"),
    )
    op.create_index("ix_processed_updates_received_at", "processed_updates", ["received_at"])
    op.create_table(
        "conversations",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(200), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        utc_column("updated_at"),
        primary_key("conversations", "key"),
    )
    op.create_index("ix_conversations_telegram_user_id", "conversations", ["telegram_user_id"])


def downgrade() -> None:
    op.drop_table("conversations")
    op.drop_table("processed_updates")
    op.drop_table("clients")
    op.drop_table("staff")
    op.drop_table("sites")
