"""Account and contact edit dialogs with inline validation."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import ValidationError
from ...domain.import_money import parse_money
from ...domain.models import Account, Contact
from ...services.accounts import AccountDraft, ContactDraft
from ..kit.fields import ErrorMap, Field
from ..kit.form_dialog import FormDialog, dialog_buttons


class _Form(FormDialog):
    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.fields: dict[str, Field] = {}

    def _line(self, key: str, label: str, value: str) -> QLineEdit:
        edit = QLineEdit(value)
        self.fields[key] = Field(edit)
        self.form.addRow(label, self.fields[key])
        return edit

    def _finish(self) -> None:
        self.general = QLabel()
        self.layout_.addWidget(self.general)
        self.errors = ErrorMap(self.fields, self.general)
        self.layout_.addWidget(dialog_buttons(self, save=True))
        self.resize(440, self.sizeHint().height())


class AccountDialog(_Form):
    """An account's details, its facts (size, revenue, country, parent) and its key."""

    def __init__(
        self,
        account: Account | None,
        parent: QWidget | None = None,
        parent_name: str = "",
        currency: str = "",
    ) -> None:
        super().__init__(self.tr("Edit account") if account else self.tr("New account"), parent)
        a = account or Account(0, "")
        self.name = self._line("name", self.tr("&Name:"), a.name)
        self.industry = self._line("industry", self.tr("&Industry:"), a.industry)
        self.size_band = self._line("size_band", self.tr("Si&ze band:"), a.size_band)
        self.size_band.setPlaceholderText(self.tr("e.g. SMB, Mid-market, Enterprise"))
        employees = "" if a.employees is None else str(a.employees)
        self.employees = self._line("employees", self.tr("E&mployees:"), employees)
        revenue = "" if a.annual_revenue_minor is None else f"{a.annual_revenue_minor / 100:.2f}"
        label = self.tr("Annual re&venue (%1):").replace("%1", currency) if currency else None
        self.revenue = self._line(
            "annual_revenue", label or self.tr("Annual re&venue:"), revenue.removesuffix(".00")
        )
        self.country = self._line("country", self.tr("&Country:"), a.country)
        self.parent_account = self._line("parent", self.tr("Parent &account:"), parent_name)
        self.parent_account.setPlaceholderText(self.tr("The group it belongs to (name or key)"))
        self.key = self._line("key", self.tr("&Key:"), a.external_id or "")
        self.key.setToolTip(
            self.tr("The account's id in the system it came from; imports match on it.")
        )
        self.website = self._line("website", self.tr("&Website:"), a.website)
        self.phone = self._line("phone", self.tr("&Phone:"), a.phone)
        self.notes = QPlainTextEdit(a.notes)
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(80)
        self.form.addRow(self.tr("N&otes:"), self.notes)
        self._finish()

    def draft(self) -> AccountDraft:
        """The form as a draft; raises ``ValidationError`` for a number it cannot read."""
        problems: dict[str, str] = {}
        employees = self.employees.text().strip().replace(",", "").replace(" ", "")
        if employees and not employees.isdigit():
            problems["employees"] = self.tr("Enter the number of employees, e.g. 250.")
        revenue: int | None = None
        if self.revenue.text().strip():
            try:
                revenue = parse_money(self.revenue.text())
            except ValueError as exc:
                problems["annual_revenue"] = str(exc)
        if problems:
            raise ValidationError(problems)
        return AccountDraft(
            self.name.text(),
            self.industry.text(),
            self.website.text(),
            self.phone.text(),
            self.notes.toPlainText(),
            key=self.key.text(),
            size_band=self.size_band.text(),
            employees=int(employees) if employees else None,
            annual_revenue_minor=revenue,
            country=self.country.text(),
            parent=self.parent_account.text(),
        )


class ContactDialog(_Form):
    def __init__(self, contact: Contact | None, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Edit contact") if contact else self.tr("New contact"), parent)
        c = contact or Contact(0, 0, "")
        self.name = self._line("name", self.tr("&Name:"), c.name)
        self.role = self._line("role", self.tr("&Role:"), c.role)
        self.email = self._line("email", self.tr("&Email:"), c.email)
        self.phone = self._line("phone", self.tr("&Phone:"), c.phone)
        self._finish()

    def draft(self) -> ContactDraft:
        return ContactDraft(
            self.name.text(), self.role.text(), self.email.text(), self.phone.text()
        )
