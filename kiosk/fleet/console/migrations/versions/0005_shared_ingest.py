"""Lets several ingest workers share one store: when a gap's resend was last asked for, so only one worker asks."""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.add_column("streams", sa.Column("resend_ms", sa.BigInteger))
