"""The locale catalogues: read without a YAML library exactly as a YAML parser reads them, lines checked."""

from pathlib import Path

import pytest
import yaml

import kiosk.ui.locales
from kiosk.ui.i18n import Translator, parse_catalogue


def test_every_locale_file_reads_as_yaml_does():
    locales = sorted(Path(kiosk.ui.locales.__file__).parent.glob("*.yaml"))
    assert locales
    for path in locales:
        text = path.read_text(encoding="utf-8")
        assert parse_catalogue(text) == {str(k): str(v) for k, v in yaml.safe_load(text).items()}, path.name


def test_a_line_that_is_not_key_and_text_is_refused():
    with pytest.raises(ValueError, match="line 2"):
        parse_catalogue("a: b\nnot a pair\n")


def test_quoted_texts_keep_their_line_breaks_and_placeholders():
    translate = Translator("zh_CN")
    assert translate("countdown.seconds", seconds=9) == "9 秒"
    assert translate("hotline.centre", name="中心", address="路", hours="全天", phone="12348").count("\n") == 3
