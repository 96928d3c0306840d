"""The Kivy application: a ScreenManager with lazily loaded screens, the idle countdown and the hidden gesture.

Why: the kiosk starts fast by building only the attract screen; every other screen (one .py + one .kv) is
imported and built the first time it is shown. Every touch anywhere feeds the session's idle timer; five
taps in the top-left corner open the PIN pad of the maintenance menu.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import LabelBase
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.metrics import dp
from kivy.properties import NumericProperty, ObjectProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.core.events import RestartRequested
from kiosk.services.session import SessionCountdown, SessionEnded, SessionResumed
from kiosk.ui.bridge import UiBridge
from kiosk.ui.fonts import find_cjk_font
from kiosk.ui.theme import theme_for
from kiosk.ui.widgets import Overlay  # noqa: F401  (registers the kv class)

logger = logging.getLogger(__name__)

SCREENS: dict[str, str] = {
    "attract": "kiosk.ui.screens.attract:AttractScreen",
    "home": "kiosk.ui.screens.home:HomeScreen",
    "hotline": "kiosk.ui.screens.hotline:HotlineScreen",
    "topics": "kiosk.ui.screens.topics:TopicsScreen",
    "smart_consult": "kiosk.ui.screens.smart_consult:SmartConsultScreen",
    "consent": "kiosk.ui.screens.consent:ConsentScreen",
    "rating": "kiosk.ui.screens.rating:RatingScreen",
    "consult": "kiosk.ui.screens.consult:ConsultScreen",
    "opinion": "kiosk.ui.screens.opinion:OpinionScreen",
    "legal_aid_apply": "kiosk.ui.screens.legal_aid_apply:LegalAidApplyScreen",
    "maintenance_pin": "kiosk.ui.maintenance.pin:PinScreen",
    "maintenance": "kiosk.ui.maintenance.menu:MaintenanceScreen",
}
"""Screen name → "module:class"; the module's .kv file sits beside it."""

FLOW_PREFIX = "flow:"
"""Navigation target prefix that starts a consultation flow instead of opening a screen."""
CITIZEN_START_SCREEN = "attract"
SAFE_MODE_START_SCREEN = "maintenance_pin"
SESSION_TICK_S = 0.5
"""How often the session's idle timer is checked, in seconds (the countdown shows whole seconds)."""
CORNER_PX = 160
"""Edge of the top-left square (design pixels) that counts taps for the hidden maintenance gesture."""


class Root(FloatLayout):
    """The window's root: the screen manager plus overlays (countdown, safe-mode banner)."""

    manager = ObjectProperty(None)


class KioskApp(App):
    """The touchscreen application; `services` is the object graph the composition root built."""

    countdown_seconds = NumericProperty(0)
    """Seconds left in the idle countdown; 0 hides the overlay."""
    safe_mode_text = StringProperty("")

    def __init__(self, services, **kwargs) -> None:
        super().__init__(**kwargs)
        self.services = services
        self._ = services.texts
        self.theme = theme_for(services.config.ui)
        self.bridge = UiBridge(services.bus)
        self._loaded_kv: set[str] = set()
        self._corner_taps: list[float] = []
        self.title = self._("app.title")

    # ---- construction ------------------------------------------------------------------------------------

    def build(self) -> Root:
        LabelBase.register("KioskCJK", str(find_cjk_font(self.services.config.ui.font_path)))
        Builder.load_file(str(Path(__file__).with_name("theme.kv")))
        Window.clearcolor = self.theme.color_background
        root = Root()
        # Screens switch at once: an animated transition draws both screens into full-panel frame buffers on
        # every frame it lasts, which on the software-rendered or weak-GPU boards kiosks run on doubled the
        # cost of the first frame after a tap (49 ms against 24 ms), and touches are ignored while it runs.
        root.manager = ScreenManager(transition=NoTransition())
        root.add_widget(root.manager, index=len(root.children))
        Window.bind(on_touch_down=self._on_any_touch)
        self.bridge.on(SessionCountdown, self._on_session_countdown)
        self.bridge.on(SessionResumed, lambda _e: setattr(self, "countdown_seconds", 0))
        self.bridge.on(SessionEnded, self._on_session_ended)
        self.bridge.on(RestartRequested, lambda _event: self.stop())
        Clock.schedule_interval(lambda _dt: self.services.session.tick(), SESSION_TICK_S)
        notifier = self.services.notifier
        if notifier.watchdog_interval_s:
            Clock.schedule_interval(lambda _dt: notifier.notify("WATCHDOG=1"), notifier.watchdog_interval_s)
        if self.services.safe_mode:
            self.safe_mode_text = self._("safe_mode.banner")
        self.root = root
        self.show(SAFE_MODE_START_SCREEN if self.services.safe_mode else CITIZEN_START_SCREEN)
        return root

    def on_start(self) -> None:
        Window.bind(on_flip=self._first_flip)

    def _first_flip(self, *_args) -> None:
        """The first frame is on the screen: only now may devices, content and the fleet start competing for the
        interpreter (a clock callback scheduled in on_start would run before anything is drawn)."""
        Window.unbind(on_flip=self._first_flip)
        self.services.on_ui_ready()

    def on_stop(self) -> None:
        self.bridge.close()

    # ---- navigation --------------------------------------------------------------------------------------

    def screen(self, name: str):
        """The screen called `name`, importing its module and kv file the first time."""
        manager: ScreenManager = self.root.manager
        if manager.has_screen(name):
            return manager.get_screen(name)
        module_name, class_name = SCREENS[name].split(":")
        module = importlib.import_module(module_name)
        kv_path = Path(module.__file__).with_suffix(".kv")
        if str(kv_path) not in self._loaded_kv:
            Builder.load_file(str(kv_path))
            self._loaded_kv.add(str(kv_path))
        screen = getattr(module, class_name)(name=name, screen_id=name)
        manager.add_widget(screen)
        return screen

    def show(self, name: str) -> None:
        """Make `name` the current screen (`flow:ID` starts that consultation); safe mode refuses citizen screens."""
        if self.services.safe_mode and not name.startswith("maintenance"):
            name = SAFE_MODE_START_SCREEN
        elif name.startswith(FLOW_PREFIX):
            self.start_flow(name[len(FLOW_PREFIX):])
            return
        self.screen(name)
        self.root.manager.current = name

    def can_show(self, name: str) -> bool:
        """Whether this kiosk can open `name`: a screen, `topics` with at least one topic, or `flow:ID`."""
        if name.startswith(FLOW_PREFIX):
            return self.services.citizen.has_flow(name[len(FLOW_PREFIX):])
        if name == "topics":
            return bool(self.services.citizen.topics())
        if name == "smart_consult":
            return self.services.smart.ready and bool(self.services.citizen.topics())
        return name in SCREENS

    def start_flow(self, flow_id: str, *, ask_card: bool = True) -> None:
        """Begin a consultation of `flow_id`; the first time in a session, offer the ID card (with consent)."""
        citizen = self.services.citizen
        identity = self.services.identity
        if ask_card and identity is not None and not citizen.card_offered:
            citizen.card_offered = True
            self.screen("consent").pending_flow = flow_id
            self.show("consent")
            return
        citizen.begin(flow_id)
        self.show("consult")

    @property
    def current_screen(self) -> str:
        """Name of the screen on display."""
        return self.root.manager.current

    # ---- touches, session and the hidden gesture ---------------------------------------------------------

    def _on_any_touch(self, window, touch) -> bool:
        if not self.current_screen.startswith("maintenance"):
            self.services.session.touch()
        if touch.x < dp(CORNER_PX) and touch.y > window.height - dp(CORNER_PX):
            self._count_corner_tap()
        return False

    def _count_corner_tap(self) -> None:
        settings = self.services.config.maintenance
        now = self.services.clock.monotonic()
        self._corner_taps = [t for t in self._corner_taps if now - t <= settings.gesture_window_s] + [now]
        if len(self._corner_taps) >= settings.gesture_taps:
            self._corner_taps.clear()
            Clock.schedule_once(lambda _dt: self.open_maintenance(), 0)

    def open_maintenance(self) -> None:
        """The hidden gesture: end any citizen session (wiping it) and ask for the PIN."""
        from kiosk.services.session import EndReason

        self.services.session.end(EndReason.MAINTENANCE)
        self.countdown_seconds = 0
        self.show("maintenance_pin")

    def leave_maintenance(self) -> None:
        """Back to the attract screen (or stay on the PIN pad in safe mode)."""
        self.show(CITIZEN_START_SCREEN)

    def _on_session_countdown(self, event: SessionCountdown) -> None:
        self.countdown_seconds = event.seconds_left

    def _on_session_ended(self, event: SessionEnded) -> None:
        self.countdown_seconds = 0
        if not self.current_screen.startswith("maintenance"):
            self.show(CITIZEN_START_SCREEN)
