"""The later steps of the import wizard: stage matching, the row check, and the import itself."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from ...domain.errors import NextLevelError
from ...domain.import_scan import stage_values
from ...domain.importing import ImportKind
from ...services.import_result import ImportCancelled, ImportResult
from ...services.importing import ImportCheck
from ..kit.busy import Worker, start_guarded, wait_for
from ..kit.ops import RevisionCommand
from ..plain_text import rich
from .io_common import error_html

if TYPE_CHECKING:
    from .import_wizard import ImportWizard

NEW_STAGE = "\x00new"


class StagesPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(self.tr("Match the stages"))
        self.setSubTitle(
            self.tr(
                "Every stage value in the file must go to a stage of the process (won and lost "
                "included), or be added to it as a new stage."
            )
        )
        self.combos: dict[str, QComboBox] = {}
        self.table: QTableWidget | None = None

    def _build(self) -> QTableWidget:
        """The page's widgets, made when it is first shown (not while the wizard opens)."""
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Value in the file"), self.tr("Rows"), self.tr("Stage")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        head.resizeSection(2, 300)
        self.people = QLabel()
        self.people.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.people)
        return self.table

    def initializePage(self) -> None:
        grid = self.table or self._build()
        table = self.w.table
        assert table is not None
        mapping = self.w.mapping()
        saved = self.w.saved()
        if saved is not None:
            mapping = replace(mapping, stages={**saved.stages, **mapping.stages})
        processes = self.w.processes
        # (Counting a column's values over every row of a large file: on a worker.)
        values = cast(
            "list[tuple[str, int, str | None]]",
            wait_for(
                self.tr("Reading the stages…"),
                lambda _progress: stage_values(table, mapping, processes),
                self,
                bulk=True,
            ),
        )
        chosen = self.w.file_page.process.currentData()
        process = next(p for p in processes if p.id == chosen)
        grid.setRowCount(len(values))
        self.combos.clear()
        for row, (value, count, guess) in enumerate(values):
            grid.setItem(row, 0, QTableWidgetItem(value))
            rows = QTableWidgetItem(f"{count:,}")
            rows.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.setItem(row, 1, rows)
            combo = QComboBox()
            combo.addItem(self.tr("Choose a stage…"), "")
            for stage in process.active_stages:
                closes = stage.category.value != "open" and stage.name.lower() != stage.category
                suffix = f" ({stage.category.value})" if closes else ""
                combo.addItem(stage.name + suffix, stage.name)
            combo.addItem(self.tr("Add “{0}” as a new stage").format(value), NEW_STAGE)
            if guess:
                combo.setCurrentIndex(combo.findData(guess))
            combo.currentIndexChanged.connect(self._update_status)
            grid.setCellWidget(row, 2, combo)
            self.combos[value] = combo
        self._update_status()

    def _update_status(self) -> None:
        missing = sum(1 for c in self.combos.values() if not c.currentData())
        note = self.tr("Owners and accounts that do not exist yet are added when you import.")
        if missing:
            note = (
                "<span style='color:#b3261e'>"
                + self.tr("{0} value(s) still need a stage.").format(missing)
                + "</span> "
                + note
            )
        self.people.setText(note)
        self.completeChanged.emit()

    def stage_map(self) -> dict[str, str]:
        return {v: c.currentData() for v, c in self.combos.items() if c.currentData() not in ("",)}

    def isComplete(self) -> bool:
        return all(c.currentData() for c in self.combos.values())


class CheckPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(self.tr("Check"))
        self.setSubTitle(self.tr("Every row is checked before anything is written."))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.problems = QListWidget()
        self.skip = QCheckBox()
        self.skip.toggled.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.skip)
        self.worker: Worker | None = None
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Import"))

    def initializePage(self) -> None:
        self.w.check_result = None
        self.problems.clear()
        self.skip.hide()
        self.skip.setChecked(False)
        self.progress.show()
        self.progress.setValue(0)
        self.summary.setText(self.tr("Checking the rows…"))
        table, mapping = self.w.table, self.w.mapping()
        assert table is not None
        service = self.w.services.importing
        worker = Worker(lambda progress, _c: service.check(table, mapping, progress), self)
        # After Back and Next a newer check replaces this one; a late answer is dropped.
        worker.progressed.connect(
            lambda f: (
                self.progress.setValue(round(f / 0.3 * 1000)) if worker is self.worker else None
            )
        )
        worker.succeeded.connect(lambda r: self._checked(r) if worker is self.worker else None)
        worker.failed.connect(lambda e: self._failed(e) if worker is self.worker else None)
        self.worker = worker
        self.w.workers.append(worker)
        start_guarded(worker, bulk=True)
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.progress.hide()
        if not isinstance(exc, NextLevelError):
            raise exc
        self.summary.setText(error_html(exc))

    def _checked(self, check: ImportCheck) -> None:
        self.w.check_result = check
        self.progress.hide()
        parts = [
            self.tr("<b>{0:,}</b> rows: {1:,} to create, {2:,} to update, {3:,} unchanged.").format(
                check.total, check.creates, check.updates, check.unchanged
            )
        ]
        added = [
            (len(check.new_people), self.tr("new people")),
            (len(check.new_accounts), self.tr("new accounts")),
            (len(check.new_stages), self.tr("new stages")),
            (len(check.new_types), self.tr("new activity types")),
        ]
        extra = ", ".join(f"{n:,} {label}" for n, label in added if n)
        if extra:
            parts.append(self.tr("Also adds {0}.").format(extra))
        if check.new_people:
            names = html.escape(", ".join(check.new_people[:12]))
            more = len(check.new_people) - 12
            parts.append(
                self.tr("New people (owners not in the workspace yet): {0}").format(names)
                + (self.tr(" and {0:,} more").format(more) if more > 0 else "")
                + "."
            )
        if check.problems:
            parts.append(
                self.tr(
                    "<span style='color:#b3261e'><b>{0:,} row(s) cannot be imported</b></span>; "
                    "go Back to fix the mapping, import only the valid rows, or Cancel."
                ).format(len(check.problems))
            )
            for problem in check.problems[:5000]:
                self.problems.addItem(str(problem))
            if len(check.problems) > 5000:
                self.problems.addItem(self.tr("…and {0:,} more").format(len(check.problems) - 5000))
            self.skip.setText(
                self.tr("Import only the {0:,} valid rows, skip the {1:,} bad ones").format(
                    check.valid, len(check.problems)
                )
            )
            self.skip.setVisible(check.valid > 0)
        elif check.total == 0:
            parts.append(self.tr("The file has no data rows."))
        else:
            parts.append(self.tr("All rows are valid."))
        self.summary.setText("<br>".join(parts))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        check = self.w.check_result
        if check is None or check.blocked or check.total == 0:
            return False
        return not check.problems or self.skip.isChecked()


class ImportPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(self.tr("Import"))
        self.setSubTitle(
            self.tr(
                "Everything is written in one step: Cancel leaves the workspace unchanged, and "
                "once it is done, Edit > Undo (Ctrl+Z) takes the whole import back."
            )
        )
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.cancel_button = QPushButton(self.tr("&Cancel import"))
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(row)
        layout.addStretch(1)
        self.worker: Worker | None = None
        self._done = False

    def initializePage(self) -> None:
        self._done = False
        self.status.setText(self.tr("Importing… the window stays usable; Cancel changes nothing."))
        self.progress.setValue(0)
        self.cancel_button.setEnabled(True)
        table, mapping = self.w.table, self.w.mapping()
        skip = self.w.check_page.skip.isChecked()
        assert table is not None
        workspace = self.w.services

        def run(progress: Callable[[float], None], cancelled: Callable[[], bool]) -> ImportResult:
            own = workspace.sibling()  # a SQLite connection never crosses threads
            try:
                return own.importing.run(
                    table, mapping, skip_invalid=skip, progress=progress, cancelled=cancelled
                )
            finally:
                own.close()

        self.worker = Worker(run, self)
        self.w.workers.append(self.worker)
        self.worker.progressed.connect(lambda f: self.progress.setValue(round(f * 1000)))
        self.worker.succeeded.connect(self._finished)
        self.worker.failed.connect(self._failed)
        start_guarded(self.worker, bulk=True)

    def cancel(self) -> None:
        if self.worker is not None and self.worker.isRunning():
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(self.tr("Cancelling…"))

    def _finished(self, result: ImportResult) -> None:
        self.w.outcome = result
        host = self.w.host
        if result.revision:  # one undo command; pushing it publishes the changes
            command = RevisionCommand(self.undo_text(result), host.ops, result.revision, None)
            host.undo_stack.push(command)
        self.progress.setValue(1000)
        self.cancel_button.setEnabled(False)
        self.status.setText(rich(result.summary()))  # (the page's subtitle says how to undo it)
        self._done = True
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.cancel_button.setEnabled(False)
        self._done = True
        if isinstance(exc, ImportCancelled):
            self.status.setText(self.tr("The import was cancelled; nothing was changed."))
        elif isinstance(exc, NextLevelError):
            self.status.setText(self.tr("Nothing was imported:") + "<br>" + error_html(exc))
        else:
            self.completeChanged.emit()
            raise exc
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self._done

    def undo_text(self, result: ImportResult) -> str:
        """The undo command's name: "Import 100,000 activities from file.csv"."""
        nouns = {
            ImportKind.ENGAGEMENTS: self.tr("opportunities / account plans"),
            ImportKind.ACTIVITIES: self.tr("activities"),
            ImportKind.ACCOUNTS: self.tr("accounts"),
            ImportKind.PEOPLE: self.tr("people"),
            ImportKind.TEAMS: self.tr("people"),
            ImportKind.STAGE_HISTORY: self.tr("stage histories"),
        }
        name = self.w.source.name if self.w.source is not None else ""
        count = QLocale().toString(result.created + result.updated)
        return self.tr("Import {0} {1} from {2}").format(count, nouns[self.w.kind()], name)
