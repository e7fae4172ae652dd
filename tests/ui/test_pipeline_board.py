"""The Pipeline tab's board, read from its index (issue 14), shows for each process what it
showed when it was made from every open engagement: each column's header figures and cards in
the same order, and the same summary line; with an owner chosen too. The list shows the same
rows in the same order, under the same summary (its open figures read from that index too)."""

from __future__ import annotations

from datetime import date

from logger_testing import OFFSCREEN_NOISE, settle

from nextlevel_desktop.domain.engagements import EngagementColumn, days_in_stage, is_stalled
from nextlevel_desktop.domain.models import format_money
from nextlevel_desktop.ui.engagements.board import MAX_CARDS, EngagementRole
from nextlevel_desktop.ui.engagements.list_model import sort_key

pytestmark = OFFSCREEN_NOISE


def expected(services, process, owner):  # type: ignore[no-untyped-def]
    """Columns (stage, count, value, stalled, card ids) and the open figures, from every open
    engagement streamed oldest in its stage first (unknown starts last in a column)."""
    today, stages = date.today(), {s.id: s for s in process.stages}
    rows = list(services.engagements.each(process.id, owner_id=owner))
    stalled = {
        e.id: is_stalled(days_in_stage(e.stage_entered_at, today), stages.get(e.stage_id))
        for e in rows
    }
    columns = []
    for stage in process.open_stages:
        mine = [e for e in rows if e.stage_id == stage.id]
        known = [e.id for e in mine if e.stage_entered_at is not None]
        unknown = [e.id for e in mine if e.stage_entered_at is None]
        figures = len(mine), sum(e.value_minor for e in mine), sum(stalled[e.id] for e in mine)
        columns.append((stage.name, *figures, (known + unknown)[:MAX_CARDS]))
    return columns, (len(rows), sum(e.value_minor for e in rows), sum(stalled.values()))


def shown(panel):  # type: ignore[no-untyped-def]
    return [
        (
            column.stage.name,
            *_figures(header.text()),
            [column.item(i).data(EngagementRole)[0].id for i in range(column.count())],
        )
        for column, header in zip(panel.board.columns, panel.board.headers, strict=True)
    ]


def _figures(header: str) -> tuple[int, str, int]:
    """(count, value as written, stalled) as the header says them."""
    figures = header.split("<span style='color:gray'>")[1].split(" · ")
    stalled = int(figures[2].split(">")[1].split(" ")[0]) if len(figures) > 2 else 0
    return int(figures[0]), figures[1].split("<")[0], stalled


def test_the_board_shows_what_every_open_engagement_made(main_window) -> None:  # type: ignore[no-untyped-def]
    services = main_window.services
    main_window.show_area(1)
    area = main_window.activities
    area.tabs.setCurrentWidget(area.pipeline)
    panel = area.pipeline
    currency = services.workspace.settings().currency
    checked = 0
    for process in services.processes.processes():
        panel.select_process(process.id)
        for owner in (None, services.engagements.engagements(process.id)[0].owner_id):
            panel.owner.setCurrentIndex(panel.owner.findData(owner))
            settle(main_window)
            columns, (count, value, stalled) = expected(services, process, owner)
            money = [(n, format_money(v, currency), st, ids) for _s, n, v, st, ids in columns]
            assert [row[1:] for row in shown(panel)] == money
            assert [row[0] for row in shown(panel)] == [c[0] for c in columns]
            summary = panel.summary.text()
            assert f"{count} open" in summary and format_money(value, currency) in summary
            assert f"{stalled} stalled" in summary
            assert any(ids for *_f, ids in columns)
            # The list (by days in stage, most first, as it opens), with the closed ones too.
            panel._set_view(1)
            for closed in (False, True):
                panel.show_closed.setChecked(closed)
                settle(main_window)
                assert panel.summary.text() == summary
                every = services.engagements.each(process.id, not closed, owner_id=owner)
                stages, days = {s.id: s for s in process.stages}, EngagementColumn.DAYS
                rows = sorted(
                    every,
                    key=lambda e: (sort_key(e, days, stages, date.today()), e.id),
                    reverse=True,
                )
                model = panel.model
                assert [model.id_at(r) for r in range(model.rowCount())] == [e.id for e in rows]
            panel.show_closed.setChecked(False)
            panel._set_view(0)
            checked += 1
    assert checked == 4
