"""Adds the web console's operators (roles, slow salted password hashes), their sessions and the audit log."""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    big, text = sa.BigInteger, sa.Text
    op.create_table(
        "users", sa.Column("username", text, primary_key=True), sa.Column("password_hash", text, nullable=False),
        sa.Column("role", text, nullable=False), sa.Column("created_ms", big, nullable=False))
    op.create_table(
        "web_sessions", sa.Column("token_hash", text, primary_key=True), sa.Column("username", text, nullable=False),
        sa.Column("csrf", text, nullable=False), sa.Column("created_ms", big, nullable=False),
        sa.Column("expires_ms", big, nullable=False))
    op.create_table(
        "audit", sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
                           autoincrement=True),
        sa.Column("at_ms", big, nullable=False), sa.Column("username", text, nullable=False),
        sa.Column("action", text, nullable=False), sa.Column("target", text, nullable=False),
        sa.Column("detail", text, nullable=False))
    op.create_index("audit_at", "audit", ["at_ms"])
