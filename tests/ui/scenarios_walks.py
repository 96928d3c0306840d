"""Scripted walks of the people issue 12 names, with real taps at 1080x1920: the 68-year-old farmer owed wages
goes from the attract screen to a printed slip and a rating, in 长辈模式 with every page read aloud.

The walk also feeds the UI benchmark (tests/bench/ui.py): a FrameProbe files the UI thread's handler and frame
times under each step, and each page's speech start is timed from the moment the page appeared.
"""

from __future__ import annotations

import gc
import time

from kiosk.services.session import SessionEnded
from tests.ui.frame_probe import FrameProbe
from tests.ui.harness import Driver, find_buttons, find_buttons_by_title

FARMER_CARD = "rare_long_term"
"""A test card of a citizen born in 1950: the card read offers 长辈模式."""
SPEECH_WAIT_S = 5.0


class SpeechClock:
    """When each page changed, when its first frame reached the screen, and when the player started speaking.

    A page read from a pre-rendered clip starts speaking inside the handler that drew it, before its first frame
    is flipped; its delay from appearing is then 0. The wait from the page's change (building its widgets
    included) is kept beside it.
    """

    def __init__(self, d: Driver) -> None:
        from kivy.core.window import Window

        from kiosk.ui.speech_player import KivyPlayer

        self.changed: list[float] = []
        self.pages: list[str] = []
        """The screen of each timed page (the consultation's questions are all `consult`)."""
        self.appeared: list[float] = []
        self.started: list[float] = []
        self.said: list[list[str]] = []
        play = KivyPlayer.play

        def timed_play(player, path, volume, on_finished):
            self.started.append(time.perf_counter())
            return play(player, path, volume, on_finished)

        KivyPlayer.play = timed_play
        say = d.kiosk.speech.say
        d.kiosk.speech.say = lambda pieces: (self.said.append(list(pieces)), say(pieces))[1]
        self.app = d.app
        show = d.app.show  # a screen's speech starts while it is shown, before the manager tells its observers

        def timed_show(name: str) -> None:
            self._change(name)
            show(name)

        d.app.show = timed_show
        d.app.screen("consult").bind(question=lambda *_a: self._change("consult"))
        Window.bind(on_flip=lambda *_a: self._flipped())

    def _change(self, page: str) -> None:
        """A new page; only pages that appear in 长辈模式 are read by themselves, so only they are timed."""
        if self.app.elderly:
            self.changed.append(time.perf_counter())
            self.pages.append(page)

    def _flipped(self) -> None:
        if len(self.appeared) < len(self.changed):
            self.appeared.append(time.perf_counter())

    def _starts(self) -> list[tuple[int, float]]:
        """(page index, first speech start) of every page that spoke before the next page came."""
        found = []
        for index, changed in enumerate(self.changed):
            until = self.changed[index + 1] if index + 1 < len(self.changed) else float("inf")
            start = next((t for t in self.started if changed <= t < until), None)
            if start is not None:
                found.append((index, start))
        return found

    def delays_ms(self) -> list[float]:
        """Per page that spoke: ms from its first frame on screen to its speech starting (0 if speech came first)."""
        return [round(max(0.0, start - self.appeared[index]) * 1000, 1)
                for index, start in self._starts() if index < len(self.appeared)]

    def after_change_ms(self) -> list[float]:
        """Per page that spoke: ms from the page's change (its widgets still to build) to its speech starting."""
        return [round((start - self.changed[index]) * 1000, 1) for index, start in self._starts()]


async def answer_by_taps(d: Driver, page, value) -> int:
    """Answer the consult screen's current page as a citizen would, with taps; returns the taps it took."""
    consult = d.app.screen("consult")
    await d.input_ready(consult)
    taps_before = d.report.get("taps", 0)
    kind = page.kind.value
    worded = dict(page.answer_keys())
    if page.option(value) is not None or value in worded:  # a button: an option, 是/否-like words or 不清楚
        label = page.option(value).label if page.option(value) is not None else d.app._(worded[value])
        await d.tap_widget(find_buttons(consult, label)[0])
    elif kind in ("money", "number"):
        pad = next(w for w in consult.walk() if type(w).__name__ == "NumberPad")
        keys = {w.text: w for w in pad.walk() if type(w).__name__ == "PadKey"}
        for digit in str(value):
            await d.tap_widget(keys[digit])
        await d.tap_widget(find_buttons(consult, d.app._("consult.next"))[0])
    elif kind == "date":
        picker = next(w for w in consult.walk() if type(w).__name__ == "DatePicker")
        while picker.day.year != value.year:
            await d.tap_widget(picker.ids.minus if picker.day.year > value.year else picker.ids.plus)
        if picker.day.month != value.month:
            await d.tap_widget(picker.month_buttons[value.month - 1])
        if not picker.month_only and picker.day.day != value.day:
            await d.tap_widget(picker.day_buttons[value.day - 1])
        await d.tap_widget(find_buttons(consult, d.app._("consult.next"))[0])
    else:
        raise AssertionError(f"the farmer's walk has no {kind} page")
    return d.report["taps"] - taps_before


async def scenario_farmer_walk(d: Driver) -> None:
    """Attract → 分类咨询 → 劳动 → card (长辈模式 offered, accepted) → the questions → review → opinion → print →
    我看完了 → 满意 → thanks → attract; every step timed, every page read aloud."""
    from kivy.core.window import Window

    probe = FrameProbe()
    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.until(lambda: d.app.screens_ready, "screens built while the kiosk waits", timeout_s=60)
    voice = SpeechClock(d)
    probe.install()
    d.probe = probe
    probe.begin("attract")
    await d.tap(Window.width / 2, Window.height / 2)
    await d.until(lambda: d.on_screen("home") and d.kiosk.identity is not None and d.kiosk.citizen.topics()
                  and d.kiosk.printing is not None and d.kiosk.printing.state.value == "online",
                  "home, reader, printer and content ready")
    await d.shot("home")
    probe.begin("home")
    await d.tap_widget(find_buttons_by_title(d.app.screen("home"), d.app._("home.tile.topics"))[0])
    await d.until(lambda: d.on_screen("topics"), "topic list")
    probe.begin("topics")
    flow = d.kiosk.consultations.pack.flow("labor")
    await d.tap_widget(find_buttons(d.app.screen("topics"), flow.title)[0])
    await d.until(lambda: d.on_screen("consent"), "ID card consent")
    consent = d.app.screen("consent")
    probe.begin("consent")
    await d.tap_widget(find_buttons(consent, d.app._("consent.agree"))[0])
    d.kiosk.devices.idcard.simulator.present(FARMER_CARD)
    await d.until(lambda: d.app.elderly_offer_open, "长辈模式 offered after the card read")
    await d.shot("elderly_offer")
    probe.begin("elderly")
    offer = next(w for w in d.app.root.children if type(w).__name__ == "ElderlyOffer")
    await d.tap_widget(find_buttons(offer, d.app._("elderly.offer.yes"))[0])
    await d.until(lambda: d.app.elderly, "长辈模式 on")
    await d.restyled()
    await d.tap_widget(find_buttons(consent, d.app._("consent.continue"))[0])
    await d.until(lambda: d.on_screen("consult"), "first question")
    consult = d.app.screen("consult")
    example = flow.examples[0]
    date_and_pad_taps = 0
    shots = 0
    while consult.interview.state.value == "asking":
        page = consult.interview.page
        probe.begin(f"q:{page.id}")
        if shots < 3 and page.kind.value in ("date", "money") or shots == 0:
            await d.shot(f"question-{page.id}")
            shots += 1
        taps = await answer_by_taps(d, page, example.answers[page.id])
        if page.kind.value in ("date", "money"):
            date_and_pad_taps += taps
        await d.until(lambda: consult.interview.state.value != "asking" or consult.interview.page.id != page.id,
                      f"page after {page.id}")
    await d.input_ready(consult)
    await d.frames(2)
    d.report["review_rows"] = len(consult.interview.review())
    d.report["review_hint"] = consult.ids.answer_hint.text if consult.ids.answer_hint.overflows else None
    await d.shot("review")
    probe.begin("review")
    await d.tap_widget(find_buttons(consult, d.app._("consult.review.issue"))[0])
    await d.until(lambda: d.on_screen("opinion"), "opinion screen")
    opinion = d.app.screen("opinion")
    await d.frames(10)
    await d.shot("opinion")
    probe.begin("print")
    await d.tap_widget(find_buttons(opinion, d.app._("printing.print"))[0])
    await d.until(lambda: opinion.print_message == d.app._("printing.done"), "slip printed", timeout_s=60)
    doc = d.kiosk.citizen.opinion
    d.report["printed_number"] = any(doc.number in line for line in d.kiosk.devices.printer.simulator.printout.lines)
    await d.shot("printed")
    probe.begin("finish")
    await d.tap_widget(find_buttons(opinion, d.app._("opinion.finish"))[0])
    await d.until(lambda: d.on_screen("rating"), "rating")
    probe.begin("rating")
    rating = d.app.screen("rating")
    level = next(w for w in rating.walk() if getattr(w, "text", None) == d.app._("rating.4"))
    # The session ends on its own after the thank-you; what runs from then on (the wipe, the normal look back
    # behind the attract screen, the collection of the session's garbage) keeps no citizen waiting, so it is
    # timed apart from the walk's steps, from the moment the session ends (on a slow machine, before the
    # script has looked at the thank-you).
    d.kiosk.bus.subscribe(SessionEnded, lambda _event: probe.begin("after_session"))
    await d.tap_widget(level)
    await d.frames(3)
    await d.shot("thanks")
    await d.until(lambda: d.on_screen("attract"), "back to attract after the thank-you", timeout_s=10)
    await d.until(lambda: not d.app.elderly, "the normal look back")
    await d.restyled()
    await d.until(gc.isenabled, "the cycle collector's pass between sessions (kiosk.ui.collector)")
    await d.frames(3)
    d.report["outcome"] = d.kiosk.consultations.pack.flow("labor").examples[0].outcome
    d.report["elderly_after"] = d.app.elderly
    d.report["steps"] = probe.figures()
    d.report["taps_dates_keypad"] = date_and_pad_taps
    d.report["speech_start_ms"] = voice.delays_ms()
    d.report["speech_after_change_ms"] = voice.after_change_ms()
    d.report["speech_pages"] = [voice.pages[index] for index, _start in voice._starts()]
    d.report["said_first"] = [pieces[0] for pieces in voice.said if pieces]
    d.report["pages_shown"] = len(voice.changed)
    d.report["clips"] = list(d.kiosk.speech.clips.stats())
    d.report["synthesised"] = d.kiosk.speech.synthesised
    d.report["wiped"] = d.kiosk.citizen.interview is None and d.kiosk.identity.identity is None


async def scenario_unsure_walk(d: Driver) -> None:
    """A worker who left and remembers neither the dates nor the amount answers 不清楚 by taps on the date pages,
    the keypad page and the choices, and still reaches the review and an opinion."""
    from kivy.core.window import Window

    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.tap(Window.width / 2, Window.height / 2)
    await d.until(lambda: d.on_screen("home") and d.kiosk.citizen.topics(), "home and content ready")
    flow = d.kiosk.consultations.pack.flow("labor")
    example = next(e for e in flow.examples if e.answers.get("amount") == "unsure")
    d.app.start_flow("labor", ask_card=False)
    consult = d.app.screen("consult")
    kinds = []
    while consult.interview.state.value == "asking":
        page = consult.interview.page
        if example.answers[page.id] == "unsure":
            kinds.append(page.kind.value)
            if page.kind.value in ("date", "money"):
                await d.shot(f"unsure-{page.kind.value}")
        await answer_by_taps(d, page, example.answers[page.id])
        await d.until(lambda: consult.interview.state.value != "asking" or consult.interview.page.id != page.id,
                      f"page after {page.id}")
    d.report["unsure_kinds"] = sorted(set(kinds))
    d.report["outcome"] = consult.interview.outcome.id
    d.report["review_unsure"] = sum(item.answer == d.app._("consult.answer.unsure")
                                    for item in consult.interview.review())
    await d.input_ready(consult)
    await d.shot("review")


SCENARIOS = {"farmer_walk": scenario_farmer_walk, "unsure_walk": scenario_unsure_walk}
