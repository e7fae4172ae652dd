"""File > New workspace: the currency the business works in, and whether to add demo data."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import ValidationError
from ...domain.settings import currency_code
from ..kit.fields import ErrorMap, Field
from ..kit.form_dialog import dialog_buttons

COMMON = ("EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CAD", "AUD", "JPY", "INR")


def locale_currency() -> str:
    """The currency of the user's locale (Qt's view of it), else EUR."""
    code = QLocale().currencySymbol(QLocale.CurrencySymbolFormat.CurrencyIsoCode)
    try:
        return currency_code(code)
    except ValidationError:
        return "EUR"


class NewWorkspaceDialog(QDialog):
    """Asks what a new workspace starts with; the currency is checked before it closes."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New workspace"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr("“%1” starts with the default hunting and farming processes.").replace(
                "%1", name
            )
        )
        intro.setWordWrap(True)
        intro.setTextFormat(intro.textFormat().PlainText)
        layout.addWidget(intro)
        form = QFormLayout()
        layout.addLayout(form)
        self.currency = QComboBox()
        self.currency.setEditable(True)
        default = locale_currency()
        self.currency.addItems([default, *(c for c in COMMON if c != default)])
        self.currency.setToolTip(self.tr("Every amount in this workspace is in this currency."))
        self.fields = {"currency": Field(self.currency)}
        form.addRow(self.tr("&Currency:"), self.fields["currency"])
        self.demo = QCheckBox(self.tr("Fill it with &demo data"))
        form.addRow("", self.demo)
        general = QLabel()
        layout.addWidget(general)
        self.errors = ErrorMap(self.fields, general)
        layout.addWidget(dialog_buttons(self, self.tr("Create")))

    def chosen_currency(self) -> str:
        return currency_code(self.currency.currentText())

    def accept(self) -> None:
        try:
            self.chosen_currency()
        except ValidationError as exc:
            self.errors.show(exc)
            return
        super().accept()
