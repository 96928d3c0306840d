"""The law in short (issue 20): gists as content, attached to the provisions at load, named in the QR link, and
checked by the linter (every cited provision has one, short enough)."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from kiosk.legal.document import Provision
from kiosk.legal.gists import GIST_MAX_CHARS, parse_gists, provisions_param
from kiosk.legal.lint import lint
from kiosk.legal.loader import ContentError, load_pack
from kiosk.legal.service import DEFAULT_CONTENT_ROOT
from kiosk.legal.yamlmarks import load_marked
from tests.unit.legal.test_loader import GOOD_FLOW, make_pack

GISTS = """\
劳动合同法:
  code: ldht
  articles:
    30: 单位要按约定及时足额发工资；拖欠的可向法院申请支付令
"""


def gists_pack(tmp_path: Path, gists: str = GISTS) -> Path:
    """The loader's small labour pack (it cites 劳动合同法 Art. 30) with `gists` named in its manifest."""
    root = make_pack(tmp_path, GOOD_FLOW)
    (root / "gists.yaml").write_text(gists, encoding="utf-8")
    with (root / "pack.yaml").open("a", encoding="utf-8") as manifest:
        manifest.write("gists: gists.yaml\n")
    return root


def gist_lines(report) -> list[str]:
    return [line for line in report.errors + report.warnings if "gist" in line or "code" in line]


def test_the_loader_gives_each_provision_its_short_name_gist_and_law_code():
    pack = load_pack(DEFAULT_CONTENT_ROOT)
    provision = pack.provisions[("劳动合同法", 30)]
    assert (provision.law, provision.short, provision.law_code) == ("中华人民共和国劳动合同法", "劳动合同法", "ldht")
    assert provision.gist == "单位要按约定及时足额发工资；拖欠的可向法院申请支付令"
    assert provision.short_citation == "《劳动合同法》第30条"
    regulation = pack.provisions[("工伤保险条例", 17)]
    assert regulation.short == "工伤保险条例" and regulation.gist and regulation.law_code == "gsbx"


def test_the_shipped_pack_has_a_gist_for_every_cited_provision():
    report = lint(DEFAULT_CONTENT_ROOT)
    assert gist_lines(report) == []
    pack = load_pack(DEFAULT_CONTENT_ROOT)
    cited = {(item.value.short, item.value.article) for flow in pack.flows.values()
             for outcome in flow.outcomes.values() for item in outcome.provisions}
    assert len(cited) > 300 and all(0 < len(pack.provisions[key].gist) <= GIST_MAX_CHARS for key in cited)


def test_the_linter_names_a_missing_gist_where_it_is_cited_and_a_long_one_where_it_is_written(tmp_path):
    root = gists_pack(tmp_path, GISTS.replace("    30:", "    31:"))   # a gist, but not for the cited article
    assert gist_lines(lint(root)) == [
        "content/flows/labor.yaml:24: 劳动合同法 Art. 30 has no gist in content/gists.yaml (one plain line of at "
        f"most {GIST_MAX_CHARS} characters of what the article says)",
        "content/gists.yaml:4: 劳动合同法 Art. 31 has a gist but no flow cites it"]
    root = gists_pack(tmp_path / "long", GISTS.replace("支付令", "支付令，法院应当依法发出支付令"))
    assert gist_lines(lint(root)) == [
        "content/gists.yaml:4: the gist of 劳动合同法 Art. 30 has 38 characters (at most 30)"]


def test_a_law_without_a_code_cannot_be_named_in_the_qr_link(tmp_path):
    found = gist_lines(lint(gists_pack(tmp_path, GISTS.replace("  code: ldht\n", "  code: LD\n"))))
    assert found == ["content/gists.yaml:2: 劳动合同法: code 'LD' must be 2-8 lower-case letters"]


def test_a_pack_without_gists_is_warned_and_prints_full_texts(tmp_path):
    report = lint(make_pack(tmp_path, GOOD_FLOW))
    assert gist_lines(report) == ["pack.yaml names no gists (`gists:`): slips print every cited provision's full text"]
    assert report.ok


def test_a_malformed_gists_file_stops_the_pack_at_its_lines(tmp_path):
    root = gists_pack(tmp_path, textwrap.dedent("""\
        劳动合同法:
          code: ldht
          articles:
            三十: 工资要按时发
            31: ""
        民法典:
          code: ldht
          articles: {188: 诉讼时效一般三年}
        刑法: 故意伤害要坐牢
    """))
    with pytest.raises(ContentError) as info:
        load_pack(root)
    assert [str(issue) for issue in info.value.issues] == [
        "content/gists.yaml:4: 劳动合同法: article '三十' must be a number",
        "content/gists.yaml:5: 劳动合同法 Art. 31: the gist must be text",
        "content/gists.yaml:7: 民法典: code 'ldht' is already 劳动合同法's",
        "content/gists.yaml:9: 刑法: needs `code` and `articles` (article number: gist)"]


def test_parse_gists_refuses_a_file_that_is_not_a_mapping(tmp_path):
    (tmp_path / "gists.yaml").write_text("- 劳动合同法\n", encoding="utf-8")
    gists, problems = parse_gists(load_marked(tmp_path / "gists.yaml"))
    assert gists.lines == {} and problems == [(1, "gists must map each law's short name to its `code` and `articles`")]


def test_the_qr_parameter_names_each_law_once_with_its_articles_in_citation_order():
    def cite(code: str, article: int) -> Provision:
        return Provision("法", article, date(2020, 1, 1), "", law_code=code)

    provisions = [cite("ldht", 30), cite("ldzc", 27), cite("ldht", 82), cite("ldht", 30), cite("", 5)]
    assert provisions_param(provisions) == "ldht30.82-ldzc27"
    assert provisions_param([cite("", 5)]) == ""
