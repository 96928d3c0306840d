"""A theme change that reaches the page on the screen first and the hidden pages in the frames after.

Why: the kv rules of every widget watch `app.theme`. One assignment re-ran about 2,300 of them at once (the
prebuilt pages, three pinyin keyboards, the date picker's keys) and broke their labels' lines again: a tap on
长辈模式 held the UI thread some 50 ms, where DESIGN §8 allows 8. Here the value changes with the kv rules taken off
the property; from the next frame on they run for a slice of each frame, the widgets on the window first, each
label drawn again inside the slice that changed it (not all together before the frame), so the page the citizen
looks at grows within a few frames and the hidden ones follow within a fraction of a second.

It relies on how the kv language of Kivy 2.3 (pinned) watches `app.theme.x`: such a rule is an observer
`update_intermediates(base, keys, bound, index, fn, args)` of the property (kivy/lang/builder.py), `bound[index - 1]`
records the uid of that binding, and `args[4]` is the rule's names with `self`, the widget it sets. Each rule is
bound again (its new uid written back where Kivy keeps it) just before it runs, so a later change reaches it the
usual way. Observers of any other kind (Python code binding the property) are called at once, as usual.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.event import EventDispatcher
from kivy.lang.builder import update_intermediates
from kivy.properties import BooleanProperty
from kivy.uix.label import Label

from kiosk.ui.slices import build_slice

Rule = tuple[Callable, tuple]
"""An observer of the property: the kv language's callback and its arguments."""


class Restyle(EventDispatcher):
    """Switches one property (`name` of `owner`) whose kv rules are many; `busy` while rules are still to run."""

    busy = BooleanProperty(False)

    def __init__(self, owner: EventDispatcher, name: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self._owner = owner
        self._name = name
        self._queue: deque[Rule] = deque()
        self._rank: dict[int, int] = {}
        """Each rule's place in the order Kivy had bound them when this round of switches began, by the id of its
        binding record: a switch made before the last one finished puts the rules it takes back in that order, so
        two rules of one widget that set the same property (a kv class and its base) still run base first."""
        self._sorted = True
        self._run_later = Clock.create_trigger(self._run_some, 0)

    def switch(self, value) -> None:
        """Set the property to `value`; its kv rules run from the next frame on, for a slice of each frame."""
        taken = self._take_rules()
        for rule in taken:
            self._rank.setdefault(_key(rule), len(self._rank))
        self._queue = deque(sorted([*self._queue, *taken], key=lambda rule: self._rank[_key(rule)]))
        setattr(self._owner, self._name, value)
        self._sorted = False
        self.busy = True
        self._run_later()

    def _take_rules(self) -> list[Rule]:
        """The kv rules watching the property, taken off it (in the order bound: Kivy finds each uid at once)."""
        rules = []
        for callback, largs, _kwargs, _is_ref, uid in self._owner.get_property_observers(self._name, args=True):
            if callback is update_intermediates and _binding(largs)[1] == self._name:
                self._owner.unbind_uid(self._name, uid)
                rules.append((callback, largs))
        return rules

    def _run_some(self, _dt=None) -> None:
        if App.get_running_app() is None:   # the app has stopped: its widgets' kv rules can no longer run
            self._queue.clear()
        elif not self._sorted:   # a frame of its own: the window's widgets are walked and 2,000-odd rules sorted
            self._queue = deque(_window_first(self._queue))
            self._sorted = True
            self._run_later()
            return
        more = build_slice(self._queue, self._run)
        self.busy = more
        if more:
            self._run_later()
        else:
            self._rank.clear()   # every rule is bound again, in this order: the next round starts from it

    def _run(self, rule: Rule) -> None:
        """Bind the rule again and run it as the property's dispatch would have (a rule whose widget is gone is
        dropped)."""
        callback, largs = rule
        uid = self._owner.fbind(self._name, callback, *largs)
        _binding(largs)[3] = uid
        try:
            callback(*largs, self._owner, getattr(self._owner, self._name))
            _render_now(_widget(rule))
        except ReferenceError:
            self._owner.unbind_uid(self._name, uid)


def _binding(largs: tuple) -> list:
    """Kivy's record [object, property, callback, uid] of the binding that calls this rule."""
    _base, _keys, bound, index, _fn, _args = largs
    return bound[index - 1]


def _window_first(rules: list[Rule]) -> list[Rule]:
    """The rules of widgets on the window first (in their earlier order), then the rest; rules of widgets that
    no longer exist are dropped."""
    shown = {widget.uid for child in Window.children for widget in child.walk()}
    first, later = [], []
    for rule in rules:
        try:
            uid = _widget(rule).uid
        except ReferenceError:
            continue
        (first if uid in shown else later).append(rule)
    return first + later


def _render_now(widget) -> None:
    """Draw a label's text again now, inside the slice that changed it, not in one batch before the frame with
    every other label the slice touched (Kivy's `_trigger_texture`, cancelled here)."""
    if isinstance(widget, Label) and widget._trigger_texture.is_triggered:
        widget._trigger_texture.cancel()
        widget.texture_update()


def _key(rule: Rule) -> int:
    """A rule's identity across being bound again: its binding record's list, which Kivy keeps for the rule."""
    return id(rule[1][2])


def _widget(rule: Rule):
    """The widget the rule sets (its `self`)."""
    return rule[1][5][4]["self"]
