"""The import wizard, export and backup actions, walked through the real main window."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from logger_testing import settle
from PySide6.QtCore import QLockFile, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
    QWizard,
)
from sqlalchemy import func, select

from nextlevel_desktop.domain.activities import ActivityFilter
from nextlevel_desktop.domain.importing import parse_csv
from nextlevel_desktop.storage.orm import AccountRow, EngagementRow, StageRow
from nextlevel_desktop.ui.dialogs.import_wizard import NEW_STAGE, ImportWizard
from nextlevel_desktop.ui.dialogs.io_common import PreviewModel

# The offscreen platform cannot resize a shown window to a new minimum size; QWizard asks it to
# on every page change. That is a limit of the test platform, not a fault of the wizard.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

CSV = (
    "Record ID;Deal Name;Deal Stage;Amount;Create Date;Close Date;Deal owner;Company\n"
    "H-1;Window cleaning;Closed Won;€ 12.500,00;02/01/2026;20/02/2026;Ann Lee;Glasshouse Ltd\n"
    "H-2;Fleet deal;Appointment;4.000;05/01/2026;;Bob Ray;\n"
    "H-3;Big one;Closed Lost;1.000;06/01/2026;;Bob Ray;Acme\n"
    "H-4;Roof;Qualified;900;13/01/2026;;Ann Lee;Acme\n"
)


def engagement_names(window) -> set[str]:  # type: ignore[no-untyped-def]
    with window.services.db.read() as s:
        return set(
            s.scalars(select(EngagementRow.name).where(EngagementRow.external_id.like("H-%")))
        )


def open_wizard(window) -> ImportWizard:  # type: ignore[no-untyped-def]
    """File > Import…, once it has read the processes and saved mappings it offers."""
    wizard = window.file_actions.import_file()
    settle(window)
    return wizard  # type: ignore[no-any-return]


def next_page(qtbot, wizard: ImportWizard) -> None:  # type: ignore[no-untyped-def]
    button = wizard.button(QWizard.WizardButton.NextButton)
    if wizard.currentPage().isCommitPage():
        button = wizard.button(QWizard.WizardButton.CommitButton)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_wizard_end_to_end(qtbot, main_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "hubspot.csv"
    src.write_bytes(CSV.encode("cp1252"))
    wizard = open_wizard(main_window)
    qtbot.waitExposed(wizard)
    page = wizard.file_page
    page.path.setText(str(src))
    page.load(src)
    # Not UTF-8: detected, and the preview says which encoding it was read in.
    assert "Windows-1252 (detected), semicolon" in page.info.text()
    page.encoding.setCurrentIndex(page.encoding.findData("cp1252"))
    assert "4 rows" in page.info.text() and "Windows-1252, semicolon" in page.info.text()
    assert page.preview_model.rowCount() == 4
    assert page.process_name() == "New business"
    next_page(qtbot, wizard)

    columns = wizard.columns_page
    assert columns.columns() == {
        "id": "Record ID",
        "name": "Deal Name",
        "stage": "Deal Stage",
        "value": "Amount",
        "opened": "Create Date",
        "closed": "Close Date",
        "owner": "Deal owner",
        "account": "Company",
    }
    assert columns.order.currentData() == "dmy"  # 13/01 and 20/02 decide it
    assert columns.samples["value"].text() == "€ 12.500,00"
    next_page(qtbot, wizard)

    stages = wizard.stages_page
    assert stages.combos["Closed Won"].currentData() == "Won"
    assert stages.combos["Qualified"].currentData() == "Qualified"
    assert stages.combos["Appointment"].currentData() == ""
    assert not stages.isComplete()
    combo = stages.combos["Appointment"]
    combo.setCurrentIndex(combo.findData(NEW_STAGE))
    assert stages.isComplete()
    next_page(qtbot, wizard)

    check = wizard.check_page
    qtbot.waitUntil(lambda: wizard.check_result is not None, timeout=10000)
    assert [check.problems.item(i).text() for i in range(check.problems.count())] == [
        "Row 4: the stage “Lost” closes it, but the close date is empty"
    ]
    assert "New people (owners not in the workspace yet): Ann Lee, Bob Ray." in (
        check.summary.text()
    )
    assert not check.isComplete()
    qtbot.mouseClick(check.skip, Qt.MouseButton.LeftButton, pos=QPoint(8, check.skip.height() // 2))
    assert check.isComplete()
    wizard.grab().save("/tmp/io/wizard-check.png")
    next_page(qtbot, wizard)

    with qtbot.waitSignal(main_window.bus.changed, timeout=10000) as published:
        qtbot.waitUntil(lambda: wizard.outcome is not None, timeout=10000)
    assert published.args[0].engagements and published.args[0].stages  # when it commits
    assert wizard.outcome.created == 3 and wizard.outcome.skipped == 1
    assert "Created 3" in wizard.import_page.status.text()
    assert "Undo (Ctrl+Z)" in wizard.import_page.subTitle()  # said once, above the result
    assert (
        main_window.undo_stack.undoText()
        == "Import 3 opportunities / account plans from hubspot.csv"
    )
    wizard.grab().save("/tmp/io/wizard-done.png")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert engagement_names(main_window) == {"Window cleaning", "Fleet deal", "Roof"}
    with main_window.services.db.read() as s:
        assert s.scalar(
            select(func.count()).select_from(StageRow).where(StageRow.name == "Appointment")
        )


def test_wizard_cancel_changes_nothing(qtbot, main_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "big.csv"
    rows = [f"A{i},Account {i},Retail" for i in range(30000)]
    src.write_text("Account ID,Account Name,Industry\n" + "\n".join(rows), encoding="utf-8")
    before = main_window.services.exporting.count("accounts")
    wizard = open_wizard(main_window)
    page = wizard.file_page
    page.kind.setCurrentIndex(page.kind.findData("accounts"))
    page.load(src)
    next_page(qtbot, wizard)
    assert wizard.columns_page.columns()["name"] == "Account Name"
    next_page(qtbot, wizard)  # accounts skip the stage page
    assert wizard.currentPage() is wizard.check_page
    qtbot.waitUntil(lambda: wizard.check_result is not None, timeout=20000)
    next_page(qtbot, wizard)
    qtbot.mouseClick(wizard.import_page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.import_page.isComplete(), timeout=20000)
    assert "cancelled; nothing was changed" in wizard.import_page.status.text()
    assert wizard.outcome is None
    assert main_window.services.exporting.count("accounts") == before
    wizard.accept()


def test_saved_mapping_is_offered_next_time(
    qtbot, main_window, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "odd.csv"
    src.write_text("Who,Mail\nAnn,ann@x.example\n", encoding="utf-8")
    wizard = open_wizard(main_window)
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("people"))
    wizard.file_page.load(src)
    next_page(qtbot, wizard)
    combos = wizard.columns_page.combos
    assert not wizard.columns_page.isComplete()  # nothing guessed for "Who"
    combos["name"].setCurrentIndex(combos["name"].findData("Who"))
    combos["email"].setCurrentIndex(combos["email"].findData("Mail"))
    monkeypatch.setattr(
        "nextlevel_desktop.ui.dialogs.import_wizard.QInputDialog.getText",
        lambda *a, **k: ("Team list", True),
    )
    wizard.columns_page.save_mapping()
    settle(main_window)
    assert main_window.undo_stack.undoText() == "Save import mapping “Team list”"
    wizard.reject()
    again = open_wizard(main_window)
    saved = again.file_page.saved
    saved.setCurrentIndex(saved.findData("Team list"))
    assert again.file_page.kind.currentData() == "people"
    again.file_page.load(src)
    next_page(qtbot, again)
    assert again.columns_page.columns() == {"name": "Who", "email": "Mail"}
    again.reject()


def test_preview_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = PreviewModel()
    table = parse_csv(b"a,b\n1,2\n3," + b"x" * 100 + b"\n")
    model.set_table(table.headers, table.rows)
    qtmodeltester.check(model)
    assert model.columnCount() == 3 and model.headerData(1, Qt.Orientation.Horizontal) == "a"
    assert model.index(1, 2).data().endswith("…")
    assert model.index(1, 0).data() == "3"  # the header is line 1
    model.set_table((), ())
    assert model.columnCount() == 0


def test_export_uses_the_activity_filter(qtbot, main_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    area = main_window.activities
    for i in range(1, area.log.person.count()):
        area.log.person.setCurrentIndex(i)
        if main_window.services.activities.count(area.current_filter()):
            break
    flt = area.current_filter()
    assert flt.person_id is not None
    counts: list[int] = []
    main_window.file_actions.export("activities", tmp_path / "a.csv", counts.append)
    assert "Exporting" in main_window.statusBar().currentMessage()  # on the reader thread
    assert not main_window.file_actions.export_activities_action.isEnabled()  # one at a time
    settle(main_window)
    count = counts[0]
    assert count == main_window.services.activities.count(flt) > 0
    assert count < main_window.services.activities.count(ActivityFilter())
    assert main_window.file_actions.export_activities_action.isEnabled()
    main_window.file_actions.export("accounts", tmp_path / "b.csv", counts.append)
    settle(main_window)
    assert counts[1] > 0
    assert "Exported" in main_window.statusBar().currentMessage()


def test_back_up_and_restore(qtbot, main_window, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    actions = main_window.file_actions
    backup = actions.back_up(tmp_path / "copy.nlw")
    assert backup is not None and backup.stat().st_size > 0
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)
    # Never over the open workspace.
    assert actions.restore(backup, main_window.services.db.path) is None
    # Never over a workspace another window has open (it holds the lock file).
    busy = tmp_path / "busy.nlw"
    holder = QLockFile(str(tmp_path / "busy.nlw.lock"))
    assert holder.tryLock(0)
    assert actions.restore(backup, busy) is None and not busy.exists()
    holder.unlock()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Open)
    restored = actions.restore(backup, tmp_path / "restored.nlw")
    assert restored == tmp_path / "restored.nlw" and restored.exists()
    assert main_window.controller.opened == [(restored, False)]


def test_file_menu_has_the_actions(main_window) -> None:  # type: ignore[no-untyped-def]
    texts = [a.text() for a in main_window.file_menu.actions() if a.text()]
    for text in ("&Import…", "&Export", "&Back up…", "&Restore from backup…"):
        assert text in texts
    assert texts.index("&Import…") < texts.index("&Quit")


def assert_page_fits(wizard: ImportWizard, screen: QSize) -> None:
    """Everything on the page is inside the wizard at its size hint, and the wizard on screen."""
    page = wizard.currentPage()
    assert wizard.width() <= screen.width() and wizard.height() <= screen.height()
    assert wizard.minimumSizeHint().height() <= wizard.height()
    controls = [w for w in page.findChildren(QWidget) if w.isVisibleTo(wizard)]
    controls += [wizard.button(QWizard.WizardButton.NextButton)]
    for control in controls:
        if isinstance(control, QComboBox | QLineEdit | QPushButton | QTableView):
            rect = QRect(control.mapTo(wizard, QPoint(0, 0)), control.size())
            assert wizard.rect().contains(rect), (page.title(), control)
            assert control.height() >= control.minimumSizeHint().height(), control


@pytest.mark.parametrize("screen", [QSize(1280, 800), QSize(1920, 1080)])
def test_wizard_pages_fit_on_the_screen(qtbot, main_window, tmp_path: Path, screen: QSize) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "deals.csv"
    src.write_bytes(CSV.encode("utf-8"))
    main_window.resize(screen)
    wizard = open_wizard(main_window)
    qtbot.waitExposed(wizard)
    wizard.file_page.load(src)
    assert_page_fits(wizard, screen)
    next_page(qtbot, wizard)
    assert wizard.currentPage() is wizard.columns_page
    assert_page_fits(wizard, screen)
    next_page(qtbot, wizard)
    assert wizard.currentPage() is wizard.stages_page
    assert_page_fits(wizard, screen)
    wizard.reject()


def test_ambiguous_dates_must_be_chosen(qtbot, main_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "us.csv"
    src.write_text("Deal Name,Stage,Created\nA,Proposal,03/04/2026\nB,Proposal,05/06/2026\n")
    wizard = open_wizard(main_window)
    wizard.file_page.load(src)
    next_page(qtbot, wizard)
    page = wizard.columns_page
    assert page.date_order() is None and not page.isComplete()
    assert "say which" in page.order_label.text()
    page.order.setCurrentIndex(page.order.findData("mdy"))
    assert page.isComplete()
    next_page(qtbot, wizard)  # stages: Proposal is guessed
    next_page(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.check_result is not None, timeout=10000)
    next_page(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.outcome is not None, timeout=10000)
    with main_window.services.db.read() as s:
        opened = set(s.scalars(select(EngagementRow.opened_on).where(EngagementRow.name == "A")))
    assert {d.isoformat() for d in opened} == {"2026-03-04"}
    wizard.accept()


def test_unreadable_file_is_explained(qtbot, main_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "empty.csv"
    src.write_bytes(b"")
    wizard = open_wizard(main_window)
    wizard.file_page.load(src)
    assert "empty" in wizard.file_page.info.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.reject()


def test_back_during_a_check_and_closing_are_safe(qtbot, main_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "accounts.csv"
    rows = [f"Account {i},Retail" for i in range(20000)]
    src.write_text("Account Name,Industry\n" + "\n".join(rows), encoding="utf-8")
    wizard = open_wizard(main_window)
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("accounts"))
    wizard.file_page.load(src)
    next_page(qtbot, wizard)
    next_page(qtbot, wizard)  # the check starts…
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.BackButton), Qt.MouseButton.LeftButton)
    combo = wizard.columns_page.combos["industry"]
    combo.setCurrentIndex(0)  # …and the mapping changes before it ends
    next_page(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.check_result is not None, timeout=20000)
    for worker in wizard.workers:
        worker.wait()
    assert wizard.check_result.creates == 20000
    assert "industry" not in wizard.mapping().columns
    # Another writer holds the workspace, so the import is surely still running when Cancel
    # is pressed: it waits for the write lock, then stops at its first batch.
    other = sqlite3.connect(main_window.services.db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        next_page(qtbot, wizard)
        page = wizard.import_page
        assert page.worker is not None and page.worker.isRunning()
        wizard.reject()  # Cancel while importing cancels the import; the wizard stays open
        assert wizard.isVisible() and page.status.text() == "Cancelling…"
    finally:
        other.execute("ROLLBACK")
        other.close()
    qtbot.waitUntil(page.isComplete, timeout=20000)
    assert page.status.text() == "The import was cancelled; nothing was changed."
    assert wizard.outcome is None and main_window.undo_stack.count() == 0
    wizard.done(0)  # closing waits for every thread
    assert all(not w.isRunning() for w in wizard.workers)
    with main_window.services.db.read() as s:
        imported = s.scalar(
            select(func.count()).select_from(AccountRow).where(AccountRow.name.like("Account %"))
        )
    assert imported == 0


def test_export_of_engagements_and_accounts_follows_their_tabs(  # type: ignore[no-untyped-def]
    qtbot, main_window, tmp_path: Path
) -> None:
    import csv

    area = main_window.activities
    main_window.show_area(1)
    area.tabs.setCurrentWidget(area.pipeline)
    pipeline = area.pipeline
    owner = next(p for p in main_window.services.people.people() if p.role.value == "rep")
    pipeline.owner.setCurrentIndex(pipeline.owner.findData(owner.id))
    process = pipeline.current_process()
    counts: list[int] = []
    main_window.file_actions.export("engagements", tmp_path / "e.csv", counts.append)
    settle(main_window)
    count = counts[-1]
    expected = [
        e
        for e in main_window.services.engagements.engagements(process.id, open_only=False)
        if e.owner_id == owner.id
    ]
    assert count == len(expected) > 0
    area.tabs.setCurrentWidget(area.accounts)
    area.accounts.search.setText("Pioneer")
    main_window.file_actions.export("accounts", tmp_path / "a.csv", counts.append)
    settle(main_window)
    count = counts[-1]
    with (tmp_path / "a.csv").open(encoding="utf-8-sig") as fh:
        names = [row[1] for row in list(csv.reader(fh))[1:]]
    assert count == len(names) > 0
    assert all("Pioneer" in n for n in names)


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        (b'Name,Notes\nAcme,"never closed\nBeta,x\n', "Line 2 opens a quotation mark"),
        (b"Name\nAc\x00me\n", "Line 2 contains a NUL character"),
        (b"Name\nCaf\xe9\n\xff\xfe\x81\x8d\x8f\x90\x9d\n", "the byte 0xE9 at offset 8 (line 2)"),
        ((",".join(f"c{i}" for i in range(5000)) + "\nx\n").encode(), "at most 200 columns"),
    ],
)
def test_hostile_files_are_explained_in_the_wizard(  # type: ignore[no-untyped-def]
    qtbot, main_window, tmp_path: Path, data: bytes, shown: str
) -> None:
    src = tmp_path / "hostile.csv"
    src.write_bytes(data)
    wizard = open_wizard(main_window)
    wizard.file_page.path.setText(str(src))
    wizard.file_page.load(src)
    assert shown in wizard.file_page.info.text()
    assert wizard.file_page.preview_model.rowCount() == 0
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.reject()


def test_row_errors_of_hostile_values_show_on_the_check_page(  # type: ignore[no-untyped-def]
    qtbot, main_window, tmp_path: Path
) -> None:
    src = tmp_path / "deals.csv"
    src.write_text(
        "Deal Name,Stage,Amount,Created\nGood,Proposal,1.5E+06,2026-01-05\n"
        "Bad,Proposal,1.2.3.4,2026-01-05\nLate,Proposal,5,9999-12-31\n",
        encoding="utf-8",
    )
    wizard = open_wizard(main_window)
    wizard.file_page.load(src)
    next_page(qtbot, wizard)
    next_page(qtbot, wizard)  # stages: Proposal is guessed
    next_page(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.check_result is not None, timeout=10000)
    problems = wizard.check_page.problems
    text = "\n".join(problems.item(i).text() for i in range(problems.count()))
    assert "Row 3: value: “1.2.3.4” is not an amount" in text
    assert "Row 4: opened date: “9999-12-31” is out of range" in text
    wizard.reject()


def test_import_and_export_remember_the_folder(
    qtbot, main_window, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The Import dialog started in the home folder every time; now it starts where the last
    CSV came from, and an export is offered there too."""
    from PySide6.QtWidgets import QFileDialog

    clients = tmp_path / "client files"
    clients.mkdir()
    source = clients / "deals.csv"
    source.write_text("Account,Type,Date\nAcme,Call,2026-11-02\n", encoding="utf-8")
    asked: list[str] = []

    def choose(_parent, _title, start, _filter):  # type: ignore[no-untyped-def]
        asked.append(start)
        return str(source), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    first = open_wizard(main_window)
    first.file_page.browse()
    assert asked[-1] == str(Path.home())
    first.reject()
    second = open_wizard(main_window)
    second.file_page.browse()
    assert asked[-1] == str(clients)
    second.reject()

    offered: list[str] = []

    def save_as(_parent, _title, start, _filter, _selected=""):  # type: ignore[no-untyped-def]
        offered.append(start)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    assert main_window.file_actions.export("accounts") is None
    assert Path(offered[-1]).parent == clients


def test_reading_the_file_and_its_dates_runs_off_the_gui_thread(  # type: ignore[no-untyped-def]
    qtbot, main_window, tmp_path: Path, monkeypatch
) -> None:
    # A 100,000-row file took 0.7 s to read and 0.5 s to scan for its date order: on the GUI
    # thread, the window froze for both.
    import threading

    import nextlevel_desktop.ui.dialogs.import_wizard as wizard_module
    from nextlevel_desktop.services.importing import ImportService

    gui = threading.get_ident()
    threads: dict[str, bool] = {}
    read, order = ImportService.read_file, wizard_module.guess_date_order

    def reading(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads["read"] = threading.get_ident() != gui
        return read(*args, **kwargs)

    def dating(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads["dates"] = threading.get_ident() != gui
        return order(*args, **kwargs)

    monkeypatch.setattr(ImportService, "read_file", staticmethod(reading))
    monkeypatch.setattr(wizard_module, "guess_date_order", dating)
    src = tmp_path / "deals.csv"
    src.write_text(CSV, encoding="utf-8")
    wizard = open_wizard(main_window)
    qtbot.waitExposed(wizard)
    wizard.file_page.path.setText(str(src))
    wizard.file_page.load(src)
    assert "4 rows" in wizard.file_page.info.text()
    next_page(qtbot, wizard)
    assert threads == {"read": True, "dates": True}
    wizard.reject()


def test_the_columns_page_reads_no_whole_column_on_the_gui_thread(  # type: ignore[no-untyped-def]
    qtbot, main_window, tmp_path: Path, monkeypatch
) -> None:
    # Each field's sample listed all 100,000 cells of its column on the GUI thread (80 ms
    # for the six columns of an activities file): now it reads down to the first filled cell.
    import threading

    from nextlevel_desktop.domain.csv_read import CsvTable

    gui = threading.get_ident()
    whole: list[str] = []
    values = CsvTable.values

    def listing(table, header):  # type: ignore[no-untyped-def]
        if threading.get_ident() == gui:
            whole.append(header)
        return values(table, header)

    monkeypatch.setattr(CsvTable, "values", listing)
    src = tmp_path / "deals.csv"
    src.write_text(CSV.replace("H-1;Window", ";Window"), encoding="utf-8")
    wizard = open_wizard(main_window)
    qtbot.waitExposed(wizard)
    wizard.file_page.path.setText(str(src))
    wizard.file_page.load(src)
    next_page(qtbot, wizard)
    page = wizard.columns_page
    assert page.samples["id"].text() == "H-2"  # the first filled cell of its column
    assert page.samples["name"].text() == "Window cleaning"
    assert whole == []
    wizard.reject()
