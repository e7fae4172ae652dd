"""People tab: everybody; add, edit (name, email, role, team, office, manager) and deactivate
(history is kept)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.changes import Changes
from ...domain.models import Person, PersonRole
from ...services.people import PersonDraft
from ..kit.fields import ErrorMap, Field
from ..kit.form_dialog import FormDialog, dialog_buttons, with_draft
from ..kit.ops import run_op
from ..kit.rows_model import RowsModel
from ..kit.tables import row_table
from ..logger.dialogs import Host

ROLE_LABELS = {PersonRole.REP: "Rep", PersonRole.MANAGER: "Manager"}


class PeopleModel(RowsModel[Person]):
    HEADERS = ("Name", "Email", "Role", "Team", "Office", "Manager", "Status")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.me: int | None = None
        self.names: dict[int, str] = {}

    def set_rows(self, rows: Sequence[Person], headers: Sequence[str] | None = None) -> None:
        self.names = {p.id: p.name for p in rows}
        super().set_rows(rows, headers)

    def set_me(self, me: int | None) -> None:
        self.me = me

    def foreground(self, row: Person, column: int) -> Any:
        return None if row.active else QColor("#8a8f96")

    def cell(self, row: Person, column: int) -> str:
        name = row.name + (self.tr(" (me)") if row.id == self.me else "")
        status = self.tr("Active") if row.active else self.tr("Deactivated")
        manager = self.names.get(row.manager_id, "") if row.manager_id is not None else ""
        role = self.tr(ROLE_LABELS[row.role])
        return (name, row.email, role, row.team, row.office, manager, status)[column]


class PersonDialog(FormDialog):
    def __init__(
        self,
        person: Person | None,
        parent: QWidget | None = None,
        people: list[Person] | None = None,
        teams: list[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit person") if person else self.tr("New person"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.name = QLineEdit(person.name if person else "")
        self.email = QLineEdit(person.email if person else "")
        self.role = QComboBox()
        for role, label in ROLE_LABELS.items():
            self.role.addItem(self.tr(label), role.value)
        self.role.setCurrentIndex(
            self.role.findData((person.role if person else PersonRole.REP).value)
        )
        self.team = QComboBox()
        self.team.setEditable(True)
        self.team.addItems(teams or [])
        self.team.setCurrentText(person.team if person else "")
        self.team.setToolTip(self.tr("Type a new team's name, or choose one"))
        self.office = QLineEdit(person.office if person else "")
        self.manager = QComboBox()
        self.manager.addItem(self.tr("(none)"), None)
        for p in people or []:
            if person is None or p.id != person.id:
                self.manager.addItem(p.name, p.id)
        current = person.manager_id if person else None
        self.manager.setCurrentIndex(max(self.manager.findData(current), 0))
        fields = {
            "name": Field(self.name),
            "email": Field(self.email),
            "team": Field(self.team),
            "office": Field(self.office),
            "manager": Field(self.manager),
        }
        form.addRow(self.tr("&Name:"), fields["name"])
        form.addRow(self.tr("&Email:"), fields["email"])
        form.addRow(self.tr("&Role:"), self.role)
        form.addRow(self.tr("&Team:"), fields["team"])
        form.addRow(self.tr("&Office:"), fields["office"])
        form.addRow(self.tr("&Manager:"), fields["manager"])
        general = QLabel()
        layout.addWidget(general)
        self.errors = ErrorMap(fields, general)
        layout.addWidget(dialog_buttons(self, save=True))
        self.resize(400, self.sizeHint().height())

    def draft(self) -> PersonDraft:
        return PersonDraft(
            self.name.text(),
            self.email.text(),
            PersonRole(self.role.currentData()),
            team=self.team.currentText(),
            office=self.office.text(),
            manager_id=self.manager.currentData(),
        )


class PeoplePanel(QWidget):
    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Everyone who does or manages the work. Deactivated people keep their history "
                "but no longer appear in pickers."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model = PeopleModel(self)
        widths = ((0, 200), (1, 220), (2, 90), (3, 110), (4, 110), (5, 160))
        self.table = row_table(self.model, widths=widths)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.show_inactive = QCheckBox(self.tr("Show &deactivated people"))
        self.show_inactive.setChecked(True)
        row.addWidget(self.show_inactive)
        row.addStretch(1)
        self.add_action = self._action(self.tr("&Add person…"), self.add_person, row)
        self.edit_action = self._action(self.tr("&Edit…"), self.edit_person, row)
        self.toggle_action = self._action(self.tr("De&activate"), self.toggle_active, row)
        layout.addLayout(row)
        self.table.activated.connect(lambda _i: self.edit_person())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.show_inactive.toggled.connect(self.refresh)
        self.refresh()

    def _action(self, text: str, slot: Callable[[], object], row: QHBoxLayout) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        button = QToolButton()
        button.setDefaultAction(action)
        row.addWidget(button)
        return action

    def current(self) -> Person | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _update(self) -> None:
        person = self.current()
        self.edit_action.setEnabled(person is not None)
        self.toggle_action.setEnabled(person is not None)
        self.toggle_action.setText(
            self.tr("Re&activate") if person and not person.active else self.tr("De&activate")
        )

    def refresh(self) -> None:
        keep = self.current()
        services = self.host.services
        me = self.host.settings.me(services.path)
        self.model.set_me(me)
        self.model.set_rows(services.people.people(include_inactive=self.show_inactive.isChecked()))
        if keep is not None:
            self.select(keep.id)
        self._update()

    def select(self, person_id: int) -> None:
        for i, p in enumerate(self.model.rows):
            if p.id == person_id:
                self.table.selectRow(i)

    def on_changes(self, changes: Changes) -> None:
        if changes.touches("people", "settings"):
            self.refresh()

    def add_person(self) -> None:
        dialog = self._dialog(None)
        op = with_draft(dialog.draft, lambda s, d: s.people.add(d))
        dialog.save_with(
            self.host, self.tr("Add person"), op, lambda rev: self.select(rev.ids["person"])
        )

    def edit_person(self) -> None:
        person = self.current()
        if person is None:
            return
        person_id = person.id
        dialog = self._dialog(person)
        op = with_draft(dialog.draft, lambda s, d: s.people.update(person_id, d))
        dialog.save_with(self.host, self.tr("Edit person"), op)

    def _dialog(self, person: Person | None) -> PersonDialog:
        people = self.host.services.people
        return PersonDialog(person, self, people.people(), people.teams())

    def toggle_active(self) -> None:
        person = self.current()
        if person is None:
            return
        text = self.tr("Reactivate person") if not person.active else self.tr("Deactivate person")
        person_id, active = person.id, not person.active
        run_op(self.host, self, text, lambda s: s.people.set_active(person_id, active))
