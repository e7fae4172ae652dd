"""The activity list's paging gives exactly the rows a full SQL sort would, on every path."""

from __future__ import annotations

import pytest
from sqlalchemy import case, func, select

from nextlevel_desktop.domain.activities import ActivityColumn, ActivityFilter
from nextlevel_desktop.domain.models import ActivityStatus
from nextlevel_desktop.services import activity_paging
from nextlevel_desktop.services.activities import ActivityService, _apply_filter
from nextlevel_desktop.storage.orm import ActivityRow

FILTERS = [
    ActivityFilter(),
    ActivityFilter(status=ActivityStatus.PLANNED),
    ActivityFilter(text="a"),
    ActivityFilter(person_id=2, status=ActivityStatus.DONE),
]


def reference_ids(session, flt: ActivityFilter, sort: ActivityColumn, descending: bool):  # type: ignore[no-untyped-def]
    """The documented order, by a plain full sort in SQL."""
    stmt = _apply_filter(select(ActivityRow.id), flt)
    if sort is ActivityColumn.DATE:
        return list(session.scalars(stmt.order_by(*activity_paging._by_time(descending))))
    column, table = activity_paging._KEYED[sort]
    label = (
        select(table.name).where(table.id == column).scalar_subquery()
        if table is not None
        else column
    )
    keys = [case((column.is_(None), 0), else_=1), func.lower(label)]
    if table is not None:
        keys.append(column)
    keys = [k.desc() for k in keys] if descending else keys
    return list(session.scalars(stmt.order_by(*keys, *activity_paging.WITHIN_KEY)))


@pytest.mark.parametrize("small", [True, False], ids=["ordered-in-python", "index-walk"])
def test_every_page_matches_a_full_sort(demo_db, monkeypatch, small: bool) -> None:
    if not small:
        monkeypatch.setattr(activity_paging, "SMALL", 0)
    service = ActivityService(demo_db)
    for flt in FILTERS:
        total = service.count(flt)
        for sort in ActivityColumn:
            for descending in (True, False):
                with demo_db.read() as session:
                    expected = reference_ids(session, flt, sort, descending)
                assert len(expected) == total
                got = []
                for offset in range(0, total, 700):
                    got += [r.id for r in service.page(flt, offset, 700, sort, descending)]
                assert got == expected, (flt, sort, descending)
                # A page in the far half (read from the other end) and the very last row.
                if total > 3:
                    tail = service.page(flt, total - 3, 10, sort, descending)
                    assert [r.id for r in tail] == expected[-3:]


def test_counting_again_sees_new_rows(demo_services) -> None:
    service = demo_services.activities
    flt = ActivityFilter(status=ActivityStatus.DONE)
    before = service.count(flt)
    first = service.page(flt, 0, 5, ActivityColumn.TYPE, False)
    with demo_services.db.transaction() as s:
        row = s.get(ActivityRow, first[0].id)
        s.delete(row)
    assert service.count(flt) == before - 1
    assert first[0].id not in [r.id for r in service.page(flt, 0, 5, ActivityColumn.TYPE, False)]
