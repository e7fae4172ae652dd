"""The stage editor: every designed field of one stage, checked inline before anything is saved."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import ValidationError
from ...domain.models import ProcessKind, Stage, StageCategory
from ...domain.processes import StageSpec, spec_of, validate_stage
from ..plain_text import plain_label
from .widgets import error_label, show_problems

FIELDS = (
    "name",
    "category",
    "guidance",
    "exit_criteria",
    "expected_days",
    "target_conversion",
    "probability",
    "color",
)


class StageEditor(QGroupBox):
    """Emits ``saveRequested(stage_id, spec)`` once the fields pass the domain's checks."""

    saveRequested = Signal(int, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Stage"))
        self._stage: Stage | None = None
        self._kind = ProcessKind.HUNTING
        self._other_names: list[str] = []
        self._loading = False
        self.errors: dict[str, QLabel] = {f: error_label() for f in FIELDS}
        self.general_error = error_label()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name = QLineEdit()
        self.name.setMaxLength(80)
        self.category = QComboBox()
        for cat, label in (
            (StageCategory.OPEN, self.tr("Open")),
            (StageCategory.WON, self.tr("Won")),
            (StageCategory.LOST, self.tr("Lost")),
        ):
            self.category.addItem(label, cat)
        self.guidance = QPlainTextEdit()
        self.guidance.setTabChangesFocus(True)
        self.guidance.setPlaceholderText(self.tr("What the rep does in this stage"))
        self.guidance.setFixedHeight(64)
        self.expected_days = self._number(self.tr("not set"))
        self.target_conversion = self._number(self.tr("not set"))
        self.probability = self._number(self.tr("not set"))
        self.color = QLineEdit()
        self.color.setPlaceholderText("#4f7bbf")
        self.color.setMaxLength(7)
        self.color_button = QToolButton()
        self.color_button.setText(self.tr("Choose…"))
        self.color_button.clicked.connect(self._choose_colour)
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.color, 1)
        colour_row.addWidget(self.color_button)

        self.criteria = QListWidget()
        self.criteria.setFixedHeight(124)
        # Long criteria wrap (a sideways scroll bar was always there); the tooltip has each.
        self.criteria.setWordWrap(True)
        self.criteria.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.criteria.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.criteria.currentRowChanged.connect(self._criteria_buttons)
        self.criteria.itemChanged.connect(self._changed)
        crit_buttons = QVBoxLayout()
        crit_buttons.setSpacing(2)
        self.crit_add = self._small(self.tr("Add"), self._add_criterion)
        self.crit_edit = self._small(self.tr("Edit"), self._edit_criterion)
        self.crit_remove = self._small(self.tr("Remove"), self._remove_criterion)
        self.crit_up = self._small(self.tr("Up"), lambda: self._move_criterion(-1))
        self.crit_down = self._small(self.tr("Down"), lambda: self._move_criterion(1))
        self.crit_add.setToolTip(self.tr("Add an exit criterion (then type it)"))
        self.crit_edit.setToolTip(self.tr("Edit the selected criterion (F2)"))
        for b in (self.crit_add, self.crit_edit, self.crit_remove, self.crit_up, self.crit_down):
            crit_buttons.addWidget(b)
        crit_buttons.addStretch(1)
        crit_box = QHBoxLayout()
        crit_box.setSpacing(4)
        crit_box.addWidget(self.criteria, 1)
        crit_box.addLayout(crit_buttons)

        def row(
            text: str, field: QWidget | QHBoxLayout | QVBoxLayout, key: str, buddy: QWidget
        ) -> None:
            box = QVBoxLayout()
            box.setSpacing(1)
            if isinstance(field, QLineEdit) and field.maximumWidth() < 1000:
                # A narrow number field sits left; its message may use the whole width.
                line = QHBoxLayout()
                line.addWidget(field)
                line.addStretch(1)
                box.addLayout(line)
            elif isinstance(field, QWidget):
                box.addWidget(field)
            else:
                box.addLayout(field)
            box.addWidget(self.errors[key])
            label = QLabel(text)
            label.setBuddy(buddy)
            form.addRow(label, box)

        row(self.tr("&Name:"), self.name, "name", self.name)
        row(self.tr("Cate&gory:"), self.category, "category", self.category)
        row(self.tr("Guidance:"), self.guidance, "guidance", self.guidance)
        row(self.tr("E&xit criteria:"), crit_box, "exit_criteria", self.criteria)
        row(self.tr("Expected &days:"), self.expected_days, "expected_days", self.expected_days)
        row(
            self.tr("Target con&version %:"),
            self.target_conversion,
            "target_conversion",
            self.target_conversion,
        )
        self.probability_label = QLabel(self.tr("Win pro&bability %:"))
        prob_box = QVBoxLayout()
        prob_box.setSpacing(1)
        prob_line = QHBoxLayout()
        prob_line.addWidget(self.probability)
        prob_line.addStretch(1)
        prob_box.addLayout(prob_line)
        prob_box.addWidget(self.errors["probability"])
        self.probability_row = QWidget()
        self.probability_row.setLayout(prob_box)
        prob_box.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.probability_label, self.probability_row)
        self.probability_label.setBuddy(self.probability)
        row(self.tr("Co&lour:"), colour_row, "color", self.color)

        buttons = QHBoxLayout()
        self.status = plain_label()
        self.status.setObjectName("editorStatus")
        self.revert_button = QPushButton(self.tr("Revert"))
        self.revert_button.clicked.connect(self.revert)
        self.save_button = QPushButton(self.tr("Save stage"))
        self.save_button.setToolTip(self.tr("Save the stage (Ctrl+Return)"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        QShortcut(
            QKeySequence("Ctrl+Return"),
            self,
            self.save,
            Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addLayout(buttons)
        layout.addStretch(1)

        for edit in (self.name, self.expected_days, self.target_conversion, self.probability):
            edit.textEdited.connect(self._changed)
        self.color.textEdited.connect(self._changed)
        self.guidance.textChanged.connect(self._changed)
        self.category.currentIndexChanged.connect(self._changed)
        self.load(None, ProcessKind.HUNTING, [])

    # Building ----------------------------------------------------------------------------
    def _number(self, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.setMaxLength(6)
        edit.setMaximumWidth(120)
        return edit

    def _small(self, text: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        button.setMinimumWidth(64)
        button.clicked.connect(slot)
        return button

    # Loading -----------------------------------------------------------------------------
    def load(self, stage: Stage | None, kind: ProcessKind, other_names: list[str]) -> None:
        self._stage, self._kind, self._other_names = stage, kind, other_names
        self._loading = True
        spec = spec_of(stage) if stage else StageSpec("")
        self.name.setText(spec.name)
        self.category.setCurrentIndex(max(0, self.category.findData(spec.category)))
        self.guidance.setPlainText(spec.guidance)
        self.criteria.clear()
        for text in spec.exit_criteria:
            self.criteria.addItem(self._criterion_item(text))
        for edit, value in (
            (self.expected_days, spec.expected_days),
            (self.target_conversion, spec.target_conversion),
            (self.probability, spec.probability),
        ):
            edit.setText("" if value is None else str(value))
        self.color.setText(spec.color)
        self._paint_swatch()
        hunting = kind is ProcessKind.HUNTING
        self.probability_label.setVisible(hunting)
        self.probability_row.setVisible(hunting)
        self._loading = False
        self.clear_problems()
        self.set_dirty(False)
        self.setEnabled(stage is not None)
        self.setTitle(self.tr("Stage: {0}").format(stage.name) if stage else self.tr("Stage"))
        self._criteria_buttons()

    @property
    def stage_id(self) -> int | None:
        return self._stage.id if self._stage else None

    @property
    def dirty(self) -> bool:
        return self.save_button.isEnabled()

    def _criterion_item(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        return item

    # Exit criteria -------------------------------------------------------------------------
    def _criteria_buttons(self, *_args: object) -> None:
        row = self.criteria.currentRow()
        has = row >= 0
        self.crit_edit.setEnabled(has)
        self.crit_remove.setEnabled(has)
        self.crit_up.setEnabled(has and row > 0)
        self.crit_down.setEnabled(has and row < self.criteria.count() - 1)

    def _add_criterion(self) -> None:
        item = self._criterion_item(self.tr("New criterion"))
        self.criteria.addItem(item)
        self.criteria.setCurrentItem(item)
        self.criteria.editItem(item)
        self._changed()

    def _edit_criterion(self) -> None:
        item = self.criteria.currentItem()
        if item is not None:
            self.criteria.editItem(item)

    def _remove_criterion(self) -> None:
        row = self.criteria.currentRow()
        if row >= 0:
            self.criteria.takeItem(row)
            self._changed()
            self._criteria_buttons()

    def _move_criterion(self, delta: int) -> None:
        row = self.criteria.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.criteria.count():
            return
        item = self.criteria.takeItem(row)
        self.criteria.insertItem(target, item)
        self.criteria.setCurrentRow(target)
        self._changed()

    def criteria_texts(self) -> tuple[str, ...]:
        return tuple(self.criteria.item(i).text().strip() for i in range(self.criteria.count()))

    # Colour ------------------------------------------------------------------------------
    def _choose_colour(self) -> None:
        initial = QColor(self.color.text()) if self.color.text() else QColor("#4f7bbf")
        chosen = QColorDialog.getColor(initial, self, self.tr("Stage colour"))
        if chosen.isValid():
            self.color.setText(chosen.name())
            self._changed()

    def _paint_swatch(self) -> None:
        colour = QColor(self.color.text())
        style = f"background: {colour.name()};" if colour.isValid() else ""
        self.color_button.setStyleSheet(style)

    # Editing -----------------------------------------------------------------------------
    def _changed(self, *_args: object) -> None:
        if self._loading or self._stage is None:
            return
        self._paint_swatch()
        self.set_dirty(True)

    def set_dirty(self, dirty: bool) -> None:
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.status.setText(self.tr("Unsaved changes") if dirty else "")

    def revert(self) -> None:
        self.load(self._stage, self._kind, self._other_names)

    def clear_problems(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            label.clear()
            label.hide()

    def show_problems(self, exc: ValidationError) -> None:
        show_problems(self.errors, self.general_error, exc)
        first = next(iter(exc.problems), "")
        focus = {
            "name": self.name,
            "expected_days": self.expected_days,
            "target_conversion": self.target_conversion,
            "probability": self.probability,
            "color": self.color,
            "category": self.category,
            "exit_criteria": self.criteria,
        }.get(first)
        if focus is not None:
            focus.setFocus()

    def _int(self, edit: QLineEdit, label: str, key: str, problems: dict[str, str]) -> int | None:
        text = edit.text().strip().rstrip("%").strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            problems[key] = self.tr("{0} must be a whole number, not “{1}”.").format(
                label, edit.text().strip()
            )
            return None

    def spec(self) -> StageSpec:
        """The fields as a spec; raises ``ValidationError`` for anything invalid."""
        problems: dict[str, str] = {}
        days = self._int(self.expected_days, self.tr("Expected days"), "expected_days", problems)
        conversion = self._int(
            self.target_conversion, self.tr("Target conversion"), "target_conversion", problems
        )
        probability = None
        if self._kind is ProcessKind.HUNTING:
            probability = self._int(
                self.probability, self.tr("Win probability"), "probability", problems
            )
        spec = StageSpec(
            name=self.name.text().strip(),
            category=StageCategory(self.category.currentData()),
            guidance=self.guidance.toPlainText().strip(),
            expected_days=days,
            target_conversion=conversion,
            probability=probability,
            color=self.color.text().strip(),
            exit_criteria=self.criteria_texts(),
        )
        try:
            validate_stage(spec, self._other_names)
        except ValidationError as exc:
            problems = {**exc.problems, **problems}
        if problems:
            raise ValidationError(problems)
        return spec

    def save(self) -> None:
        if self._stage is None or not self.dirty:
            return
        try:
            spec = self.spec()
        except ValidationError as exc:
            self.show_problems(exc)
            return
        self.clear_problems()
        self.saveRequested.emit(self._stage.id, spec)
