"""Domain validation: specific messages for every rule."""

from __future__ import annotations

from datetime import date

import pytest

from nextlevel_desktop.domain.changes import Changes
from nextlevel_desktop.domain.errors import ValidationError
from nextlevel_desktop.domain.models import PeriodKind, ProcessKind, StageCategory, format_money
from nextlevel_desktop.domain.processes import (
    FARMING_TEMPLATE,
    HUNTING_TEMPLATE,
    StageSpec,
    validate_name,
    validate_stage,
    validate_stage_set,
)
from nextlevel_desktop.domain.settings import WorkspaceSettings
from nextlevel_desktop.domain.targets import validate_target


def test_templates_follow_design() -> None:
    assert [s.name for s in HUNTING_TEMPLATE.stages] == [
        "Suspect",
        "Prospect",
        "Qualified",
        "Proposal",
        "Negotiation",
        "Won",
        "Lost",
    ]
    assert [s.name for s in FARMING_TEMPLATE.stages] == [
        "Onboarding",
        "Account plan",
        "Regular review",
        "Develop",
        "Renewal",
        "Renewed/expanded",
        "Churned",
    ]
    for template in (HUNTING_TEMPLATE, FARMING_TEMPLATE):
        validate_stage_set(s.category for s in template.stages)
        names = [s.name for s in template.stages]
        for spec in template.stages:
            validate_stage(spec, [n for n in names if n != spec.name])


@pytest.mark.parametrize(
    ("spec", "field", "message"),
    [
        (StageSpec("  "), "name", "needs a name"),
        (StageSpec("Prospect"), "name", "already has a stage called “Prospect”"),
        (StageSpec("prospect "), "name", "already has a stage"),
        (StageSpec("X", expected_days=-1), "expected_days", "cannot be negative"),
        (StageSpec("X", target_conversion=101), "target_conversion", "between 0 and 100"),
        (StageSpec("X", probability=-5), "probability", "between 0 and 100"),
        (StageSpec("X", exit_criteria=("ok", " ")), "exit_criteria", "cannot be blank"),
    ],
)
def test_stage_rules(spec: StageSpec, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        validate_stage(spec, ["Suspect", "Prospect"])
    assert field in err.value.problems
    assert message in err.value.problems[field]


def test_stage_set_needs_open_won_and_lost() -> None:
    with pytest.raises(ValidationError, match="no lost stage"):
        validate_stage_set([StageCategory.OPEN, StageCategory.WON])
    with pytest.raises(ValidationError, match="no open or won"):
        validate_stage_set([StageCategory.LOST])


def test_process_and_generic_names() -> None:
    assert validate_name("  Key accounts ", "process", 120, ["New business"]) == "Key accounts"
    with pytest.raises(ValidationError, match="already a process"):
        validate_name("new business", "process", 120, ["New business"])
    with pytest.raises(ValidationError, match="needs a name"):
        validate_name("", "process", 120)
    with pytest.raises(ValidationError, match="at most 5"):
        validate_name("abcdef", "tag", max_len=5)


def test_target_rules() -> None:
    validate_target("win_rate", ProcessKind.HUNTING, PeriodKind.QUARTER, 30, date(2026, 1, 1), None)
    with pytest.raises(ValidationError, match="between 0 and 100"):
        validate_target(
            "win_rate", ProcessKind.HUNTING, PeriodKind.QUARTER, 130, date.today(), None
        )
    with pytest.raises(ValidationError, match="not measured in a farming"):
        validate_target("win_rate", ProcessKind.FARMING, PeriodKind.MONTH, 30, date.today(), None)
    with pytest.raises(ValidationError, match="activity type"):
        validate_target(
            "activity_count", ProcessKind.HUNTING, PeriodKind.WEEK, 20, date.today(), None
        )
    with pytest.raises(ValidationError, match="cannot be negative"):
        validate_target("won_value", ProcessKind.HUNTING, PeriodKind.MONTH, -1, date.today(), None)
    with pytest.raises(ValidationError, match="valid from"):
        validate_target("won_count", ProcessKind.HUNTING, PeriodKind.MONTH, 3, None, None)


def test_settings_validation_and_round_trip() -> None:
    s = WorkspaceSettings(currency="USD", week_start=6, on_track_pct=110, at_risk_pct=90)
    assert WorkspaceSettings.from_pairs(s.validated().to_pairs()) == s
    with pytest.raises(ValidationError, match="below the ‘on track’"):
        WorkspaceSettings(on_track_pct=80, at_risk_pct=90).validated()
    with pytest.raises(ValidationError, match="short code"):
        WorkspaceSettings(currency="").validated()
    # A damaged stored value falls back to the default rather than failing to open.
    assert WorkspaceSettings.from_pairs({"week_start": "x"}).week_start == 0


def test_changes_combine() -> None:
    combined = Changes(activities=True) | Changes(engagements=True, ids=frozenset({3}))
    assert combined.activities and combined.engagements and combined.ids == {3}
    assert not Changes()
    assert Changes.everything().touches("anything_at_all") is True
    assert Changes(stages=True).touches("stages", "people")
    assert not Changes(stages=True).touches("people")


def test_money_is_formatted_exactly() -> None:
    assert format_money(1234500, "EUR") == "EUR 12,345"
    assert format_money(1234567, "USD") == "USD 12,345.67"
    assert format_money(-5, "GBP") == "-GBP 0.05"
