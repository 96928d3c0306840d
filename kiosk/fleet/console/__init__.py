"""The reference central server (`kiosk fleet …`): ingestion, presence, configuration, commands and reports.

Never imported by the kiosk side; it shares only `kiosk.fleet.protocol` and `kiosk.fleet.catalogue`.
"""
