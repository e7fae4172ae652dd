"""The process file: one designed process (stages, exit criteria, targets, activity types) as JSON.

Consultants design a process once and roll it out to several client workspaces. Ids mean nothing
in another workspace, so the file names people and activity types; a file is checked completely
before anything is imported, and a bad or foreign file is refused with a message saying why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from .errors import ValidationError
from .models import PeriodKind, ProcessKind, StageCategory
from .processes import StageSpec, validate_name, validate_stage, validate_stage_set
from .targets import validate_target

FORMAT = "nextlevel-desktop/process"
VERSION = 1


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
    return StageSpec(
        name=_field(obj, "name", str, where).strip(),
        category=category,
        guidance=str(obj.get("guidance") or ""),
        expected_days=_optional_int(obj, "expected_days", where),
        target_conversion=_optional_int(obj, "target_conversion", where),
        probability=_optional_int(obj, "probability", where),
        color=str(obj.get("color") or ""),
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
    design = TargetDesign(
        measure=_field(obj, "measure", str, where),
        period=period,
        value=float(_field(obj, "value", (int, float), where)),
        valid_from=valid_from,
        person=str(obj.get("person") or ""),
        activity_type=str(obj.get("activity_type") or ""),
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
        name = validate_name(_field(proc, "name", str, "the process"), "A process")
    except ValidationError as exc:
        raise ValidationError(f"The process in the file is invalid: {exc.first}") from None
    cadence = _optional_int(proc, "review_cadence_days", "the process")
    raw_stages = proc.get("stages")
    if not isinstance(raw_stages, list) or not raw_stages:
        raise ValidationError("The process file is damaged: the process has no stages.")
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
    types = []
    for i, t in enumerate(raw_types):
        if not isinstance(t, dict) or not str(t.get("name") or "").strip():
            raise ValidationError(
                f"The process file is damaged: activity type {i + 1} has no name."
            )
        types.append(ActivityTypeDesign(str(t["name"]).strip(), bool(t.get("is_review"))))
    return ProcessDesign(
        kind=kind,
        name=name,
        purpose=str(proc.get("purpose") or ""),
        review_cadence_days=cadence if cadence and cadence > 0 else 90,
        stages=stages,
        targets=tuple(_target(t, i + 1, kind) for i, t in enumerate(raw_targets)),
        activity_types=tuple(types),
    )


def loads(text: str) -> ProcessDesign:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"This is not a Next Level process file: it is not valid JSON ({exc.msg}, "
            f"line {exc.lineno})."
        ) from None
    return from_dict(data)
