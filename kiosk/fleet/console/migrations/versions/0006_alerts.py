"""Alerts that open, update and close (a condition alert is open while `closed_ms` is NULL, at most one per kiosk
and kind), the webhook notices owed for them, and each kiosk's latest device states from its hw stream."""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    big, text = sa.BigInteger, sa.Text
    op.add_column("alerts", sa.Column("updated_ms", big))
    op.add_column("alerts", sa.Column("closed_ms", big))
    op.execute("UPDATE alerts SET updated_ms = at_ms, closed_ms = at_ms")
    op.create_index("alerts_open", "alerts", ["kid", "kind"], unique=True,
                    sqlite_where=sa.text("closed_ms IS NULL"), postgresql_where=sa.text("closed_ms IS NULL"))
    op.create_table(
        "notices", sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
                             autoincrement=True),
        sa.Column("alert_id", big, nullable=False), sa.Column("event", text, nullable=False),
        sa.Column("text", text, nullable=False), sa.Column("created_ms", big, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_ms", big, nullable=False), sa.Column("claimed_until_ms", big), sa.Column("sent_ms", big),
        sa.Column("error", text))
    op.create_index("notices_due", "notices", ["sent_ms", "next_ms"])
    op.create_table(
        "device_states", sa.Column("kid", text, primary_key=True), sa.Column("device", text, primary_key=True),
        sa.Column("state", text, nullable=False), sa.Column("code", text), sa.Column("t_ms", big, nullable=False))
