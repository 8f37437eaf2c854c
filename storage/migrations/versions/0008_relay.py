"""Relayed messages (ids, times, direction; text encrypted, purged after retention).

Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

import storage.crypto
from storage.migrations.columns import create_table_with_id, foreign_key, utc_column

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    create_table_with_id(
        "relay_messages",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("staff_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("staff_message_id", sa.BigInteger(), nullable=True),
        sa.Column("client_message_id", sa.BigInteger(), nullable=True),
        sa.Column("text", storage.crypto.EncryptedText(), nullable=True),
        utc_column("created_at"),
        foreign_key("relay_messages", "client_id", "clients", "CASCADE"),
        foreign_key("relay_messages", "staff_id", "staff", "SET NULL"),
    )
    op.create_index("ix_relay_messages_client_id", "relay_messages", ["client_id"])
    op.create_index("ix_relay_messages_created_at", "relay_messages", ["created_at"])
    op.create_index(
        "ix_relay_messages_staff_chat_id", "relay_messages", ["staff_chat_id", "staff_message_id"]
    )


def downgrade() -> None:
    op.drop_table("relay_messages")
