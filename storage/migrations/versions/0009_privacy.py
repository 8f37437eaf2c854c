"""Privacy: activity for retention, anonymised notes, the bot's recent messages, offer sends.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clients") as batch:
        batch.add_column(sa.Column("last_seen_at", storage.types.UTCDateTime(), nullable=True))
        batch.add_column(
            sa.Column("retention_warned_at", storage.types.UTCDateTime(), nullable=True)
        )
    with op.batch_alter_table("notes") as batch:
        batch.alter_column("client_id", existing_type=sa.Integer(), nullable=True)
    op.create_table(
        "bot_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("sent_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_bot_messages"),
    )
    op.create_index("ix_bot_messages_chat_id", "bot_messages", ["chat_id"])
    op.create_index("ix_bot_messages_sent_at", "bot_messages", ["sent_at"])
    op.create_table(
        "offer_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("life_areas", sa.String(200), nullable=False),
        sa.Column("sent_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name="fk_offer_sends_site_id_sites", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_offer_sends"),
    )
    op.create_index("ix_offer_sends_site_id", "offer_sends", ["site_id"])


def downgrade() -> None:
    op.drop_table("offer_sends")
    op.drop_table("bot_messages")
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("retention_warned_at")
        batch.drop_column("last_seen_at")
