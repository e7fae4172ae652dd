"""DesignService: targets per process and activity types per kind."""

from __future__ import annotations

from datetime import date

import pytest

from nextlevel_desktop.domain.errors import NotFoundError, ValidationError
from nextlevel_desktop.domain.models import PeriodKind, ProcessKind
from nextlevel_desktop.domain.processes import TargetSpec
from nextlevel_desktop.services.container import Services

D = date(2026, 1, 1)


def pid(services: Services, kind: ProcessKind = ProcessKind.HUNTING) -> int:
    return services.processes.processes_of_kind(kind)[0].id


def type_id(services: Services, kind: ProcessKind, name: str) -> int:
    return next(t.id for t in services.design.activity_types(kind) if t.name == name)


def test_targets_add_edit_remove(services: Services) -> None:
    p = pid(services)
    call = type_id(services, ProcessKind.HUNTING, "Call")
    rev = services.design.add_target(
        p, TargetSpec("activity_count", PeriodKind.WEEK, 20, D, None, call)
    )
    assert rev.changes.targets
    tid = rev.ids["target"]
    target = services.design.target(tid)
    assert (target.measure, target.value, target.activity_type_id) == ("activity_count", 20, call)
    services.design.update_target(tid, TargetSpec("win_rate", PeriodKind.QUARTER, 37.5, D))
    assert services.design.targets(p)[0].value == 37.5
    services.design.remove_target(tid)
    assert services.design.targets(p) == []
    with pytest.raises(NotFoundError):
        services.design.remove_target(tid)


@pytest.mark.parametrize(
    ("spec", "key", "text"),
    [
        (TargetSpec("win_rate", PeriodKind.MONTH, 120, D), "value", "between 0 and 100"),
        (TargetSpec("won_count", PeriodKind.MONTH, -1, D), "value", "cannot be negative"),
        (TargetSpec("renewal_rate", PeriodKind.MONTH, 90, D), "measure", "not measured"),
        (TargetSpec("activity_count", PeriodKind.MONTH, 5, D), "activity_type", "Choose"),
        (TargetSpec("won_count", PeriodKind.MONTH, 5, None), "valid_from", "valid from"),
        (TargetSpec("won_count", PeriodKind.MONTH, 5, D, 999), "person", "no longer exists"),
    ],
)
def test_target_validation(services: Services, spec: TargetSpec, key: str, text: str) -> None:
    with pytest.raises(ValidationError) as info:
        services.design.add_target(pid(services), spec)
    assert text in info.value.problems[key]
    assert services.design.targets(pid(services)) == []


def test_target_activity_type_must_be_of_the_process_kind(services: Services) -> None:
    review = type_id(services, ProcessKind.FARMING, "Account review")
    with pytest.raises(ValidationError, match="this process's kind"):
        services.design.add_target(
            pid(services), TargetSpec("activity_count", PeriodKind.WEEK, 2, D, None, review)
        )


def test_activity_types_add_rename_reorder(services: Services) -> None:
    kind = ProcessKind.HUNTING
    rev = services.design.add_activity_type(kind, " Site visit ", is_review=True)
    assert rev.changes.activity_types
    tid = rev.ids["activity_type"]
    types = services.design.activity_types(kind)
    assert types[-1].name == "Site visit" and not types[-1].is_review  # reviews are farming
    with pytest.raises(ValidationError, match="already an activity type"):
        services.design.add_activity_type(kind, "call")
    services.design.update_activity_type(tid, "Visit", False)
    services.design.move_activity_type(tid, 0)
    assert [t.name for t in services.design.activity_types(kind)][:2] == ["Visit", "Call"]
    farming = ProcessKind.FARMING
    checkin = type_id(services, farming, "Check-in")
    services.design.update_activity_type(checkin, "Check-in", True)
    assert next(t for t in services.design.activity_types(farming) if t.id == checkin).is_review


def test_activity_types_archive(demo_services: Services) -> None:
    s = demo_services
    kind = ProcessKind.HUNTING
    call = type_id(s, kind, "Call")
    s.design.set_activity_type_archived(call, True)
    assert call not in [t.id for t in s.design.activity_types(kind, include_archived=False)]
    s.design.set_activity_type_archived(call, False)
    for t in s.design.activity_types(kind, include_archived=False)[:-1]:
        s.design.set_activity_type_archived(t.id, True)
    last = s.design.activity_types(kind, include_archived=False)[0]
    with pytest.raises(ValidationError, match="keeps at least one"):
        s.design.set_activity_type_archived(last.id, True)
