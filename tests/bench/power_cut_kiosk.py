"""The kiosk the power-cut bench kills: `kiosk run` as it starts on a terminal (kiosk.runtime.runner.prepare: the
crash-loop guard, safe mode, the composed services; the Kivy app on the bench's Xvfb), with a citizen at it.

`python -m tests.bench.power_cut_kiosk` with the bench's environment (KIOSK_CONFIG_FILE etc., BENCH_MODE). Its ID reader is
its own simulator (a card is presented from here); its printer is the bench's simulator, which outlives the kill.
Once every device and the fleet link are up it prints {"ready": …} and then, BENCH_MODE `cycles=N` or `endless`, runs
visits one after the other, each:

- consult: a touch on the attract screen, the reader's consent and a resident card read, a typed question ranked
  (smart consultation), the legal-aid flow answered and its opinion issued and shown;
- print: 打印法律意见书 tapped on the opinion screen, until the slip is out or failed;
- apply: the legal-aid pre-application stored (name, ID number, phone and address sealed);
- burst: BURST_TAPS taps recorded at once (ui.tap telemetry), the session ended.

Each phase is announced as a JSON line {"phase", "cycle"} when it begins; {"cycle_done", "phase_ms"} after each
visit. BENCH_MODE `drain` runs no visit: it waits until every stream's backlog is acknowledged by the server, prints
{"drained": true} and closes as systemd stops it. Personal values are never printed.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

from kiosk.core.events import ControlTapped

BURST_TAPS = 200
TYPED_QUESTION = "我叫赵春梅，住在幸福村三组，老板欠我八个月工资不给"
"""What the citizen types: a name and a place, which must never reach the disk."""
TYPED_PHONE = "13912345678"
STEP_TIMEOUT_S = 90.0
DRAIN_TIMEOUT_S = 300.0


def say(**fields) -> None:
    print(json.dumps(fields), flush=True)


async def visit(d, cycle: int) -> dict[str, float]:
    """One citizen's visit; returns each phase's duration in ms."""
    from kivy.core.window import Window

    from kiosk.services.legal_aid_application import assemble
    from kiosk.services.session import EndReason
    from tests.ui.harness import find_buttons

    kiosk, app = d.kiosk, d.app
    phase_ms: dict[str, float] = {}

    def begin(phase: str) -> float:
        say(phase=phase, cycle=cycle)
        return time.monotonic()

    started = begin("consult")
    await d.until(lambda: d.on_screen("attract"), "attract screen", STEP_TIMEOUT_S)
    await d.tap(Window.width / 2, Window.height / 2)
    kiosk.identity.consent_given()
    kiosk.devices.idcard.simulator.present("resident")
    await d.until(lambda: kiosk.identity.identity is not None, "card read", STEP_TIMEOUT_S)
    card = kiosk.identity.identity
    kiosk.citizen.set_identity(minor=card.minor, elderly=card.elderly, masked_id_number=card.masked_number)
    kiosk.smart.rank(TYPED_QUESTION)
    interview = d.answer_example("legal_aid")
    answers = {item.page_id: item.answer for item in interview.review()}
    opinion = await asyncio.to_thread(kiosk.citizen.issue_opinion)
    app.show("opinion")
    await d.until(lambda: d.on_screen("opinion"), "opinion screen", STEP_TIMEOUT_S)
    phase_ms["consult"] = (time.monotonic() - started) * 1000

    started = begin("print")
    screen = app.screen("opinion")
    waiting = {"", app._("printing.printing")}
    await d.tap_widget(find_buttons(screen, app._("printing.print"))[0])
    await d.until(lambda: screen.print_message not in waiting, "slip printed or failed", STEP_TIMEOUT_S)
    say(printed=opinion.number, ok=screen.print_message == app._("printing.done"))
    phase_ms["print"] = (time.monotonic() - started) * 1000

    started = begin("apply")
    record = assemble(opinion, answers, name=card.record.name, id_number=card.record.id_number, phone=TYPED_PHONE,
                      address=card.record.address, from_id_card=True, created_at=kiosk.clock.now())
    await asyncio.to_thread(kiosk.legal_aid_applications.store, record)
    phase_ms["apply"] = (time.monotonic() - started) * 1000

    started = begin("burst")
    for _ in range(BURST_TAPS):
        kiosk.bus.publish(ControlTapped("bench", "burst"))
    kiosk.session.end(EndReason.FINISHED)
    await d.until(lambda: d.on_screen("attract"), "attract screen again", STEP_TIMEOUT_S)
    phase_ms["burst"] = (time.monotonic() - started) * 1000
    return phase_ms


def drained(kiosk) -> bool:
    """Every event written is acknowledged by the server, and nothing waits to be written."""
    if kiosk.fleet is None or not kiosk.outbox.flush(1.0):
        return False
    streams = kiosk.fleet.status()["streams"].values()
    return all(s["backlog"] == 0 and s["acked_seq"] == s["last_seq"] for s in streams)


async def run(app, kiosk, mode: str) -> None:
    from tests.ui.harness import Driver

    d = Driver(app, kiosk, Path("."))
    try:
        await d.until(lambda: app.root is not None, "app built", STEP_TIMEOUT_S)
        await d.until(lambda: kiosk.wait_started(0) and kiosk.fleet is not None and kiosk.citizen.topics()
                      and kiosk.smart.ready and kiosk.printing is not None
                      and kiosk.printing.state.value == "online" and kiosk.identity is not None,
                      "devices, content and fleet", STEP_TIMEOUT_S)
        say(ready=time.monotonic())
        if mode == "drain":
            await d.until(lambda: drained(kiosk), "the outbox drained", DRAIN_TIMEOUT_S)
            say(drained=True)
            return
        cycles = int(mode.split("=")[1]) if mode.startswith("cycles=") else None
        cycle = 0
        while cycles is None or cycle < cycles:
            cycle += 1
            say(cycle_done=cycle, phase_ms=await visit(d, cycle))
    except Exception as exc:  # the bench reads it on stdout and stops
        say(error=f"{type(exc).__name__}: {exc}")
    finally:
        app.stop()


def main() -> int:
    from kiosk.runtime.bootstrap import data_dir_of
    from kiosk.runtime.runner import prepare

    kiosk = prepare(dev=False)
    kiosk.start(after_first_frame=True)
    from kiosk.ui.environment import prepare_kivy

    prepare_kivy(kiosk.config.ui, data_dir_of(kiosk.config))
    from kiosk.ui.app import KioskApp

    app = KioskApp(kiosk)

    async def both() -> None:
        await asyncio.gather(app.async_run(async_lib="asyncio"), run(app, kiosk, os.environ["BENCH_MODE"]))

    try:
        asyncio.run(both())
    finally:
        kiosk.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
