"""A PNG of what the panel shows, for the fleet's `screenshot` command, with every personal field hidden.

Why: an operator looks at a kiosk's screen (a frozen page, a fault, a layout new content broke) while a citizen may
be using it, and must never see who they are or what they said. On the UI thread the widgets that show personal
data are made transparent, the frame is drawn into the back buffer, its pixels are read into memory and the widgets
are restored before anything reaches the panel, so the citizen sees no change. That is what `Window.screenshot`
does without its file: the picture never touches disk, and the slow PNG encoding runs on the caller's thread.
Drawing into the back buffer first (rather than reading what the last frame left there, as `Window.screenshot`
does) is the one read that double buffering defines. The UI thread is held for one frame's rendering and the read:
about 10 ms to read 1080x1920, and the rendering as long as a frame takes (0.2-0.3 s with software rendering on
the shared 2-core test machine).

What is personal is decided per screen in PERSONAL, with what is hidden wherever it appears: every TextInput and
pinyin keyboard (typed text, its composition and candidates) and the overlays that reveal an answer or the card
(the danger steps after an answer that said "in danger now", the 长辈模式 offer after a card of 60 or older).
A screen missing from PERSONAL, or one without a widget or property its entry names, is hidden whole.

Kivy is imported only once a Kivy app is running in this process, so a kiosk without a screen (tests, tools)
answers NoScreen without starting Kivy.
"""

from __future__ import annotations

import io
import logging
import sys
import threading
from dataclasses import dataclass

from PIL import Image

logger = logging.getLogger(__name__)

CAPTURE_TIMEOUT_S = 10.0
"""How long the caller waits for the UI thread to read the frame (it runs between two frames)."""
PNG_COMPRESS_LEVEL = 6


@dataclass(frozen=True, slots=True)
class Personal:
    """What one screen shows of a citizen: widgets by kv id, and screen properties whose value (a text, or a
    texture such as a QR code) is hidden in every widget that displays it."""

    ids: tuple[str, ...] = ()
    properties: tuple[str, ...] = ()


PERSONAL: dict[str, Personal] = {
    "attract": Personal(),
    "home": Personal(),
    "hotline": Personal(),
    "topics": Personal(),
    "rating": Personal(),
    "smart_consult": Personal(ids=("question", "results")),  # the typed question; topics suggested from it
    "consent": Personal(properties=("message",)),  # a card read says the holder's age
    "consult": Personal(ids=("answer_area",)),  # a chosen option is highlighted; numbers, dates, text, review rows
    "opinion": Personal(ids=("body",), properties=("conclusion", "code_text", "qr")),
    "legal_aid_apply": Personal(ids=("name_input", "name_slot"),  # typed name and its keyboard
                                properties=("applicant_text", "phone", "message")),  # name, ID, phone, reference
    "library": Personal(ids=("query", "results")),  # the typed words; the cards found with them
    "library_article": Personal(),  # an article of the law, the same for everyone
    "pufa": Personal(),  # 普法 cards, the same for everyone
    "maintenance_pin": Personal(),  # the PIN shows as dots
    "maintenance_paused": Personal(),  # 暂停服务: the site's staff, 12348 and the legal-aid centre, nobody's data
    "maintenance": Personal(),
}
"""Screen name → what it shows of a citizen (every screen of kiosk.ui.app.SCREENS has an entry)."""

REVEALING_OVERLAYS = ("DangerOverlay", "ElderlyOffer")
"""Root overlays (kv classes in theme.kv) that reveal an answer or the card by being shown at all."""


class NoScreen(Exception):
    """No Kivy app runs in this process (or it stopped before the frame was read)."""


@dataclass(frozen=True, slots=True)
class Shot:
    """A screenshot: the PNG, its size in pixels, the screen shown and how many widgets were hidden."""

    png: bytes
    width: int
    height: int
    screen: str
    hidden: int


def take_screenshot(timeout_s: float = CAPTURE_TIMEOUT_S) -> Shot:
    """Read the frame on the UI thread with personal widgets hidden, encode it here; call from any other thread.

    NoScreen when no app runs, TimeoutError when the UI thread did not get to it within `timeout_s`.
    """
    app = _running_app()
    if app is None:
        raise NoScreen("no screen: the kiosk runs without its UI")
    from kivy.clock import Clock

    done = threading.Event()
    outcome: list = []

    def on_ui_thread(_dt) -> None:
        try:
            outcome.append(_read_frame(app))
        except Exception as exc:
            outcome.append(exc)
        finally:
            done.set()

    Clock.schedule_once(on_ui_thread, 0)
    if not done.wait(timeout_s):
        raise TimeoutError(f"the UI thread did not read the frame within {timeout_s:.0f} s")
    if isinstance(outcome[0], Exception):
        raise outcome[0]
    width, height, rgba, screen, hidden = outcome[0]
    picture = Image.frombytes("RGBA", (width, height), rgba).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    out = io.BytesIO()
    picture.convert("RGB").save(out, "PNG", compress_level=PNG_COMPRESS_LEVEL)
    return Shot(out.getvalue(), width, height, screen, hidden)


def _running_app():
    """The running Kivy app, or None (without importing Kivy when it is not loaded)."""
    kivy_app = sys.modules.get("kivy.app")
    return kivy_app.App.get_running_app() if kivy_app is not None else None


def _read_frame(app) -> tuple[int, int, bytes, str, int]:
    """On the UI thread: (width, height, RGBA rows bottom first, screen name, widgets hidden)."""
    from kivy.core.window import Window
    from kivy.graphics.opengl import GL_RGBA, GL_UNSIGNED_BYTE, glReadPixels

    if app.root is None:
        raise NoScreen("the app has no window yet")
    screen = app.root.manager.current_screen
    hidden = personal_widgets(app)
    restore = [(widget, widget.opacity) for widget in hidden]
    try:
        for widget in hidden:
            widget.opacity = 0
        Window.dispatch("on_draw")
        width, height = (int(v) for v in Window.size)
        pixels = glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE)
    finally:
        for widget, opacity in restore:
            widget.opacity = opacity
    return width, height, pixels, screen.name if screen is not None else "", len(hidden)


def personal_widgets(app) -> list:
    """The visible widgets showing personal data now (UI thread): the current screen's by PERSONAL, typed text
    and the revealing overlays anywhere under the root; the whole screen when it has no entry or a widget id or
    property it lists is missing."""
    from kivy.uix.textinput import TextInput

    from kiosk.ui.ime.keyboard import PinyinKeyboard

    found = [w for w in app.root.walk(restrict=True)
             if isinstance(w, (TextInput, PinyinKeyboard)) or type(w).__name__ in REVEALING_OVERLAYS]
    screen = app.root.manager.current_screen
    if screen is None:
        return found
    personal = PERSONAL.get(screen.name)
    missing = [] if personal is None else ([i for i in personal.ids if i not in screen.ids]
                                           + [p for p in personal.properties if not hasattr(screen, p)])
    if personal is None or missing:
        logger.warning("screenshot: %s %s; the screen is hidden whole", screen.name,
                       f"has no {missing}" if missing else "is not in PERSONAL")
        return [*found, screen]
    found += [screen.ids[i] for i in personal.ids]
    values = [getattr(screen, name) for name in personal.properties]
    found += [w for w in screen.walk(restrict=True) if any(_shows(w, value) for value in values)]
    return [w for w in {id(w): w for w in found}.values() if w.opacity > 0]


def _shows(widget, value) -> bool:
    """Whether `widget` displays `value`: a non-empty text within its text or paragraph, or the very texture."""
    if isinstance(value, str):
        return bool(value) and any(isinstance(t, str) and value in t
                                   for t in (getattr(widget, "text", None), getattr(widget, "paragraph", None)))
    return value is not None and getattr(widget, "texture", None) is value
