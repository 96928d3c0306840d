"""Every text key the code and kv files look up exists in the Simplified Chinese catalogue."""

import re
from pathlib import Path

from kiosk.legal.document import LegalAidVerdict, WayKind
from kiosk.services.identity import CARD_KIND_IDS
from kiosk.ui.i18n import load_catalogue

ROOT = Path(__file__).resolve().parents[3] / "kiosk"
LOOKUP = re.compile(r"""\b(?:_|texts|translate|field|heading)\(\s*["']([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)["']""")
"""`_("some.key"`, `app._('some.key'`, and the `texts(`, `translate(`, `field(` and `heading(` of the slips
and the CLI, with a literal dotted key as the first argument."""
SUBSYSTEM = re.compile(r"""(?:report_ok|_start_optional|SubsystemFailed)\(\s*["']([a-z_]+)["']"""
                       r"""|SUBSYSTEM = ["']([a-z_]+)["']""")


def _sources() -> list[tuple[Path, str]]:
    return [(path, path.read_text(encoding="utf-8")) for pattern in ("*.py", "*.kv") for path in ROOT.rglob(pattern)]


def test_every_literal_key_looked_up_is_in_the_catalogue():
    catalogue = load_catalogue("zh_CN")
    used = {(path.relative_to(ROOT).as_posix(), key) for path, text in _sources() for key in LOOKUP.findall(text)}
    assert len(used) > 100
    assert sorted((where, key) for where, key in used if key not in catalogue) == []


def test_every_subsystem_on_the_health_board_has_a_name_for_the_technician():
    catalogue = load_catalogue("zh_CN")
    names = {name for _path, text in _sources() for pair in SUBSYSTEM.findall(text) for name in pair if name}
    assert {"storage", "printer", "idcard", "fleet"} <= names
    assert sorted(name for name in names if f"maintenance.subsystem.{name}" not in catalogue) == []


def test_every_way_forward_aid_result_and_card_kind_has_its_wording():
    catalogue = load_catalogue("zh_CN")
    keys = ([f"slip.way.{kind.value}" for kind in WayKind] + [f"slip.aid.{v.value}" for v in LegalAidVerdict]
            + [f"maintenance.card.{kind_id}" for kind_id in CARD_KIND_IDS.values()])
    assert [key for key in keys if key not in catalogue] == []
