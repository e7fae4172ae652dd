"""Table models of the Accounts tab: the lazy account list, contacts and engagements."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ...domain.models import Account, Contact, Engagement, Outcome, format_money
from ...services.accounts import AccountService

Index = QModelIndex | QPersistentModelIndex
PAGE = 200
MAX_PAGES = 20
IdRole = Qt.ItemDataRole.UserRole + 1


class AccountListModel(QAbstractTableModel):
    """Accounts whose name contains the search text: counted and paged in SQL, loaded lazily."""

    HEADERS = ("Account", "Industry")

    def __init__(self, service: AccountService, parent: Any = None) -> None:
        super().__init__(parent)
        self._service = service
        self._text = ""
        self._descending = False
        self._total = 0
        self._pages: OrderedDict[int, list[Account]] = OrderedDict()
        self.reload()

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
        page_no, offset = divmod(row, PAGE)
        page = self._pages.get(page_no)
        if page is None:
            page = self._service.page(self._text, page_no * PAGE, PAGE, self._descending)
            self._pages[page_no] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        return page[offset] if offset < len(page) else None

    def row_of(self, account_id: int) -> int:
        for page_no, page in self._pages.items():
            for i, account in enumerate(page):
                if account.id == account_id:
                    return page_no * PAGE + i
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

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


class ContactModel(QAbstractTableModel):
    HEADERS = ("Name", "Role", "Email", "Phone")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Contact] = []

    def set_rows(self, rows: list[Contact]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        c = self.rows[index.row()]
        if role == IdRole:
            return c.id
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (c.name, c.role, c.email, c.phone)[index.column()]


class AccountEngagementModel(QAbstractTableModel):
    """An account's engagements in both processes."""

    HEADERS = ("Process", "Engagement", "Stage", "Value", "Owner", "Status")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Engagement] = []
        self.process_names: dict[int, str] = {}
        self.currency = "EUR"

    def set_rows(
        self, rows: list[Engagement], process_names: dict[int, str], currency: str
    ) -> None:
        self.beginResetModel()
        self.rows = rows
        self.process_names = process_names
        self.currency = currency
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        e = self.rows[index.row()]
        if role == IdRole:
            return e.id
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 5 and e.outcome:
            return QColor("#2e9d5b" if e.outcome is Outcome.WON else "#c0504d")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        status = (
            self.tr("Open")
            if e.outcome is None
            else (self.tr("Won") if e.outcome is Outcome.WON else self.tr("Lost"))
        )
        if e.outcome is not None and e.closed_on:
            status += f" {e.closed_on.isoformat()}"
        return (
            self.process_names.get(e.process_id, ""),
            e.name,
            e.stage_name,
            format_money(e.value_minor, self.currency),
            e.owner_name,
            status,
        )[index.column()]
