"""Secrets handed over by systemd's `LoadCredential=`, with the configured file as the fallback.

Why: the unit file loads the broker password and the TLS private key as credentials, so the files under /etc can be
readable by root alone and the service sees private copies in `$CREDENTIALS_DIRECTORY` (systemd.exec(5)). Run any
other way (development, tests, the CLI), the configured path is read as before.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

MQTT_PASSWORD = "mqtt_password"
FLEET_TLS_KEY = "fleet_tls_key"
"""Credential names, as the unit's LoadCredential= lines give them."""


def credential_path(name: str, configured: str, environ: Mapping[str, str] | None = None) -> str:
    """The file to read credential `name` from: systemd's copy when the service was given one, else `configured`."""
    environ = os.environ if environ is None else environ
    directory = environ.get("CREDENTIALS_DIRECTORY")
    if directory and (Path(directory) / name).is_file():
        return str(Path(directory) / name)
    return configured
