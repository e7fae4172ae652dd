"""``behaviour --json`` and ``report --json``'s stage health, against the services."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from nextlevel_desktop.__main__ import main
from nextlevel_desktop.domain import behaviour as bh
from nextlevel_desktop.domain.models import ProcessKind
from nextlevel_desktop.domain.periods import Granularity, Period
from nextlevel_desktop.services.container import Services

KEYS = ["points", "centre", "upper_limit", "lower_limit", "average_moving_range"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_behaviour_json(
    demo_services: Services, workspace_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    person = demo_services.people.people()[1]
    args = ["behaviour", "--workspace", str(workspace_path), "--process", "New business"]
    span = ["--from", "2026-05-04", "--to", "2026-11-22", "--person", person.name, "--json"]
    code, out, err = run(capsys, *args, "--measure", "activity_count", "--bucket", "week", *span)
    assert code == 0, err
    data = json.loads(out)
    assert list(data) == [*KEYS, "upper_range_limit", "signals"]
    proc = demo_services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    scope = demo_services.scorecards.scope(
        proc.id, person.id, Period(date(2026, 5, 4), date(2026, 11, 22))
    )
    chart = demo_services.health.behaviour(scope, bh.Measure.ACTIVITY_COUNT, Granularity.WEEK)
    assert data == bh.chart_json(chart)
    assert len(data["points"]) == 29 and data["points"][0] == {
        "start": "2026-05-04",
        "value": chart.points[0].value,
    }
    assert data["centre"] == round(sum(p.value for p in chart.points[:12]) / 12, 4)
    for s in data["signals"]:
        assert set(s) == {"rule", "start", "value"} and s["rule"] in (1, 2, 3)
    # Won value in currency units, with a chosen baseline.
    code, out, _ = run(
        capsys,
        *args,
        "--measure",
        "won_value",
        "--bucket",
        "month",
        "--baseline",
        "6",
        "--from",
        "2026-01-01",
        "--to",
        "2026-10-31",
        "--json",
    )
    assert code == 0 and len(json.loads(out)["points"]) == 10
    # A baseline below 6, or longer than the window, is refused with what to do.
    code, _, err = run(
        capsys,
        *args,
        "--measure",
        "won_count",
        "--bucket",
        "month",
        "--baseline",
        "5",
        "--from",
        "2026-01-01",
        "--to",
        "2026-10-31",
        "--json",
    )
    assert code != 0 and "at least 6" in err
    code, _, err = run(
        capsys,
        *args,
        "--measure",
        "won_count",
        "--bucket",
        "month",
        "--baseline",
        "12",
        "--from",
        "2026-01-01",
        "--to",
        "2026-10-31",
        "--json",
    )
    assert code != 0 and "only 10 points" in err


def test_report_json_has_stage_health(
    demo_services: Services, workspace_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "report",
        "--workspace",
        str(workspace_path),
        "--process",
        "New business",
        "--from",
        "2026-06-01",
        "--to",
        "2026-11-27",
        "--json",
    )
    assert code == 0, err
    health = json.loads(out)["stage_health"]
    proc = demo_services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    assert [h["stage"] for h in health] == [s.name for s in proc.open_stages]
    for h in health:
        assert list(h) == [
            "stage",
            "entered",
            "advanced",
            "conversion",
            "conversion_low",
            "conversion_high",
            "target_conversion",
            "median_days",
            "p80_days",
            "expected_days",
            "stalled_now",
        ]
        if h["entered"]:
            assert h["conversion_low"] <= h["conversion"] <= h["conversion_high"]
            assert h["conversion"] == round(h["advanced"] / h["entered"], 4)
