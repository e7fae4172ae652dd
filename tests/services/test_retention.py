"""Value and net retention from recorded value changes (DESIGN §4), worked by hand.

Farming cohort open at the start of 2026-Q3 (1 July – 30 September), values in currency units:

    A  10,000 at the start, raised to 12,000 on 1 Aug       → expansion    2,000
    B   5,000, churned (closed lost) on 15 Aug              → churn        5,000
    C   8,000, cut to 6,000 on 10 Sep (20,000 on 5 Oct:    → contraction  2,000
        after the period, does not count)
    E   4,000 → 7,000 on 1 June (before the period), renewed on 20 July: 7,000 at the start
    D   opened 5 July, and F, lost 20 June: not in the cohort

start 30,000; value retention = (30,000 − 5,000 − 2,000) ÷ 30,000 = 23/30;
net retention = (30,000 + 2,000 − 5,000 − 2,000) ÷ 30,000 = 25/30.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from nextlevel_desktop.commands.report import report_json
from nextlevel_desktop.domain import measures as ms
from nextlevel_desktop.domain.engagements import EngagementDraft
from nextlevel_desktop.domain.measures import FarmingMeasures, Retention
from nextlevel_desktop.domain.models import Outcome, ProcessKind
from nextlevel_desktop.domain.periods import parse_period
from nextlevel_desktop.services.accounts import AccountDraft
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.engagements import NewEngagement
from nextlevel_desktop.services.people import PersonDraft
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage import migrate

TODAY = date(2026, 11, 27)


def at(day: date) -> datetime:
    return datetime.combine(day, time(12)).astimezone(UTC)


class Farm:
    def __init__(self, services: Services) -> None:
        self.s = services
        self.ann = services.people.add(PersonDraft("Ann")).ids["person"]
        self.bob = services.people.add(PersonDraft("Bob")).ids["person"]
        self.process = services.processes.processes_of_kind(ProcessKind.FARMING)[0].id
        self.ids: dict[str, int] = {}

    def open(self, key: str, value: int, day: date, owner: int | None = None) -> int:
        account = self.s.accounts.create(AccountDraft(f"Account {key}")).ids["account"]
        new = NewEngagement(self.process, key, value * 100)
        eid = self.s.engagements.create(new, account, owner or self.ann, at(day)).ids["engagement"]
        self.ids[key] = eid
        return eid

    def revalue(self, key: str, value: int, day: date):  # type: ignore[no-untyped-def]
        eng = self.s.engagements.get(self.ids[key])
        draft = EngagementDraft(eng.name, value * 100, eng.owner_id, eng.opened_on, eng.closed_on)
        return self.s.engagements.update(self.ids[key], draft, self.bob, at(day))

    def close(self, key: str, outcome: Outcome, day: date) -> None:
        reason = "Budget" if outcome is Outcome.LOST else ""
        self.s.engagements.close(self.ids[key], outcome, self.ann, reason, at=at(day))


@pytest.fixture
def farm(services: Services) -> Farm:
    f = Farm(services)
    d = date
    f.open("A", 10_000, d(2026, 5, 10))
    f.revalue("A", 12_000, d(2026, 8, 1))
    f.open("B", 5_000, d(2026, 5, 10))
    f.close("B", Outcome.LOST, d(2026, 8, 15))
    f.open("C", 8_000, d(2026, 6, 1), owner=f.bob)
    f.revalue("C", 6_000, d(2026, 9, 10))
    f.revalue("C", 20_000, d(2026, 10, 5))
    f.open("E", 4_000, d(2026, 3, 1))
    f.revalue("E", 7_000, d(2026, 6, 1))
    f.close("E", Outcome.WON, d(2026, 7, 20))
    f.open("D", 50_000, d(2026, 7, 5))
    f.open("F", 9_000, d(2026, 2, 1))
    f.close("F", Outcome.LOST, d(2026, 6, 20))
    return f


def measures(farm: Farm, person: int | None = None) -> FarmingMeasures:
    period = parse_period("2026-Q3", 0)
    scope = farm.s.scorecards.scope(farm.process, person, period, date(2026, 11, 27))
    m = farm.s.scorecards.measures(scope)
    assert isinstance(m, FarmingMeasures)
    return m


def test_retention_worked_by_hand(farm: Farm) -> None:
    r = measures(farm).retention
    assert r == Retention(3_000_000, 500_000, 200_000, 200_000)
    assert r.value_retention == pytest.approx(23 / 30)
    assert r.net_retention == pytest.approx(25 / 30)
    # Bob's book: only C (8,000 at the start, 2,000 contracted).
    bob = measures(farm, farm.bob).retention
    assert bob == Retention(800_000, 0, 200_000, 0)
    assert bob.value_retention == pytest.approx(0.75)
    assert bob.net_retention == pytest.approx(0.75)


def test_retention_from_values_now_and_changes_by_hand() -> None:
    # Now: A 12,000, B 5,000 (churned), C 20,000, E 7,000 = 44,000. Since the start A moved
    # +2,000 (+0 since the end), C −2,000 + 14,000 = +12,000 (+14,000 since the end).
    r = ms.retention(44_000, 5_000, [(False, 2_000, 0), (False, 12_000, 14_000)])
    assert r == Retention(30_000, 5_000, 2_000, 2_000)
    # A churned member's value at the start is what churned, whatever it moved to since.
    assert ms.retention(9_000, 9_000, [(True, 3_000, 0)]) == Retention(6_000, 6_000, 0, 0)


def test_no_cohort_is_unknown_not_zero() -> None:
    assert Retention().value_retention is None
    assert Retention().net_retention is None


def test_value_change_is_history_and_undone_with_its_edit(farm: Farm) -> None:
    db = farm.s.engagements.db
    with db.read() as s:
        rows = s.execute(
            text(
                "SELECT old_value_minor, new_value_minor, person_id, changed_at "
                "FROM value_change WHERE engagement_id = :e ORDER BY changed_at"
            ).bindparams(e=farm.ids["C"])
        ).all()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (800_000, 600_000, farm.bob),
        (600_000, 2_000_000, farm.bob),
    ]
    rev = farm.revalue("A", 15_000, date(2026, 9, 20))
    assert measures(farm).retention.expanded == 500_000  # 10,000 → 15,000
    farm.s.revisions.revert(rev)
    assert farm.s.engagements.get(farm.ids["A"]).value_minor == 1_200_000
    assert measures(farm).retention == Retention(3_000_000, 500_000, 200_000, 200_000)
    # An edit that keeps the value records no value change.
    eng = farm.s.engagements.get(farm.ids["D"])
    draft = EngagementDraft("Renamed", eng.value_minor, eng.owner_id, eng.opened_on)
    assert not any(
        t == "value_change" for t, _ in farm.s.engagements.update(eng.id, draft).inserted
    )


def test_report_json_carries_retention_and_monitor_figures(farm: Farm) -> None:
    period = parse_period("2026-Q3", 0)
    scope = farm.s.scorecards.scope(farm.process, None, period, date(2026, 11, 27))
    process = farm.s.processes.process(farm.process)
    out = report_json(farm.s.scorecards.scorecard(scope), process, None)
    assert out["value_retention"] == pytest.approx(23 / 30)
    assert out["net_retention"] == pytest.approx(25 / 30)
    assert out["pipeline_coverage"] is None  # farming has no value target
    assert set(out["time_in_stage_days_mean"]) == {s.name for s in process.open_stages}
    assert "funnel_yield" in out


def test_a_0001_workspace_migrates_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.nlw"
    db, _ = open_workspace(path)
    db.close()
    engine = create_engine(f"sqlite:///{path}")
    from alembic import command

    cfg = migrate._config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    engine.dispose()
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    con.execute(
        "INSERT INTO account (name, industry, website, phone, notes, archived, created_at) "
        "VALUES ('Acme', '', '', '', '', 0, '2026-01-01')"
    )
    con.commit()
    con.close()
    db, created = open_workspace(path)
    try:
        services = Services.for_database(db)
        assert not created
        assert services.accounts.count() == 1
        assert [a.name for a in services.accounts.page("", 0, 10)] == ["Acme"]
    finally:
        db.close()
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == migrate.HEAD
    assert con.execute("SELECT count(*) FROM value_change").fetchone()[0] == 0
    con.close()


def test_retention_in_monitor_tiles_review_rows_and_pdf(farm: Farm, tmp_path: Path) -> None:
    from nextlevel_desktop.render.cards import measure_rows
    from nextlevel_desktop.render.pdf import write_scorecard_pdf
    from nextlevel_desktop.ui.monitor.kpis import tiles_for

    period = parse_period("2026-Q3", 0)
    card = farm.s.scorecards.scorecard(
        farm.s.scorecards.scope(farm.process, None, period, date(2026, 11, 27))
    )
    tiles = {t.title: t for t in tiles_for(card, None, "EUR")}
    assert tiles["Value retention"].actual == "77 %"
    assert tiles["Net retention"].actual == "83 %"
    rows = dict(measure_rows(card, "EUR"))
    assert rows["Value retention"] == "77 %" and rows["Net retention"] == "83 %"
    assert rows["Value at the start"] == "EUR 30,000"
    assert rows["Lost · expanded"] == "EUR 7,000 · EUR 2,000"
    # The review shows the first seven rows: retention is among them.
    assert {"Value retention", "Net retention"} <= {
        label for label, _ in measure_rows(card, "EUR")[:7]
    }
    out = write_scorecard_pdf(farm.s, [card], tmp_path / "card.pdf", None)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Value retention" in text and "Net retention" in text and "77 %" in text


def test_report_json_hunting_figures_by_hand(services: Services, hand) -> None:  # type: ignore[no-untyped-def]
    """September 2026 of the hand-made workspace (tests/services/conftest.py): open pipeline
    EUR 31,000 against a EUR 20,000 value target with EUR 10,000 won → coverage 3.1; funnel
    yield unknown (nobody entered Proposal); Suspect stays of 14, 10 and 2 days → mean 8.67."""
    scope = services.scorecards.scope(hand.hunting, None, parse_period("2026-09", 0), TODAY)
    process = services.processes.process(hand.hunting)
    out = report_json(services.scorecards.scorecard(scope), process, None)
    assert out["pipeline_coverage"] == pytest.approx(3.1)
    assert out["funnel_yield"] is None
    assert out["time_in_stage_days_mean"]["Suspect"] == pytest.approx(26 / 3)
    assert out["value_retention"] is None and out["net_retention"] is None
