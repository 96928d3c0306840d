"""Alembic's entry point for the console store: migrations run on the connection `database.migrate` passes in."""

from alembic import context

context.configure(connection=context.config.attributes["connection"])
with context.begin_transaction():
    context.run_migrations()
