"""智能咨询: the citizen's words (typed, or a common question tapped) → the likely topics as big buttons.

Only the chosen topic id is reported, never the text.
"""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.legal.triage import REFERRAL
from kiosk.core.events import TriageChosen
from kiosk.services.citizen_consultation import AskedQuestion
from kiosk.ui.screens.base import KioskScreen

KEEPS_QUESTION = frozenset({"consent", "consult"})
"""Screens an offered topic leads to: leaving for one of them keeps the question for coming back."""


class SmartConsultScreen(KioskScreen):
    """Shows common questions, ranks what the citizen chose or typed, and offers the top topics."""

    notices = ("message",)
    message = StringProperty("")
    typing = BooleanProperty(False)
    """The citizen tapped the question box: the pinyin keyboard replaces the common questions."""
    via = StringProperty("text")
    """How the question arrived: typed (`text`) or a tapped common question (`menu`)."""

    def on_pre_enter(self, *args) -> None:
        """A new visit starts clean; coming back (返回, 上一步) shows the question and its topics again."""
        self.typing = False
        self.ids.question.focus = False
        self._show_suggestions()
        asked = self.app.services.citizen.asked
        self.ids.question.text = asked.text if asked is not None else ""
        self.ids.results.clear_widgets()
        self.message = ""
        if asked is not None:
            self.via = asked.via
            self._show(asked)

    def on_leave(self, *args) -> None:
        if self.manager.current not in KEEPS_QUESTION:
            self.app.services.citizen.asked = None

    def _show_suggestions(self) -> None:
        smart = self.app.services.smart
        topics = [flow_id for flow_id, _title in self.app.services.citizen.topics()]
        box = self.ids.suggestions
        box.clear_widgets()
        for text in smart.suggestions(topics):
            button = Factory.CommonQuestion(text=text)
            button.bind(on_release=lambda _w, text=text: self.use_suggestion(text))
            box.add_widget(button)

    def edit(self) -> None:
        """The question box tapped (every time): the keyboard opens to write or change the words, and the topics
        offered make way until 帮我找 is tapped again."""
        self.typing = True
        self.message = ""
        self.ids.results.clear_widgets()

    def use_suggestion(self, text: str) -> None:
        """A common question tapped: rank it as if typed."""
        self.tap("suggestion")
        self.ids.question.text = text
        self.find(via="menu")

    def find(self, via: str = "text") -> None:
        """Rank the words and show the likely topics that this kiosk has flows for; the keyboard folds away."""
        self.tap("find")
        self.via = via
        text = self.ids.question.text.strip()
        if not text:
            self.ids.results.clear_widgets()
            self.message = self.app._("smart.empty")
            return
        ranking = self.app.services.smart.rank(text)
        citizen = self.app.services.citizen
        offered = tuple(t.id for t in ranking.topics if t.id != REFERRAL and citizen.has_flow(t.id))[:3]
        citizen.asked = AskedQuestion(text, via, offered, referral=ranking.referral or not offered)
        self.typing = False
        self.ids.question.focus = False
        self._show(citizen.asked)

    def _show(self, asked: AskedQuestion) -> None:
        """The topics offered for `asked` as big buttons, best first, then 都不是."""
        self.message = self.app._("smart.referral" if asked.referral else "smart.results")
        results = self.ids.results
        results.clear_widgets()
        for rank, topic_id in enumerate(asked.offered, start=1):
            button = Factory.BigButton(text=self.app.services.smart.name(topic_id))
            button.bind(on_release=lambda _w, topic_id=topic_id, rank=rank: self.choose(topic_id, rank))
            results.add_widget(button)
        fallback = Factory.QuietButton(text=self.app._("smart.none"))
        fallback.bind(on_release=lambda _w: self.choose(REFERRAL, len(asked.offered) + 1))
        results.add_widget(fallback)
        results.settle()

    def choose(self, topic_id: str, rank: int) -> None:
        """Open the chosen topic; 都不是 (referral) opens the hand-off page, a person rather than another
        questionnaire. Only the id and its rank are reported."""
        self.tap(f"choose.{topic_id}")
        self.app.services.bus.publish(TriageChosen(topic_id, rank, self.via))
        if topic_id == REFERRAL:
            self.app.show("hotline")
        else:
            self.app.start_flow(topic_id)
