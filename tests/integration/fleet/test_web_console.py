"""The operators' web console in Debian's headless Chromium (Selenium with its chromedriver), against `kiosk fleet
web` on a PostgreSQL store fed by a real ingest worker and two real agents over Mosquitto (issue 16 item 4):
log in; see a terminal go offline and its alert appear; open a terminal, send `printer_test` and see the reply;
publish a configuration (checked, diff shown) and see it applied; export the month's report as XLSX and read it
back with openpyxl; a viewer cannot send a command; a form without its CSRF token is refused; the audit log has
it all. Screenshots at 1366x768 and at a tablet's 800x1280 go to tests/_artifacts/ui/console_*.png."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from kiosk.cli.main import main
from kiosk.core.clock import SystemClock
from kiosk.fleet.console.settings import AlertRules, ConsoleSettings
from kiosk.fleet.console.watch import AlertWatch
from tests.integration.fleet.conftest import SERVER_PASSWORD, SERVER_USER, KioskUnderTest, ServerUnderTest, wait_until

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "tests" / "_artifacts" / "ui"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
PASSWORDS = {"admin": "admin-password-1", "op": "operator-password-1", "viewer": "viewer-password-1"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def console(tmp_path, broker, postgres):
    """A PostgreSQL store with an ingest worker and its alert watch (offline after 3 s), `kiosk fleet web` on a free
    port, two agents, three users; everything stopped at teardown."""
    db = postgres.database()
    for name, role in (("admin", "administrator"), ("op", "operator"), ("viewer", "viewer")):
        (tmp_path / name).write_text(PASSWORDS[name])
        assert main(["fleet", "user", name, "--role", role, "--db", db, "--password-file", str(tmp_path / name)]) == 0
    worker = ServerUnderTest(db, broker).start()
    watch = AlertWatch(worker.db, ConsoleSettings(alerts=AlertRules(offline_after_min=0.05, check_every_s=0.5)),
                       SystemClock())
    watch.start()
    (tmp_path / "srv-password").write_text(SERVER_PASSWORD)
    port = _free_port()
    web = subprocess.Popen([sys.executable, "-m", "kiosk", "fleet", "web", "--db", db, "--host", "127.0.0.1",
                            "--port", str(broker.port), "--username", SERVER_USER, "--password-file",
                            str(tmp_path / "srv-password"), "--http-port", str(port)], cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kiosks = [KioskUnderTest(tmp_path / kid, broker, kid).start() for kid in ("k-0001", "k-0002")]
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,768",
                     "--lang=zh-CN"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    browser = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    browser.set_page_load_timeout(30)
    wait_until(lambda: _listening(port), timeout_s=30, what="kiosk fleet web listening")
    try:
        yield f"http://127.0.0.1:{port}", browser, kiosks, worker, downloads
    finally:
        browser.quit()
        for kiosk in kiosks:
            kiosk.stop()
        web.send_signal(signal.SIGTERM)
        web.wait(timeout=30)
        watch.stop()
        worker.stop()


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def _shot(browser, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"console_{name}.png"))


def _login(browser, base: str, name: str) -> None:
    browser.delete_all_cookies()
    browser.get(f"{base}/login")
    browser.find_element(By.ID, "username").send_keys(name)
    browser.find_element(By.ID, "password").send_keys(PASSWORDS[name])
    browser.find_element(By.ID, "login").click()
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, ".who"), timeout_s=10, what=f"{name} logged in")


def _text_of(browser, selector: str) -> str:
    """The element's text, or "" while it is not there (or the page reloading under it)."""
    try:
        return browser.find_element(By.CSS_SELECTOR, selector).text
    except (NoSuchElementException, StaleElementReferenceException):
        return ""


def _reloaded(browser, predicate) -> bool:
    browser.refresh()
    return predicate()


def _post_without_token(browser, path: str, fields: dict[str, str]) -> None:
    """Submit a form the console did not render (as another site could make a browser do)."""
    browser.execute_script(
        "var f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
        "for (var k in arguments[1]) { var i = document.createElement('input'); i.name = k;"
        " i.value = arguments[1][k]; f.appendChild(i); } document.body.appendChild(f); f.submit();", path, fields)


def _send_command(browser, key: str, confirmation: str) -> dict[str, str]:
    """Press a terminal page's command button, check its confirmation names `confirmation` and accept it; the new
    command's row once its final reply is on the page."""
    before = browser.find_elements(By.CSS_SELECTOR, "#command-table tr[data-id]")
    newest = before[0].get_attribute("data-id") if before else ""
    browser.find_element(By.ID, f"cmd-{key}").click()
    assert confirmation in browser.switch_to.alert.text
    browser.switch_to.alert.accept()
    row = "#command-table tr[data-id]"
    wait_until(lambda: browser.execute_script(
        "var r = document.querySelector(arguments[0]);"
        "return !!r && r.dataset.id !== arguments[1] && r.querySelector('.phase').textContent === '完成';",
        row, newest), timeout_s=30, what=f"{key}'s final reply on the page")
    return {cell: _text_of(browser, f"{row} .{cell}") for cell in ("name", "code", "reply")}


def test_an_operator_s_day_in_the_console(console):
    base, browser, kiosks, worker, downloads = console
    for i in range(30):
        kiosks[0].outbox.record("ui", "ui.tap", {"screen": "home", "control": f"c{i % 3}"})
    wait_until(lambda: worker.scalar("SELECT COUNT(*) FROM kiosks WHERE online = 1") == 2, what="both online")
    wait_until(lambda: worker.event_count("k-0001") == 30, what="taps stored")

    browser.get(base + "/")
    assert "/login" in browser.current_url
    _login(browser, base, "op")
    assert browser.find_element(By.ID, "count-total").text == "2"
    assert browser.find_element(By.ID, "count-online").text == "2"
    _shot(browser, "overview")

    kiosks[1].agent.stop()
    wait_until(lambda: _reloaded(browser, lambda: "终端离线" in _text_of(browser, "#open-alerts")), timeout_s=30,
               what="k-0002 offline with its alert on the overview")
    row = browser.find_element(By.CSS_SELECTOR, "tr[data-kid='k-0002']")
    assert row.find_element(By.CSS_SELECTOR, ".presence").text in ("重连中", "离线")
    assert row.find_element(By.CSS_SELECTOR, ".alerts").text == "1"
    _shot(browser, "offline_alert")

    browser.find_element(By.LINK_TEXT, "k-0001").click()
    browser.find_element(By.ID, "cmd-printer_test").click()
    browser.switch_to.alert.accept()
    wait_until(lambda: "完成" in _text_of(browser, "#command-table tr[data-id] .phase"), timeout_s=30,
               what="printer_test's reply on the page")
    assert _text_of(browser, "#command-table tr[data-id] .code") == "200"
    assert kiosks[0].printer_tests == 1
    _shot(browser, "terminal")

    kiosks[0].idle = False  # a citizen at the screen: the kiosk refuses, and the page says why
    refused = _send_command(browser, "safe_mode_on", "暂停服务")
    assert refused["code"] == "409" and refused["name"] == "进入安全模式"
    assert refused["reply"].startswith("终端正有群众在使用，没有执行，请稍后再发")
    assert kiosks[0].safe_mode_asked == []
    browser.execute_script("document.querySelector('.buttons').scrollIntoView()")
    _shot(browser, "safe_mode_refused")
    kiosks[0].idle = True
    done = _send_command(browser, "safe_mode_on", "暂停服务")
    assert (done["code"], done["reply"]) == ("200", "终端正在重启，进入安全模式")
    left = _send_command(browser, "safe_mode_off", "恢复正常服务")
    assert (left["code"], left["name"], left["reply"]) == ("200", "退出安全模式", "终端正在重启，退出安全模式")
    assert kiosks[0].safe_mode_asked == [True, False]

    _post_without_token(browser, "/kiosk/k-0001/command", {"name": "printer_test"})
    wait_until(lambda: "防伪令牌" in _text_of(browser, "#error"), timeout_s=10, what="the form refused")
    assert kiosks[0].printer_tests == 1 and worker.scalar("SELECT COUNT(*) FROM commands WHERE name = "
                                                          "'printer_test'") == 1

    _login(browser, base, "admin")
    browser.get(base + "/config")
    browser.find_element(By.ID, "kids").send_keys("k-0001")
    document = browser.find_element(By.ID, "document")
    document.clear()
    document.send_keys('{"session": {"idle_timeout_s": 150.0}}')
    browser.find_element(By.ID, "preview").click()
    wait_until(lambda: "idle_timeout_s" in _text_of(browser, "pre.diff"), timeout_s=10, what="the diff shown")
    _shot(browser, "config_diff")
    browser.find_element(By.ID, "publish").click()
    browser.switch_to.alert.accept()
    wait_until(lambda: _reloaded(browser, lambda: _text_of(browser, "#rollout tr[data-kid='k-0001'] .status")
                                 == "已生效"), timeout_s=30, what="configuration applied")
    assert kiosks[0].applied[-1].session.idle_timeout_s == 150.0
    browser.execute_script("document.getElementById('rollout').scrollIntoView()")
    _shot(browser, "config_applied")

    browser.get(base + "/config")
    browser.find_element(By.ID, "kids").send_keys("k-0001")
    document = browser.find_element(By.ID, "document")
    document.clear()
    document.send_keys('{"fleet": {"host": "evil.example"}}')
    browser.find_element(By.ID, "preview").click()
    wait_until(lambda: "may not be set remotely" in _text_of(browser, "#config-errors"), timeout_s=10,
               what="the key that may not be set remotely named")

    browser.get(base + "/reports?month=" + date.today().strftime("%Y-%m") + "&by=kiosk")
    wait_until(lambda: browser.execute_script("return !!document.querySelector('#chart canvas')"), timeout_s=10,
               what="the chart drawn")
    _shot(browser, "report")
    browser.find_element(By.ID, "export-xlsx").click()
    wait_until(lambda: [p for p in downloads.glob("*.xlsx") if zipfile.is_zipfile(p)], timeout_s=20,
               what="the XLSX downloaded whole")   # Chrome names an empty placeholder before the file is written
    sheet = openpyxl.load_workbook(next(p for p in downloads.glob("*.xlsx") if zipfile.is_zipfile(p))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:2] == ("终端", "终端点击")
    assert rows[2][:2] == ("k-0001", 30) and rows[-1][0] == "合计"

    _login(browser, base, "viewer")
    browser.get(base + "/kiosk/k-0001")
    assert browser.find_elements(By.ID, "cmd-printer_test") == []
    token = browser.find_element(By.CSS_SELECTOR, "header input[name=csrf]").get_attribute("value")
    _post_without_token(browser, "/kiosk/k-0001/command", {"name": "printer_test", "csrf": token})
    wait_until(lambda: "无权" in _text_of(browser, "#error"), timeout_s=10, what="the viewer refused")
    assert kiosks[0].printer_tests == 1
    browser.set_window_size(800, 1280)
    browser.get(base + "/")
    _shot(browser, "overview_tablet")

    _login(browser, base, "admin")
    browser.get(base + "/audit")
    rows = [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
            for row in browser.find_elements(By.CSS_SELECTOR, "#audit tr")[1:]]
    actions = {row[2] for row in rows}
    assert {"login", "command", "csrf_refused", "config", "export", "role_refused"} <= actions
    switches = [row[4].rsplit(" ", 1)[0] for row in rows if row[2] == "command" and row[4].startswith("safe_mode")]
    assert sorted(switches) == ['safe_mode {"on": false}', 'safe_mode {"on": true}', 'safe_mode {"on": true}']
    assert os.path.getsize(ARTIFACTS / "console_overview.png") > 0
