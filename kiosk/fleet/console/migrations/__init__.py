"""Alembic migrations of the console store (`database.migrate` runs them): env.py and versions/."""
