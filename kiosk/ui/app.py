"""The Kivy application: a ScreenManager with lazily loaded screens, the citizen bar, the idle countdown and the
hidden gesture.

Why: the kiosk starts fast by building only the attract screen; every other screen (one .py + one .kv) is
imported and built the first time it is shown. Every touch anywhere feeds the session's idle timer; five
taps in the top-left corner open the PIN pad of the maintenance menu. Above every citizen screen sits one bar
with 快速离开 (wipe and leave at once), 长辈模式 (larger text, slower pace) and 朗读; what it switches lasts for
the session only.
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import LabelBase
from kivy.core.window import Window
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.core.events import ControlTapped, RestartRequested
from kiosk.services.session import EndReason, SessionCountdown, SessionEnded, SessionResumed, SessionStarted
from kiosk.ui.bridge import UiBridge
from kiosk.ui.cjk_label import CjkLabel  # noqa: F401  (registers the kv class)
from kiosk.ui.collector import Collector
from kiosk.ui.fonts import find_cjk_font
from kiosk.ui.restyle import Restyle
from kiosk.ui.scroll_hint import ScrollHint  # noqa: F401  (registers the kv class)
from kiosk.ui.theme import theme_for
from kiosk.ui.widgets import Overlay  # noqa: F401  (registers the kv class)

if TYPE_CHECKING:
    from kiosk.services.identity import IdCardReadSucceeded

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
    "library": "kiosk.ui.screens.library:LibraryScreen",
    "library_article": "kiosk.ui.screens.library_article:LibraryArticleScreen",
    "pufa": "kiosk.ui.screens.pufa:PufaScreen",
    "maintenance_pin": "kiosk.ui.maintenance.pin:PinScreen",
    "maintenance": "kiosk.ui.maintenance.menu:MaintenanceScreen",
    "maintenance_paused": "kiosk.ui.maintenance.paused:PausedScreen",
}
"""Screen name → "module:class"; the module's .kv file sits beside it."""

FLOW_PREFIX = "flow:"
"""Navigation target prefix that starts a consultation flow instead of opening a screen."""
CITIZEN_START_SCREEN = "attract"
PREBUILT_SCREENS = ("home", "topics", "consent", "consult", "opinion", "rating", "smart_consult", "hotline",
                    "legal_aid_apply", "library", "library_article", "pufa")
"""Citizen screens built while the kiosk waits on the attract screen, in the order a visit meets them: building
one (its kv rules, pictures, text) holds the UI thread far longer than a tap may, so no tap should pay for it."""
PREBUILD_POLL_S = 0.5
"""How often the prebuilding waits for the content pack before it starts, in seconds."""
ROOT_OVERLAYS = ("CountdownOverlay", "ElderlyOffer", "DangerOverlay", "CitizenBar")
"""The root's overlays (theme.kv), laid over the screens in this order once the first frame is up: none is shown
before a session, yet building them (the bar's mipmapped pictures, the countdown's and 110's large digits) before
the first frame made `kiosk run` start 0.4-0.5 s later on the loaded test machine (tests/bench/startup.py)."""
GIL_SWITCH_S = 0.001
"""How long a worker thread (an opinion assembled, a QR encoded, SQLite, the fleet link) may hold the interpreter
before the UI thread gets it back, in seconds: Python's default 5 ms was most of the 8 ms a tap may take."""
NO_BAR_SCREENS = frozenset({"attract"})
"""Citizen screens without the citizen bar (the attract screen is already neutral and has no session)."""
SAFE_MODE_START_SCREEN = "maintenance_paused"
"""In safe mode citizens see 暂停服务 (kiosk.runtime.safe_mode); the hidden gesture still opens the PIN pad."""
SESSION_TICK_S = 0.5
"""How often the session's idle timer is checked, in seconds (the countdown shows whole seconds)."""
COLLECT_AFTER_SESSION_S = 1.0
"""Seconds after a session ends (the attract screen drawn, the normal look back) before its cycles are collected."""
CORNER_PX = 160
"""Edge of the top-left square (design pixels) that counts taps for the hidden maintenance gesture."""


class Root(FloatLayout):
    """The window's root: the citizen bar above the screen manager, plus overlays (countdown, offers, banner)."""

    manager = ObjectProperty(None)


class KioskApp(App):
    """The touchscreen application; `services` is the object graph the composition root built."""

    countdown_seconds = NumericProperty(0)
    """Seconds left in the idle countdown; 0 hides the overlay."""
    safe_mode_text = StringProperty("")
    theme = ObjectProperty(None, rebind=True)
    """The look kv rules read (`app.theme.NAME`); replaced whole when 长辈模式 is switched (rebind: kv rules
    watching `app.theme.X` re-evaluate when the theme object changes)."""
    elderly = BooleanProperty(False)
    """长辈模式 for this session: larger text and targets, fewer items, higher contrast, slower timeouts."""
    elderly_offer_open = BooleanProperty(False)
    """The card showed a citizen of 60 or more: 长辈模式 is offered once."""
    sensitive = BooleanProperty(False)
    """This session opened a sensitive topic: neutral header, opaque countdown, shorter idle time."""
    screens_ready = BooleanProperty(False)
    """Every citizen screen is built (the kiosk has been idle long enough after start)."""
    bar_shown = BooleanProperty(False)
    """Whether the citizen bar (快速离开, 长辈模式, 朗读) is above the current screen."""
    danger_steps = ObjectProperty((), allownone=False)
    """What to do first, shown full screen with 110 after an answer that signals danger now; () hides it."""

    def __init__(self, services, **kwargs) -> None:
        super().__init__(**kwargs)
        self.services = services
        self._ = services.texts
        self.theme = theme_for(services.config.ui)
        self.restyle = Restyle(self, "theme")   # theme switches, a slice a frame; `restyle.busy` until done
        self._elderly_offered = False
        self._last_said: tuple[int, list[str]] = (-1, [])
        self.bridge = UiBridge(services.bus)
        self._loaded_kv: set[str] = set()
        self._corner_taps: list[float] = []
        self._collector = Collector()
        self._collect_later = Clock.create_trigger(self._collect_between_sessions, COLLECT_AFTER_SESSION_S)
        self.title = self._("app.title")

    # ---- construction ------------------------------------------------------------------------------------

    def build(self) -> Root:
        sys.setswitchinterval(GIL_SWITCH_S)
        LabelBase.register("KioskCJK", str(find_cjk_font(self.services.config.ui.font_path)))
        Builder.load_file(str(Path(__file__).with_name("theme.kv")))
        Window.clearcolor = self.theme.color_background
        root = Root()
        # Screens switch at once: an animated transition draws both screens into full-panel frame buffers on
        # every frame it lasts, which on the software-rendered or weak-GPU boards kiosks run on doubled the
        # cost of the first frame after a tap (49 ms against 24 ms), and touches are ignored while it runs.
        root.manager = ScreenManager(transition=NoTransition())
        root.ids.stage.add_widget(root.manager)
        root.manager.bind(current=self._on_screen_changed)
        for overlay in ("danger_steps", "elderly_offer_open"):
            self.bind(**{overlay: lambda _app, shown: self._auto_read() if shown else None})
        Window.bind(on_touch_down=self._on_any_touch)
        self.bridge.on(SessionCountdown, self._on_session_countdown)
        self.bridge.on(SessionResumed, lambda _e: setattr(self, "countdown_seconds", 0))
        self.bridge.on(SessionEnded, self._on_session_ended)
        self.bridge.on(SessionStarted, lambda _event: self._collector.hold())
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
        for overlay in ROOT_OVERLAYS:
            self.root.add_widget(Factory.get(overlay)())
        from kiosk.services.identity import IdCardReadSucceeded  # after READY: cards are read only after consent on screen

        self.bridge.on(IdCardReadSucceeded, self._on_card_read)
        if self.services.speech.enabled:
            from kiosk.ui.speech_player import KivyPlayer

            self.services.speech.attach(KivyPlayer())
        self._prebuild = list(PREBUILT_SCREENS)
        Clock.schedule_once(self._prebuild_next, PREBUILD_POLL_S)

    def _prebuild_next(self, _dt) -> None:
        """Build the next citizen screen (one a frame) while nobody is at the kiosk; a session that starts first
        leaves the rest to be built when shown. Waits for the content pack, which the topic list needs."""
        if not self._prebuild or self.services.safe_mode or self.services.session.in_use:
            return
        if not self.services.citizen.topics():
            Clock.schedule_once(self._prebuild_next, PREBUILD_POLL_S)
            return
        screen = self.screen(self._prebuild.pop(0))
        screen.size = self.root.manager.size   # laid out at its size now, not on the tap that first shows it
        screen.prepare()
        if self._prebuild:
            Clock.schedule_once(self._prebuild_next, 0)
        else:
            import kiosk.ui.read_aloud  # noqa: F401  (now: importing it took ms of the tap that turns on 长辈模式)

            self.screens_ready = True
            self._collect_between_sessions()

    def _collect_between_sessions(self, _dt=None) -> None:
        """Let Python's cycle collector run while nobody is at the kiosk (see kiosk.ui.collector)."""
        if not self.services.session.in_use:
            self._collector.settle()

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
        for notice in screen.notices:
            screen.bind(**{notice: lambda _screen, text: self.announce(text)})
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
        self._enter_topic(flow_id)
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
        """Back to the attract screen (in safe mode: the 暂停服务 page)."""
        self.show(CITIZEN_START_SCREEN)

    def _on_session_countdown(self, event: SessionCountdown) -> None:
        """Show the seconds left; the first second of a countdown is also spoken (not on a sensitive topic)."""
        from kiosk.ui.read_aloud import overlay_pieces

        starting = self.countdown_seconds == 0
        self.countdown_seconds = event.seconds_left
        if starting and not self.sensitive:
            self.services.speech.say(overlay_pieces(self))

    def _on_session_ended(self, _event: SessionEnded | None = None) -> None:
        """Everything the session switched goes with it: the next citizen starts with the normal look."""
        self.countdown_seconds = 0
        self.danger_steps = ()
        self.elderly_offer_open = False
        self._elderly_offered = False
        self.sensitive = False
        if not self.current_screen.startswith("maintenance"):
            self.show(CITIZEN_START_SCREEN)
        # After the attract screen is up: re-laying every screen in the normal look takes a while, and nobody waits.
        Clock.schedule_once(lambda _dt: self.set_elderly(False), 0)
        self._collect_later()

    # ---- the citizen bar: 快速离开, 长辈模式, 朗读 -------------------------------------------------------

    def _on_screen_changed(self, _manager, name: str) -> None:
        """A new screen (already filled in: Kivy ran its on_pre_enter first) is read at once in 长辈模式; elsewhere
        the previous screen's speech stops."""
        self.bar_shown = self._bar_belongs_on(name)
        if self.elderly:
            self._auto_read()
        else:
            self.services.speech.stop()

    def page_shown(self) -> None:
        """A screen drew a new page in place (the next question): read it in 长辈模式."""
        self._auto_read()

    def _auto_read(self) -> None:
        """长辈模式 reads every page and overlay the moment it appears; elsewhere the bar's 朗读 button does."""
        if self.elderly:
            self.read_aloud(tapped=False)

    def announce(self, text: str) -> None:
        """A screen's message changed (a fault, a result): read it in 长辈模式, after what is being read now is cut."""
        if self.elderly and text:
            self.services.speech.say([text])

    def read_aloud(self, *, tapped: bool = True) -> None:
        """Read what is on the screen: the overlay on top if one is open, else the current screen. A page that
        asks to be read twice in one frame (its screen opening and its page drawn) is read once."""
        from kiosk.ui.read_aloud import overlay_pieces, screen_pieces

        if tapped:
            self.services.bus.publish(ControlTapped("bar", "read_aloud"))
        pieces = overlay_pieces(self) or screen_pieces(self, self.current_screen)
        said = (Clock.frames, pieces)
        if not tapped and said == self._last_said:
            return
        self._last_said = said
        self.services.speech.say(pieces)

    @staticmethod
    def _bar_belongs_on(name: str) -> bool:
        return name not in NO_BAR_SCREENS and not name.startswith("maintenance")

    def quick_exit(self) -> None:
        """快速离开: wipe the session and show the neutral attract screen at once, whatever is open."""
        self.services.bus.publish(ControlTapped("bar", "quick_exit"))
        self.services.speech.stop()
        self.services.session.end(EndReason.QUICK_EXIT)
        self._on_session_ended()  # now, not a frame later when the bus's SessionEnded arrives

    def toggle_elderly(self) -> None:
        """The 长辈模式 button of the bar: switch it on or off for this session."""
        self.services.bus.publish(ControlTapped("bar", "elderly_off" if self.elderly else "elderly_on"))
        self.set_elderly(not self.elderly)

    def accept_elderly_offer(self, accepted: bool) -> None:
        """The citizen answered the 长辈模式 offer made after a card read showed 60 or older."""
        self.services.bus.publish(ControlTapped("bar", "elderly_offer_yes" if accepted else "elderly_offer_no"))
        self.elderly_offer_open = False
        if accepted:
            self.set_elderly(True)

    def set_elderly(self, on: bool) -> None:
        """Switch 长辈模式: swap the theme (kv rules follow, the page on screen first) and the session's idle time."""
        if on == self.elderly:
            return
        self.elderly = on
        self.restyle.switch(theme_for(self.services.config.ui, elderly=on))
        Window.clearcolor = self.theme.color_background
        self._apply_session_pace()
        if on:
            self._auto_read()

    def _apply_session_pace(self) -> None:
        """A sensitive topic shortens the idle time (even in 长辈模式: safety first); 长辈模式 lengthens it."""
        settings = self.services.config.session
        if self.sensitive:
            self.services.session.set_session_idle_timeout(settings.sensitive_idle_timeout_s)
        elif self.elderly:
            self.services.session.set_session_idle_timeout(settings.elderly_idle_timeout_s)
        else:
            self.services.session.set_session_idle_timeout(None)

    def check_danger(self, page, value) -> None:
        """After an answer: if it signals danger now, show 110 and the flow's first steps at once."""
        if value in page.danger:
            self.services.bus.publish(ControlTapped("danger", "shown"))
            self.danger_steps = tuple(self.services.citizen.interview.flow.first_steps)

    def close_danger(self) -> None:
        """The citizen read the 110 page and goes on with the consultation."""
        self.services.bus.publish(ControlTapped("danger", "continue"))
        self.danger_steps = ()

    def _on_card_read(self, _event: IdCardReadSucceeded) -> None:
        """A citizen's card (read with consent) shows 60 or older: offer 长辈模式 once in the session."""
        identity = self.services.identity.identity if self.services.identity is not None else None
        if identity is None or not identity.elderly or self.elderly or self._elderly_offered:
            return
        if not self.services.session.in_use:
            return
        self._elderly_offered = True
        self.elderly_offer_open = True

    def _enter_topic(self, flow_id: str) -> None:
        """Entering a sensitive topic makes the rest of the session discreet (it stays so until the wipe)."""
        if self.services.citizen.is_sensitive(flow_id) and not self.sensitive:
            self.sensitive = True
            self._apply_session_pace()
