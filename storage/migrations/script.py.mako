"""${message}

Create Date: ${create_date}
"""
from alembic import op
import sqlalchemy as sa
import storage.types
from storage.migrations.columns import foreign_key, id_column, primary_key, utc_column
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
% if branch_labels:
branch_labels = ${repr(branch_labels)}
% endif
% if depends_on:
depends_on = ${repr(depends_on)}
% endif


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
