"""The console's own settings (`kiosk fleet serve --config FILE`, TOML): alert thresholds and the webhook.

Why: how long a terminal may be silent, how much backlog or clock skew is worth waking someone for, and which
group robot hears about it differ per bureau; they are configuration, checked at start, never code. Example:

    [alerts]
    offline_after_min = 10      # a terminal offline this long opens an alert
    backlog_events = 5000       # events a kiosk announced and the server has not yet stored
    clock_skew_s = 120          # |kiosk clock - server clock|
    config_behind_min = 30      # a published configuration not applied after this long
    content_behind_min = 120    # a content-pack job not succeeded after this long
    check_every_s = 15

    [webhook]                   # a DingTalk or WeCom group robot (both take the same text message)
    url = "https://oapi.dingtalk.com/robot/send?access_token=…"
    secret = ""                 # DingTalk's 加签 secret, if the robot has one

    [content]                   # content packs the web console may roll out (kiosk fleet web)
    packs_dir = "/srv/kiosk-packs"                    # the .tar.gz packs, as built by kiosk content build
    base_url = "https://fleet.example.gov.cn/packs/"  # where kiosks download that directory's files
    signing_key = "/etc/kiosk-console/content-signing.pem"  # the bureau's Ed25519 private key (PEM)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from kiosk.core.errors import BAD_USAGE, KioskError


@dataclass(frozen=True, slots=True)
class AlertRules:
    """Thresholds of the condition alerts (`alerts.RULES`)."""

    offline_after_min: float = 10.0
    backlog_events: int = 5000
    clock_skew_s: float = 120.0
    config_behind_min: float = 30.0
    content_behind_min: float = 120.0
    check_every_s: float = 15.0


@dataclass(frozen=True, slots=True)
class Webhook:
    """A group robot's URL (empty: alerts are shown on the console only) and DingTalk's signing secret."""

    url: str = ""
    secret: str = ""
    timeout_s: float = 10.0


@dataclass(frozen=True, slots=True)
class ContentSource:
    """Where the packs to roll out are, where kiosks fetch them, and the key that signs them (all empty: the web
    console offers no content rollout)."""

    packs_dir: str = ""
    base_url: str = ""
    signing_key: str = ""


@dataclass(frozen=True, slots=True)
class ConsoleSettings:
    alerts: AlertRules = field(default_factory=AlertRules)
    webhook: Webhook = field(default_factory=Webhook)
    content: ContentSource = field(default_factory=ContentSource)


def _section(kind: type, values: object, name: str):
    if not isinstance(values, dict):
        raise KioskError(BAD_USAGE, f"[{name}] must be a table")
    known = {f.name: f.type for f in fields(kind)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise KioskError(BAD_USAGE, f"[{name}] has unknown keys: {', '.join(unknown)}")
    for key, value in values.items():
        wanted = {"float": (int, float), "int": (int,), "str": (str,)}[known[key]]
        if isinstance(value, bool) or not isinstance(value, wanted) or (known[key] != "str" and value < 0):
            raise KioskError(BAD_USAGE, f"[{name}] {key} = {value!r} is not a non-negative {known[key]}")
    return kind(**values)


def load(path: Path | None) -> ConsoleSettings:
    """The settings in `path` (defaults where a key or the file is left out); BAD_USAGE names what is wrong."""
    if path is None:
        return ConsoleSettings()
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise KioskError(BAD_USAGE, f"{path}: {exc}") from None
    unknown = sorted(set(document) - {"alerts", "webhook", "content"})
    if unknown:
        raise KioskError(BAD_USAGE, f"{path}: unknown sections: {', '.join(unknown)}")
    return ConsoleSettings(alerts=_section(AlertRules, document.get("alerts", {}), "alerts"),
                           webhook=_section(Webhook, document.get("webhook", {}), "webhook"),
                           content=_section(ContentSource, document.get("content", {}), "content"))
