"""A terminal's health history on its console page (issue 16, 终端详情): two ingest workers' watches sample one
store every five minutes of a day in which the terminal ran out of paper, dropped offline for an hour and built up a
backlog; the page draws it as inline SVG (no script, no CDN) with the list of changes, offers 24 hours, 7 and 30 days,
and is looked at in headless Chromium at 1366x768 (tests/_artifacts/ui/console_history.png)."""

from __future__ import annotations

import re
import threading
from collections import Counter

import pytest
import uvicorn
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from starlette.testclient import TestClient

from kiosk.core.clock import FakeClock
from kiosk.fleet import protocol
from kiosk.fleet.console import history, store
from kiosk.fleet.console.database import ConsoleDB
from kiosk.fleet.console.server import BrokerSettings
from kiosk.fleet.console.settings import ConsoleSettings
from kiosk.fleet.console.watch import AlertWatch
from kiosk.fleet.console.web import auth
from kiosk.fleet.console.web.app import build_app
from tests.integration.fleet.conftest import free_port, wait_until
from tests.integration.fleet.test_web_console import ARTIFACTS, CHROMEDRIVER, CHROMIUM
from tests.postgres import query

REGION, EPOCH, PASSWORD = "r320102", 3, "viewer-password-1"
SLOTS_PER_DAY = 86_400_000 // history.SAMPLE_MS


def _at(clock: FakeClock) -> int:
    return int(clock.now().timestamp() * 1000)


def _messages(kid: str, slot: int, at_ms: int) -> list[tuple]:
    """What the kiosk says in five-minute slot `slot` of the day: a birth with its backlog, presence, paper state
    (out from 10:00 to 12:00, near its end before), offline 15:00-16:00; from 18:00 on, 2 more events wait each
    slot."""
    hour = slot * 5 // 60
    backlog = max(0, slot - 18 * 12) * 2
    position = protocol.StreamPosition(epoch=EPOCH, last_seq=slot + 1 + backlog, acked_seq=slot, backlog=backlog,
                                       dropped=0)
    birth = protocol.Birth(sess=1, boot="b", sw="1.4.0", minors=[1, 2], desired_version=0, streams={"hw": position},
                           clk=protocol.ClockState(offset_ms=1500))
    paper = "out" if 10 <= hour < 12 else "near_end" if 8 <= hour < 10 else "ok"
    batch = protocol.decode(protocol.Kind.TELEMETRY, protocol.encode_batch(
        "hw", EPOCH, slot + 1, "b", [(slot + 1, at_ms, slot + 1, "printer.paper", f'{{"state":"{paper}"}}')],
        protocol.ClockState()))
    topics = protocol.Topics(REGION, kid)
    state = protocol.State(online=not 15 <= hour < 16, sess=1, ts=at_ms)
    return [(protocol.parse_topic(topics.up("birth")), birth, at_ms),
            (protocol.parse_topic(topics.tel("hw")), batch, at_ms), (protocol.parse_topic(topics.state), state, at_ms)]


@pytest.fixture
def day(tmp_path):
    """A SQLite store after a day of one terminal, sampled by two workers' watches; the viewer user; the clock."""
    clock = FakeClock()
    clock.advance(-_at(clock) % 86_400_000 / 1000)
    db = ConsoleDB(tmp_path / "console.db")
    db.start()
    db.call(lambda c: auth.add_user(c, "viewer", PASSWORD, "viewer", 0))
    watches = [AlertWatch(db, ConsoleSettings(), clock) for _ in range(2)]
    for slot in range(SLOTS_PER_DAY):
        db.call(lambda c, s=slot: store.ingest(c, _messages("k-1", s, _at(clock))))
        for watch in watches:
            watch.run_once()
        clock.advance(history.SAMPLE_MS / 1000)
    yield db, clock
    db.stop()


def test_a_day_of_samples_is_drawn_on_the_terminal_page(day):
    """GIVEN a day sampled by two watches WHEN a viewer opens the terminal THEN there is one sample per slot, the
    page draws a bar per sample in each state strip (offline, paper out and near its end among them), a line for
    the backlog and clock offset with their largest values, lists the changes, and switches to 7 days."""
    db, clock = day
    assert db.call(lambda c: query(c, "SELECT COUNT(*), COUNT(DISTINCT at_ms) FROM health_samples")) == [
        (SLOTS_PER_DAY, SLOTS_PER_DAY)]
    client = TestClient(build_app(db, BrokerSettings(), clock))
    token = re.search(r'name="login_token" value="([^"]+)"', client.get("/login").text)[1]
    client.post("/login", data={"login_token": token, "username": "viewer", "password": PASSWORD})
    page = client.get("/kiosk/k-1").text
    chart = page[page.index('id="history-chart"'):page.index('id="history-changes"')]
    bars = Counter(re.findall(r'<rect class="(\w+)"', chart))
    assert sum(bars.values()) == 3 * SLOTS_PER_DAY and "<script" not in chart
    assert (bars["down"], bars["part"]) == (12 + 24, 24)
    assert f"最高 {(SLOTS_PER_DAY - 1 - 18 * 12) * 2}" in chart and "最高 1.5" in chart
    changes = page[page.index('id="history-changes"'):]
    assert all(word in changes for word in ("缺纸", "纸将用尽", "离线"))
    week = client.get("/kiosk/k-1?days=7").text
    assert 'class="period on" href="?days=7#history"' in week


def test_the_history_looks_right_in_a_browser(day):
    """GIVEN the day WHEN the page is opened in headless Chromium at 1366x768 THEN the strips and lines are drawn
    (screenshot kept for a look)."""
    db, clock = day
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(build_app(db, BrokerSettings(), clock), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,768",
                     "--lang=zh-CN"):
        options.add_argument(argument)
    browser = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    browser.set_page_load_timeout(30)
    try:
        wait_until(lambda: server.started, timeout_s=30, what="console listening")
        base = f"http://127.0.0.1:{port}"
        browser.get(f"{base}/login")
        browser.find_element(By.ID, "username").send_keys("viewer")
        browser.find_element(By.ID, "password").send_keys(PASSWORD)
        browser.find_element(By.ID, "login").click()
        wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, ".who"), timeout_s=10, what="logged in")
        browser.get(f"{base}/kiosk/k-1#history")
        browser.find_element(By.CSS_SELECTOR, "details.changes summary").click()
        strips = browser.find_elements(By.CSS_SELECTOR, "#history-chart svg")
        assert len(strips) == 5 and all(svg.size["width"] > 600 and svg.size["height"] == 30 for svg in strips)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / "console_history.png"))
    finally:
        browser.quit()
        server.should_exit = True
        thread.join(10)
