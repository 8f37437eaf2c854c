"""Case notes (encrypted bodies), earlier versions, audit log, deputies, message removals.

Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

import storage.crypto
from storage.migrations.columns import create_table_with_id, foreign_key, utc_column

revision = "0006"
down_revision = "0005"


def _note_content() -> list[sa.Column]:
    """What a note says: a note and each of its earlier versions keep the same columns."""
    return [
        sa.Column("life_areas", sa.String(200), nullable=False),
        sa.Column("phase", sa.String(16), nullable=True),
        sa.Column("body", storage.crypto.EncryptedText(), nullable=False),
    ]


def upgrade() -> None:
    create_table_with_id(
        "notes",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=True),
        *_note_content(),
        utc_column("created_at"),
        utc_column("updated_at"),
        foreign_key("notes", "client_id", "clients", "CASCADE"),
        foreign_key("notes", "author_id", "staff", "CASCADE"),
        foreign_key("notes", "appointment_id", "appointments", "SET NULL"),
    )
    op.create_index("ix_notes_author_id", "notes", ["author_id"])
    op.create_index("ix_notes_client_id_created_at", "notes", ["client_id", "created_at"])
    create_table_with_id(
        "note_versions",
        sa.Column("note_id", sa.Integer(), nullable=False),
        *_note_content(),
        utc_column("written_at"),
        utc_column("replaced_at"),
        foreign_key("note_versions", "note_id", "notes", "CASCADE"),
    )
    op.create_index("ix_note_versions_note_id", "note_versions", ["note_id"])
    create_table_with_id(
        "audit_log",
        utc_column("at"),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("note_id", sa.Integer(), nullable=True),
        foreign_key("audit_log", "staff_id", "staff", "SET NULL"),
        foreign_key("audit_log", "site_id", "sites", "SET NULL"),
        foreign_key("audit_log", "client_id", "clients", "SET NULL"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_site_id", "audit_log", ["site_id"])
    op.create_index("ix_audit_log_client_id", "audit_log", ["client_id"])
    create_table_with_id(
        "deputies",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("deputy_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        utc_column("created_at"),
        foreign_key("deputies", "staff_id", "staff", "CASCADE"),
        foreign_key("deputies", "deputy_id", "staff", "CASCADE"),
    )
    op.create_index("ix_deputies_staff_id", "deputies", ["staff_id"])
    op.create_index("ix_deputies_deputy_id", "deputies", ["deputy_id"])
    create_table_with_id(
        "message_deletions",
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        utc_column("delete_at"),
    )
    op.create_index("ix_message_deletions_delete_at", "message_deletions", ["delete_at"])


def downgrade() -> None:
    op.drop_table("message_deletions")
    op.drop_table("deputies")
    op.drop_table("audit_log")
    op.drop_table("note_versions")
    op.drop_table("notes")
