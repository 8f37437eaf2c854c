"""Relayed messages (ids, times, direction; text encrypted, purged after retention).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

import storage.crypto
import storage.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "relay_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("staff_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("staff_message_id", sa.BigInteger(), nullable=True),
        sa.Column("client_message_id", sa.BigInteger(), nullable=True),
        sa.Column("text", storage.crypto.EncryptedText(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name="fk_relay_messages_client_id_clients",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name="fk_relay_messages_staff_id_staff",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_relay_messages"),
    )
    op.create_index("ix_relay_messages_client_id", "relay_messages", ["client_id"])
    op.create_index("ix_relay_messages_created_at", "relay_messages", ["created_at"])
    op.create_index(
        "ix_relay_messages_staff_chat_id", "relay_messages", ["staff_chat_id", "staff_message_id"]
    )


def downgrade() -> None:
    op.drop_table("relay_messages")
