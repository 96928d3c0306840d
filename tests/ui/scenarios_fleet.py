"""The fleet's screenshot command taken mid-session on the real app: the console (in this process) sends
`screenshot` through the test's Mosquitto to the kiosk's agent, which PUTs the PNG to a real HTTP server here.

Three moments of one visit: a question typed on the pinyin keyboard (智能咨询), the legal-aid opinion, and the
pre-application after the ID card was read and a phone number tapped in; then that screen once more with its
entry taken out of the kiosk's list of what is personal, as a new screen nobody decided on would be (the whole
screen must be hidden). For each the report holds the panel as
the citizen sees it (`<moment>_panel`), the PNG the server received (`<moment>_fleet`), the panel again after the
command (`<moment>_after`), the command's reply, and where the personal fields and a non-personal title are in
PNG pixels (left, top, right, bottom), found here from the widgets, not from the kiosk's list of what to hide.
The broker's port comes from the overrides file the test writes (tests/ui/test_fleet_screenshot.py).
"""

from __future__ import annotations

import asyncio
import hashlib
from types import SimpleNamespace

from kiosk.ui.screen_capture import PERSONAL
from tests.ui.harness import Driver, find_buttons, find_buttons_by_title

EDGE_PX = 3
"""Pixels left out at each edge of a personal field's rectangle (anti-aliased neighbours)."""


def png_box(widget, *, clip=None, right_inset_px: float = 0) -> list[int]:
    """`widget`'s rectangle in PNG pixels (origin top left), within `clip`'s when given, less EDGE_PX."""
    from kivy.core.window import Window

    def window_box(w) -> tuple[float, float, float, float]:
        x, y = w.to_window(w.x, w.y)
        return x, y, x + w.width, y + w.height

    left, bottom, right, top = window_box(widget)
    if clip is not None:
        c_left, c_bottom, c_right, c_top = window_box(clip)
        left, bottom, right, top = max(left, c_left), max(bottom, c_bottom), min(right, c_right), min(top, c_top)
    right -= right_inset_px
    height = Window.height
    return [round(left) + EDGE_PX, round(height - top) + EDGE_PX, round(right) - EDGE_PX,
            round(height - bottom) - EDGE_PX]


class FleetScreenshots:
    """The console and the upload receiver of this scenario, and the moments taken."""

    def __init__(self, d: Driver) -> None:
        # here, not at the top: the harness imports this module while looking for other modules' scenarios
        from kiosk.fleet.console.server import BrokerSettings
        from tests.integration.app.fleet_commands_support import UploadReceiver
        from tests.integration.fleet.conftest import SERVER_PASSWORD, SERVER_USER, ServerUnderTest

        self.d = d
        broker = BrokerSettings(port=d.kiosk.config.fleet.port, username=SERVER_USER, password=SERVER_PASSWORD)
        self.broker = SimpleNamespace(settings=lambda: broker)
        self.console = ServerUnderTest(d.outdir / "console.db", self.broker)
        self.receiver = UploadReceiver()
        d.report["moments"] = {}

    async def start(self) -> None:
        self.receiver.start()
        await asyncio.to_thread(self.console.start)
        await self.d.until(lambda: self.console.scalar(
            "SELECT COUNT(*) FROM kiosks WHERE kid = ? AND online = 1", self.d.kiosk.config.kiosk.id) == 1,
                           "the kiosk online at the console", timeout_s=30)

    def stop(self) -> None:
        self.console.stop()
        self.receiver.stop()

    async def moment(self, name: str, personal: dict[str, list[int]], visible: dict[str, list[int]]) -> None:
        """Panel shot, the fleet screenshot through the command path, panel shot again; all in the report."""
        await self.d.shot(f"{name}_panel")
        path = f"/shots/{name}.png"
        from tests.integration.app.fleet_commands_support import command

        reply = await asyncio.to_thread(command, self.console, self.broker, "screenshot",
                                        {"url": self.receiver.url(path)})
        body = self.receiver.bodies.get(path, b"")
        target = self.d.outdir / f"{name}_fleet.png"
        target.write_bytes(body)
        self.d.report["shots"][f"{name}_fleet"] = str(target)
        await self.d.shot(f"{name}_after")
        self.d.report["moments"][name] = {
            "reply": reply, "sha256": hashlib.sha256(body).hexdigest(),
            "content_type": self.receiver.headers.get(path, {}).get("Content-Type"),
            "personal": personal, "visible": visible, "screen": self.d.app.root.manager.current}


async def scenario_fleet_screenshot(d: Driver) -> None:
    from kivy.core.window import Window

    from kiosk.ui.ime.keyboard import ImeKey, PinyinKeyboard

    fleet = FleetScreenshots(d)
    try:
        await d.until(lambda: d.on_screen("attract"), "attract screen")
        await d.tap(Window.width / 2, Window.height / 2)
        await d.until(lambda: d.on_screen("home") and d.kiosk.smart.ready and d.kiosk.identity is not None
                      and d.kiosk.printing is not None and d.kiosk.citizen.topics(), "home, triage, devices")
        await fleet.start()

        # 1. A question typed on the pinyin keyboard, a word still being composed.
        await d.tap_widget(find_buttons_by_title(d.app.screen("home"), d.app._("home.tile.smart"))[0])
        await d.until(lambda: d.on_screen("smart_consult"), "smart consultation")
        smart = d.app.screen("smart_consult")
        await d.tap_widget(smart.ids.question)
        await d.until(lambda: smart.typing, "keyboard open")
        keyboard = next(w for w in smart.walk() if isinstance(w, PinyinKeyboard))
        await d.until(lambda: keyboard.composition.dictionary is not None, "dictionary loaded")
        keys = {w.text: w for w in keyboard.walk() if isinstance(w, ImeKey)}
        for letter in "laoban":
            await d.tap_widget(keys[letter])
        await d.tap_widget(find_buttons(keyboard.ids.candidates, "老板")[0])
        for letter in "qianwo":
            await d.tap_widget(keys[letter])
        d.report["typed"] = [smart.ids.question.text, keyboard.letters_text]
        title = find_buttons(smart, d.app._("smart.title"))[0]
        await fleet.moment("typed", {"question": png_box(smart.ids.question),
                                     "keyboard": png_box(keyboard)}, {"title": png_box(title)})

        # 2. The legal-aid opinion on the screen.
        opinion = await d.open_example_opinion("legal_aid")
        await d.frames(5)
        conclusion = find_buttons(opinion, opinion.conclusion)[0]
        await fleet.moment("opinion", {
            "conclusion": png_box(conclusion),
            "body": png_box(opinion.ids.body, clip=opinion.ids.scroll, right_inset_px=opinion.ids.scroll.bar_width)},
            {"title": png_box(find_buttons(opinion, d.app._("opinion.title"))[0])})

        # 3. The pre-application after the card was read and a phone number tapped in.
        await d.tap_widget(find_buttons(opinion, d.app._("apply.open"))[0])
        await d.until(lambda: d.on_screen("legal_aid_apply"), "pre-application screen")
        apply = d.app.screen("legal_aid_apply")
        await d.read_card_for_application()
        pad = {w.text: w for w in apply.walk() if type(w).__name__ == "PhoneKey"}
        for digit in "13800138000":
            await d.tap_widget(pad[digit])
        await d.frames(3)
        card = d.kiosk.identity.identity
        d.report["card"] = {"name": card.record.name, "masked": card.masked_number}
        applicant = find_buttons(apply, apply.applicant_text)[0]
        phone = find_buttons(apply, d.app._("apply.phone", phone=apply.phone))[0]
        await fleet.moment("card_and_phone", {"applicant": png_box(applicant), "phone": png_box(phone)},
                           {"title": png_box(find_buttons(apply, d.app._("apply.title"))[0])})

        # 4. The same screen as one nobody has decided on yet (no entry in the list): hidden whole.
        entry = PERSONAL.pop("legal_aid_apply")
        try:
            quick_exit = find_buttons(d.app.root, d.app._("bar.quick_exit"))[0]
            await fleet.moment("undecided", {"screen": png_box(apply)}, {"quick_exit": png_box(quick_exit)})
        finally:
            PERSONAL["legal_aid_apply"] = entry
        d.report["session_in_use"] = d.kiosk.session.in_use
    finally:
        fleet.stop()
    d.report["unlisted"] = unlisted_personal_fields(d)


def unlisted_personal_fields(d: Driver) -> list[str]:
    """Screens the kiosk's list of personal fields leaves out (or names that are not there), after building
    every screen: each would be hidden whole, so a new screen or a renamed widget must be decided on."""
    from kiosk.ui.app import SCREENS

    unlisted = [f"screen {name}" for name in sorted(set(SCREENS) ^ set(PERSONAL))]
    for name, personal in PERSONAL.items():
        screen = d.app.screen(name) if name in SCREENS else None
        unlisted += [f"{name}.ids.{i}" for i in personal.ids if screen is not None and i not in screen.ids]
        unlisted += [f"{name}.{p}" for p in personal.properties if screen is not None and not hasattr(screen, p)]
    return unlisted


SCENARIOS = {"fleet_screenshot": scenario_fleet_screenshot}
