"""Hostile process files, and the designer keeping to the same limits (issue 12).

Each bad file is refused with a specific message and changes nothing; nothing gives a traceback.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from nextlevel_desktop.domain.errors import NextLevelError, ValidationError
from nextlevel_desktop.domain.models import PeriodKind, ProcessKind, StageCategory
from nextlevel_desktop.domain.process_file import (
    MAX_DEPTH,
    ActivityTypeDesign,
    ProcessDesign,
    loads,
    to_dict,
)
from nextlevel_desktop.domain.processes import HUNTING_TEMPLATE, StageSpec, TargetSpec
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.storage.orm import ProcessRow, StageRow

GOOD = to_dict(
    ProcessDesign(
        ProcessKind.HUNTING,
        HUNTING_TEMPLATE.name,
        HUNTING_TEMPLATE.purpose,
        stages=HUNTING_TEMPLATE.stages,
        activity_types=(ActivityTypeDesign("Call"),),
    )
)


@pytest.fixture
def good() -> dict[str, Any]:
    return copy.deepcopy(GOOD)


def refused(data: dict[str, Any] | str) -> str:
    text = data if isinstance(data, str) else json.dumps(data)
    with pytest.raises(ValidationError) as err:
        loads(text)
    return str(err.value)


def test_the_demo_process_file_is_accepted(good: dict[str, Any]) -> None:
    assert loads(json.dumps(good)).name == "New business"


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(good: dict[str, Any], constant: str) -> None:
    text = json.dumps(good).replace('"expected_days": 14', f'"expected_days": {constant}', 1)
    assert constant in text
    assert f"it holds {constant}, which is not a number" in refused(text)


@pytest.mark.parametrize("number", ["1" * 5000, "1e999", "-1e400", "12345678901234567890"])
def test_huge_numbers_are_refused(good: dict[str, Any], number: str) -> None:
    text = json.dumps(good).replace('"expected_days": 14', f'"expected_days": {number}', 1)
    assert "which is too large" in refused(text)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_deep_nesting_is_refused(good: dict[str, Any], depth: int) -> None:
    doc = json.dumps(good)
    text = doc[:-1] + ', "x": ' + "[" * depth + "]" * depth + "}"
    assert f"nested more than {MAX_DEPTH} levels" in refused(text)


def test_brackets_inside_strings_do_not_count_as_nesting(good: dict[str, Any]) -> None:
    good["process"]["purpose"] = "[[[[[[[[[[[[[[[[[[[[[[[[[[ {{{{{{{{{{{{{{{{{{{{{{{"
    assert loads(json.dumps(good)).purpose.startswith("[[[")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda p: p["stages"][0].update(guidance="g" * 20_000),
            "The guidance can be at most 10,000 characters",
        ),
        (
            lambda p: p["stages"][0].update(exit_criteria=[f"c{i}" for i in range(51)]),
            "at most 50 exit criteria (this one has 51)",
        ),
        (
            lambda p: p.update(stages=[dict(p["stages"][0], name=f"S{i}") for i in range(31)]),
            "it has 31 stages; a process can have at most 30",
        ),
        (lambda p: p.update(name="N" * 121), "at most 120 characters"),
        (
            lambda p: p["stages"][2].update(name="Qual\x00ified"),
            "Stage 3 in the process file is invalid: The stage name contains a control "
            "character (U+0000).",
        ),
        (
            lambda p: p["stages"][1].update(name="Pro\u202espect"),
            "Stage 2 in the process file is invalid: The stage name contains a "
            "right-to-left/left-to-right override character (U+202E).",
        ),
        (lambda p: p.update(name="New\u2066 business"), "override character (U+2066)"),
        (
            lambda p: p["stages"][0].update(exit_criteria=["ok", "bad\x1bone"]),
            "Exit criterion 2 contains a control character (U+001B)",
        ),
        (lambda p: p["stages"][0].update(expected_days=100_000), "at most 3,650"),
        (lambda p: p["stages"][0].update(target_conversion=101), "between 0 and 100"),
        (lambda p: p["stages"][0].update(probability=-1), "between 0 and 100"),
        (lambda p: p.update(review_cadence_days=10**9), "review cadence must be between"),
        (
            lambda p: p["activity_types"].append({"name": "Ca\x00ll"}),
            "name in the process file contains a control character (U+0000)",
        ),
        (lambda p: p.update(purpose="p" * 2001), "purpose can be at most 2,000"),
        (lambda p: p["stages"][0].update(guidance=["not", "text"]), "no valid “guidance”"),
    ],
)
def test_sizes_and_characters_are_checked_with_specific_messages(
    good: dict[str, Any], change: Any, message: str
) -> None:
    data = copy.deepcopy(good)
    change(data["process"])
    assert message in refused(data)


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p["stages"][0].update(guidance="g" * 4_000_000),
        lambda p: p["stages"][0].update(exit_criteria=[f"c{i}" for i in range(100_000)]),
        lambda p: p.update(stages=[{"name": f"S{i}", "category": "open"} for i in range(5000)]),
    ],
)
def test_the_issues_oversized_files_are_refused(good: dict[str, Any], change: Any) -> None:
    data = copy.deepcopy(good)
    change(data["process"])
    message = refused(data)
    assert (
        "larger than 1,000,000 characters" in message
        or "at most 50 exit criteria" in message
        or "a process can have at most 30" in message
    ), message


def test_a_target_of_nan_or_huge_value_is_refused(good: dict[str, Any]) -> None:
    data = copy.deepcopy(good)
    data["process"]["targets"] = [
        {
            "measure": "new_engagements",
            "period": "month",
            "value": 1e300,
            "valid_from": "2026-01-01",
        }
    ]
    assert "too large" in refused(data)


def test_a_refused_file_changes_nothing(
    services: Services, good: dict[str, Any], tmp_path: Path
) -> None:
    data = copy.deepcopy(good)
    data["process"]["stages"][0]["guidance"] = "g" * 20_000
    path = tmp_path / "big.nlprocess.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with services.db.read() as s:
        before = (
            s.scalar(select(func.count(ProcessRow.id))),
            s.scalar(select(func.count(StageRow.id))),
        )
    with pytest.raises(ValidationError, match="Cannot import “big.nlprocess.json”. Stage 1"):
        services.process_files.import_file(path)
    with services.db.read() as s:
        after = (
            s.scalar(select(func.count(ProcessRow.id))),
            s.scalar(select(func.count(StageRow.id))),
        )
    assert after == before


def test_a_file_over_1_mb_is_refused_before_reading(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "huge.nlprocess.json"
    path.write_text('{"format": "nextlevel-desktop/process", "x": "' + "x" * 1_100_000 + '"}')
    with pytest.raises(ValidationError, match=r"too large .* \(at most 1 MB\)"):
        services.process_files.read(path)


json_value = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    key=st.sampled_from(
        ["name", "purpose", "review_cadence_days", "stages", "targets", "activity_types", "kind"]
    ),
    value=json_value,
)
def test_any_value_anywhere_gives_a_design_or_a_clear_error(key: str, value: Any) -> None:
    data = copy.deepcopy(GOOD)
    data["process"][key] = value
    try:
        loads(json.dumps(data))
    except NextLevelError as exc:
        assert str(exc)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    field=st.sampled_from(
        [
            "name",
            "guidance",
            "color",
            "expected_days",
            "probability",
            "target_conversion",
            "exit_criteria",
            "category",
        ]
    ),
    value=json_value,
)
def test_any_stage_field_gives_a_design_or_a_clear_error(field: str, value: Any) -> None:
    data = copy.deepcopy(GOOD)
    data["process"]["stages"][1][field] = value
    try:
        loads(json.dumps(data))
    except NextLevelError as exc:
        assert str(exc)


# The designer keeps to the same limits --------------------------------------------------


def test_designer_refuses_what_an_import_would_refuse(services: Services) -> None:
    proc = services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    first = proc.active_stages[0]
    spec = StageSpec(first.name, StageCategory.OPEN, guidance="g" * 10_001)
    with pytest.raises(ValidationError, match="guidance can be at most 10,000"):
        services.processes.update_stage(first.id, spec)
    spec = StageSpec(first.name, exit_criteria=tuple(f"c{i}" for i in range(51)))
    with pytest.raises(ValidationError, match="at most 50 exit criteria"):
        services.processes.update_stage(first.id, spec)
    with pytest.raises(ValidationError, match=r"control character \(U\+0000\)"):
        services.processes.rename_stage(first.id, "Sus\x00pect")
    with pytest.raises(ValidationError, match=r"override character \(U\+202E\)"):
        services.processes.update_process(proc.id, "New\u202e business", "", None)
    with pytest.raises(ValidationError, match="at most 3,650"):
        services.processes.update_stage(first.id, StageSpec(first.name, expected_days=3651))
    with pytest.raises(ValidationError, match=r"control character \(U\+0007\)"):
        services.design.add_activity_type(ProcessKind.HUNTING, "Be\x07ll")
    with pytest.raises(ValidationError, match="must be a number"):
        services.design.add_target(
            proc.id, TargetSpec("new_engagements", PeriodKind.MONTH, float("nan"), first_day())
        )
    count = len(proc.active_stages)
    for i in range(30 - count):
        services.processes.add_stage(proc.id, StageSpec(f"Extra {i}"))
    with pytest.raises(ValidationError, match="at most 30 stages"):
        services.processes.add_stage(proc.id, StageSpec("One too many"))


def first_day():  # type: ignore[no-untyped-def]
    from datetime import date

    return date(2026, 1, 1)


def test_a_designed_process_at_every_limit_exports_and_imports(
    services: Services, tmp_path: Path
) -> None:
    proc = services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    first = proc.active_stages[0]
    services.processes.update_stage(
        first.id,
        StageSpec(
            "S" * 80,
            guidance="line one\n\tline two " + "g" * 9_970,
            expected_days=3650,
            exit_criteria=tuple(f"criterion {i} " + "c" * 180 for i in range(50)),
        ),
    )
    for i in range(30 - len(proc.active_stages)):
        services.processes.add_stage(proc.id, StageSpec(f"Extra {i}"))
    services.processes.update_process(proc.id, "P" * 120, "purpose\n" + "p" * 1990, None)
    path = services.process_files.export(proc.id, tmp_path / "max.nlprocess.json")
    design = services.process_files.read(path)
    assert len(design.stages) == 30 and len(design.stages[0].exit_criteria) == 50
    result = services.process_files.import_design(design)
    assert result.name.startswith("P" * 120)


def test_designer_caps_activity_types_and_targets_as_the_import_does(services: Services) -> None:
    from nextlevel_desktop.domain.text_rules import MAX_ACTIVITY_TYPES

    have = len(services.design.activity_types(ProcessKind.HUNTING, include_archived=False))
    for i in range(MAX_ACTIVITY_TYPES - have):
        services.design.add_activity_type(ProcessKind.HUNTING, f"Type {i}")
    with pytest.raises(ValidationError, match="at most 100 active activity types"):
        services.design.add_activity_type(ProcessKind.HUNTING, "One too many")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"format": "nextlevel-desktop/process", "version": NaN}', "holds NaN"),
        ("[" * 200_000 + "]" * 200_000, "nested more than 20 levels"),
        ('{"format": "nextlevel-desktop/process", "version": 1' + "0" * 5000 + "}", "too large"),
    ],
)
def test_cli_refuses_hostile_process_files_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    from nextlevel_desktop.cli import parse, run_command
    from nextlevel_desktop.services.workspace import open_workspace

    workspace = tmp_path / "w.nlw"
    open_workspace(workspace)[0].close()
    path = tmp_path / "bad.nlprocess.json"
    path.write_text(text, encoding="utf-8")
    args = parse(["process", "import", str(path), "--workspace", str(workspace)])
    assert run_command(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
