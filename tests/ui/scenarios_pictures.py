"""Pictures on the citizen's screens at full panel size: home tiles, topic buttons (normal and 长辈模式), the ID
card on the consent screen, faces on the rating levels, and the thank-you shown before the session ends."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.events import SatisfactionRated
from tests.ui.harness import Driver, find_buttons, find_buttons_by_title


def pictures(widget) -> list[dict]:
    """Every picture under `widget`: which file it shows, whether it has a texture, and its drawn height (px)."""
    from kivy.uix.image import Image

    return [{"name": Path(w.source).name.removesuffix(".png"), "texture": w.texture is not None,
             "height": round(min(w.norm_image_size[1], w.height))}
            for w in widget.walk(restrict=True) if isinstance(w, Image) and w.source]


async def scenario_pictures(d: Driver) -> None:
    """Home → 分类咨询 → a topic → the card offer → rating: a level is thanked for, then the session ends."""
    from kivy.core.window import Window

    from kiosk.ui.screens.home import TILES
    from kiosk.ui.widgets import IconButton, Tile

    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.tap(Window.width / 2, Window.height / 2)
    await d.until(lambda: d.on_screen("home") and d.kiosk.identity is not None and d.kiosk.citizen.topics(),
                  "home, reader and content ready")
    home = d.app.screen("home")
    await d.shot("home")
    tiles = {w.title: w for w in home.walk() if isinstance(w, Tile)}
    d.report["tiles"] = {spec.control: pictures(tiles[d.app._(spec.text_key)]) for spec in TILES}

    await d.tap_widget(find_buttons_by_title(home, d.app._("home.tile.topics"))[0])
    await d.until(lambda: d.on_screen("topics"), "topic list")
    topics = d.app.screen("topics")
    await d.shot("topics")
    d.report["topic_ids"] = dict(d.kiosk.citizen.topics())
    d.report["topics"] = {w.text: pictures(w) for w in topics.walk(restrict=True) if isinstance(w, IconButton)}
    await d.set_elderly(True)
    await d.frames(4)
    await d.shot("topics_elderly")
    d.report["topics_elderly"] = {w.text: pictures(w) for w in topics.walk(restrict=True) if isinstance(w, IconButton)}
    await d.set_elderly(False)
    await d.frames(4)

    flow = d.kiosk.consultations.pack.flow("labor")
    await d.tap_widget(find_buttons(topics, flow.title)[0])
    await d.until(lambda: d.on_screen("consent"), "ID card offer")
    consent = d.app.screen("consent")
    await d.shot("consent")
    d.report["consent"] = pictures(consent)

    d.app.show("rating")  # as after the opinion: the consultation itself is not what this scenario looks at
    await d.until(lambda: d.on_screen("rating"), "rating")
    rating = d.app.screen("rating")
    await d.shot("rating")
    d.report["levels"] = {w.text: pictures(w) for w in rating.walk(restrict=True) if isinstance(w, IconButton)}
    ratings = []
    d.kiosk.bus.subscribe(SatisfactionRated, ratings.append)
    await d.tap_widget(find_buttons(rating, d.app._("rating.2"))[0])
    await d.frames(3)
    d.report["thanks_shown"] = rating.rated == 2 and d.on_screen("rating")
    d.report["session_during_thanks"] = d.kiosk.session.state.value
    d.report["thanks_picture"] = [p for p in pictures(rating) if p["height"] > 0 and p["name"] == "rating.2"
                                  and p["texture"]] != []
    d.report["thanks_s"] = rating._ending.timeout
    await d.shot("thanks")
    await d.tap_widget(find_buttons(rating, d.app._("rating.5"))[0])  # under the thank-you: must do nothing
    await d.until(lambda: d.on_screen("attract"), "back to attract after the thank-you", timeout_s=10)
    d.report["ratings"] = [r.level for r in ratings]
    d.report["session_after"] = d.kiosk.session.state.value


SCENARIOS = {"pictures": scenario_pictures}
