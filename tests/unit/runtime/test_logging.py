"""Structured logs: every line carries the boot id; JSON mode is one object per line."""

import io
import json
import logging

from kiosk.runtime.logging_setup import configure_logging, keep_recent_problems


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


def test_recent_problems_keep_the_newest_warnings_and_errors_first_lines_only():
    recent = keep_recent_problems(capacity=3)
    log = logging.getLogger("kiosk.test.recent")
    try:
        log.info("not a problem")
        for n in range(4):
            log.warning("printer PRN-%03d", n)
        try:
            raise ValueError("boom")
        except ValueError:
            log.exception("fleet link down")
        lines = recent.lines(10)
        assert len(lines) == 3 and [line.split()[-1] for line in lines] == ["PRN-002", "PRN-003", "down"]
        assert "ERROR kiosk.test.recent: fleet link down" in lines[-1] and "Traceback" not in "".join(lines)
        assert recent.lines(1) == lines[-1:]
        assert keep_recent_problems() is not recent
        assert sum(h.get_name() == "kiosk-recent" for h in logging.getLogger().handlers) == 1
    finally:
        for handler in [h for h in logging.getLogger().handlers if h.get_name() == "kiosk-recent"]:
            logging.getLogger().removeHandler(handler)


def test_kivy_looking_for_an_x_cut_buffer_is_not_a_problem_but_its_other_alarms_are():
    stream = io.StringIO()
    handler = configure_logging("INFO", "text", "boot-9", stream)
    try:
        kivy = logging.getLogger("kivy")
        kivy.critical("Cutbuffer: Unable to find any valuable Cutbuffer provider. Please enable debug logging")
        kivy.critical("Window: Unable to find any valuable Window provider")
        assert "Cutbuffer" not in stream.getvalue() and "Window provider" in stream.getvalue()
    finally:
        logging.getLogger().removeHandler(handler)
