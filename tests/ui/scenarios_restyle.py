"""Scenarios of the theme switch (kiosk.ui.restyle): 长辈模式 turned on and off by the bar's button reaches every
widget of every prebuilt page exactly as one whole assignment of the theme would, the page on screen first."""

from __future__ import annotations

from tests.ui.harness import Driver
from tests.ui.scenarios_citizen import bar_button, citizen_bar

STYLE = ("font_size", "height", "width", "color", "background_color", "padding", "spacing", "cols")
"""Properties kv rules set from the theme."""


def looks(d: Driver) -> dict:
    """Every widget a rule on the theme sets (the pages, the bar, the overlays, keys waiting in their pools): its
    style properties (rounded), by widget uid."""
    widgets = [largs[5][4]["self"] for _cb, largs, *_rest in d.app.get_property_observers("theme", args=True)
               if len(largs) == 6]
    return {w.uid: [round(v, 2) if isinstance(v, float) else [round(x, 2) for x in v] if isinstance(v, list) else v
                    for v in (getattr(w, name, None) for name in STYLE)]
            for w in widgets}


def home_fits(d: Driver) -> bool:
    """The home page's title and all its tiles lie below the citizen bar and inside the window."""
    from kivy.core.window import Window

    home = d.app.screen("home")
    below_bar = Window.height - citizen_bar(d).height
    page = home.ids.tiles.parent    # the page, not its notice overlay
    shown = [w for w in page.walk(restrict=True) if type(w).__name__ in ("TitleLabel", "Tile")]
    return len(shown) == 9 and all(w.to_window(w.x, w.y)[1] >= 0 and w.to_window(w.x, w.top)[1] <= below_bar
                                   for w in shown)


async def scenario_restyle(d: Driver) -> None:
    """On the topic list with every page prebuilt: 长辈模式 by the bar's button; the look of every widget when
    the slices are done against a whole assignment of the same theme; then off again the same way."""
    from kivy.core.window import Window

    from kiosk.ui.theme import theme_for

    await d.until(lambda: d.app.screens_ready, "every page prebuilt", timeout_s=120)
    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.tap(Window.width / 2, Window.height / 2)
    await d.until(lambda: d.on_screen("home"), "home")
    observers = len(d.app.get_property_observers("theme"))
    ui = d.kiosk.config.ui
    for on in (True, False):
        await d.tap_widget(bar_button(d, "elderly"))
        d.report.setdefault("busy_after_tap", []).append(d.app.restyle.busy)
        await d.restyled()
        progressive = looks(d)
        d.app.theme = theme_for(ui, elderly=not on)   # the old way, all at once, there and back
        d.app.theme = theme_for(ui, elderly=on)
        await d.frames(3)
        d.report.setdefault("same_as_whole", []).append(progressive == looks(d))
        d.report.setdefault("widgets", []).append(len(progressive))
        d.report.setdefault("home_fits", []).append(home_fits(d))
        await d.shot("elderly" if on else "normal")
    d.report["observers"] = [observers, len(d.app.get_property_observers("theme"))]
    d.app.set_elderly(True)     # on and at once off again, before the first switch has finished
    d.report["busy_between"] = d.app.restyle.busy
    d.app.set_elderly(False)
    await d.restyled()
    progressive = looks(d)
    d.app.theme = theme_for(ui, elderly=True)
    d.app.theme = theme_for(ui, elderly=False)
    await d.frames(3)
    whole = looks(d)
    d.report["toggled_back_differing"] = [[uid, progressive.get(uid), look] for uid, look in whole.items()
                                          if progressive.get(uid) != look][:5]


SCENARIOS = {"restyle": scenario_restyle}
