"""Filtering and searching on a generated larger workspace: counts and pages come from SQL and
agree with each other; a deep page loads just that page; the UI model stays lazy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from nextlevel_desktop.domain.activities import ActivityColumn, ActivityFilter
from nextlevel_desktop.domain.models import ActivityStatus
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.demo import DemoSize, generate_demo
from nextlevel_desktop.services.workspace import open_workspace

LARGE = DemoSize(people=8, accounts=1500, engagements=2400, activities=30_000, months=12)
TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    db, _ = open_workspace(tmp_path_factory.mktemp("large") / "large.nlw")
    generate_demo(db, LARGE, today=TODAY)
    yield Services.for_database(db)
    db.close()


def test_counts_and_pages_agree_for_every_filter(large: Services) -> None:
    svc = large.activities
    total = svc.count(ActivityFilter())
    assert total == LARGE.activities
    rep = [p for p in large.people.people() if p.role == "rep"][2]
    hunting = large.processes.processes()[0]
    call = next(t for t in svc.activity_types() if t.name == "Call")
    filters = [
        ActivityFilter(person_id=rep.id),
        ActivityFilter(process_id=hunting.id, status=ActivityStatus.DONE),
        ActivityFilter(type_id=call.id, date_from=date(2026, 6, 1), date_to=date(2026, 6, 30)),
        ActivityFilter(status=ActivityStatus.PLANNED, date_to=TODAY, person_id=rep.id),
        ActivityFilter(text="no answer"),
    ]
    for flt in filters:
        n = svc.count(flt)
        assert 0 < n < total, flt
        rows = []
        offset = 0
        while offset < min(n, 1200):
            rows += svc.page(flt, offset, 400)
            offset += 400
        assert len(rows) == min(n, 1200)
        assert len({r.id for r in rows}) == len(rows)  # no duplicates across pages
        if flt.person_id is not None:
            assert {r.person_name for r in rows} == {rep.name}
        if flt.type_id is not None:
            assert {r.type_name for r in rows} == {"Call"}
            assert all(date(2026, 5, 31) <= r.occurred_at.date() <= date(2026, 7, 1) for r in rows)
        if flt.text:
            assert all("no answer" in r.outcome.lower() or r.account_name for r in rows)


def test_search_matches_account_names_and_outcomes(large: Services) -> None:
    svc = large.activities
    account = large.accounts.page("", 0, 1)[0]
    word = account.name.split()[0]
    rows = svc.page(ActivityFilter(text=word), 0, 300)
    assert rows and all(word.lower() in (r.account_name + r.outcome).lower() for r in rows)
    assert large.accounts.count(word) == len(
        [a for a in large.accounts.page(word, 0, 10_000) if word.lower() in a.name.lower()]
    )


def test_sorting_on_joined_columns_and_deep_pages(large: Services) -> None:
    svc = large.activities
    total = svc.count(ActivityFilter())
    for column in (ActivityColumn.ACCOUNT, ActivityColumn.PERSON, ActivityColumn.DATE):
        first = svc.page(ActivityFilter(), 0, 200, column, descending=False)
        keys = [
            r.account_name
            if column is ActivityColumn.ACCOUNT
            else r.person_name
            if column is ActivityColumn.PERSON
            else r.occurred_at
            for r in first
        ]
        assert keys == sorted(keys)
    last = svc.page(ActivityFilter(), total - 50, 200)
    oldest = svc.page(ActivityFilter(), 0, 50, ActivityColumn.DATE, descending=False)
    assert len(last) == 50
    assert [r.id for r in reversed(last)] == [r.id for r in oldest]


def test_lazy_model_loads_only_the_pages_it_shows(qtbot, large: Services, make_road) -> None:  # type: ignore[no-untyped-def]
    from nextlevel_desktop.ui.logger.activity_model import PAGE, ActivityTableModel

    road = make_road(large)
    model = ActivityTableModel(road.ops)
    assert road.ops.wait_idle()  # counted (and its first page read) on the reader thread
    assert model.rowCount() == LARGE.activities
    assert model.row(LARGE.activities - 1) is None  # asked for, not read here
    qtbot.waitUntil(lambda: model.row(LARGE.activities - 1) is not None)
    assert model.row(0) is not None
    assert len(model._pages) == 2
    model.set_filter(ActivityFilter(text="Positive"))
    qtbot.waitUntil(lambda: not model.loading)
    assert model.rowCount() == large.activities.count(ActivityFilter(text="Positive"))
    assert len(model._pages) <= 1 and PAGE == 200  # only the first page, with the count


def test_engagement_lists_and_suggestions_on_the_large_workspace(large: Services) -> None:
    hunting = large.processes.processes()[0]
    open_rows = large.engagements.engagements(hunting.id)
    assert open_rows and all(e.outcome is None for e in open_rows)
    owner = open_rows[0].owner_id
    mine = large.engagements.engagements(hunting.id, owner_id=owner)
    assert mine and {e.owner_id for e in mine} == {owner}
    found = large.accounts.suggest(open_rows[0].account_name[:4])
    assert 0 < len(found) <= 12
