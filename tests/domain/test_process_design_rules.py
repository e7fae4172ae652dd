"""Domain rules of process design: stages, names, process files."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from nextlevel_desktop.domain import process_file
from nextlevel_desktop.domain.errors import ValidationError
from nextlevel_desktop.domain.models import PeriodKind, ProcessKind, StageCategory
from nextlevel_desktop.domain.process_file import (
    ActivityTypeDesign,
    ProcessDesign,
    TargetDesign,
)
from nextlevel_desktop.domain.processes import (
    HUNTING_TEMPLATE,
    StageSpec,
    blank_template,
    move_item,
    unique_name,
    validate_name,
    validate_stage,
    validate_stage_set,
)

GOOD = StageSpec("Qualified", StageCategory.OPEN, "", 14, 60, 25, "#4f7bbf", ("Budget known",))


def problems(spec: StageSpec, others: tuple[str, ...] = ()) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        validate_stage(spec, others)
    return info.value.problems


def test_a_good_stage_passes() -> None:
    validate_stage(GOOD, ["Prospect", "Proposal"])


@pytest.mark.parametrize(
    ("change", "key", "text"),
    [
        ({"name": "  "}, "name", "needs a name"),
        ({"name": "x" * 81}, "name", "at most 80"),
        ({"expected_days": -1}, "expected_days", "cannot be negative"),
        ({"target_conversion": 101}, "target_conversion", "between 0 and 100"),
        ({"target_conversion": -5}, "target_conversion", "between 0 and 100"),
        ({"probability": 150}, "probability", "Win probability must be between 0 and 100"),
        ({"exit_criteria": ("ok", " ")}, "exit_criteria", "cannot be blank"),
        ({"color": "blue"}, "color", "#4f7bbf"),
    ],
)
def test_each_stage_rule_has_a_specific_message(change: dict, key: str, text: str) -> None:
    found = problems(replace(GOOD, **change))
    assert key in found
    assert text in found[key]


def test_stage_names_are_unique_ignoring_case_and_spaces() -> None:
    found = problems(replace(GOOD, name="qualified "), ("Qualified",))
    assert "already has a stage called" in found["name"]


def test_bounds_are_inclusive() -> None:
    validate_stage(replace(GOOD, expected_days=0, target_conversion=0, probability=100), [])
    validate_stage(replace(GOOD, target_conversion=100, probability=0, color=""), [])


def test_stage_set_needs_open_won_and_lost() -> None:
    validate_stage_set([StageCategory.OPEN, StageCategory.WON, StageCategory.LOST])
    with pytest.raises(ValidationError, match="no won stage"):
        validate_stage_set([StageCategory.OPEN, StageCategory.LOST])
    with pytest.raises(ValidationError, match="no open or lost stage"):
        validate_stage_set([StageCategory.WON])


@pytest.mark.parametrize("kind", list(ProcessKind))
def test_blank_templates_are_valid_processes(kind: ProcessKind) -> None:
    template = blank_template(kind, "Mine")
    assert template.name == "Mine" and template.kind is kind
    validate_stage_set(s.category for s in template.stages)
    for i, spec in enumerate(template.stages):
        validate_stage(spec, [s.name for s in template.stages[:i]])
    if kind is ProcessKind.FARMING:
        assert all(s.probability is None for s in template.stages)


def test_unique_name_and_move_item() -> None:
    assert unique_name("New", []) == "New"
    assert unique_name("New", ["new", "New (2)"]) == "New (3)"
    assert move_item([1, 2, 3, 4], 1, 2) == [2, 3, 1, 4]
    assert move_item([1, 2, 3, 4], 4, 0) == [4, 1, 2, 3]
    assert move_item([1, 2, 3], 2, 99) == [1, 3, 2]


def test_activity_type_names() -> None:
    assert validate_name("  Demo ", "activity type", 80, ["Call"]) == "Demo"
    for bad, text in (("", "needs a name"), ("call", "already"), ("x" * 81, "at most 80")):
        with pytest.raises(ValidationError, match=text):
            validate_name(bad, "activity type", 80, ["Call"])


DESIGN = ProcessDesign(
    kind=ProcessKind.HUNTING,
    name="Enterprise deals",
    purpose="Win big logos.",
    review_cadence_days=60,
    stages=HUNTING_TEMPLATE.stages,
    targets=(
        TargetDesign("win_rate", PeriodKind.QUARTER, 35.0, date(2026, 1, 1)),
        TargetDesign("activity_count", PeriodKind.WEEK, 12.0, date(2026, 1, 1), "Anna", "Call"),
    ),
    activity_types=(ActivityTypeDesign("Call"), ActivityTypeDesign("Site visit")),
)


def test_process_file_round_trip() -> None:
    assert process_file.loads(process_file.dumps(DESIGN)) == DESIGN


def _broken(mutate) -> str:  # type: ignore[no-untyped-def]
    data = process_file.to_dict(DESIGN)
    mutate(data)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json at all", "not valid JSON"),
        ('{"hello": 1}', "not a Next Level process file"),
        ("[1, 2]", "not a Next Level process file"),
        (_broken(lambda d: d.update(version=99)), "newer version"),
        (_broken(lambda d: d.update(version="1")), "no version"),
        (_broken(lambda d: d.pop("process")), "holds no process"),
        (_broken(lambda d: d["process"].update(kind="fishing")), "neither hunting nor farming"),
        (_broken(lambda d: d["process"].update(name=" ")), "needs a name"),
        (_broken(lambda d: d["process"].update(stages=[])), "has no stages"),
        (_broken(lambda d: d["process"]["stages"][0].update(category="maybe")), "unknown category"),
        (_broken(lambda d: d["process"]["stages"][1].update(name="Suspect")), "Stage 2"),
        (
            _broken(lambda d: d["process"]["stages"][0].update(expected_days="soon")),
            "expected_days",
        ),
        (_broken(lambda d: d["process"]["stages"].pop(5)), "no won stage"),
        (_broken(lambda d: d["process"]["targets"][0].update(value=250)), "Target 1"),
        (
            _broken(lambda d: d["process"]["targets"][0].update(measure="renewal_rate")),
            "not measured",
        ),
        (_broken(lambda d: d["process"]["targets"][1].update(activity_type="")), "activity type"),
        (_broken(lambda d: d["process"]["targets"][0].update(valid_from="soon")), "invalid period"),
        (_broken(lambda d: d["process"]["activity_types"].append({"name": ""})), "no name"),
    ],
)
def test_bad_process_files_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        process_file.loads(text)
