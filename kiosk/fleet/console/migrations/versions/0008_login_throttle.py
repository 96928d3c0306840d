"""Adds the web console's count of failed logins per account and per source address (login throttling)."""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.create_table(
        "login_failures", sa.Column("kind", sa.Text, primary_key=True), sa.Column("name", sa.Text, primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False), sa.Column("last_ms", sa.BigInteger, nullable=False))
