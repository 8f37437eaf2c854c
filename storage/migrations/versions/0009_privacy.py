"""Privacy: activity for retention, anonymised notes, the bot's recent messages, offer sends.

Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from storage.migrations.columns import create_table_with_id, foreign_key, utc_column

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    with op.batch_alter_table("clients") as batch:
        batch.add_column(utc_column("last_seen_at", nullable=True))
        batch.add_column(
            utc_column("retention_warned_at", nullable=True)
        )
    with op.batch_alter_table("notes") as batch:
        batch.alter_column("client_id", existing_type=sa.Integer(), nullable=True)
    create_table_with_id(
        "bot_messages",
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        utc_column("sent_at"),
    )
    op.create_index("ix_bot_messages_chat_id", "bot_messages", ["chat_id"])
    op.create_index("ix_bot_messages_sent_at", "bot_messages", ["sent_at"])
    create_table_with_id(
        "offer_sends",
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("life_areas", sa.String(200), nullable=False),
        utc_column("sent_at"),
        foreign_key("offer_sends", "site_id", "sites", "SET NULL"),
    )
    op.create_index("ix_offer_sends_site_id", "offer_sends", ["site_id"])


def downgrade() -> None:
    op.drop_table("offer_sends")
    op.drop_table("bot_messages")
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("retention_warned_at")
        batch.drop_column("last_seen_at")
