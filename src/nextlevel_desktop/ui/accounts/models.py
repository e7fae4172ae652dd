"""Table models of the Accounts tab: the lazy account list, contacts and engagements."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ...domain.models import Account, Contact, Engagement, Outcome, format_money
from ...services.accounts import AccountService
from ..logger.rows_model import HeaderedModel, IdRole, PageCache, RowsModel

Index = QModelIndex | QPersistentModelIndex
PAGE = 200
MAX_PAGES = 20


class AccountListModel(HeaderedModel):
    """Accounts whose name contains the search text: counted and paged in SQL, loaded lazily."""

    HEADERS = ("Account", "Industry")

    def __init__(self, service: AccountService, parent: Any = None) -> None:
        super().__init__(parent)
        self._service = service
        self._text = ""
        self._descending = False
        self._total = 0
        self._pages: PageCache[Account] = PageCache(self._fetch, PAGE, MAX_PAGES)
        self.reload()

    def _fetch(self, offset: int, limit: int) -> list[Account]:
        return self._service.page(self._text, offset, limit, self._descending)

    def set_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._total = self._service.count(self._text)
        self.endResetModel()

    def account(self, row: int) -> Account | None:
        if not 0 <= row < self._total:
            return None
        return self._pages.get(row)

    def row_of(self, account_id: int) -> int:
        return next((row for row, a in self._pages.loaded() if a.id == account_id), -1)

    def row_count(self) -> int:
        return self._total

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, IdRole):
            return None
        account = self.account(index.row())
        if account is None:
            return None
        if role == IdRole:
            return account.id
        return account.name if index.column() == 0 else account.industry

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._pages.clear()
        self.layoutChanged.emit()


class ContactModel(RowsModel[Contact]):
    HEADERS = ("Name", "Role", "Email", "Phone")

    def cell(self, row: Contact, column: int) -> str:
        return (row.name, row.role, row.email, row.phone)[column]


class AccountEngagementModel(RowsModel[Engagement]):
    """An account's engagements in both processes."""

    HEADERS = ("Process", "Engagement", "Stage", "Value", "Owner", "Status")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.process_names: dict[int, str] = {}
        self.currency = "EUR"

    def set_context(self, process_names: dict[int, str], currency: str) -> None:
        self.process_names = process_names
        self.currency = currency

    def foreground(self, row: Engagement, column: int) -> Any:
        if column == 5 and row.outcome:
            return QColor("#2e9d5b" if row.outcome is Outcome.WON else "#c0504d")
        return None

    def cell(self, row: Engagement, column: int) -> str:
        if row.outcome is None:
            status = self.tr("Open")
        else:
            status = self.tr("Won") if row.outcome is Outcome.WON else self.tr("Lost")
            if row.closed_on:
                status += f" {row.closed_on.isoformat()}"
        return (
            self.process_names.get(row.process_id, ""),
            row.name,
            row.stage_name,
            format_money(row.value_minor, self.currency),
            row.owner_name,
            status,
        )[column]
