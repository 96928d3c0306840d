"""智能咨询: the citizen's words (typed, or a common question tapped) → the likely topics as big buttons.

Only the chosen topic id is reported, never the text.
"""

from __future__ import annotations

from kivy.factory import Factory
from kivy.metrics import dp
from kivy.properties import BooleanProperty, StringProperty

from kiosk.consult.triage import REFERRAL
from kiosk.core.events import TriageChosen
from kiosk.ui.screens.base import KioskScreen


class SmartConsultScreen(KioskScreen):
    """Shows common questions, ranks what the citizen chose or typed, and offers the top topics."""

    message = StringProperty("")
    typing = BooleanProperty(False)
    """The citizen tapped the question box: the pinyin keyboard replaces the common questions."""
    via = StringProperty("text")
    """How the question arrived: typed (`text`) or a tapped common question (`menu`)."""

    def on_pre_enter(self, *args) -> None:
        self.ids.question.text = ""
        self.message = ""
        self.typing = False
        self.ids.results.clear_widgets()
        smart = self.app.services.smart
        topics = [flow_id for flow_id, _title in self.app.services.citizen.topics()]
        box = self.ids.suggestions
        box.clear_widgets()
        for text in smart.suggestions(topics):
            button = Factory.QuietButton(text=text, font_size=dp(self.app.theme.font_hint_px))
            button.bind(on_release=lambda _w, text=text: self.use_suggestion(text))
            box.add_widget(button)

    def use_suggestion(self, text: str) -> None:
        """A common question tapped: rank it as if typed."""
        self.tap("suggestion")
        self.ids.question.text = text
        self.find(via="menu")

    def find(self, via: str = "text") -> None:
        """Rank the words and show the likely topics that this kiosk has flows for."""
        self.tap("find")
        self.via = via
        text = self.ids.question.text.strip()
        results = self.ids.results
        results.clear_widgets()
        if not text:
            self.message = self.app._("smart.empty")
            return
        ranking = self.app.services.smart.rank(text)
        citizen = self.app.services.citizen
        offered = [t.id for t in ranking.topics if t.id != REFERRAL and citizen.has_flow(t.id)][:3]
        self.message = self.app._("smart.referral") if ranking.referral or not offered else self.app._(
            "smart.results")
        for rank, topic_id in enumerate(offered, start=1):
            button = Factory.BigButton(text=self.app.services.smart.name(topic_id))
            button.bind(on_release=lambda _w, topic_id=topic_id, rank=rank: self.choose(topic_id, rank))
            results.add_widget(button)
        fallback = Factory.QuietButton(text=self.app._("smart.none"))
        fallback.bind(on_release=lambda _w: self.choose(REFERRAL, len(offered) + 1))
        results.add_widget(fallback)

    def choose(self, topic_id: str, rank: int) -> None:
        """Open the chosen topic; 都不是 (referral) opens the hand-off page, a person rather than another
        questionnaire. Only the id and its rank are reported."""
        self.tap(f"choose.{topic_id}")
        self.app.services.bus.publish(TriageChosen(topic_id, rank, self.via))
        if topic_id == REFERRAL:
            self.app.show("hotline")
        else:
            self.app.start_flow(topic_id)
