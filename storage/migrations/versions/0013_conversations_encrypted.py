"""Conversation state encrypted at rest (issue 19): what a flow keeps between steps, such
as a typed note draft or a message waiting for the client's town, is never plain text.

The column becomes text holding a Fernet token (storage.crypto.EncryptedJSON). Rows
written before stay plain JSON until their next write; the type reads both.

Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("conversations", "data", type_=sa.Text(), postgresql_using="data::text")
        return
    with op.batch_alter_table("conversations") as batch:  # SQLite: the table is rebuilt
        batch.alter_column("data", type_=sa.Text(), existing_type=sa.JSON())


def downgrade() -> None:
    # Tokens cannot be read without the key: the half-done flows are dropped.
    op.execute("DELETE FROM conversations")
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("conversations", "data", type_=sa.JSON(), postgresql_using="data::json")
        return
    with op.batch_alter_table("conversations") as batch:
        batch.alter_column("data", type_=sa.JSON(), existing_type=sa.Text())
