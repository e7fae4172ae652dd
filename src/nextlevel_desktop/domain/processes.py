"""Default process templates (DESIGN.md §3) and the rules a process design must keep."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from .errors import ValidationError
from .models import PeriodKind, ProcessKind, Stage, StageCategory
from .text_rules import (
    MAX_CRITERIA_PER_STAGE,
    MAX_CRITERION,
    MAX_EXPECTED_DAYS,
    MAX_GUIDANCE,
    MAX_PURPOSE,
    MAX_STAGE_NAME,
    MAX_STAGES,
    bad_character,
    check_characters,
)


@dataclass(frozen=True)
class StageSpec:
    """A stage as designed, before it has an id."""

    name: str
    category: StageCategory = StageCategory.OPEN
    guidance: str = ""
    expected_days: int | None = None
    target_conversion: int | None = None
    probability: int | None = None
    color: str = ""
    exit_criteria: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProcessTemplate:
    kind: ProcessKind
    name: str
    purpose: str
    stages: tuple[StageSpec, ...] = field(default_factory=tuple)


OPEN, WON, LOST = StageCategory.OPEN, StageCategory.WON, StageCategory.LOST

HUNTING_TEMPLATE = ProcessTemplate(
    kind=ProcessKind.HUNTING,
    name="New business",
    purpose="Find and win new customers.",
    stages=(
        StageSpec(
            "Suspect",
            OPEN,
            "A company that fits the ideal customer profile. "
            "Research it and find the right contact.",
            14,
            50,
            5,
            "#8fa6c8",
            ("Fits the ideal customer profile", "Decision maker identified"),
        ),
        StageSpec(
            "Prospect",
            OPEN,
            "First contact made. Learn their situation and whether there is a need.",
            21,
            50,
            10,
            "#6b8fc4",
            ("First conversation held", "Need or pain confirmed"),
        ),
        StageSpec(
            "Qualified",
            OPEN,
            "Budget, authority, need and timing are understood.",
            21,
            60,
            25,
            "#4f7bbf",
            ("Budget confirmed", "Decision process known", "Timeline agreed"),
        ),
        StageSpec(
            "Proposal",
            OPEN,
            "A written proposal is with the customer.",
            14,
            60,
            50,
            "#3567b3",
            ("Proposal sent", "Proposal walked through with the buyer"),
        ),
        StageSpec(
            "Negotiation",
            OPEN,
            "Terms, price and contract are being agreed.",
            14,
            70,
            75,
            "#1f539f",
            ("Verbal yes received", "Contract sent for signature"),
        ),
        StageSpec(
            "Won",
            WON,
            "Contract signed. Hand the account over to farming.",
            None,
            None,
            100,
            "#2e9d5b",
        ),
        StageSpec("Lost", LOST, "Record why the deal was lost.", None, None, 0, "#c0504d"),
    ),
)

FARMING_TEMPLATE = ProcessTemplate(
    kind=ProcessKind.FARMING,
    name="Account management",
    purpose="Keep and grow existing customers.",
    stages=(
        StageSpec(
            "Onboarding",
            OPEN,
            "Get the new customer live and successful quickly.",
            30,
            90,
            None,
            "#9bbf85",
            ("Kick-off held", "Customer live"),
        ),
        StageSpec(
            "Account plan",
            OPEN,
            "Write down goals, stakeholders and growth potential.",
            30,
            90,
            None,
            "#7eae62",
            ("Stakeholder map done", "Account goals agreed"),
        ),
        StageSpec(
            "Regular review",
            OPEN,
            "Review value delivered and satisfaction at the agreed cadence.",
            90,
            60,
            None,
            "#5f9b41",
            ("Review held", "Satisfaction checked"),
        ),
        StageSpec(
            "Develop",
            OPEN,
            "Cross-sell and upsell where the customer gets more value.",
            60,
            70,
            None,
            "#478a2c",
            ("Opportunity identified", "Proposal made"),
        ),
        StageSpec(
            "Renewal",
            OPEN,
            "Secure the renewal well before the contract ends.",
            45,
            85,
            None,
            "#36761f",
            ("Renewal terms sent",),
        ),
        StageSpec(
            "Renewed/expanded",
            WON,
            "The customer renewed or expanded.",
            None,
            None,
            None,
            "#2e9d5b",
        ),
        StageSpec("Churned", LOST, "Record why the customer left.", None, None, None, "#c0504d"),
    ),
)

TEMPLATES = {ProcessKind.HUNTING: HUNTING_TEMPLATE, ProcessKind.FARMING: FARMING_TEMPLATE}

DEFAULT_ACTIVITY_TYPES: dict[ProcessKind, tuple[tuple[str, bool], ...]] = {
    ProcessKind.HUNTING: (
        ("Call", False),
        ("Email", False),
        ("Meeting", False),
        ("Demo", False),
        ("Proposal", False),
        ("Referral request", False),
    ),
    ProcessKind.FARMING: (
        ("Check-in", False),
        ("Account review", True),
        ("QBR", True),
        ("Upsell proposal", False),
        ("Renewal meeting", False),
    ),
}

DEFAULT_LOST_REASONS: dict[ProcessKind, tuple[str, ...]] = {
    ProcessKind.HUNTING: ("Price", "Chose a competitor", "No decision", "No budget", "Timing"),
    ProcessKind.FARMING: (
        "Price",
        "Moved to a competitor",
        "Business closed",
        "Poor fit",
        "Service issues",
    ),
}


_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _percent(value: int | None, label: str, problems: dict[str, str], key: str) -> None:
    if value is not None and not 0 <= value <= 100:
        problems[key] = f"{label} must be between 0 and 100 %, not {value}."


def validate_stage(spec: StageSpec, other_names: Iterable[str]) -> None:
    """Check one stage's fields; ``other_names`` are the process's other (active) stage names.

    The limits (``domain.text_rules``) are the ones a process file import applies too."""
    problems: dict[str, str] = {}
    name = spec.name.strip()
    bad = bad_character(name)
    if not name:
        problems["name"] = "A stage needs a name."
    elif bad is not None:
        problems["name"] = f"The stage name contains {bad}."
    elif len(name) > MAX_STAGE_NAME:
        problems["name"] = f"A stage name can be at most {MAX_STAGE_NAME} characters."
    elif name.casefold() in {n.strip().casefold() for n in other_names}:
        problems["name"] = f"This process already has a stage called “{name}”."
    if spec.expected_days is not None and spec.expected_days < 0:
        problems["expected_days"] = (
            f"Expected days in stage cannot be negative ({spec.expected_days})."
        )
    elif spec.expected_days is not None and spec.expected_days > MAX_EXPECTED_DAYS:
        problems["expected_days"] = (
            f"Expected days in stage can be at most {MAX_EXPECTED_DAYS:,} (ten years), "
            f"not {spec.expected_days:,}."
        )
    _percent(spec.target_conversion, "Target conversion", problems, "target_conversion")
    _percent(spec.probability, "Win probability", problems, "probability")
    if spec.color and not _COLOUR.fullmatch(spec.color):
        problems["color"] = f"A colour is written like #4f7bbf, not “{spec.color[:20]}”."
    if len(spec.guidance) > MAX_GUIDANCE:
        problems["guidance"] = (
            f"The guidance can be at most {MAX_GUIDANCE:,} characters "
            f"(it has {len(spec.guidance):,})."
        )
    elif (bad := bad_character(spec.guidance, multiline=True)) is not None:
        problems["guidance"] = f"The guidance contains {bad}."
    criteria_problem = _criteria_problem(spec.exit_criteria)
    if criteria_problem:
        problems["exit_criteria"] = criteria_problem
    if problems:
        raise ValidationError(problems)


def _criteria_problem(criteria: tuple[str, ...]) -> str:
    if len(criteria) > MAX_CRITERIA_PER_STAGE:
        return (
            f"A stage can have at most {MAX_CRITERIA_PER_STAGE} exit criteria "
            f"(this one has {len(criteria):,})."
        )
    for n, text in enumerate(criteria, start=1):
        if not text.strip():
            return "An exit criterion cannot be blank."
        if len(text.strip()) > MAX_CRITERION:
            return f"Exit criterion {n} is longer than {MAX_CRITERION} characters."
        bad = bad_character(text)
        if bad is not None:
            return f"Exit criterion {n} contains {bad}."
    return ""


def validate_stage_count(count: int) -> None:
    """A process has at most ``MAX_STAGES`` active stages."""
    if count > MAX_STAGES:
        raise ValidationError(
            {"stages": f"A process can have at most {MAX_STAGES} stages (this would be {count:,})."}
        )


def validate_purpose(purpose: str) -> str:
    clean = purpose.strip()
    if len(clean) > MAX_PURPOSE:
        raise ValidationError(
            {"purpose": f"The purpose can be at most {MAX_PURPOSE:,} characters."}
        )
    check_characters(clean, "The purpose", "purpose", multiline=True)
    return clean


def validate_stage_set(categories: Iterable[StageCategory]) -> None:
    """A process keeps at least one open, one won and one lost stage."""
    present = set(categories)
    missing = [c.value for c in StageCategory if c not in present]
    if missing:
        raise ValidationError(
            {
                "category": "A process needs at least one open, one won and one lost stage; "
                f"this change would leave no {' or '.join(missing)} stage."
            }
        )


def validate_name(name: str, noun: str, max_len: int, others: Iterable[str] = ()) -> str:
    """The name of a ``noun`` ("process"): not blank, at most ``max_len`` characters, no
    control characters, and none of ``others`` (in any case)."""
    a = "an" if noun[0] in "aeiou" else "a"
    clean = name.strip()
    if not clean:
        raise ValidationError({"name": f"{a.capitalize()} {noun} needs a name."})
    if len(clean) > max_len:
        raise ValidationError(
            {"name": f"{a.capitalize()} {noun} name can be at most {max_len} characters."}
        )
    check_characters(clean, f"The {noun} name")
    if clean.casefold() in {n.strip().casefold() for n in others}:
        raise ValidationError({"name": f"There is already {a} {noun} called “{clean}”."})
    return clean


BLANK_STAGES: tuple[StageSpec, ...] = (
    StageSpec("First stage", OPEN, "", 14, 50, 10, "#4f7bbf"),
    StageSpec("Won", WON, "", None, None, 100, "#2e9d5b"),
    StageSpec("Lost", LOST, "", None, None, 0, "#c0504d"),
)


def blank_template(kind: ProcessKind, name: str) -> ProcessTemplate:
    """The smallest valid process: one open, one won and one lost stage."""
    if kind is ProcessKind.HUNTING:
        return ProcessTemplate(kind, name, "", BLANK_STAGES)
    return ProcessTemplate(
        kind,
        name,
        "",
        (
            StageSpec("First stage", OPEN, "", 30, 80, None, "#7eae62"),
            StageSpec("Renewed/expanded", WON, color="#2e9d5b"),
            StageSpec("Churned", LOST, color="#c0504d"),
        ),
    )


def spec_of(stage: Stage) -> StageSpec:
    """The designed fields of a stored stage."""
    return StageSpec(
        name=stage.name,
        category=stage.category,
        guidance=stage.guidance,
        expected_days=stage.expected_days,
        target_conversion=stage.target_conversion,
        probability=stage.probability,
        color=stage.color,
        exit_criteria=tuple(c.text for c in stage.exit_criteria),
    )


def unique_name(base: str, taken: Iterable[str]) -> str:
    """``base``, or ``base (2)``, ``base (3)``… whichever is not taken (case-insensitive)."""
    used = {t.casefold() for t in taken}
    if base.casefold() not in used:
        return base
    n = 2
    while f"{base} ({n})".casefold() in used:
        n += 1
    return f"{base} ({n})"


def move_item(ids: list[int], item: int, index: int) -> list[int]:
    """``ids`` with ``item`` moved to ``index`` (clamped to the list)."""
    rest = [i for i in ids if i != item]
    index = max(0, min(index, len(rest)))
    return [*rest[:index], item, *rest[index:]]


@dataclass(frozen=True)
class TargetSpec:
    """A target as designed, before it has an id. ``person_id`` None = the whole team."""

    measure: str
    period: PeriodKind
    value: float
    valid_from: date | None
    person_id: int | None = None
    activity_type_id: int | None = None
    team: str = ""  # with no person: a team's own target ("" = the whole workspace's)
