"""Structured logs: every line carries the boot id; JSON mode is one object per line."""

import io
import json
import logging

from kiosk.app.logging_setup import configure_logging


def test_text_and_json_lines_carry_the_boot_id():
    stream = io.StringIO()
    handler = configure_logging("INFO", "json", "boot-1234", stream)
    try:
        logging.getLogger("kiosk.test").info("printer %s", "PRN-020")
        entry = json.loads(stream.getvalue().splitlines()[-1])
        assert entry["boot"] == "boot-1234" and entry["msg"] == "printer PRN-020" and entry["level"] == "INFO"
        stream2 = io.StringIO()
        handler = configure_logging("INFO", "text", "boot-5678", stream2)
        logging.getLogger("kiosk.test").warning("x")
        assert "boot=boot-567" in stream2.getvalue() and "level=WARNING" in stream2.getvalue()
    finally:
        logging.getLogger().removeHandler(handler)
