"""The topic list: every dispute area of the content pack as a big button with its picture."""

from __future__ import annotations

from kivy.factory import Factory

from kiosk.ui.icons import icon_path
from kiosk.ui.screens.base import KioskScreen


class TopicsScreen(KioskScreen):
    """Lists the pack's topics; a tap starts that topic's consultation."""

    _listed: list[tuple[str, str]] | None = None
    """The topics the buttons show: they are built again only when a new content pack changes the list (sixteen
    buttons with pictures take far longer than a tap may hold the UI thread)."""

    def on_pre_enter(self, *args) -> None:
        self.ids.scroll.scroll_y = 1
        self.prepare()

    def prepare(self) -> None:
        """The buttons of the pack's topics (built again only when the list changed)."""
        topics = self.app.services.citizen.topics()
        if topics == self._listed:
            return
        self._listed = topics
        grid = self.ids.topics
        grid.clear_widgets()
        for flow_id, title in topics:
            button = Factory.IconButton(text=title, icon=icon_path(flow_id))
            button.bind(on_release=lambda _w, flow_id=flow_id: self.choose(flow_id))
            grid.add_widget(button)

    def choose(self, flow_id: str) -> None:
        """Start the consultation of `flow_id`."""
        self.tap(f"topic.{flow_id}")
        self.app.start_flow(flow_id)
