"""Migrations of the fleet console's own database, found with `kiosk.storage.migrations.discover`."""
