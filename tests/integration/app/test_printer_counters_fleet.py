"""The printer's wear counters reach the bureau in the birth's `hw` (console → Mosquitto → the composed kiosk, its
printer the simulator on a pty): after the fleet's `printer_test` cuts one slip, a `rebirth` carries one cut and
the paper it took to the console's store."""

import json

import pytest

from tests.integration.app.fleet_commands_support import (KID, broker, broker_factory, command,  # noqa: F401
                                                          console, make_kiosk, wait_online, wait_until)

pytestmark = pytest.mark.broker


def birth_hw(console) -> dict:
    birth = console.scalar("SELECT birth FROM kiosks WHERE kid = ?", KID)
    return json.loads(birth)["hw"] if birth else {}


def test_a_test_slip_is_counted_and_reported_in_the_next_birth(make_kiosk, console, broker):
    kiosk = make_kiosk(KIOSK_PRINTER__KIND="sim")
    wait_online(console)
    # the kiosk's state and its birth are two messages: online can be stored before the birth is
    wait_until(lambda: "printer_cuts" in birth_hw(console), what="the first birth at the console")
    assert birth_hw(console)["printer_cuts"] == 0
    wait_until(lambda: kiosk.printing.state.value == "online", what="printer online")
    printed = command(console, broker, "printer_test", {}, timeout_s=60)
    assert printed["code"] == 200, printed
    wait_until(lambda: kiosk.printer_counters.counts().cuts == 1, what="the cut counted")
    assert command(console, broker, "rebirth", {})["code"] == 200
    wait_until(lambda: birth_hw(console).get("printer_cuts") == 1, what="a birth with the cut")
    hw = birth_hw(console)
    assert hw["printer_paper_mm"] == round(kiosk.printer_counters.counts().printed_mm) > 0
    assert hw["printer_paper_outs"] == 0
