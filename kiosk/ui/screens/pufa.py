"""普法学习: the pack's 普法 cards by topic; a card shows one page at a time and ends with 我遇到了这种事, which opens
the topic's consultation.

The cards are read off the UI thread (kiosk.ui.bridge.run_off_ui). A card opened counts as read by its id (content,
never anything the citizen typed).
"""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.legal.library_usage import PufaCardRead
from kiosk.legal.pufa import PufaCard
from kiosk.ui.bridge import run_off_ui
from kiosk.ui.icons import icon_path
from kiosk.ui.screens.base import KioskScreen


class CardPane(BoxLayout):
    """The open card's pane. With no card open it is squeezed to nothing, but its children keep their heights and
    spill over the list, and a disabled widget swallows the touches it covers: only touches inside the pane reach
    them, so every card of the list can be tapped."""

    def on_touch_down(self, touch) -> bool:
        return self.collide_point(*touch.pos) and super().on_touch_down(touch)


class PufaScreen(KioskScreen):
    """The list of cards, or one card (`card`) at page `page`."""

    card = ObjectProperty(None, allownone=True)
    page = NumericProperty(0)
    last_page = BooleanProperty(False)
    """Whether `page` is the card's last (its forward button is then 我遇到了这种事)."""
    listed = BooleanProperty(False)

    def on_pre_enter(self, *args) -> None:
        self._list()

    def on_leave(self, *args) -> None:
        self.card = None

    def on_card(self, *_args) -> None:
        """A card, and each page of it, starts at its top."""
        self.ids.page_scroll.scroll_y = 1
        self.last_page = self.card is not None and self.page >= len(self.card.pages) - 1

    on_page = on_card

    def open(self, card: PufaCard) -> None:
        """Show `card` from its first page (counted as read by its id and topic)."""
        self.tap(f"card.{card.id}")
        self.app.services.bus.publish(PufaCardRead(card.id, card.topic))
        self.page = 0
        self.card = card

    def _list(self) -> None:
        def done(cards, error) -> None:
            box = self.ids.cards
            box.clear_widgets()
            for card in (cards if error is None else None) or ():
                button = Factory.IconButton(text=card.title, icon=icon_path(card.topic))
                button.bind(on_release=lambda _w, card=card: self.open(card))
                box.add_widget(button)
            self.listed = True

        run_off_ui(self.app.services.pufa.cards, done)

    def turn(self, offset: int) -> None:
        """下一页 / 上一页 within the card."""
        self.tap("next" if offset > 0 else "previous")
        self.page = max(0, min(len(self.card.pages) - 1, self.page + offset))
        self.app.page_shown()

    def close_card(self) -> None:
        """返回: back to the list of cards."""
        self.tap("list")
        self.card = None
        self._list()

    def happened_to_me(self) -> None:
        """我遇到了这种事: the topic's consultation."""
        self.tap(f"consult.{self.card.topic}")
        self.app.start_flow(self.card.topic)
