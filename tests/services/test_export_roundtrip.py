"""Export → import into a fresh workspace gives the same records; hostile files never hurt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from nextlevel_desktop.domain.activities import ActivityFilter
from nextlevel_desktop.domain.errors import NextLevelError
from nextlevel_desktop.domain.importing import ImportKind, ImportMapping, parse_csv
from nextlevel_desktop.services.accounts import AccountDraft
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage.orm import (
    AccountRow,
    ActivityRow,
    ActivityTypeRow,
    EngagementRow,
    PersonRow,
    ProcessRow,
    StageChangeRow,
    StageRow,
)


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Services]:
    db, _ = open_workspace(tmp_path / "fresh.nlw")
    yield Services.for_database(db)
    db.close()


def import_file(services: Services, path: Path, kind: ImportKind) -> None:
    table = services.importing.read_file(path)
    mapping = ImportMapping(kind, services.importing.guess(table, kind))
    services.importing.run(table, mapping)


def engagements(services: Services) -> list[tuple[object, ...]]:
    owner = aliased(PersonRow)
    stmt = (
        select(
            EngagementRow.name,
            ProcessRow.name,
            AccountRow.name,
            owner.name,
            StageRow.name,
            EngagementRow.value_minor,
            EngagementRow.opened_on,
            EngagementRow.closed_on,
            EngagementRow.outcome,
            EngagementRow.lost_reason,
        )
        .join(ProcessRow, ProcessRow.id == EngagementRow.process_id)
        .join(StageRow, StageRow.id == EngagementRow.stage_id)
        .outerjoin(AccountRow, AccountRow.id == EngagementRow.account_id)
        .outerjoin(owner, owner.id == EngagementRow.owner_id)
    )
    with services.db.read() as s:
        return sorted((tuple(r) for r in s.execute(stmt)), key=repr)


def activities(services: Services) -> list[tuple[object, ...]]:
    stmt = (
        select(
            ActivityRow.occurred_at,
            ActivityRow.occurred_on,
            ActivityTypeRow.name,
            ProcessRow.name,
            PersonRow.name,
            AccountRow.name,
            EngagementRow.name,
            ActivityRow.status,
            ActivityRow.duration_min,
            ActivityRow.outcome,
            ActivityRow.notes,
        )
        .join(ActivityTypeRow, ActivityTypeRow.id == ActivityRow.type_id)
        .join(ProcessRow, ProcessRow.id == ActivityRow.process_id)
        .outerjoin(PersonRow, PersonRow.id == ActivityRow.person_id)
        .outerjoin(AccountRow, AccountRow.id == ActivityRow.account_id)
        .outerjoin(EngagementRow, EngagementRow.id == ActivityRow.engagement_id)
    )
    with services.db.read() as s:
        return sorted((tuple(r) for r in s.execute(stmt)), key=lambda r: (r[0], repr(r)))


def accounts(services: Services) -> list[tuple[object, ...]]:
    stmt = select(AccountRow.name, AccountRow.industry, AccountRow.website, AccountRow.phone)
    with services.db.read() as s:
        return sorted(tuple(r) for r in s.execute(stmt))


def test_export_import_round_trip(demo_services: Services, fresh: Services, tmp_path: Path) -> None:
    for what in ("accounts", "engagements", "activities"):
        demo_services.exporting.export(what, tmp_path / f"{what}.csv")
    import_file(fresh, tmp_path / "accounts.csv", ImportKind.ACCOUNTS)
    import_file(fresh, tmp_path / "engagements.csv", ImportKind.ENGAGEMENTS)
    import_file(fresh, tmp_path / "activities.csv", ImportKind.ACTIVITIES)
    assert accounts(fresh) == accounts(demo_services)
    assert engagements(fresh) == engagements(demo_services)
    assert activities(fresh) == activities(demo_services)
    # Re-importing the same export changes nothing and duplicates nothing.
    table = fresh.importing.read_file(tmp_path / "engagements.csv")
    mapping = ImportMapping(
        ImportKind.ENGAGEMENTS, fresh.importing.guess(table, ImportKind.ENGAGEMENTS)
    )
    again = fresh.importing.run(table, mapping)
    assert again.created == again.updated == 0 and again.unchanged == len(table.rows)


def test_export_of_the_activity_filter(demo_services: Services, tmp_path: Path) -> None:
    person = next(
        p
        for p in demo_services.people.people()
        if demo_services.activities.count(ActivityFilter(person_id=p.id))
    )
    flt = ActivityFilter(person_id=person.id)
    count = demo_services.exporting.export("activities", tmp_path / "mine.csv", flt)
    assert count == demo_services.activities.count(flt) > 0
    table = parse_csv((tmp_path / "mine.csv").read_bytes())
    assert {r[table.column("Owner")] for r in table.rows} == {person.name}


cell = st.one_of(
    st.text(max_size=20),
    st.text(alphabet='",;\t\n\r\x00 ab', max_size=30),
    st.sampled_from(["Won", "Lost", "Suspect", "2026-01-02", "03/04/2026", "$1,000", "x" * 200]),
)
hostile = st.one_of(
    st.binary(max_size=400),
    st.lists(st.lists(cell, max_size=6), max_size=8).map(
        lambda rows: "\n".join(",".join(r) for r in rows).encode("utf-8", "replace")
    ),
    st.builds(
        lambda head, n: (head + "\n" + ('"' + "y" * n + '",Won\n')).encode(),
        st.sampled_from(["Deal Name,Stage", 'Deal Name,"Stage', "id;Stage", ""]),
        st.sampled_from([0, 10, 200_000, 1_200_000]),
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=hostile, kind=st.sampled_from(list(ImportKind)), skip=st.booleans())
def test_hostile_files_never_crash_nor_write_partially(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, kind: ImportKind, skip: bool
) -> None:
    path = tmp_path_factory.mktemp("hostile") / "w.nlw"
    db, _ = open_workspace(path)
    services = Services.for_database(db)
    try:
        tables = (AccountRow, PersonRow, EngagementRow, StageChangeRow, ActivityRow, StageRow)

        def counts() -> list[int]:
            with db.read() as s:
                return [int(s.scalar(select(func.count()).select_from(t)) or 0) for t in tables]

        before = counts()
        try:
            table = parse_csv(data)
            mapping = ImportMapping(kind, services.importing.guess(table, kind))
            services.importing.check(table, mapping)
            result = services.importing.run(table, mapping, skip_invalid=skip)
        except NextLevelError:
            assert counts() == before  # refused: nothing written
        else:
            assert result.created + result.updated + result.unchanged + result.skipped == len(
                table.rows
            )
    finally:
        db.close()


def test_reimporting_an_export_into_the_same_workspace_changes_nothing(
    demo_services: Services, tmp_path: Path
) -> None:
    before = (engagements(demo_services), activities(demo_services), accounts(demo_services))
    for what, kind in (
        ("accounts", ImportKind.ACCOUNTS),
        ("engagements", ImportKind.ENGAGEMENTS),
        ("activities", ImportKind.ACTIVITIES),
    ):
        demo_services.exporting.export(what, tmp_path / f"{what}.csv")
        table = demo_services.importing.read_file(tmp_path / f"{what}.csv")
        mapping = ImportMapping(kind, demo_services.importing.guess(table, kind))
        result = demo_services.importing.run(table, mapping)
        assert (result.created, result.unchanged) == (0, len(table.rows)), what
    after = (engagements(demo_services), activities(demo_services), accounts(demo_services))
    assert after == before


FORMULA_LIKE = ("=1+2", "'=already", "@home", "-x", "+cmd|' /C calc'!A0", "''@twice", "'plain")


def test_formula_cells_are_escaped_and_round_trip_exactly(
    demo_services: Services, fresh: Services, tmp_path: Path
) -> None:
    for i, name in enumerate(FORMULA_LIKE):
        demo_services.accounts.create(
            AccountDraft(name, industry="-12.50", phone="+44 20 7946 0000", notes=f"={i}")
        )
    with demo_services.db.transaction() as s:
        rows = s.scalars(select(EngagementRow).order_by(EngagementRow.id).limit(3)).all()
        for row, name in zip(rows, ("=SUM(A1)", "@x", "'=y"), strict=True):
            row.name = name
            row.notes = "\t=tab"
    for what in ("accounts", "engagements"):
        demo_services.exporting.export(what, tmp_path / f"{what}.csv")
    raw = (tmp_path / "accounts.csv").read_text("utf-8-sig")
    assert ",'=1+2," in raw
    assert ",-12.50,,,,,,,+44 20 7946 0000," in raw  # numbers and phones stay readable
    import_file(fresh, tmp_path / "accounts.csv", ImportKind.ACCOUNTS)
    import_file(fresh, tmp_path / "engagements.csv", ImportKind.ENGAGEMENTS)
    assert accounts(fresh) == accounts(demo_services)
    assert engagements(fresh) == engagements(demo_services)
    with fresh.db.read() as s:
        names = set(s.scalars(select(AccountRow.name)))
        notes = set(s.scalars(select(EngagementRow.notes).where(EngagementRow.name == "@x")))
    assert set(FORMULA_LIKE) <= names
    assert notes == {"\t=tab"}
