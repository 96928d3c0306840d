"""The page behind a slip's QR code (issue 20: the full texts one scan away), on the web console without a login:
every flow's example slip, signed with a verification URL pointing at the console, opens a page with the number and
code to quote and every cited provision's full text from the law library; an article slip's `?p=` link opens its
article; bad links get a clear page, never a 500; a client asking too often is slowed down. End to end: `kiosk
opinion render --png` draws a slip whose QR code, read back from the picture, is fetched from `kiosk fleet web`
over HTTP, and headless Chromium shows it on a 360x740 phone (tests/_artifacts/verify_*.png)."""

from __future__ import annotations

import html
import json
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from starlette.applications import Starlette
from starlette.templating import Jinja2Templates
from starlette.testclient import TestClient

from kiosk.cli.main import main
from kiosk.legal.article_link import article_link
from kiosk.legal.examples import build_example_opinion
from kiosk.legal.law_library import LawLibrary
from kiosk.legal.loader import load_pack
from kiosk.legal.service import DEFAULT_CONTENT_ROOT
from kiosk.legal.verification import from_plain
from kiosk.core.clock import CHINA_TZ, FakeClock
from kiosk.fleet.console.database import ConsoleDB
from kiosk.fleet.console.server import BrokerSettings
from kiosk.fleet.console.web import verify
from kiosk.fleet.console.web.app import HERE, build_app
from tests.integration.fleet.conftest import free_port, wait_until
from tests.integration.printer.test_slip_decoded import read_qr

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "tests" / "_artifacts"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
ISSUED = datetime(2026, 11, 22, 9, tzinfo=CHINA_TZ)
FLOWS = sorted(load_pack(DEFAULT_CONTENT_ROOT).flows)
LIBRARY = LawLibrary(lambda: DEFAULT_CONTENT_ROOT)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """The console application on a SQLite store, in process (the page reads no store)."""
    db = ConsoleDB(tmp_path_factory.mktemp("console") / "console.db")
    db.start()
    try:
        yield TestClient(build_app(db, BrokerSettings(), FakeClock()))
    finally:
        db.stop()


def shown(response) -> str:
    """The page's text as a reader sees it: tags dropped, entities decoded, white space ignored."""
    return re.sub(r"\s", "", html.unescape(re.sub(r"<[^>]+>", "", response.text)))


def bare(text: str) -> str:
    return re.sub(r"\s", "", text)


def assert_shows_in_full(page: str, provisions) -> None:
    """Each provision with its law's full name, article, version in force, gist and whole text: the library's, which
    holds the pack's text (the pack may quote a long article in part, 节录 with ……)."""
    for provision in provisions:
        law = LIBRARY.find_law(provision.law)
        article = LIBRARY.article(law, provision.article)
        assert f"《{law.name}》{article.label}" in page, provision.citation
        assert bare(article.text) in page, provision.citation
        assert all(piece in page for piece in bare(provision.text).split("……")), provision.citation  # 节录 in the pack
        y, m, d = law.version_date.split("-")
        assert f"{law.status}，{y}年{int(m)}月{int(d)}日版本" in page, provision.citation
        assert provision.gist and provision.gist in page, provision.citation


@pytest.mark.parametrize("flow_id", FLOWS)
def test_a_slip_s_qr_link_shows_its_number_code_and_every_cited_provision_in_full(client, flow_id):
    doc = build_example_opinion(flow_id, kiosk_id="dev-0001", issued_at=ISSUED, verify_url_base="http://testserver/v")
    assert doc.provisions and all(p.law_code for p in doc.provisions)
    response = client.get(doc.verify_url)
    assert response.status_code == 200
    page = shown(response)
    assert f"编号{doc.number}" in page and f"校验码{doc.verification_code}" in page
    assert "dev-0001号终端，2026年11月22日，当天第1份" in page
    assert "这个页面不能证明意见书是真的" in page and "只有开具意见书的公共法律服务中心能核对" in page
    assert f"意见书引用的法律条文（{len(doc.provisions)}条）" in page
    assert_shows_in_full(page, doc.provisions)
    assert "以国家正式公布的文本为准" in page
    assert response.headers["cache-control"] == "no-store" and "noindex" in response.headers["x-robots-tag"]


def test_an_article_slip_s_link_opens_that_article_alone(client):
    provision = load_pack(DEFAULT_CONTENT_ROOT).provisions[("民法典", 1165)]
    law = LIBRARY.find_law(provision.law)
    link = article_link(LIBRARY.article(law, 1165), verify_url_base="http://testserver/v", law_code="mfd")
    assert link.names_article and link.url == "http://testserver/v?p=mfd1165"
    response = client.get(link.url)
    assert response.status_code == 200
    page = shown(response)
    assert "法律条文原文" in page and "法律条文（1条）" in page and "校验码" not in page
    assert_shows_in_full(page, [provision])


def test_an_article_no_slip_cites_is_shown_without_a_gist(client):
    law = LIBRARY.find_law("民法典")
    response = client.get("/v/?p=mfd1")
    assert response.status_code == 200
    page = shown(response)
    assert bare(LIBRARY.article(law, 1).text) in page and "意见书上的简要说明" not in page


@pytest.mark.parametrize("query, status, notice, unsaid", [
    ("", 400, "这个网址不完整", None),
    ("?n=&c=&p=", 400, "这个网址不完整", None),
    ("?p=zz30", 404, "本平台不认识这个法律代号", None),
    ("?p=ldht999", 404, "这部法律没有第999条", None),
    ("?p=ldjc1", 404, "本平台只收录了这部法规里意见书常引用的条文", None),  # an excerpt: 劳动保障监察条例
    ("?p=ldht30.999-zz1", 200, "这部法律没有第999条", None),
    ("?p=ldht030", 400, "网址里的法律条文写法不对", None),
    ("?p=%E5%8A%B3%E5%8A%A8", 400, "网址里的法律条文写法不对", None),
    ("?p=" + "-".join(f"mfd{n}" for n in range(1, 80)), 400, "网址里的法律条文太多", None),
    ("?p=ldht" + ".".join(["30"] * 150), 400, "网址里的法律条文太多", None),          # longer than P_MAX_CHARS
    ("?p=mfd" + ".".join(map(str, range(1, 40))), 400, "网址里的法律条文太多", None),  # more than MAX_PROVISIONS
    ("?n=dev-0001-20261122-0001&p=ldht30", 400, "意见书编号或校验码不完整或有错", None),
    ("?n=dev-0001-20261131-0001&c=AAAAA-BBBBB", 400, "意见书编号或校验码不完整或有错", "20261131"),
    ("?n=%E8%AF%B7%E8%BD%AC%E8%B4%A6&c=AAAAA-BBBBB&p=ldht30", 400, "意见书编号或校验码不完整或有错", "请转账"),
    ("?n=dev-0001-20261122-0001&c=" + "A" * 5000, 400, "意见书编号或校验码不完整或有错", "AAAAAAAAAAAA"),
    ("?n=dev-0001-20261122-0001&c=aaaaa%20bbbbb", 200, "", None),
    ("?n=dev-0001-20261122-0000&c=AAAAA-BBBBB", 400, "意见书编号或校验码不完整或有错", None),
    ("?p=ldht30&p=<script>", 400, "网址里的法律条文写法不对", "<script>"),
])
def test_a_bad_link_gets_a_clear_page_never_a_500(client, query, status, notice, unsaid):
    response = client.get("/v" + query)
    assert response.status_code == status
    notices = [html.unescape(n) for n in re.findall(r'class="notice bad"[^>]*>\s*([^<]*)', response.text)]
    assert (any(notice in n for n in notices) if notice else notices == []), notices
    if unsaid:
        assert unsaid not in response.text
    assert "12348" in response.text


def test_a_typed_code_is_shown_as_printed(client):
    page = shown(client.get("/v?n=dev-0001-20261122-0001&c=aaaaa%20bbbbb"))
    assert "校验码AAAAA-BBBBB" in page


def _page_app(texts: verify.ProvisionTexts, clock: FakeClock) -> TestClient:
    return TestClient(Starlette(routes=verify.routes(Jinja2Templates(directory=HERE / "templates"), clock, texts)))


def test_a_client_asking_too_often_waits_a_minute():
    clock = FakeClock()
    client = _page_app(verify.ProvisionTexts(DEFAULT_CONTENT_ROOT), clock)
    statuses = [client.get("/v?p=ldht30").status_code for _ in range(verify.PAGES_PER_MIN + 1)]
    assert statuses == [200] * verify.PAGES_PER_MIN + [429]
    assert "打开得太频繁了" in shown(client.get("/v?p=ldht30"))
    clock.advance(60)
    assert client.get("/v?p=ldht30").status_code == 200


def test_the_rate_limit_forgets_last_minute_and_keeps_its_memory_bounded():
    clock = FakeClock()
    limit = verify.RateLimit(clock, per_minute=1)
    assert [limit.allow("a"), limit.allow("a"), limit.allow("b")] == [True, False, True]
    for n in range(verify.MAX_CLIENTS):
        limit.allow(f"10.0.{n}")
    assert limit.allow("a") is False and limit.allow("new") and limit.allow("new")
    clock.advance(60)
    assert limit.allow("a") and limit.allow("new") and not limit.allow("new")


def test_without_its_law_library_the_page_says_so_and_still_shows_the_number(tmp_path):
    client = _page_app(verify.ProvisionTexts(tmp_path / "no-pack"), FakeClock())
    response = client.get("/v?n=dev-0001-20261122-0001&c=AAAAA-BBBBB&p=ldht30")
    assert response.status_code == 503
    page = shown(response)
    assert "法律条文暂时打不开" in page and "编号dev-0001-20261122-0001" in page


# ---- end to end: the slip's picture, its QR code, `kiosk fleet web`, a phone's browser ---------------------------

@pytest.fixture
def console_web(tmp_path):
    """`kiosk fleet web` on a SQLite store and a free port, as a bureau runs it; stopped at teardown."""
    port, log = free_port(), tmp_path / "web.log"
    with log.open("wb") as stderr:
        web = subprocess.Popen([sys.executable, "-m", "kiosk", "fleet", "web", "--db", str(tmp_path / "console.db"),
                                "--http-port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        wait_until(lambda: _listening(port) or web.poll() is not None, timeout_s=30, what="kiosk fleet web listening")
        assert web.poll() is None, log.read_text(encoding="utf-8", errors="replace")
        yield f"http://127.0.0.1:{port}"
    finally:
        web.send_signal(signal.SIGTERM)
        web.wait(timeout=30)


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def phone():
    """Headless Chromium as a 360x740 phone (device pixel ratio 2, touch)."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN",
                     "--hide-scrollbars"):
        options.add_argument(argument)
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": 360, "height": 740,
                                                                          "pixelRatio": 2.0, "touch": True}})
    browser = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    browser.set_page_load_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()


def _readable_on_a_phone(browser) -> dict[str, float]:
    """The smallest computed font size (CSS px) of any element with text of its own, and the page's width."""
    return browser.execute_script(
        "var least = 1e9; document.querySelectorAll('body *').forEach(function (e) {"
        " var own = Array.prototype.some.call(e.childNodes, function (n) {"
        "  return n.nodeType === 3 && n.textContent.trim(); });"
        " if (own) { least = Math.min(least, parseFloat(getComputedStyle(e).fontSize)); } });"
        "return {least: least, width: document.documentElement.scrollWidth, view: window.innerWidth};")


def test_the_qr_code_of_a_rendered_slip_opens_its_texts_on_a_phone(clean_env, console_web, phone, monkeypatch,
                                                                    tmp_path):
    monkeypatch.setenv("KIOSK_LEGAL_AID__VERIFY_URL", f"{console_web}/v")
    png, document = tmp_path / "labor.png", tmp_path / "labor.json"
    assert main(["opinion", "render", "--example", "labor", "--png", str(png), "--document", str(document)]) == 0
    doc = from_plain(json.loads(document.read_text(encoding="utf-8")))
    [url] = read_qr(Image.open(png))
    assert url == doc.verify_url and url.startswith(f"{console_web}/v?n=")

    status, body = _fetch(url)
    assert status == 200
    page = bare(html.unescape(re.sub(r"<[^>]+>", "", body)))
    assert f"校验码{doc.verification_code}" in page
    assert_shows_in_full(page, doc.provisions)

    ARTIFACTS.mkdir(exist_ok=True)
    phone.get(url)
    assert phone.find_element(By.ID, "code").text == doc.verification_code
    measured = _readable_on_a_phone(phone)
    assert measured["view"] == 360 and measured["width"] <= 360, measured
    assert measured["least"] >= 18, measured
    phone.save_screenshot(str(ARTIFACTS / "verify_phone_slip.png"))
    phone.execute_script("document.getElementById(arguments[0]).scrollIntoView()",
                         f"{doc.provisions[0].law_code}-{doc.provisions[0].article}")
    phone.save_screenshot(str(ARTIFACTS / "verify_phone_provision.png"))

    phone.get(f"{console_web}/v?p=ldht30")
    assert "用人单位应当按照劳动合同约定" in phone.find_element(By.CSS_SELECTOR, ".text").text
    assert _readable_on_a_phone(phone)["least"] >= 18
    phone.save_screenshot(str(ARTIFACTS / "verify_phone_article.png"))
    phone.get(f"{console_web}/v?p=ldht30.999-zz1")
    assert phone.find_element(By.ID, "missing").text == "其中 2 条没有找到，原因写在那一条下面。"
    phone.execute_script("document.getElementById('ldht-999').scrollIntoView()")
    phone.save_screenshot(str(ARTIFACTS / "verify_phone_bad_link.png"))
    assert _readable_on_a_phone(phone)["least"] >= 18
