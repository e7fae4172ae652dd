"""The operation road: writes and slow reads off the GUI thread, one undo command per write."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from logger_testing import settle
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QLabel, QWidget

from nextlevel_desktop.domain.activities import ActivityDraft, ActivityFilter
from nextlevel_desktop.domain.errors import ValidationError
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.ui.kit.busy import Busy
from nextlevel_desktop.ui.kit.ops import run_op


def _draft(services: Services) -> ActivityDraft:
    person = services.people.people()[0]
    kind = services.activities.activity_types()[0]
    return ActivityDraft(
        type_id=kind.id,
        occurred_at=datetime(2026, 11, 2, 10, tzinfo=UTC),
        person_id=person.id,
        account_id=services.accounts.page("", 0, 1)[0].id,
        notes="road test",
    )


def _count(services: Services) -> int:
    return services.activities.count(ActivityFilter())


def test_a_write_runs_on_the_writer_thread_and_is_one_undo_step(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    services = main_window.services
    draft = _draft(services)
    threads: list[str] = []
    published: list[tuple[object, object]] = []
    main_window.bus.changed.connect(lambda c, i: published.append((c, i)))
    before = _count(services)

    def op(s: Services):  # type: ignore[no-untyped-def]
        threads.append(QThread.currentThread().objectName())
        assert s is not services  # the writer's own services, on its own connection
        return s.activities.log(draft)

    me = QLabel()
    run_op(main_window, None, "Log", op, initiator=me)
    settle(main_window)
    assert threads == ["nextlevel-writer"]
    assert _count(services) == before + 1
    assert main_window.undo_stack.count() == 1
    assert published and published[-1][0].activities and published[-1][1] is me

    main_window.undo_stack.undo()
    settle(main_window)
    assert _count(services) == before
    main_window.undo_stack.redo()
    settle(main_window)
    assert _count(services) == before + 1


def test_a_validation_problem_goes_to_the_form_and_nothing_is_pushed(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    problems: list[ValidationError] = []

    def op(s: Services):  # type: ignore[no-untyped-def]
        raise ValidationError({"account": "Choose an account."})

    run_op(main_window, None, "Log", op, on_invalid=problems.append)
    settle(main_window)
    assert [str(p) for p in problems] == ["Choose an account."]
    assert main_window.undo_stack.count() == 0


def test_a_newer_read_supersedes_an_older_one(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    owner = QWidget()
    gate = threading.Event()
    answers: list[str] = []

    def slow(_s: Services) -> str:
        gate.wait(5)
        return "old"

    main_window.ops.read(owner, "rows", slow, answers.append)
    main_window.ops.read(owner, "rows", lambda _s: "skipped", answers.append)
    main_window.ops.read(owner, "rows", lambda _s: "new", answers.append)
    gate.set()
    settle(main_window)
    assert answers == ["new"]


def test_reads_for_a_widget_on_screen_go_before_hidden_ones(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """At start-up the Monitor is built hidden and asks for its scorecards; the user turns to
    the Activities area at once: its rows are read first, the hidden page's after."""
    hidden, shown = QWidget(), QWidget()
    qtbot.addWidget(hidden)
    qtbot.addWidget(shown)
    shown.show()
    started, gate = threading.Event(), threading.Event()
    answers: list[str] = []

    def hold(_s: Services) -> str:
        started.set()
        gate.wait(5)
        return "running"

    main_window.ops.read(hidden, "running", hold, answers.append)
    assert started.wait(5)  # the reader is busy with it: the next ones queue
    main_window.ops.read(hidden, "cards", lambda s: f"hidden {_count(s)}", answers.append)
    main_window.ops.read(shown, "count", lambda s: f"shown {_count(s)}", answers.append)
    main_window.ops.read(shown, "page", lambda _s: "shown page", answers.append)
    gate.set()
    settle(main_window)
    count = _count(main_window.services)
    assert answers == ["running", f"shown {count}", "shown page", f"hidden {count}"]


def test_a_slow_read_shows_the_busy_bar_then_hides_it(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    panel = QWidget()
    qtbot.addWidget(panel)
    panel.resize(300, 200)
    panel.show()
    gate = threading.Event()
    answers: list[int] = []

    def slow(_s: Services) -> int:
        gate.wait(5)
        return 7

    main_window.ops.read(panel, "count", slow, answers.append, busy=panel)
    bar = panel.findChild(Busy)
    assert bar is not None and not bar.isVisible()  # nothing for the first 150 ms
    qtbot.waitUntil(bar.isVisible, timeout=2000)
    assert bar.width() == panel.width()
    gate.set()
    settle(main_window)
    assert answers == [7]
    assert not bar.isVisible()


def test_no_answer_reaches_an_owner_that_is_gone(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    owner = QWidget()
    gate = threading.Event()
    answers: list[int] = []

    def slow(_s: Services) -> int:
        gate.wait(5)
        return 1

    main_window.ops.read(owner, "x", slow, answers.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not main_window.ops._owners, timeout=2000)
    gate.set()
    settle(main_window)
    assert answers == []


def test_a_bug_in_a_read_reaches_the_crash_hook(qtbot, main_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sys

    seen: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda t, e, tb: seen.append(e))
    owner = QWidget()

    def broken(_s: Services) -> int:
        raise ZeroDivisionError("bug")

    main_window.ops.read(owner, "x", broken, lambda _r: None)
    settle(main_window)
    assert [type(e) for e in seen] == [ZeroDivisionError]


@pytest.mark.parametrize("times", [3])
def test_undo_steps_run_in_the_order_asked(qtbot, main_window, times: int) -> None:  # type: ignore[no-untyped-def]
    services = main_window.services
    draft = _draft(services)
    before = _count(services)
    for _ in range(times):
        run_op(main_window, None, "Log", lambda s: s.activities.log(draft))
    settle(main_window)
    assert _count(services) == before + times
    for _ in range(times):
        main_window.undo_stack.undo()  # asked at once, run in order on the writer thread
    settle(main_window)
    assert _count(services) == before


def test_no_worker_thread_collects_python_cycles(qtbot) -> None:  # type: ignore[no-untyped-def]
    # A cycle holding a Qt object, collected on a worker, destroyed it off its thread: a
    # segfault in the middle of a migration on the opener thread. While a worker runs, the
    # collector runs on the GUI thread only.
    import gc

    from nextlevel_desktop.ui.kit.busy import wait_for

    assert gc.isenabled()
    seen = wait_for("Working…", lambda _progress: gc.isenabled(), None)
    assert seen is False
    qtbot.waitUntil(gc.isenabled, timeout=2000)  # released when the thread has finished


def test_the_gui_collector_walks_every_object_at_most_every_30_seconds(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A full collection walks the whole heap (a stall of 110–365 ms in the Monitor): the
    collector runs one only every ``FULL_EVERY_S``, and freezes what survived the first."""
    import gc

    from nextlevel_desktop.ui.kit.busy import GuiCollector

    seen: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    old = gc.get_threshold()
    gc.callbacks.append(note)
    gc.disable()
    try:
        gc.set_threshold(1, 1, 0)  # every generation's threshold passed at once
        GuiCollector._last_full = 0.0
        junk = [[] for _ in range(50)]
        gc.collect(1)  # counts[2] > 0
        GuiCollector.collect()
        assert seen[-1] == 2 and gc.get_freeze_count() > 0
        first = len(seen)
        for _ in range(3):
            gc.collect(1)  # counts[2] grows
            junk = [[] for _ in range(50)]
            GuiCollector.collect()
        later = seen[first:]
        assert len(later) >= 4 and 2 not in later  # the young ones only: no full one in 30 s
        del junk
    finally:
        gc.callbacks.remove(note)
        gc.set_threshold(*old)
        gc.unfreeze()
        GuiCollector._frozen = False
        gc.enable()


def test_a_bulk_worker_puts_the_gui_collector_off_until_it_ends(qtbot) -> None:  # type: ignore[no-untyped-def]
    """An import's worker keeps some 100,000 young records alive: collecting them on the GUI
    thread stalled it (276 ms in the import benchmark). While it runs, nothing is collected
    there; once it has ended, collection is as before."""
    import gc

    from nextlevel_desktop.ui.kit.busy import GuiCollector, Worker, start_guarded

    seen: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    go = threading.Event()
    worker = Worker(lambda _p, _c: go.wait(5), None)
    old = gc.get_threshold()
    gc.callbacks.append(note)
    try:
        start_guarded(worker, bulk=True)
        gc.set_threshold(1, 1, 1_000_000)  # the young generations' thresholds always passed
        junk = [[] for _ in range(50)]
        GuiCollector.collect()
        assert seen == [] and not gc.isenabled()
        go.set()
        qtbot.waitUntil(gc.isenabled, timeout=5000)  # ended: released
        gc.disable()  # as while another worker runs
        junk = [[] for _ in range(50)]
        GuiCollector.collect()
        assert seen and 2 not in seen
        del junk
    finally:
        go.set()
        worker.wait(5000)
        gc.callbacks.remove(note)
        gc.set_threshold(*old)
        gc.enable()


def test_a_search_typed_as_the_workspace_closes_is_dropped_quietly(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """The Accounts search waits for typing to pause; the workspace may close meanwhile."""
    from nextlevel_desktop.ui.logger.area import ActivitiesArea

    main_window.show_area(1)
    area = main_window.findChild(ActivitiesArea)
    assert area is not None
    panel = area.accounts  # made on first use
    settle(main_window)
    raised: list[BaseException] = []
    panel.search.setText("Acme")  # starts the pause timer
    assert panel._debounce.isActive()
    main_window.ops.close()
    try:
        panel._debounce.timeout.emit()  # the pause ends after the close
    except RuntimeError as exc:
        raised.append(exc)
    assert raised == []
    with pytest.raises(RuntimeError, match="closed"):  # a write is never dropped silently
        run_op(main_window, main_window, "Log", lambda s: s.activities.log(_draft(s)))
