"""``report --team`` and ``report`` without a period on a workspace whose quarter is empty."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from nextlevel_desktop.__main__ import main
from nextlevel_desktop.domain.importing import ImportKind, ImportMapping
from nextlevel_desktop.domain.models import PeriodKind
from nextlevel_desktop.domain.periods import Granularity, period_of
from nextlevel_desktop.domain.processes import TargetSpec
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.people import PersonDraft

DEALS = (
    "id,name,stage,amount,created,closed,owner\n"
    "1,A1,Won,1000,2025-01-05,2025-02-01,Ann\n"
    "2,A2,Won,1000,2025-01-06,2025-02-02,Ann\n"
    "3,B1,Won,1000,2025-01-07,2025-02-03,Bob\n"
    "4,C1,Won,1000,2025-01-08,2025-02-04,Cy\n"
    "5,C2,Lost,1000,2025-01-09,2025-02-05,Cy\n"
)


@pytest.fixture
def teams(services: Services, tmp_path: Path) -> Services:
    for name, team in (("Ann", "East"), ("Bob", "East"), ("Cy", "West")):
        services.people.add(PersonDraft(name, team=team))
    src = tmp_path / "deals.csv"
    src.write_text(DEALS, encoding="utf-8")
    imp = services.importing
    table = imp.read_file(src)
    imp.run(table, ImportMapping(ImportKind.ENGAGEMENTS, imp.guess(table, ImportKind.ENGAGEMENTS)))
    hunting = services.processes.processes()[0]
    people = {p.name: p.id for p in services.people.people()}
    since = date(2025, 1, 1)
    for who, value in (("Ann", 3), ("Bob", 2), ("Cy", 4)):
        spec = TargetSpec("won_count", PeriodKind.QUARTER, value, since, people[who])
        services.design.add_target(hunting.id, spec)
    services.design.add_target(
        hunting.id,
        TargetSpec("won_count", PeriodKind.QUARTER, 50, since),  # everybody's
    )
    return services


def _report(capsys, path: Path, *args: str) -> tuple[int, dict, str]:  # type: ignore[no-untyped-def]
    code = main(["report", "-w", str(path), "--process", "New business", "--json", *args])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else {}), err


def test_team_report_counts_its_people_and_sums_their_targets(
    teams: Services, workspace_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    code, east, _ = _report(capsys, workspace_path, "--team", "east", "--period", "2025-Q1")
    assert code == 0 and east["team"] == "East"
    assert east["measures"]["won_count"] == 3 and east["measures"]["lost_count"] == 0
    target = next(t for t in east["targets"] if t["measure"] == "won_count")
    assert target["target"] == 5  # Ann's 3 + Bob's 2, not everybody's 50
    _, west, _ = _report(capsys, workspace_path, "--team", "West", "--period", "2025-Q1")
    assert (west["measures"]["won_count"], west["measures"]["lost_count"]) == (1, 1)
    # A target set for the team itself wins over the sum of its people's.
    hunting = teams.processes.processes()[0]
    spec = TargetSpec("won_count", PeriodKind.QUARTER, 7, date(2025, 1, 1), team="East")
    teams.design.add_target(hunting.id, spec)
    _, east, _ = _report(capsys, workspace_path, "--team", "East", "--period", "2025-Q1")
    assert next(t for t in east["targets"] if t["measure"] == "won_count")["target"] == 7
    _, everybody, _ = _report(capsys, workspace_path, "--period", "2025-Q1")
    assert everybody["measures"]["won_count"] == 4
    assert next(t for t in everybody["targets"] if t["measure"] == "won_count")["target"] == 50
    code, _, err = _report(capsys, workspace_path, "--team", "North")
    assert code == 2 and "no team called “North”" in err and "“East”, “West”" in err


def test_report_without_period_names_the_latest_quarter_with_data(
    teams: Services, workspace_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    current = period_of(Granularity.QUARTER, date.today())
    assert current.start > date(2025, 3, 31)  # (the data lies in 2025-Q1)
    code, data, err = _report(capsys, workspace_path)
    assert code == 0
    assert f"current quarter ({current.code})" in err and "reporting 2025-Q1" in err
    assert (data["from"], data["to"]) == ("2025-01-01", "2025-03-31")
    assert data["measures"]["won_count"] == 4
    # A period given is reported as asked, without a word.
    code, data, err = _report(capsys, workspace_path, "--period", current.code)
    assert code == 0 and err == "" and data["measures"]["won_count"] == 0
