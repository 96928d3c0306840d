"""The reference central server (`kiosk fleet …`): ingestion, presence, alerts, configuration, commands, reports
and the operators' web console, on SQLite or PostgreSQL.

Never imported by the kiosk side; it shares `kiosk.fleet.protocol` and `kiosk.fleet.catalogue`, and checks a
configuration against the kiosk's own schema (`kiosk.fleet.desired`) before it publishes one.
"""
