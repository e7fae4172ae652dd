"""Small form helpers shared by the logger's forms: inline error labels and account type-ahead."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...domain.errors import ValidationError
from ...domain.models import Account
from ...services.accounts import AccountService
from ..plain_text import plain_label, set_plain

ERROR_STYLE = "color: #c0504d;"


class Field(QWidget):
    """A widget with an inline error message under it (hidden until there is a problem)."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.widget = widget
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        self.error = plain_label()  # messages quote what the user typed
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        self.setFocusProxy(widget)

    def set_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))


class ErrorMap:
    """Routes ``ValidationError.problems`` to the fields they name; the rest to a general label."""

    def __init__(self, fields: dict[str, Field], general: QLabel) -> None:
        self.fields = fields
        self.general = general
        set_plain(general)
        general.setStyleSheet(ERROR_STYLE)
        general.setWordWrap(True)

    def clear(self) -> None:
        for f in self.fields.values():
            f.set_error("")
        self.general.clear()

    def show(self, error: ValidationError) -> None:
        self.clear()
        rest = []
        first: Field | None = None
        for key, message in error.problems.items():
            field = self.fields.get(key)
            if field is None:
                rest.append(message)
            else:
                field.set_error(message)
                first = first or field
        self.general.setText("\n".join(rest))
        if first is not None:
            first.widget.setFocus()


class AccountPicker(QLineEdit):
    """Account name with type-ahead from SQL; an unknown name means “create this account”."""

    accountChanged = Signal(object)  # Account | None

    def __init__(self, service: AccountService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._known: dict[str, Account] = {}
        self._account: Account | None = None
        self.setPlaceholderText(self.tr("Type to find an account, or a new name to create it"))
        self.setClearButtonEnabled(True)
        self._model = QStringListModel(self)
        self.completer_ = QCompleter(self._model, self)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(self.completer_)
        self.textEdited.connect(self._suggest)
        self.textChanged.connect(self._resolve)
        self.completer_.activated.connect(self._resolve)

    @property
    def account(self) -> Account | None:
        return self._account

    def set_account(self, account: Account | None) -> None:
        if account is not None:
            self._known[account.name.casefold()] = account
        self.setText(account.name if account else "")

    def _suggest(self, text: str) -> None:
        found = self._service.suggest(text)
        for account in found:
            self._known[account.name.casefold()] = account
        self._model.setStringList([a.name for a in found])

    def _resolve(self, *_args: object) -> None:
        key = self.text().strip().casefold()
        account = self._known.get(key)
        if account is None and key:
            account = next(
                (a for a in self._service.suggest(self.text(), 5) if a.name.casefold() == key),
                None,
            )
        if account != self._account:
            self._account = account
            self.accountChanged.emit(account)
