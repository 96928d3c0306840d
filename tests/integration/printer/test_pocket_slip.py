"""The pocket slip (issue 20), read back from its printer bytes by the independent decoder for every flow's example
on both paper widths: everything a citizen acts on is on it, in the issue's order, the law in short, the QR code
leading to the full texts, and it keeps the paper budget. The decoded pages are saved for looking at
(tests/_artifacts/slips/)."""

from __future__ import annotations

import functools
import re
import statistics
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from kiosk.config.schema import KioskConfig, PrinterConfig
from kiosk.legal.document import LegalAidVerdict
from kiosk.legal.examples import build_example_opinion
from kiosk.legal.loader import load_pack
from kiosk.legal.opinion_layout import due_date
from kiosk.legal.service import DEFAULT_CONTENT_ROOT
from kiosk.core.clock import CHINA_TZ, FakeClock
from kiosk.core.events import EventBus
from kiosk.services.printing import PrinterStateChanged, PrintJobPrinted, model_from_profile
from kiosk.services.slip_layout import layout
from kiosk.services.slip_render import to_print_job
from kiosk.storage.db import Database
from kiosk.ui.i18n import Translator
from tests.bench.print_slip import BUDGET_MM, ISSUED, VERIFY_URL
from tests.integration.printer.escpos_decoder import decode
from tests.integration.printer.test_printing_service import Recorder, printing_service
from tests.integration.printer.test_slip_decoded import read_qr

ARTIFACTS = Path(__file__).resolve().parents[2] / "_artifacts" / "slips"
TEXTS = Translator()
CONFIG = KioskConfig()
PROFILES = sorted(CONFIG.printer_profiles)
FLOWS = sorted(load_pack(DEFAULT_CONTENT_ROOT).flows)


def model(profile: str):
    return model_from_profile(profile, CONFIG.printer_profiles[profile])


@functools.cache
def example(flow_id: str, verify_url_base: str = VERIFY_URL):
    return build_example_opinion(flow_id, kiosk_id="dev-0001", issued_at=ISSUED, verify_url_base=verify_url_base)


def printed(doc, profile: str, *, full_texts: bool = False):
    """The slip's job and what the independent decoder reads from its bytes."""
    printer = model(profile)
    job = to_print_job(layout(doc, printer.chars_per_line_cjk * 2, TEXTS, full_texts=full_texts), printer)
    return job, decode(job.data, printer.paper_width_dots)


def bare(text: str) -> str:
    return re.sub(r"\s", "", text)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("flow_id", FLOWS)
def test_everything_a_citizen_acts_on_is_on_the_slip_in_the_issues_order(flow_id, profile):
    doc = example(flow_id)
    _job, decoded = printed(doc, profile)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    decoded.image.save(ARTIFACTS / f"{flow_id}_{profile}.png")
    paper = bare("".join(decoded.lines))
    ways = [w.body for w in doc.ways_forward] + [w.note for w in doc.ways_forward if w.note]
    deadlines = [text for d in doc.deadlines for text in (d.label, due_date(d.due, TEXTS), d.note) if text]
    aid = ([TEXTS(f"slip.aid.{doc.legal_aid.verdict.value}"), doc.legal_aid.reason]
           if doc.legal_aid.verdict is not LegalAidVerdict.NOT_ASSESSED else [])
    facts = [f.answer for f in doc.facts]
    law = [f"{p.short_citation}：{p.gist}" for p in doc.provisions]
    groups = {"title": [doc.title], "number": [doc.number], "ways": ways, "deadlines": deadlines,
              "where": list(doc.where_to_go), "materials": list(doc.materials), "legal_aid": aid, "facts": facts,
              "risks": list(doc.risks), "law": law, "code": [doc.verification_code], "disclaimer": [doc.disclaimer]}
    for name, texts in groups.items():
        for text in texts:
            assert bare(text) in paper, f"{name}: {text}"
    cursor = 0
    for name, texts in groups.items():   # each group's first text comes after the group before it
        if texts:
            cursor = paper.find(bare(texts[0]), cursor)
            assert cursor >= 0, f"{name} is out of order"
    assert all(bare(p.text) not in paper for p in doc.provisions if len(bare(p.text)) > 60)   # texts stay off
    assert all(bare(a) not in paper for a in doc.analysis if a not in doc.risks)


@pytest.mark.parametrize("profile", PROFILES)
def test_the_qr_code_reads_back_and_names_every_cited_provision(profile):
    doc = example("work_injury")
    _job, decoded = printed(doc, profile)
    assert read_qr(decoded.image) == [doc.verify_url]
    assert TEXTS("slip.scan_to_verify_and_read") in decoded.lines
    cited = parse_qs(urlsplit(doc.verify_url).query)["p"][0]
    named = {(law, int(article)) for law, articles in re.findall(r"([a-z]+)([\d.]+)", cited)
             for article in articles.split(".")}
    assert named == {(p.law_code, p.article) for p in doc.provisions}
    assert any(line.endswith(TEXTS("slip.full_texts_by_qr")) for line in decoded.lines)


def test_without_a_verification_url_the_slip_says_where_the_full_texts_are():
    doc = example("labor", verify_url_base="")
    _job, decoded = printed(doc, "generic_80mm")
    assert decoded.qr_payloads == [] and TEXTS("slip.full_texts_online") in decoded.lines
    assert not any(TEXTS("slip.full_texts_by_qr") in line for line in decoded.lines)


@pytest.mark.parametrize("profile", PROFILES)
def test_the_flows_example_slips_keep_the_paper_budget(profile):
    lengths = {flow_id: printed(example(flow_id), profile)[0].paper_mm for flow_id in FLOWS}
    median_mm, max_mm = BUDGET_MM[profile]
    assert statistics.median(lengths.values()) <= median_mm, lengths
    assert max(lengths.values()) <= max_mm, lengths


def test_a_provision_without_a_gist_is_printed_whole():
    doc = example("labor")
    bare_provision = replace(doc.provisions[0], gist="")
    doc = replace(doc, provisions=(bare_provision, *doc.provisions[1:]))
    paper = bare("".join(printed(doc, "generic_80mm")[1].lines))
    assert bare(bare_provision.citation) in paper and bare(bare_provision.text) in paper


@pytest.mark.parametrize("full_texts", [False, True])
def test_the_printing_service_prints_what_the_site_configured(tmp_path, full_texts):
    """`printer.slip_full_texts` (remote): the full texts and the analysis instead of the gists."""
    from firmware_bridge.escpos.profile import GENERIC_58MM
    from firmware_bridge.sim.printer_sim import PrinterSimulator
    from kiosk.runtime.devices import DeviceLinks

    sim = PrinterSimulator(replace(GENERIC_58MM, print_speed_mm_s=800.0), speed_mm_s=1600.0,
                           link_path=str(tmp_path / "printer"))
    sim.start()
    clock = FakeClock()
    db = Database(tmp_path / "kiosk.db", clock)
    db.start()
    bus = EventBus()
    recorder = Recorder(bus)
    config = PrinterConfig(kind="serial", port=sim.port_path, flow_control="none", status_timeout_s=0.3,
                           write_timeout_s=1.0, status_poll_interval_s=60, profile="test58",
                           slip_full_texts=full_texts)
    service = printing_service(config, DeviceLinks(), bus, db, clock)
    service.start()
    try:
        recorder.wait_for(PrinterStateChanged, state="online")
        doc = example("labor")
        recorder.wait_for(PrintJobPrinted, job_id=service.submit(doc))
        assert sim.wait_until(lambda s: s.printout.count("cut") + s.printout.count("image") > 0, 10)
        paper = bare("".join(sim.printout.lines))
    finally:
        service.stop()
        db.stop()
        sim.stop()
    provision = next(p for p in doc.provisions if p.short == "劳动合同法" and p.article == 30)
    assert (bare(provision.text) in paper) is full_texts
    assert (bare(f"{provision.short_citation}：{provision.gist}") in paper) is not full_texts
    assert (bare(doc.analysis[0]) in paper) is full_texts


def test_kiosk_opinion_render_follows_the_sites_switch(clean_env, tmp_path, capsys):
    """`kiosk opinion render` prints what this kiosk would: the pocket slip, or the full texts when configured."""
    import json

    from kiosk.cli.main import main

    lengths = {}
    for full_texts in (False, True):
        (tmp_path / "kiosk.toml").write_text(f"[printer]\nslip_full_texts = {str(full_texts).lower()}\n",
                                             encoding="utf-8")
        assert main(["opinion", "render", "--example", "labor", "--json"]) == 0
        lengths[full_texts] = json.loads(capsys.readouterr().out)["paper_mm"]
    assert lengths[False] < 0.75 * lengths[True]
