"""No Chinese a citizen reads is written in the kiosk's code (issue 15 item 13).

Why: the legal wording a bureau reviews (disclaimers, what a deadline is counted from) belongs to the content pack,
which a content job replaces; the screens' wording belongs to the i18n catalogue (kiosk/ui/locales). A string
literal with Chinese characters in a .py file under kiosk/ (or kiosk_build/, whose tools write the pack) is either
one of those misplaced, or one of the uses listed below, each with the reason it may stay. Docstrings and comments
are not looked at, nor English messages that quote a Chinese term (to developers and content authors): they
explain, no citizen is shown them. A new module that must hold Chinese (a codec's tables, a pattern over Chinese
text) is added here with its reason, and only the literals it needs where the module also writes for people.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import kiosk
import kiosk_build

CODE = (Path(kiosk.__file__).resolve().parent, Path(kiosk_build.__file__).resolve().parent)
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
ENGLISH = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}")
"""Two English words in a row: a message in English that quotes a Chinese term (`no 不清楚 on this page`)."""
NOT_CODE = ("kiosk/content/", "kiosk/ui/locales/")
"""The content pack's sources and the i18n catalogue: where the wording lives."""

EVERY = None
"""Every literal of the module may hold Chinese."""

ALLOWED: dict[str, tuple[str, frozenset[str] | None]] = {
    "kiosk/legal/numerals.py": ("Chinese numerals as statutes write them: a codec's tables", EVERY),
    "kiosk/services/spoken_text.py": ("numbers, units and counters as espeak-ng must read them: a codec's tables",
                                      EVERY),
    "kiosk/legal/answers.py": ("the one written form of a date (2026年3月1日)", frozenset("年月日")),
    "kiosk/ui/cjk_wrap.py": ("the units a line keeps with their number (30天, 500元) and the date marks (年, 月): a line "
                             "breaker's tables", EVERY),
    "kiosk/legal/document.py": ("the citation form 《法》第N条", frozenset({"》第", "条"})),
    "kiosk/legal/review.py": ("a provision's name in review messages, 法第N条", frozenset({"第", "条"})),
    "kiosk/legal/deadlines.py": ("a period's length as a statute writes it (一年, 六个月, 三十个工作日)",
                                   frozenset({"年", "个月", "日", "个工作日", "两"})),
    "kiosk/legal/library.py": ("the citation pattern it parses and the numerals it reads", EVERY),
    "kiosk/legal/law_library.py": ("patterns over the statutes' own text (article numbers, definitions)", EVERY),
    "kiosk/legal/triage_text.py": ("the normaliser's anonymisation marks and CJK ranges", EVERY),
    "kiosk/legal/lint.py": ("patterns the content linter matches in content, and its messages to content authors",
                              EVERY),
    "kiosk/legal/loader.py": ("words the loader checks content for (重新计算) and messages to content authors", EVERY),
    "kiosk/legal/holidays.py": ("the State Council notice title the calendar's source must carry", EVERY),
    "kiosk/legal/examples.py": ("the specimen, a hand-made sample slip for printer checks (kiosk opinion render "
                                  "--example specimen) that no citizen is given", EVERY),
    "kiosk/config/schema.py": ("defaults of a site's settings (its names, hours, where its staff are: set per site) "
                               "and descriptions naming screen features", EVERY),
    "kiosk/cli/consult.py": ("a word the terminal runner accepts as input (返回)", frozenset({"返回"})),
    "kiosk/cli/idcard.py": ("the card's own words for no expiry, reproduced", frozenset({"长期"})),
    "kiosk/cli/library.py": ("the law library command prints the statutes' own text and reads article numbers as the "
                             "law writes them (第N条之一)", EVERY),
    "kiosk/fleet/console/": ("the central server's operator output: the bureau's report columns and group names, "
                             "status, roles and alert messages; no kiosk screen shows them", EVERY),
    "kiosk_build/law_library.py": ("the statute database's values and the amendment patterns the build parses",
                                   EVERY),
    "kiosk_build/statutes.py": ("the statute database's status values", EVERY),
    "kiosk_build/triage/basis.py": ("patterns over the legal basis written beside labelled questions", EVERY),
}


def _code() -> list[tuple[str, Path]]:
    """(path from the checkout, path) of every module of CODE but the wording's own files."""
    found = [(path.relative_to(root.parent).as_posix(), path) for root in CODE for path in sorted(root.rglob("*.py"))]
    return [(relative, path) for relative, path in found if not relative.startswith(NOT_CODE)]


def _allowance(relative: str) -> tuple[str, frozenset[str] | None] | None:
    return next((allowed for prefix, allowed in ALLOWED.items() if relative.startswith(prefix)), None)


def chinese_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal with Chinese characters that is neither a docstring nor English."""
    tree = ast.parse(source)
    docstrings = {id(node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    return sorted((node.lineno, node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                  and CJK.search(node.value) and not ENGLISH.search(node.value))


def test_no_user_facing_chinese_in_the_kiosks_code():
    misplaced = []
    for relative, path in _code():
        allowance = _allowance(relative)
        for line, text in chinese_literals(path.read_text(encoding="utf-8")):
            if allowance is None or (allowance[1] is not EVERY and text not in allowance[1]):
                misplaced.append(f"{relative}:{line}: {text[:60]!r}")
    assert not misplaced, ("Chinese wording in code: legal wording goes to the content pack, screen wording to "
                           "kiosk/ui/locales; a codec's tables or a pattern over Chinese text go in ALLOWED with "
                           "the reason:\n" + "\n".join(misplaced))


def test_every_allowance_is_still_needed():
    """An allowance whose module no longer holds Chinese (or no longer exists) goes, so the list stays true."""
    needed = {prefix for relative, path in _code() if chinese_literals(path.read_text(encoding="utf-8"))
              for prefix in ALLOWED if relative.startswith(prefix)}
    assert set(ALLOWED) - needed == set()


def test_docstrings_are_not_wording_but_literals_are():
    source = ('"""模块说明。"""\nX = "免责声明"\ndef f():\n    """函数说明。"""\n    return f"第{1}条"\n'
              'Y = "no 不清楚 on this page"\nZ = "按LPR计算"\n')
    assert chinese_literals(source) == [(2, "免责声明"), (5, "条"), (5, "第"), (7, "按LPR计算")]
