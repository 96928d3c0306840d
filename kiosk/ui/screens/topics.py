"""The topic list: every dispute area of the content pack as a big button with its picture."""

from __future__ import annotations

from kivy.factory import Factory

from kiosk.ui.icons import icon_path
from kiosk.ui.screens.base import KioskScreen


class TopicsScreen(KioskScreen):
    """Lists the pack's topics; a tap starts that topic's consultation."""

    def on_pre_enter(self, *args) -> None:
        grid = self.ids.topics
        grid.clear_widgets()
        for flow_id, title in self.app.services.citizen.topics():
            button = Factory.IconButton(text=title, icon=icon_path(flow_id))
            button.bind(on_release=lambda _w, flow_id=flow_id: self.choose(flow_id))
            grid.add_widget(button)

    def choose(self, flow_id: str) -> None:
        """Start the consultation of `flow_id`."""
        self.tap(f"topic.{flow_id}")
        self.app.start_flow(flow_id)
