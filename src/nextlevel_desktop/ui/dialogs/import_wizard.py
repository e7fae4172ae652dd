"""File > Import…: a wizard over the import engine (the same one ``nextlevel-desktop import`` uses).

Pages: choose the file and what its rows are → map columns to fields → map stage values to
stages (engagements only) → check every row → import with a progress bar and Cancel. Reading,
checking and importing run on a worker thread; the import is one transaction, so Cancel or an
error leaves the workspace exactly as it was.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import cast

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ...domain.errors import NextLevelError
from ...domain.import_scan import date_fields, guess_date_order
from ...domain.importing import (
    FIELDS,
    CsvTable,
    DateOrder,
    ImportKind,
    ImportMapping,
    field_spec,
    is_stage_date_field,
)
from ...domain.models import Process, ProcessKind
from ...services.container import Services
from ...services.import_result import ImportResult
from ...services.importing import ImportCheck
from ...services.revisions import Revision
from ..kit.busy import Worker, free_later, wait_for
from ..kit.ops import Host, run_op
from ..plain_text import message, plain_label
from ..user_settings import UserSettings
from .import_steps import NEW_STAGE as NEW_STAGE
from .import_steps import CheckPage, ImportPage, StagesPage
from .io_common import PreviewModel, error_html

# A column choice meaning "the value typed beside it, for every row" (no header is NUL).
CONSTANT = "\x00constant"

FILE_FILTER = "CSV files (*.csv *.txt *.tsv);;All files (*)"
PREVIEW_FIT_ROWS = 20  # the preview's columns fit this many of its rows


class ImportWizard(QWizard):
    """The whole import; once it is written it is one command on the window's undo stack."""

    FILE, COLUMNS, STAGES, CHECK, IMPORT = range(5)

    def __init__(
        self,
        services: Services,
        parent: QWidget | None = None,
        settings: UserSettings | None = None,
        *,
        host: Host,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.host = host  # saved mappings are undoable writes on the window's operation road
        self.settings = settings  # remembers the folder files were last chosen from
        self.table: CsvTable | None = None
        self.source: Path | None = None
        self.check_result: ImportCheck | None = None
        self.outcome: ImportResult | None = None  # what the import did, once it has run
        self.workers: list[Worker] = []
        # Read once on the reader thread: the processes (archived ones too, which a saved
        # mapping may name) and the saved mappings; Next waits for them.
        self.processes: list[Process] = []
        self.saved_mappings: dict[str, ImportMapping] = {}
        self.setWindowTitle(self.tr("Import"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.file_page = FilePage(self)
        self.columns_page = ColumnsPage(self)
        self.stages_page = StagesPage(self)
        self.check_page = CheckPage(self)
        self.import_page = ImportPage(self)
        for i, page in enumerate(
            (self.file_page, self.columns_page, self.stages_page, self.check_page, self.import_page)
        ):
            self.setPage(i, page)
        self.resize(960, 680)
        host.ops.read(
            self,
            "import choices",
            lambda s: (s.processes.processes(include_archived=True), s.importing.saved_mappings()),
            self._choices_read,
        )

    def _choices_read(self, answer: tuple[list[Process], dict[str, ImportMapping]]) -> None:
        self.processes, self.saved_mappings = answer
        self.file_page.fill()

    # The mapping as chosen on the pages --------------------------------------------------
    def kind(self) -> ImportKind:
        return ImportKind(self.file_page.kind.currentData())

    def has_stages(self) -> bool:
        return self.kind() in (ImportKind.ENGAGEMENTS, ImportKind.STAGE_HISTORY)

    def mapping(self) -> ImportMapping:
        chosen = self.stages_page.stage_map() if self.has_stages() else {}
        return ImportMapping(
            kind=self.kind(),
            columns=self.columns_page.columns(),
            constants=self.columns_page.constants(),
            process=self.file_page.process_name() if self.needs_process() else "",
            stages={k: v for k, v in chosen.items() if v != NEW_STAGE},
            # Only values chosen as "add as a new stage" are left unmatched at this point.
            add_missing_stages=NEW_STAGE in chosen.values(),
            date_order=self.columns_page.date_order(),
            opened_default=self.columns_page.opened_default(),
            handover=self.columns_page.handover.currentData(),
        )

    def needs_process(self) -> bool:
        # (A stage-history file names the stages of this process.)
        return self.kind() not in (ImportKind.ACCOUNTS, ImportKind.PEOPLE)

    def saved(self) -> ImportMapping | None:
        name = self.file_page.saved.currentData()
        return self.saved_mappings.get(name) if name else None

    def nextId(self) -> int:
        current = self.currentId()
        if current == self.COLUMNS and not self.has_stages():
            return self.CHECK
        return super().nextId()

    def reject(self) -> None:
        if self.import_page.worker is not None and self.import_page.worker.isRunning():
            self.import_page.cancel()  # the page then says nothing was changed
            return
        super().reject()

    def done(self, result: int) -> None:
        # A QThread must not outlive the dialog: the import stops at its next batch.
        for worker in self.workers:
            if worker.isRunning():
                worker.cancel()
                worker.wait()
        if self.table is not None:
            free_later(self.table.rows)  # the file's rows: freed off the GUI thread
            self.table = None
        super().done(result)


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(self.tr("Choose a file"))
        self.setSubTitle(
            self.tr(
                "A CSV file from a spreadsheet or another CRM (UTF-8, or another encoding, "
                "detected or chosen; comma, semicolon or tab separated). Nothing is changed "
                "until the last step."
            )
        )
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.tr("Path of a .csv file"))
        self.path.editingFinished.connect(lambda: self.load(Path(self.path.text())))
        browse = QPushButton(self.tr("&Browse…"))
        browse.clicked.connect(self.browse)
        self.kind = QComboBox()
        for kind in ImportKind:
            self.kind.addItem(self.tr(kind.label), kind.value)
        self.process = QComboBox()
        self.encoding = QComboBox()
        self.encoding.addItem(self.tr("Automatic: UTF-8, else the encoding detected"), "")
        self.encoding.addItem(self.tr("Windows-1252 (Excel on Western Windows)"), "cp1252")
        self.encoding.addItem(self.tr("Latin-1 (ISO-8859-1)"), "latin-1")
        self.encoding.addItem(self.tr("UTF-8"), "utf-8")
        self.encoding.addItem(self.tr("UTF-16"), "utf-16")
        self.encoding.currentIndexChanged.connect(self._encoding_changed)
        self.saved = QComboBox()
        self.saved.addItem(self.tr("None: guess from the column names"), "")
        self.saved.currentIndexChanged.connect(self._apply_saved)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.preview = QTableView()
        self.preview_model = PreviewModel(self)
        self.preview.setModel(self.preview_model)
        self.preview.verticalHeader().hide()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Columns sized once per file, from the header and the first rows (fitting them to
        # every row again at each layout or resize cost the GUI thread 20-40 ms a time).
        head = self.preview.horizontalHeader()
        head.setMaximumSectionSize(260)
        head.setResizeContentsPrecision(PREVIEW_FIT_ROWS)
        self.preview.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout()
        file_label = QLabel(self.tr("&File:"))
        file_label.setBuddy(self.path)
        form.addRow(file_label, row)
        form.addRow(self.tr("&Encoding:"), self.encoding)
        form.addRow(self.tr("The rows &are:"), self.kind)
        self.process_label = QLabel(self.tr("Into &process:"))
        self.process_label.setBuddy(self.process)
        form.addRow(self.process_label, self.process)
        form.addRow(self.tr("Saved &mapping:"), self.saved)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.info)
        layout.addWidget(self.preview, 1)
        self._kind_changed()

    def fill(self) -> None:
        """The processes and saved mappings, once read."""
        processes = [p for p in self.w.processes if not p.archived]
        for p in processes:
            self.process.addItem(f"{p.name}  ({p.kind.label})", p.id)
        hunting = [i for i, p in enumerate(processes) if p.kind is ProcessKind.HUNTING]
        self.process.setCurrentIndex(hunting[0] if hunting else 0)
        for name in sorted(self.w.saved_mappings):
            self.saved.addItem(name, name)
        self.completeChanged.emit()

    def _kind_changed(self) -> None:
        needs = ImportKind(self.kind.currentData()) not in (ImportKind.ACCOUNTS, ImportKind.PEOPLE)
        self.process.setVisible(needs)
        self.process_label.setVisible(needs)
        self.completeChanged.emit()

    def process_name(self) -> str:
        process_id = self.process.currentData()
        return next((p.name for p in self.w.processes if p.id == process_id), "")

    def _apply_saved(self) -> None:
        mapping = self.w.saved()
        if mapping is None:
            return
        self.kind.setCurrentIndex(self.kind.findData(mapping.kind.value))
        if mapping.process:
            for p in self.w.processes:
                if p.name == mapping.process and self.process.findData(p.id) >= 0:
                    self.process.setCurrentIndex(self.process.findData(p.id))

    def browse(self) -> None:
        settings = self.w.settings
        start = settings.folder("csv", Path.home()) if settings else Path.home()
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import a CSV file"), str(start), FILE_FILTER
        )
        if name:
            if settings is not None:
                settings.set_folder("csv", Path(name))
            self.path.setText(name)
            self.load(Path(name))

    def _encoding_changed(self) -> None:
        if self.path.text().strip():
            self.w.table = None  # read the same file again in the chosen encoding
            self.load(Path(self.path.text()))

    def load(self, path: Path) -> None:
        if not str(path).strip() or path == self.w.source and self.w.table is not None:
            return
        encoding = self.encoding.currentData() or None
        read_file = self.w.services.importing.read_file
        try:
            # A large file takes a while to read and check: on a worker, the window keeps
            # painting (a progress dialog shows after 300 ms).
            table = cast(
                CsvTable,
                wait_for(
                    self.tr("Reading “{0}”…").format(path.name),
                    lambda _progress: read_file(path, encoding=encoding),
                    self,
                    bulk=True,
                ),
            )
        except NextLevelError as exc:
            self.w.table = None
            self.info.setText(error_html(exc))
            self.preview_model.set_table((), ())
        else:
            self.w.table, self.w.source = table, path
            self.info.setText(
                self.tr("{0:,} rows, {1} columns · {2}, {3} separated").format(
                    len(table.rows), len(table.headers), table.encoding, table.delimiter_name
                )
            )
            self.preview_model.set_table(table.headers, table.preview(50))
            self.preview.resizeColumnsToContents()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return (
            self.w.table is not None
            and bool(self.w.processes)
            and (not self.w.needs_process() or self.process.count() > 0)
        )


class ColumnsPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(self.tr("Match the columns"))
        self.setSubTitle(
            self.tr(
                "Each field is guessed from the column names; change any guess, or give a "
                "field the same value for every row. Columns left out are ignored. Fields "
                "marked * are needed."
            )
        )
        self.combos: dict[str, QComboBox] = {}
        self.samples: dict[str, QLabel] = {}
        self.constant_edits: dict[str, QLineEdit] = {}
        self._date_columns: tuple[str, ...] | None = None
        self._has_dates = False
        self._built = False
        self._choices: QStandardItemModel | None = None

    def _build(self) -> None:
        """The page's widgets, made when it is first shown (not while the wizard opens)."""
        self._built = True
        # Many fields (per-stage dates) scroll rather than squeeze; two groups side by side.
        fields = QWidget()
        self.grid = QGridLayout(fields)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(2, 1)
        self.grid.setColumnStretch(5, 1)
        scroll = QScrollArea()
        scroll.setWidget(fields)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.order = QComboBox()
        self.order.addItem(self.tr("Choose how to read the dates…"), "")
        for order in DateOrder:
            self.order.addItem(self.tr(order.label), order.value)
        self.order_label = QLabel()
        self.order_label.setWordWrap(True)
        self.order.currentIndexChanged.connect(self.completeChanged)
        # Rows without an opened date are refused unless the user gives them one.
        self.default_opened = QCheckBox(self.tr("Rows without an opened date &get:"))
        self.default_day = QDateEdit(QDate.currentDate())
        self.default_day.setCalendarPopup(True)
        self.default_day.setDisplayFormat("yyyy-MM-dd")
        self.default_day.setEnabled(False)
        # (Room for its text field's own minimum height inside the spin box's frame.)
        inner = self.default_day.findChild(QLineEdit)
        if inner is not None:
            self.default_day.setMinimumHeight(inner.minimumSizeHint().height() + 4)
        self.default_opened.toggled.connect(self.default_day.setEnabled)
        self.handover = QComboBox()
        self.handover.addItem(self.tr("As the workspace's handover setting says"), None)
        self.handover.addItem(self.tr("Hand the account over to farming, dated at the close"), True)
        self.handover.addItem(self.tr("No handover"), False)
        self.engagement_options = QWidget()
        options = QFormLayout(self.engagement_options)
        options.setContentsMargins(0, 0, 0, 0)
        options.addRow(self.default_opened, self.default_day)
        options.addRow(self.tr("Won hunting rows: &handover"), self.handover)
        save = QPushButton(self.tr("&Save this mapping…"))
        save.clicked.connect(self.save_mapping)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        dates = QHBoxLayout()
        dates.addWidget(QLabel(self.tr("&Dates are:")))
        dates.itemAt(0).widget().setBuddy(self.order)  # type: ignore[union-attr]
        dates.addWidget(self.order)
        dates.addWidget(self.order_label, 1)
        layout.addLayout(dates)
        layout.addWidget(self.engagement_options)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(save)
        layout.addLayout(bottom)

    def initializePage(self) -> None:
        if not self._built:
            self._build()
        table = self.w.table
        assert table is not None
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.combos.clear()
        self.samples.clear()
        self.constant_edits.clear()
        self._date_columns = None
        saved = self.w.saved()
        guessed = self.w.services.importing.guess(table, self.w.kind())
        if saved is not None and saved.kind is self.w.kind():
            guessed = {f: c for f, c in saved.columns.items() if c in table.headers} or guessed
        kind = self.w.kind()
        constants = saved.constants if saved is not None and saved.kind is kind else {}
        self.engagement_options.setVisible(kind is ImportKind.ENGAGEMENTS)
        if saved is not None and saved.kind is kind:
            self.default_opened.setChecked(saved.opened_default is not None)
            if saved.opened_default is not None:
                self.default_day.setDate(QDate(saved.opened_default))
            self.handover.setCurrentIndex(max(self.handover.findData(saved.handover), 0))
        # The fixed fields, then one per "Date entered/exited <stage>" column.
        stage_dates = [field_spec(kind, f) for f in guessed if is_stage_date_field(f)]
        specs = [*FIELDS[kind], *stage_dates]
        half = (len(specs) + 1) // 2 if len(specs) > 11 else len(specs)
        for group in range(0, len(specs), half):
            col = 3 * (group // half)
            self.grid.addWidget(QLabel(self.tr("<b>Field</b>")), 0, col)
            self.grid.addWidget(QLabel(self.tr("<b>Column in the file</b>")), 0, col + 1)
            self.grid.addWidget(QLabel(self.tr("<b>First value</b>")), 0, col + 2)
        # One list of the file's columns for every field's combo (not one copy each).
        if self._choices is not None:
            self._choices.deleteLater()  # (after the combos above that show it)
        self._choices = QStandardItemModel(self)
        for text, data in (
            (self.tr("(not imported)"), ""),
            *((h, h) for h in table.headers),
            (self.tr("(the same value for every row:)"), CONSTANT),
        ):
            choice = QStandardItem(text)
            choice.setData(data, Qt.ItemDataRole.UserRole)
            self._choices.appendRow(choice)
        for i, spec in enumerate(specs):
            row, col = i % half + 1, 3 * (i // half)
            combo = QComboBox()
            combo.setModel(self._choices)
            constant = QLineEdit(constants.get(spec.name, ""))
            constant.setPlaceholderText(self.tr("value for every row"))
            constant.textChanged.connect(self.completeChanged)
            wanted = CONSTANT if spec.name in constants else guessed.get(spec.name, "")
            combo.setCurrentIndex(max(combo.findData(wanted), 0))
            combo.currentIndexChanged.connect(self._changed)
            combo.setMinimumWidth(240 if half == len(specs) else 180)
            label = QLabel(self.tr(spec.label) + (" *" if spec.required else ""))
            label.setBuddy(combo)
            sample = plain_label()  # text from the file
            sample.setStyleSheet("color: palette(placeholder-text);")
            self.grid.addWidget(label, row, col)
            self.grid.addWidget(combo, row, col + 1)
            self.grid.addWidget(sample, row, col + 2)
            self.grid.addWidget(constant, row, col + 2)
            self.combos[spec.name] = combo
            self.samples[spec.name] = sample
            self.constant_edits[spec.name] = constant
        self._changed()
        if saved is not None and saved.date_order is not None and self.date_order() is None:
            # The file alone cannot tell; last time's answer can.
            self.order.setCurrentIndex(self.order.findData(saved.date_order.value))

    def columns(self) -> dict[str, str]:
        return {
            f: c.currentData()
            for f, c in self.combos.items()
            if c.currentData() not in ("", CONSTANT)
        }

    def constants(self) -> dict[str, str]:
        """Fields given one value for every row (like ``--set`` on the command line)."""
        return {
            f: self.constant_edits[f].text().strip()
            for f, c in self.combos.items()
            if c.currentData() == CONSTANT and self.constant_edits[f].text().strip()
        }

    def _changed(self) -> None:
        table = self.w.table
        assert table is not None
        for name, combo in self.combos.items():
            header = combo.currentData()
            constant = header == CONSTANT
            self.samples[name].setVisible(not constant)
            self.constant_edits[name].setVisible(constant)
            if constant:
                continue
            first = table.first_value(header) if header else ""
            self.samples[name].setText(first[:60])
        mapping = ImportMapping(self.w.kind(), self.columns())
        date_columns = tuple(mapping.columns[f] for f in date_fields(mapping))
        if date_columns != self._date_columns:  # reading every date is costly on big files
            self._date_columns = date_columns
            guess = cast(
                "DateOrder | None",
                wait_for(
                    self.tr("Reading the dates…"),
                    lambda _progress: guess_date_order(table, mapping),
                    self,
                    bulk=True,
                ),
            )
            if guess is not None:
                self.order.setCurrentIndex(self.order.findData(guess.value))
                self.order_label.setText(self.tr("(detected from the file)"))
            else:
                if self.order.currentData() not in (DateOrder.DMY.value, DateOrder.MDY.value):
                    self.order.setCurrentIndex(0)
                self.order_label.setText(
                    "<span style='color:#b3261e'>"
                    + self.tr("The dates fit both day/month and month/day order: say which.")
                    + "</span>"
                )
        self._has_dates = any(date_columns)
        for widget in (self.order, self.order_label):
            widget.setEnabled(self._has_dates)
        self.completeChanged.emit()

    def opened_default(self) -> date | None:
        if not self.default_opened.isChecked() or self.w.kind() is not ImportKind.ENGAGEMENTS:
            return None
        return self.default_day.date().toPython()  # type: ignore[return-value]

    def date_order(self) -> DateOrder | None:
        value = self.order.currentData()
        return DateOrder(value) if value else None

    def isComplete(self) -> bool:
        if self._has_dates and self.date_order() is None:
            return False
        mapping = ImportMapping(self.w.kind(), self.columns(), constants=self.constants())
        return not mapping.missing_required()

    def save_mapping(self) -> None:
        name, ok = QInputDialog.getText(
            self,
            self.tr("Save mapping"),
            self.tr("Name (e.g. “Monthly CRM export”):"),
            text=self.w.file_page.saved.currentData() or "",
        )
        if not ok or not name.strip():
            return
        name, mapping = name.strip(), self.w.mapping()

        def failed(exc: NextLevelError) -> None:
            message(self, QMessageBox.Icon.Warning, self.tr("Save mapping"), str(exc))

        def offer(_rev: Revision) -> None:
            self.w.saved_mappings[name] = mapping
            saved = self.w.file_page.saved
            if saved.findData(name) < 0:
                saved.blockSignals(True)
                saved.addItem(name, name)
                saved.setCurrentIndex(saved.count() - 1)
                saved.blockSignals(False)

        run_op(
            self.w.host,
            self,
            self.tr("Save import mapping “{0}”").format(name),
            lambda s: s.importing.save_mapping(name, mapping),
            on_done=offer,
            on_invalid=failed,
            on_failed=failed,
        )
