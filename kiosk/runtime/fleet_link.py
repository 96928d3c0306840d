"""The kiosk's side of the fleet, composed: telemetry outbox, the recorder feeding it, and the MQTT agent.

Why here and not in kiosk.fleet: what a fleet command does on this kiosk (restart the app, test the reader),
what configuration it may change and when the kiosk counts as idle are decisions of the composition root.
Rebooting is kiosk.runtime.reboot, safe mode kiosk.runtime.safe_mode; the commands that upload a file are
kiosk.runtime.fleet_uploads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import __version__
from kiosk.runtime import fleet_uploads, safe_mode
from kiosk.runtime.reboot import reboot
from kiosk.core.events import AppStopping, RestartRequested
from kiosk.fleet.agent import Collaborators, FleetAgent
from kiosk.fleet.app_update import AppUpdater
from kiosk.fleet.outbox import Outbox
from kiosk.fleet.protocol import Code, NoArgs, Rejected, SafeModeArgs
from kiosk.release.tree import running_release, running_tree
from kiosk.release.update import UPDATES_DIR

if TYPE_CHECKING:
    from kiosk.runtime.bootstrap import Kiosk

logger = logging.getLogger(__name__)

def _device_state(kiosk: Kiosk, subsystem: str) -> dict[str, Any]:
    board = {h.name: h for h in kiosk.health.snapshot()}
    health = board.get(subsystem)
    if health is None:
        raise Rejected(f"{subsystem} not fitted or not started", Code.UNAVAILABLE)
    return {"ok": health.ok, "code": health.code}


def command_handlers(kiosk: Kiosk) -> Mapping[str, Callable[[NoArgs], Mapping[str, Any]]]:
    """The allow-listed commands this kiosk can carry out; the others are answered 503 by the agent."""

    def restart_app(_args: NoArgs) -> Mapping[str, Any]:
        kiosk.bus.publish(RestartRequested("fleet"))
        return {"restarting": True}

    def safe_mode_switch(args: SafeModeArgs) -> Mapping[str, Any]:
        restarting = safe_mode.enter(kiosk, "fleet") if args.on else safe_mode.leave(kiosk, "fleet")
        return {"safe_mode": args.on, "restarting": restarting}

    def reboot_machine(_args: NoArgs) -> Mapping[str, Any]:
        # the agent refused it with 409 mid-session when it arrived; a citizen may have touched the screen since
        if kiosk.session.in_use:
            raise Rejected("a citizen session is in progress", Code.CONFLICT)
        return reboot(kiosk.notifier)

    def printer_test(_args: NoArgs) -> Mapping[str, Any]:
        if kiosk.printing is None:
            raise Rejected("no printer fitted or started", Code.UNAVAILABLE)
        from kiosk.services.device_tests import print_test_slip

        return print_test_slip(kiosk.printing, kiosk.bus, kiosk.clock, kiosk.config.kiosk.id)

    return {
        "restart_app": restart_app,
        "safe_mode": safe_mode_switch,
        "reboot": reboot_machine,
        "screenshot": fleet_uploads.screenshot,
        "upload_logs": fleet_uploads.upload_logs,
        "reader_test": lambda _args: _device_state(kiosk, "idcard"),
        "printer_test": printer_test,
    }


def install_content(kiosk: Kiosk, content_root: Path):
    """Make a pack a content job installed current: its flows for new sessions, its triage model, its keyboard's
    words and its spoken clips. The model and the words are read before the flows are swapped in, so a pack
    whose model or dictionary will not load leaves the kiosk wholly on the old one (the job rolls back); the
    keyboards take the words, already read, the next time their screen is entered."""
    from kiosk.legal.triage import TriageModel
    from kiosk.ui.ime.engine import PinyinDictionary

    model = TriageModel.of_pack(content_root)
    PinyinDictionary.of_pack(content_root)

    def every_topic_offered_has_a_flow(pack) -> None:
        if unknown := set(model.classes) - set(pack.flows):
            raise ValueError(f"the pack's triage model offers {sorted(unknown)}, for which it has no flow")

    pack = kiosk.consultations.install(content_root, every_topic_offered_has_a_flow)
    kiosk.smart.use(model)
    kiosk.speech.use_pack(content_root)
    return pack


def app_updater(kiosk: Kiosk) -> AppUpdater:
    """App update jobs: the root installer unpacks the release, the kiosk restarts into it while nobody uses it."""
    config = kiosk.config
    updater = AppUpdater(running_tree(), running_release(), updates=Path(config.paths.data_dir) / UPDATES_DIR,
                         key_file=Path(config.fleet.content_key_file), is_idle=lambda: not kiosk.session.in_use,
                         restart=lambda: kiosk.bus.publish(RestartRequested("app_update")))
    kiosk.bus.subscribe(AppStopping, lambda _event: updater.stop())
    return updater


def build_agent(kiosk: Kiosk, outbox: Outbox, apply_desired: Callable[[dict], None]) -> FleetAgent:
    """The MQTT agent with this kiosk's collaborators (constructed only; `start()` connects)."""
    config = kiosk.config
    collaborators = Collaborators(
        apply_desired=apply_desired,
        is_idle=lambda: not kiosk.session.in_use,
        handlers=command_handlers(kiosk),
        inventory=lambda: {"printer": f"{config.printer.kind}:{config.printer.profile}",
                           "reader": config.idcard.kind, "safe_mode": kiosk.safe_mode,
                           **kiosk.printer_counters.inventory()},
        install_content=lambda root: install_content(kiosk, root),
        app_update=app_updater(kiosk),
    )
    return FleetAgent(config.fleet, config.kiosk, db=kiosk.db, outbox=outbox, clock=kiosk.clock,
                      boot_id=kiosk.boot_id, sw_version=__version__, collaborators=collaborators)
