"""The process file: one designed process (stages, exit criteria, targets, activity types) as JSON.

Consultants design a process once and roll it out to several client workspaces. Ids mean nothing
in another workspace, so the file names people and activity types; a file is checked completely
before anything is imported, and a bad or foreign file is refused with a message saying why.

A file is a stranger's text, so it is bounded before and while it is read:

- at most ``MAX_FILE_BYTES`` (1 MB) and ``MAX_DEPTH`` levels of nesting; ``NaN`` and
  ``Infinity`` are refused, numbers must be plain integers or decimals of at most 15 digits;
- the sizes in ``domain.text_rules``: a process name of 120 characters, a purpose of 2,000,
  at most 30 stages, stage names of 80, guidance of 10,000, 50 exit criteria per stage of 200
  characters each, expected days 0–3,650, conversion and probability 0–100 %, review cadence
  1–3,650 days, 500 targets and 100 activity types;
- names hold no control character (NUL included) and no bidi override or isolate
  (U+202A–U+202E, U+2066–U+2069); guidance and purpose may hold line breaks and tabs only.

The designer applies the same rules (``domain.processes``), so what it builds, it can import.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from .errors import ValidationError
from .models import PeriodKind, ProcessKind, StageCategory
from .processes import (
    StageSpec,
    validate_name,
    validate_purpose,
    validate_stage,
    validate_stage_set,
)
from .targets import validate_target
from .text_rules import (
    MAX_ACTIVITY_TYPE_NAME,
    MAX_ACTIVITY_TYPES,
    MAX_PROCESS_NAME,
    MAX_STAGES,
    MAX_TARGETS,
    bad_character,
)

FORMAT = "nextlevel-desktop/process"
VERSION = 1
MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 20
MAX_NUMBER_DIGITS = 15
MAX_CADENCE_DAYS = 3650


@dataclass(frozen=True)
class TargetDesign:
    measure: str
    period: PeriodKind
    value: float
    valid_from: date
    person: str = ""  # a person's name; "" = the whole team
    activity_type: str = ""  # for activity counts: the type's name


@dataclass(frozen=True)
class ActivityTypeDesign:
    name: str
    is_review: bool = False


@dataclass(frozen=True)
class ProcessDesign:
    kind: ProcessKind
    name: str
    purpose: str = ""
    review_cadence_days: int = 90
    stages: tuple[StageSpec, ...] = ()
    targets: tuple[TargetDesign, ...] = ()
    activity_types: tuple[ActivityTypeDesign, ...] = ()


def to_dict(design: ProcessDesign) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "process": {
            "kind": design.kind.value,
            "name": design.name,
            "purpose": design.purpose,
            "review_cadence_days": design.review_cadence_days,
            "stages": [
                {
                    "name": s.name,
                    "category": s.category.value,
                    "guidance": s.guidance,
                    "expected_days": s.expected_days,
                    "target_conversion": s.target_conversion,
                    "probability": s.probability,
                    "color": s.color,
                    "exit_criteria": list(s.exit_criteria),
                }
                for s in design.stages
            ],
            "targets": [
                {
                    "measure": t.measure,
                    "period": t.period.value,
                    "value": t.value,
                    "valid_from": t.valid_from.isoformat(),
                    "person": t.person,
                    "activity_type": t.activity_type,
                }
                for t in design.targets
            ],
            "activity_types": [
                {"name": a.name, "is_review": a.is_review} for a in design.activity_types
            ],
        },
    }


def dumps(design: ProcessDesign) -> str:
    return json.dumps(to_dict(design), indent=2, ensure_ascii=False) + "\n"


def _field(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = obj.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float)):
        raise ValidationError(f"The process file is damaged: {where} has no valid “{key}”.")
    return value


def _optional_int(obj: dict[str, Any], key: str, where: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"The process file is damaged: {where} has no valid “{key}”.")
    return value


def _stage(obj: Any, n: int) -> StageSpec:
    where = f"stage {n}"
    if not isinstance(obj, dict):
        raise ValidationError(f"The process file is damaged: {where} is not a stage.")
    try:
        category = StageCategory(_field(obj, "category", str, where))
    except ValueError:
        raise ValidationError(
            f"The process file is damaged: {where} has an unknown category."
        ) from None
    criteria = obj.get("exit_criteria", [])
    if not isinstance(criteria, list) or not all(isinstance(c, str) for c in criteria):
        raise ValidationError(f"The process file is damaged: {where} has invalid exit criteria.")
    guidance = obj.get("guidance") or ""
    if not isinstance(guidance, str):
        raise ValidationError(f"The process file is damaged: {where} has no valid “guidance”.")
    color = obj.get("color") or ""
    if not isinstance(color, str):
        raise ValidationError(f"The process file is damaged: {where} has no valid “color”.")
    return StageSpec(
        name=_field(obj, "name", str, where).strip(),
        category=category,
        guidance=guidance,
        expected_days=_optional_int(obj, "expected_days", where),
        target_conversion=_optional_int(obj, "target_conversion", where),
        probability=_optional_int(obj, "probability", where),
        color=color,
        exit_criteria=tuple(c.strip() for c in criteria),
    )


def _target(obj: Any, n: int, kind: ProcessKind) -> TargetDesign:
    where = f"target {n}"
    if not isinstance(obj, dict):
        raise ValidationError(f"The process file is damaged: {where} is not a target.")
    try:
        period = PeriodKind(_field(obj, "period", str, where))
        valid_from = date.fromisoformat(_field(obj, "valid_from", str, where))
    except ValueError:
        raise ValidationError(
            f"The process file is damaged: {where} has an invalid period or date."
        ) from None
    names = {}
    for key, what in (("person", "person's name"), ("activity_type", "activity type")):
        value = obj.get(key) or ""
        if not isinstance(value, str) or len(value) > MAX_PROCESS_NAME:
            raise ValidationError(f"The process file is damaged: {where} has no valid “{key}”.")
        bad = bad_character(value)
        if bad is not None:
            raise ValidationError(f"Target {n} in the process file: the {what} contains {bad}.")
        names[key] = value.strip()
    design = TargetDesign(
        measure=_field(obj, "measure", str, where)[:100],
        period=period,
        value=float(_field(obj, "value", (int, float), where)),
        valid_from=valid_from,
        person=names["person"],
        activity_type=names["activity_type"],
    )
    try:
        # The type is matched by name at import; here only whether one is named matters.
        type_given = 0 if design.activity_type else None
        validate_target(design.measure, kind, period, design.value, valid_from, type_given)
    except ValidationError as exc:
        raise ValidationError(f"Target {n} in the process file is invalid: {exc.first}") from None
    return design


def from_dict(data: Any) -> ProcessDesign:
    """Check a whole process file; raise ``ValidationError`` with a clear message if unusable."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError("This is not a Next Level process file.")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValidationError("The process file is damaged: it has no version.")
    if version > VERSION:
        raise ValidationError(
            "This process file was written by a newer version of Next Level Desktop. "
            "Update the app to import it."
        )
    proc = data.get("process")
    if not isinstance(proc, dict):
        raise ValidationError("The process file is damaged: it holds no process.")
    try:
        kind = ProcessKind(_field(proc, "kind", str, "the process"))
    except ValueError:
        raise ValidationError(
            "The process file is damaged: the process is neither hunting nor farming."
        ) from None
    try:
        name = validate_name(_field(proc, "name", str, "the process"), "process", MAX_PROCESS_NAME)
        purpose = proc.get("purpose") or ""
        if not isinstance(purpose, str):
            raise ValidationError("the purpose is not text.")
        purpose = validate_purpose(purpose)
    except ValidationError as exc:
        raise ValidationError(f"The process in the file is invalid: {exc.first}") from None
    cadence = _optional_int(proc, "review_cadence_days", "the process")
    if cadence is not None and not 1 <= cadence <= MAX_CADENCE_DAYS:
        raise ValidationError(
            f"The process in the file is invalid: the review cadence must be between 1 and "
            f"{MAX_CADENCE_DAYS:,} days, not {cadence:,}."
        )
    raw_stages = proc.get("stages")
    if not isinstance(raw_stages, list) or not raw_stages:
        raise ValidationError("The process file is damaged: the process has no stages.")
    if len(raw_stages) > MAX_STAGES:
        raise ValidationError(
            f"The process in the file is invalid: it has {len(raw_stages):,} stages; a process "
            f"can have at most {MAX_STAGES}."
        )
    stages = tuple(_stage(s, i + 1) for i, s in enumerate(raw_stages))
    for i, spec in enumerate(stages):
        try:
            validate_stage(spec, [s.name for j, s in enumerate(stages) if j < i])
        except ValidationError as exc:
            raise ValidationError(
                f"Stage {i + 1} in the process file is invalid: {exc.first}"
            ) from None
    try:
        validate_stage_set(s.category for s in stages)
    except ValidationError as exc:
        raise ValidationError(f"The process in the file is invalid: {exc.first}") from None
    raw_targets = proc.get("targets", [])
    raw_types = proc.get("activity_types", [])
    if not isinstance(raw_targets, list) or not isinstance(raw_types, list):
        raise ValidationError("The process file is damaged: targets or activity types are invalid.")
    for items, limit, what in (
        (raw_targets, MAX_TARGETS, "targets"),
        (raw_types, MAX_ACTIVITY_TYPES, "activity types"),
    ):
        if len(items) > limit:
            raise ValidationError(
                f"The process in the file is invalid: it has {len(items):,} {what}; "
                f"at most {limit} can be imported."
            )
    types = []
    for i, t in enumerate(raw_types):
        type_name = t.get("name") if isinstance(t, dict) else None
        if not isinstance(type_name, str) or not type_name.strip():
            raise ValidationError(
                f"The process file is damaged: activity type {i + 1} has no name."
            )
        if len(type_name.strip()) > MAX_ACTIVITY_TYPE_NAME:
            raise ValidationError(
                f"Activity type {i + 1} in the process file is invalid: its name is longer than "
                f"{MAX_ACTIVITY_TYPE_NAME} characters."
            )
        bad = bad_character(type_name)
        if bad is not None:
            raise ValidationError(
                f"Activity type {i + 1}'s name in the process file contains {bad}."
            )
        types.append(ActivityTypeDesign(type_name.strip(), bool(t.get("is_review"))))
    return ProcessDesign(
        kind=kind,
        name=name,
        purpose=purpose,
        review_cadence_days=cadence if cadence and cadence > 0 else 90,
        stages=stages,
        targets=tuple(_target(t, i + 1, kind) for i, t in enumerate(raw_targets)),
        activity_types=tuple(types),
    )


class _BadNumber(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _BadNumber(f"it holds {name}, which is not a number")


def _float(text: str) -> float:
    digits = sum(c.isdigit() for c in text.split("e")[0].split("E")[0])
    value = float(text)
    if digits > MAX_NUMBER_DIGITS or not math.isfinite(value) or abs(value) > 10**MAX_NUMBER_DIGITS:
        raise _BadNumber(f"it holds the number {text[:30]}, which is too large")
    return value


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _BadNumber(f"it holds the number {text[:30]}…, which is too large")
    return int(text)


def _depth(text: str) -> int:
    """The deepest nesting of arrays and objects (brackets inside strings are not counted)."""
    depth = deepest = 0
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        token = m.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


def loads(text: str) -> ProcessDesign:
    """Parse and check a process file's text (see the module docstring for the limits)."""
    if len(text) > MAX_FILE_BYTES:
        raise ValidationError(
            f"This is not a Next Level process file: it is larger than {MAX_FILE_BYTES:,} "
            "characters."
        )
    if _depth(text) > MAX_DEPTH:
        raise ValidationError(
            f"This is not a Next Level process file: it is nested more than {MAX_DEPTH} "
            "levels deep."
        )
    try:
        data = json.loads(text, parse_constant=_no_constant, parse_float=_float, parse_int=_int)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"This is not a Next Level process file: it is not valid JSON ({exc.msg}, "
            f"line {exc.lineno})."
        ) from None
    except _BadNumber as exc:
        raise ValidationError(f"The process file is damaged: {exc}.") from None
    except RecursionError:
        raise ValidationError(
            "This is not a Next Level process file: it is nested too deeply."
        ) from None
    return from_dict(data)
