"""Preferences (Ctrl+,): business facts saved in the workspace (an undoable write on the
operation road), personal ones in user settings."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...domain.settings import WEEKDAYS, WorkspaceSettings
from ...services.revisions import Revision
from ..kit.fields import ErrorMap
from ..kit.form_dialog import dialog_buttons
from ..kit.ops import Host, Op, run_form
from ..plain_text import plain_label
from ..theme import apply_colour_scheme
from ..user_settings import COLOUR_SCHEMES


class PreferencesDialog(QDialog):
    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        self.host = host
        services = self.services = host.services
        settings = self.user = host.settings
        workspace = self.workspace = services.path
        current = services.workspace.settings()

        personal = QGroupBox(self.tr("You (on this computer)"))
        pf = QFormLayout(personal)
        self.me = QComboBox()
        self.me.addItem(self.tr("Nobody chosen"), None)
        for person in services.people.people():
            self.me.addItem(person.name, person.id)
        self.me.setCurrentIndex(max(self.me.findData(settings.me(workspace)), 0))
        pf.addRow(self.tr("&I am:"), self.me)
        self.scheme = QComboBox()
        for key, label in zip(
            COLOUR_SCHEMES,
            (self.tr("Follow the system"), self.tr("Light"), self.tr("Dark")),
            strict=True,
        ):
            self.scheme.addItem(label, key)
        self.scheme.setCurrentIndex(max(self.scheme.findData(settings.colour_scheme), 0))
        pf.addRow(self.tr("&Colour scheme:"), self.scheme)

        business = QGroupBox(self.tr("This workspace (shared with everyone who opens it)"))
        bf = QFormLayout(business)
        self.currency = QLineEdit(current.currency)
        self.currency.setMaxLength(5)
        bf.addRow(self.tr("C&urrency:"), self.currency)
        self.week_start = QComboBox()
        for i, day in enumerate(WEEKDAYS):
            self.week_start.addItem(self.tr(day), i)
        self.week_start.setCurrentIndex(current.week_start)
        bf.addRow(self.tr("&Weeks start on:"), self.week_start)
        self.on_track = QSpinBox()
        self.on_track.setRange(1, 1000)
        self.on_track.setSuffix(" %")
        self.on_track.setValue(current.on_track_pct)
        bf.addRow(self.tr("‘On &track’ from:"), self.on_track)
        self.at_risk = QSpinBox()
        self.at_risk.setRange(1, 1000)
        self.at_risk.setSuffix(" %")
        self.at_risk.setValue(current.at_risk_pct)
        bf.addRow(self.tr("‘At &risk’ from:"), self.at_risk)
        self.handover = QComboBox()
        self.handover.addItem(self.tr("Start farming automatically"), "automatic")
        self.handover.addItem(self.tr("Ask each time"), "ask")
        self.handover.setCurrentIndex(max(self.handover.findData(current.handover), 0))
        bf.addRow(self.tr("When a deal is &won:"), self.handover)

        self.error = plain_label()
        self.error.setObjectName("formError")
        self.error.setStyleSheet("color: #c0504d;")
        self.error.setWordWrap(True)
        self.errors = ErrorMap({}, self.error)

        layout = QVBoxLayout(self)
        layout.addWidget(personal)
        layout.addWidget(business)
        layout.addWidget(self.error)
        layout.addWidget(dialog_buttons(self))

    def workspace_settings(self) -> WorkspaceSettings:
        return WorkspaceSettings(
            currency=self.currency.text().strip().upper(),
            week_start=int(self.week_start.currentData()),
            on_track_pct=self.on_track.value(),
            at_risk_pct=self.at_risk.value(),
            handover=str(self.handover.currentData()),
        )

    def accept(self) -> None:
        """Save the workspace's settings (undoable); the personal ones once that succeeded."""

        def make_op() -> Op:
            settings = self.workspace_settings().validated()
            return lambda s: s.workspace.save_settings(settings)

        run_form(self.host, self, self.errors, self.tr("Change preferences"), make_op, self._saved)

    def _saved(self, _rev: Revision) -> None:
        self.user.set_me(self.workspace, self.me.currentData())
        scheme = str(self.scheme.currentData())
        if scheme != self.user.colour_scheme:
            self.user.colour_scheme = scheme
            apply_colour_scheme(scheme)
        self.user.sync()
