"""Answers sent later (issue 23, item 3): the outbox of case managers' answers; a
site's own ready replies with their translations (item 2).

Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import storage.crypto
from storage.migrations.columns import create_table_with_id, foreign_key, utc_column

revision = "0019"
down_revision = "0018"


def upgrade() -> None:
    create_table_with_id(
        "later_answers",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("text", storage.crypto.EncryptedText(), nullable=True),
        sa.Column("reply_key", sa.String(32), nullable=True),
        sa.Column("reply_values", storage.crypto.EncryptedText(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        utc_column("due_at"),
        utc_column("lease_until", nullable=True),
        sa.Column("claim_token", sa.String(36), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        utc_column("created_at"),
        utc_column("ended_at", nullable=True),
        foreign_key("later_answers", "staff_id", "staff", "CASCADE"),
        foreign_key("later_answers", "client_id", "clients", "CASCADE"),
    )
    op.create_index("ix_later_answers_status_due_at", "later_answers", ["status", "due_at"])
    op.create_index("ix_later_answers_staff_id_status", "later_answers", ["staff_id", "status"])
    op.create_index("ix_later_answers_client_id", "later_answers", ["client_id"])
    create_table_with_id(
        "site_ready_replies",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("texts", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        utc_column("created_at"),
        foreign_key("site_ready_replies", "site_id", "sites", "CASCADE"),
        foreign_key("site_ready_replies", "created_by", "staff", "SET NULL"),
    )
    op.create_index("ix_site_ready_replies_site_id", "site_ready_replies", ["site_id"])


def downgrade() -> None:
    op.drop_table("site_ready_replies")
    op.drop_table("later_answers")
