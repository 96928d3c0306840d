"""Smart consultation (智能咨询): the triage model loaded in the background, ranking a citizen's words.

Why a service: the model is read once, off the UI thread, while the attract screen is up; the UI asks for a
ranking only when it is ready, and a missing or broken model fails soft (the tile then says so and the
citizen uses the topic list or 12348 instead). The model is the content pack's in force: a content job that
adds a flow brings the model that finds it, swapped in whole (`use`) when the pack is installed.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.legal.errors import TRIAGE_UNAVAILABLE
from kiosk.core.events import EventBus, SubsystemFailed, SubsystemRecovered

if TYPE_CHECKING:
    from kiosk.legal.triage import TriageModel, TriageResult

logger = logging.getLogger(__name__)

SUGGESTIONS_PER_TOPIC = 1
"""Common questions shown per topic on the smart-consultation screen before the citizen types anything."""


class SmartConsult:
    """Ranks free text to topic ids once the model is loaded; never blocks the caller."""

    def __init__(self, bus: EventBus, content_root: Path) -> None:
        self._bus = bus
        self._root = content_root
        self._model: TriageModel | None = None
        self._loaded = threading.Event()

    def start(self) -> None:
        """Load the model on a background thread."""
        threading.Thread(target=self._load, name="triage-load", daemon=True).start()

    def _load(self) -> None:
        try:
            from kiosk.legal.triage import TriageModel  # on this thread, after the first frame

            self._model = TriageModel.of_pack(self._root)
        except Exception as exc:  # a broken model file must not take the kiosk down
            logger.error("triage model failed to load: %s", exc)
            self._bus.publish(SubsystemFailed("triage", TRIAGE_UNAVAILABLE.code, f"{type(exc).__name__}: {exc}"))
        else:
            self._bus.publish(SubsystemRecovered("triage"))
        finally:
            self._loaded.set()

    def use(self, model: TriageModel) -> None:
        """Rank with the model of a pack just installed (any thread: the reference is swapped whole)."""
        was_missing, self._model = self._model is None, model
        if was_missing:
            self._bus.publish(SubsystemRecovered("triage"))

    def wait_loaded(self, timeout_s: float) -> bool:
        """Wait for the load attempt to finish (tests, CLI); True when a model is usable."""
        return self._loaded.wait(timeout_s) and self._model is not None

    @property
    def ready(self) -> bool:
        """Whether rankings can be given now."""
        return self._model is not None

    def rank(self, question: str) -> TriageResult:
        """Ranked topic ids for the citizen's words (about a millisecond; fine on the UI thread)."""
        if self._model is None:
            raise RuntimeError("triage model not loaded")
        return self._model.rank(question)

    def name(self, topic_id: str) -> str:
        """The Chinese button label of a topic or service id."""
        return self._model.name(topic_id) if self._model else topic_id

    def suggestions(self, topic_ids: list[str]) -> list[str]:
        """Common questions for the given topics, a few each, to tap instead of typing."""
        if self._model is None:
            return []
        from kiosk.legal.triage import REFERRAL

        return [q for topic in topic_ids if topic != REFERRAL
                for q in self._model.common_questions(topic, limit=SUGGESTIONS_PER_TOPIC)]
