"""Benchmark: every flow's example slip on both paper widths, the pocket slip beside today's full-text slip.

Run `python -m tests.bench.print_slip`; prints one JSON object. For each printer profile and each of the 20 flows'
example opinions (issued on a fixed day, signed with a site's verification URL so the QR code is printed), it
gives the slip's paper length in mm, its bytes on the wire and its print time at the configured 115200 baud, for
the pocket slip (the law in short, no analysis: what kiosks print) and for the full-text slip (every cited
provision's text and the analysis, as slips were before issue 20 and as `printer.slip_full_texts` still prints
them), with the median and maximum of each. The paper budget (issue 20): median ≤ 300 mm and maximum ≤ 450 mm on
80 mm paper, ≤ 400 / 600 mm on 58 mm. The wire budget (DESIGN §8) is checked on every pocket slip: bytes ≤ 1/10 of
the same slip sent as one raster image (its PNG preview as GS v 0 bands), print time bound by the mechanism.
"""

from __future__ import annotations

import json
import statistics
from datetime import datetime

from firmware_bridge.escpos.job import PrintJob, estimate, raster_segments
from firmware_bridge.escpos.profile import PrinterModel
from kiosk.config.schema import KioskConfig, PrinterConfig
from kiosk.legal.examples import build_example_opinion
from kiosk.legal.service import DEFAULT_CONTENT_ROOT
from kiosk.legal.loader import load_pack
from kiosk.core.clock import CHINA_TZ
from kiosk.services.printing import model_from_profile
from kiosk.services.slip_layout import layout
from kiosk.services.slip_render import PREVIEW_MARGIN_PX, to_png, to_print_job
from kiosk.ui.i18n import Translator

ISSUED = datetime(2026, 11, 22, 9, tzinfo=CHINA_TZ)
VERIFY_URL = "https://sfj.example.gov.cn/v/"
"""A site's verification URL (example domain): with it the slip carries the QR code a real kiosk prints."""
BUDGET_MM = {"generic_80mm": (300, 450), "generic_58mm": (400, 600)}
"""(median, maximum) paper length of the flows' example slips, in mm, per printer profile (issue 20)."""
BAUD = PrinterConfig().baudrate


def example_slips(model: PrinterModel, *, full_texts: bool) -> dict[str, PrintJob]:
    """Every flow's example slip as the printer job of `model`, by flow id."""
    texts = Translator()
    jobs = {}
    for flow_id in load_pack(DEFAULT_CONTENT_ROOT).flows:
        document = build_example_opinion(flow_id, kiosk_id="dev-0001", issued_at=ISSUED, verify_url_base=VERIFY_URL)
        jobs[flow_id] = to_print_job(layout(document, model.chars_per_line_cjk * 2, texts, full_texts=full_texts),
                                     model)
    return jobs


def figures(jobs: dict[str, PrintJob]) -> dict:
    """Length (mm), bytes and print time (s) of each slip, with their medians and maxima."""
    slips = {flow_id: {"mm": round(job.paper_mm), "bytes": len(job.data),
                       "print_s": round(estimate(job, BAUD).total_s, 2)} for flow_id, job in jobs.items()}
    out: dict = {"slips": slips}
    for key in ("mm", "bytes", "print_s"):
        values = [slip[key] for slip in slips.values()]
        out[f"median_{key}"] = round(statistics.median(values), 2)
        out[f"max_{key}"] = max(values)
    return out


def raster_ratio(model: PrinterModel) -> dict:
    """The labour slip's bytes against the same slip as one raster image, and what bounds each one's print time."""
    document = build_example_opinion("labor", kiosk_id="dev-0001", issued_at=ISSUED, verify_url_base=VERIFY_URL)
    blocks = layout(document, model.chars_per_line_cjk * 2, Translator())
    job = to_print_job(blocks, model)
    page = to_png(blocks, model)
    paper = page.crop((PREVIEW_MARGIN_PX, PREVIEW_MARGIN_PX, PREVIEW_MARGIN_PX + model.paper_width_dots,
                       page.height - PREVIEW_MARGIN_PX))
    raster = PrintJob(model, tuple(raster_segments(paper, model.receive_buffer_bytes // 2)))
    return {"bytes": len(job.data), "raster_bytes": len(raster.data),
            "ratio": round(len(job.data) / len(raster.data), 4),
            "bound": estimate(job, BAUD).bound, "raster_bound": estimate(raster, BAUD).bound,
            "raster_print_s": round(estimate(raster, BAUD).total_s, 2)}


def measure(name: str, model: PrinterModel) -> dict:
    """The pocket and full-text figures of one profile, and whether the pocket slips keep both budgets."""
    pocket = example_slips(model, full_texts=False)
    out = {"pocket": figures(pocket), "full_texts": figures(example_slips(model, full_texts=True)),
           "wire": raster_ratio(model)}
    median_mm, max_mm = BUDGET_MM[name]
    out["budget_mm"] = {"median": median_mm, "max": max_mm}
    out["paper_saved"] = round(1 - out["pocket"]["median_mm"] / out["full_texts"]["median_mm"], 2)
    out["within_budget"] = (out["pocket"]["median_mm"] <= median_mm and out["pocket"]["max_mm"] <= max_mm
                            and out["wire"]["ratio"] <= 0.1
                            and all(estimate(job, BAUD).bound == "mechanism" for job in pocket.values()))
    return out


def main() -> None:
    config = KioskConfig()
    print(json.dumps({name: measure(name, model_from_profile(name, profile))
                      for name, profile in config.printer_profiles.items()}, ensure_ascii=False))


if __name__ == "__main__":
    main()
