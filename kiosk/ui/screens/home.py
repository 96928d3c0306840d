"""The home screen: the service tiles, and a way to finish that wipes everything the citizen entered."""

from __future__ import annotations

from dataclasses import dataclass

from kivy.properties import BooleanProperty

from kiosk.services.session import EndReason
from kiosk.ui.icons import icon_path
from kiosk.ui.screens.base import KioskScreen


@dataclass(frozen=True, slots=True)
class TileSpec:
    """One service tile: its control id, the i18n key stem of its texts, and the screen it opens."""

    control: str
    text_key: str
    target: str


TILES = (
    TileSpec("smart", "home.tile.smart", "smart_consult"),
    TileSpec("topics", "home.tile.topics", "topics"),
    TileSpec("legal_aid", "home.tile.legal_aid", "flow:legal_aid"),
    TileSpec("mediation", "home.tile.mediation", "flow:mediation"),
    TileSpec("notarization", "home.tile.notarization", "flow:notarization"),
    TileSpec("hotline", "home.tile.hotline", "hotline"),
    TileSpec("library", "home.tile.library", "library"),
    TileSpec("pufa", "home.tile.pufa", "pufa"),
)
"""The services of the home screen, in the order shown (two per row)."""


class HomeScreen(KioskScreen):
    """Tiles open their service; a service not installed on this kiosk says so calmly and offers 12348."""

    notice_open = BooleanProperty(False)

    def on_kv_post(self, base_widget) -> None:
        from kivy.factory import Factory

        grid = self.ids.tiles
        for spec in TILES:
            tile = Factory.Tile(title=self.app._(f"{spec.text_key}"), hint=self.app._(f"{spec.text_key}.hint"),
                                icon=icon_path(spec.control))
            tile.bind(on_release=lambda _w, spec=spec: self.open_tile(spec))
            grid.add_widget(tile)

    def open_tile(self, spec: TileSpec) -> None:
        """Open the tile's service, or the notice when this kiosk does not offer it."""
        self.tap(f"tile.{spec.control}")
        if self.app.can_show(spec.target):
            self.app.show(spec.target)
        else:
            self.notice_open = True

    def finish(self) -> None:
        """The citizen is done: wipe the session and go back to the attract screen."""
        self.tap("finish")
        self.app.services.session.end(EndReason.FINISHED)
