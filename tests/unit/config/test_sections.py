"""The dataclass validator: strict scalar types, bounds, patterns, choices, nested tables, every problem at once."""

import dataclasses
from typing import Literal

import pytest

from kiosk.config.loader import parse_config
from kiosk.config.schema import KioskConfig, PrinterProfile
from kiosk.config.sections import ConfigInvalid, as_dict, parse, setting


@dataclasses.dataclass(frozen=True)
class Inner:
    """A nested section."""

    speed_mm_s: float = setting(1.0, gt=0, description="Speed in mm/s.")


@dataclasses.dataclass(frozen=True)
class Sample:
    """A section with one field of every kind the schema uses."""

    flag: bool = setting(False, description="A switch.")
    count: int = setting(3, ge=1, le=9, description="A count.")
    name: str = setting("a-1", pattern=r"^[a-z0-9-]+$", description="An id.")
    mode: Literal["x", "y"] = setting("x", description="A choice.")
    inner: Inner = setting(factory=Inner)
    named: dict[str, Inner] = setting(factory=dict, description="Entries by name.")


def test_missing_keys_take_defaults_and_ints_widen_to_floats():
    sample = parse(Sample, {"inner": {"speed_mm_s": 2}, "named": {"a": {}}})
    assert sample == Sample(inner=Inner(speed_mm_s=2.0), named={"a": Inner()})
    assert isinstance(sample.inner.speed_mm_s, float)


@pytest.mark.parametrize("values, key, words", [
    ({"flag": 1}, "flag", "true or false"),
    ({"count": True}, "count", "whole number"),
    ({"count": 2.5}, "count", "whole number"),
    ({"count": 0}, "count", "≥ 1"),
    ({"count": 10}, "count", "≤ 9"),
    ({"name": "A B"}, "name", "must match"),
    ({"mode": "z"}, "mode", "one of"),
    ({"inner": {"speed_mm_s": 0}}, "inner.speed_mm_s", "> 0"),
    ({"inner": 5}, "inner", "must be a table"),
    ({"named": {"b": {"speed_mm_s": "fast"}}}, "named.b.speed_mm_s", "a number"),
    ({"surprise": 1}, "surprise", "unknown key"),
    ({"inner": {"surprise": 1}}, "inner.surprise", "unknown key"),
])
def test_each_fault_names_its_dotted_key(values, key, words):
    with pytest.raises(ConfigInvalid) as info:
        parse(Sample, values)
    assert [k for k, _ in info.value.problems] == [key]
    assert words in info.value.problems[0][1]


def test_every_problem_is_reported_at_once():
    with pytest.raises(ConfigInvalid) as info:
        parse(Sample, {"count": 0, "mode": "z", "extra": 1, "inner": {"speed_mm_s": -1}})
    assert sorted(k for k, _ in info.value.problems) == ["count", "extra", "inner.speed_mm_s", "mode"]


def test_the_schema_round_trips_through_plain_values():
    config = KioskConfig()
    assert parse_config(as_dict(config)) == config
    assert as_dict(config)["printer_profiles"]["generic_58mm"] == as_dict(PrinterProfile(
        paper_width_dots=384, chars_per_line_cjk=16, native_qr=False, codepage="gbk", print_speed_mm_s=60.0,
        receive_buffer_bytes=1024, has_cutter=False))


def test_sections_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        KioskConfig().ui.fullscreen = False  # type: ignore[misc]
