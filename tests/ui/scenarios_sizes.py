"""Every citizen screen's widget tree at 1080x1920, in the normal look and in 长辈模式: the smallest text and the
smallest touch target on each, so a test can hold them to the floors an elderly villager needs."""

from __future__ import annotations

from tests.ui.harness import Driver

SCREENS_WITHOUT_STATE = ("attract", "home", "topics", "smart_consult", "consent", "hotline", "rating")
"""Citizen screens that show something without a consultation behind them."""


def effective_opacity(widget) -> float:
    """The widget's opacity times its parents' (what the citizen actually sees)."""
    opacity = 1.0
    while widget is not None:
        opacity *= getattr(widget, "opacity", 1.0)
        widget = widget.parent if widget.parent is not widget else None
    return opacity


def measure(root, where: str) -> list[dict]:
    """Visible text sizes (px) and visible, enabled touch targets (px) under `root`."""
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.label import Label
    from kivy.uix.textinput import TextInput

    found = []
    for widget in root.walk(restrict=True):
        if effective_opacity(widget) < 0.05 or widget.width < 1 or widget.height < 1:
            continue
        if isinstance(widget, (Label, TextInput)) and (widget.text or getattr(widget, "hint_text", "")).strip():
            found.append({"where": where, "kind": "text", "px": round(float(widget.font_size), 1),
                          "text": (widget.text or widget.hint_text)[:24]})
        if isinstance(widget, (ButtonBehavior, TextInput)) and not widget.disabled:
            found.append({"where": where, "kind": "target", "px": round(min(widget.width, widget.height), 1),
                          "text": getattr(widget, "text", "")[:24] or type(widget).__name__})
    return found


async def visit(d: Driver, name: str, tag: str) -> list[dict]:
    """Show screen `name`, let it lay out, screenshot it and measure it with the citizen bar."""
    d.app.show(name)
    await d.until(lambda: d.on_screen(name), name)
    await d.frames(4)
    await d.shot(f"{tag}-{name}")
    return measure(d.app.root, f"{tag}:{name}")


async def walk_consultations(d: Driver, tag: str) -> list[dict]:
    """One page of each kind the flows' examples reach, their review page and the opinion."""
    found, seen_kinds = [], set()
    citizen = d.kiosk.citizen
    consult = d.app.screen("consult")
    for flow_id in ("labor", "traffic_accident", "debt", "domestic_violence", "inheritance"):
        interview = citizen.begin(flow_id)
        example = interview.flow.examples[0]
        d.app.show("consult")
        await d.until(lambda: d.on_screen("consult"), "consult")
        while interview.state.value == "asking":
            kind = interview.page.kind.value
            if kind not in seen_kinds:
                seen_kinds.add(kind)
                consult.refresh()
                await d.frames(4)
                await d.shot(f"{tag}-page-{kind}")
                found += measure(d.app.root, f"{tag}:consult:{kind}")
            interview.answer(example.answers[interview.page.id])
        if flow_id == "labor":
            consult.refresh()
            await d.frames(4)
            await d.shot(f"{tag}-review")
            found += measure(d.app.root, f"{tag}:consult:review")
            citizen.issue_opinion()
            found += await visit(d, "opinion", tag)
    d.report.setdefault("kinds", sorted(seen_kinds))
    return found


async def walk_overlays(d: Driver, tag: str) -> list[dict]:
    """The countdown, the 长辈模式 offer and the danger page over a screen."""
    found = []
    for prop, value, off in (("countdown_seconds", 9, 0), ("elderly_offer_open", True, False),
                             ("danger_steps", d.kiosk.consultations.pack.flow("domestic_violence").first_steps, ())):
        setattr(d.app, prop, value)
        await d.frames(4)
        await d.shot(f"{tag}-overlay-{prop}")
        found += measure(d.app.root, f"{tag}:overlay:{prop}")
        setattr(d.app, prop, off)
    return found


async def scenario_sizes(d: Driver) -> None:
    """Walk every citizen screen normal, then in 长辈模式; report every text size and target size seen."""
    from kivy.core.window import Window

    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.tap(Window.width / 2, Window.height / 2)
    await d.until(lambda: d.kiosk.identity is not None and d.kiosk.citizen.topics() and d.kiosk.smart.ready,
                  "reader, content and triage ready")
    d.report["window"] = [Window.width, Window.height]
    for tag, elderly in (("normal", False), ("elderly", True)):
        await d.set_elderly(elderly)
        found = []
        for name in SCREENS_WITHOUT_STATE:
            found += await visit(d, name, tag)
        d.app.show("smart_consult")
        smart = d.app.screen("smart_consult")
        smart.typing = True
        await d.frames(4)
        await d.shot(f"{tag}-keyboard")
        found += measure(d.app.root, f"{tag}:smart_consult:keyboard")
        found += await walk_consultations(d, tag)
        found += await walk_overlays(d, tag)
        d.report[tag] = found


SCENARIOS = {"sizes": scenario_sizes}
