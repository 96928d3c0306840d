"""Published rates as content: a value in force from each date it was published, e.g. the one-year LPR.

Why: the interest a court supports is capped at four times the one-year LPR in force when the loan was made
(民间借贷规定 Art. 25), and the LPR changes over time. The published values are content data (kiosk/content/
lpr.yaml, updatable by a content job), not code; a flow reads them through the expression function lpr(d).

A series answers only for the days its data covers: from its first published value up to `valid_until`, the
last day the data was checked to hold (a later announcement may have changed the rate). Outside that it answers
nothing, so a flow says what to look up instead of printing a guessed rate.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kiosk.legal.flow import Location
from kiosk.legal.yamlmarks import DuplicateKeyError, line_of, load_marked


@dataclass(frozen=True, slots=True)
class RateSeries:
    """Values in force from their dates (ascending), known up to and including `valid_until`."""

    name: str
    source: str
    starts: tuple[date, ...]
    values: tuple[float, ...]
    valid_until: date

    def on(self, day: date) -> float | None:
        """The value in force on `day`, or None before the first value or after the data's last checked day."""
        if not self.starts or day < self.starts[0] or day > self.valid_until:
            return None
        return self.values[bisect.bisect_right(self.starts, day) - 1]


class RatesError(ValueError):
    """A rate file did not load; `issues` holds the file and line of every problem with its message."""

    def __init__(self, issues: list[tuple[Location, str]]) -> None:
        super().__init__("; ".join(f"{where}: {message}" for where, message in issues))
        self.issues = tuple(issues)


def load_rates(path: Path) -> RateSeries:
    """Read a rate file ({name, source, valid_until, values: [{from, rate}]}); RatesError names each bad line."""
    issues: list[tuple[Location, str]] = []

    def error(container: Any, key: Any, message: str) -> None:
        issues.append((Location(path.name, line_of(container, key)), message))

    data = _parse(path, issues)
    if data is not None and not isinstance(data, dict):
        error(data, None, "a rate file maps name, source, valid_until and values")
    data = data if isinstance(data, dict) else {}
    for key in ("name", "source"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            error(data, key, f"{key!r} must be non-empty text")
    valid_until = data.get("valid_until")
    if type(valid_until) is not date:
        error(data, "valid_until", "valid_until must be a date (YYYY-MM-DD): the last day the data was checked")
    rows = data.get("values")
    if not isinstance(rows, list) or not rows:
        error(data, "values", "values must list {from: YYYY-MM-DD, rate: number}, oldest first")
        rows = []
    starts: list[date] = []
    values: list[float] = []
    for index, row in enumerate(rows):
        start = row.get("from") if isinstance(row, dict) else None
        rate = row.get("rate") if isinstance(row, dict) else None
        if type(start) is not date or isinstance(rate, bool) or not isinstance(rate, (int, float)) or rate <= 0:
            error(rows, index, "each value is {from: YYYY-MM-DD, rate: a positive number}")
        elif starts and start <= starts[-1]:
            error(rows, index, f"{start} is not after {starts[-1]}: list the values oldest first, each date once")
        else:
            starts.append(start)
            values.append(float(rate))
    if starts and type(valid_until) is date and valid_until < starts[-1]:
        error(data, "valid_until", f"valid_until {valid_until} is before the last value's date {starts[-1]}")
    if issues:
        raise RatesError(issues)
    return RateSeries(data["name"].strip(), data["source"].strip(), tuple(starts), tuple(values), valid_until)


def _parse(path: Path, issues: list[tuple[Location, str]]) -> Any:
    try:
        return load_marked(path)
    except OSError as exc:
        issues.append((Location(path.name, 0), f"unreadable: {exc.strerror}"))
    except DuplicateKeyError as exc:
        where, message = str(exc).split(": ", 1)
        issues.append((Location(path.name, int(where.split()[-1])), message))
    except yaml.MarkedYAMLError as exc:
        issues.append((Location(path.name, exc.problem_mark.line + 1 if exc.problem_mark else 0),
                       f"YAML syntax: {exc.problem}"))
    except ValueError as exc:
        issues.append((Location(path.name, 0), f"a date YAML could not read: {exc}"))
    return None
