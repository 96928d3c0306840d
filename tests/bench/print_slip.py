"""Benchmark: the example slip's bytes on the wire and print time, against the same slip as one raster image.

Run `python -m tests.bench.print_slip`; prints one JSON object. The baseline (the usual approach) is measured
in the same run: the slip's own PNG preview, cropped to the paper width, sent as GS v 0 raster bands.
Budget (DESIGN §8): bytes ≤ 1/10 of the raster bytes; at 115200 baud the print time is the mechanism's.
"""

from __future__ import annotations

import json
from datetime import datetime

from firmware_bridge.escpos.job import PrintJob, estimate, raster_segments
from kiosk.config.schema import KioskConfig
from kiosk.consult.examples import build_example_opinion
from kiosk.core.clock import CHINA_TZ
from kiosk.services.printing import model_from_profile
from kiosk.services.slip_layout import layout
from kiosk.services.slip_render import PREVIEW_MARGIN_PX, to_png, to_print_job
from kiosk.ui.i18n import Translator

BAUDS = (9600, 115200)


def measure(name: str, profile) -> dict:
    model = model_from_profile(name, profile)
    document = build_example_opinion("labor", kiosk_id="dev-0001",
                                     issued_at=datetime(2026, 11, 22, 9, tzinfo=CHINA_TZ))
    blocks = layout(document, model.chars_per_line_cjk * 2, Translator())
    job = to_print_job(blocks, model)
    page = to_png(blocks, model)
    paper = page.crop((PREVIEW_MARGIN_PX, PREVIEW_MARGIN_PX, PREVIEW_MARGIN_PX + model.paper_width_dots,
                       page.height - PREVIEW_MARGIN_PX))
    raster = PrintJob(model, tuple(raster_segments(paper, model.receive_buffer_bytes // 2)))
    out = {"bytes_sent": len(job.data), "raster_bytes": len(raster.data),
           "ratio": round(len(job.data) / len(raster.data), 4), "paper_mm": round(job.paper_mm, 1)}
    for baud in BAUDS:
        ours, theirs = estimate(job, baud), estimate(raster, baud)
        out[f"print_s_{baud}"] = round(ours.total_s, 2)
        out[f"bound_{baud}"] = ours.bound
        out[f"raster_print_s_{baud}"] = round(theirs.total_s, 2)
        out[f"raster_bound_{baud}"] = theirs.bound
    out["mechanism_s"] = round(estimate(job, BAUDS[-1]).mechanism_s, 2)
    out["within_budget"] = (out["ratio"] <= 0.1 and out["bound_115200"] == "mechanism")
    return out


def main() -> None:
    config = KioskConfig()
    figures = {name: measure(name, profile) for name, profile in config.printer_profiles.items()}
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
