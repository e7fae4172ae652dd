"""The Monitor's Plan tab through real widgets: target and window in, the worked-back numbers
and the pace out, "Write as targets" as one undoable write."""

from __future__ import annotations

from datetime import date

import pytest
from logger_testing import settle

from nextlevel_desktop.domain.planning import rate_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
DEMO_TODAY = date(2026, 11, 27)


@pytest.fixture
def plan_tab(main_window, qtbot):  # type: ignore[no-untyped-def]
    area = main_window.monitor
    main_window.area_actions[2].trigger()
    qtbot.waitUntil(lambda: area.plan is not None)
    page = area.plan
    page.today = DEMO_TODAY  # the demo's data end there
    area.tabs.setCurrentWidget(page)
    page.stale.mark()
    settle(area)
    return page


def test_plan_tab_works_back_from_the_target(plan_tab, main_window) -> None:  # type: ignore[no-untyped-def]
    page = plan_tab
    assert page.plan is not None, page.summary.text()
    assert page.period.currentText().startswith("Q1 2027")  # next quarter by default
    assert "new engagements a week" in page.summary.text()
    # Late to start but ahead of the pace needed: the sentence says keep it up, not catch up.
    new = page.plan.new_engagements
    if page.plan.start_by is not None and page.plan.start_by < DEMO_TODAY:
        ahead = new.pace_ratio is not None and new.pace_ratio >= 1
        assert ("keep it up" in page.summary.text()) is ahead
        assert ("catch up" in page.summary.text()) is not ahead
    work = [row[0] for row in page.needs_model.rows]
    assert work[:2] == ["Wins", "New engagements"]
    assert any(w.startswith("Enter ") for w in work) and any("activities" in w for w in work)
    assert page.needs_model.rowCount() == len(work) and page.rates_model.rowCount() > 3
    per_week = float(page.needs_model.rows[1][1])
    assert per_week == pytest.approx(page.plan.new_engagements.per_week, abs=0.05)
    start, end = rate_window(DEMO_TODAY, 6)
    assert page.plan.rates.window == (start, end)
    # Doubling the target doubles the work; a longer window is used for the rates.
    before = page.plan.new_engagements.total
    page.amount.setValue(page.amount.value() * 2)
    settle(main_window)
    assert page.plan.new_engagements.total == pytest.approx(2 * before)
    page.months.setValue(12)
    settle(main_window)
    assert page.plan.rates.window == rate_window(DEMO_TODAY, 12)
    assert page.months_label.text() == "(28 Nov 2025 – 27 Nov 2026)"


def test_write_as_targets_is_one_undoable_step(plan_tab, main_window) -> None:  # type: ignore[no-untyped-def]
    page = plan_tab
    services = main_window.services
    pid = page.process.currentData()
    before = services.design.targets(pid)
    steps = main_window.undo_stack.count()
    page.write_button.click()
    settle(main_window)
    after = services.design.targets(pid)
    assert len(after) == len(before) + len(page.specs)
    assert {t.measure for t in after} >= {"won_value", "new_engagements", "activity_count"}
    assert main_window.undo_stack.count() == steps + 1
    assert "Written as" in page.notes.text()
    main_window.undo_stack.undo()
    settle(main_window)
    assert services.design.targets(pid) == before


def test_a_plan_that_cannot_be_made_says_why(plan_tab, main_window) -> None:  # type: ignore[no-untyped-def]
    page = plan_tab
    page.today = date(2031, 1, 1)  # nothing happened in the six months before
    page.stale.mark()
    settle(main_window)
    assert page.plan is None
    assert "Nothing was won" in page.summary.text()
    assert "wider window" in page.notes.text()
    assert not page.write_button.isEnabled()
