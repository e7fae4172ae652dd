"""Table models of the Accounts tab: the lazy account list, contacts and engagements."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from ...domain.models import Account, Contact, Engagement, Outcome, format_money
from ...services.accounts import AccountLine, AccountService, AccountSort
from ..kit.rows_model import HeaderedModel, IdRole, PageCache, RowsModel
from ..wording import day_text, short_date

Index = QModelIndex | QPersistentModelIndex
PAGE = 200
MAX_PAGES = 20


class AccountListModel(HeaderedModel):
    """Accounts whose name contains the search text, with their owner, where they stand in
    hunting and farming, open value and their last and next activity: counted, sorted and
    paged in SQL, loaded lazily."""

    HEADERS = (
        QT_TRANSLATE_NOOP("AccountListModel", "Account"),
        QT_TRANSLATE_NOOP("AccountListModel", "Industry"),
        QT_TRANSLATE_NOOP("AccountListModel", "Owner"),
        QT_TRANSLATE_NOOP("AccountListModel", "Status"),
        QT_TRANSLATE_NOOP("AccountListModel", "Open value"),
        QT_TRANSLATE_NOOP("AccountListModel", "Last activity"),
        QT_TRANSLATE_NOOP("AccountListModel", "Next activity"),
    )

    def __init__(self, service: AccountService, parent: Any = None, currency: str = "EUR") -> None:
        super().__init__(parent)
        self._service = service
        self.currency = currency
        self._text = ""
        self._sort = AccountSort.NAME
        self._descending = False
        self._total = 0
        self._pages: PageCache[AccountLine] = PageCache(self._fetch, PAGE, MAX_PAGES)
        self.reload()

    def _fetch(self, offset: int, limit: int) -> list[AccountLine]:
        return self._service.lines(self._text, offset, limit, self._sort, self._descending)

    def set_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._total = self._service.count(self._text)
        self.endResetModel()

    def line(self, row: int) -> AccountLine | None:
        if not 0 <= row < self._total:
            return None
        return self._pages.get(row)

    def account(self, row: int) -> Account | None:
        line = self.line(row)
        return line.account if line is not None else None

    def row_of(self, account_id: int) -> int:
        return next((row for row, a in self._pages.loaded() if a.account.id == account_id), -1)

    def row_count(self) -> int:
        return self._total

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            IdRole,
            Qt.ItemDataRole.TextAlignmentRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            return None
        line = self.line(index.row())
        if line is None:
            return None
        column = AccountSort(index.column())
        if role == IdRole:
            return line.account.id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column is AccountSort.OPEN_VALUE:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            overdue = (
                column is AccountSort.NEXT
                and line.next_planned is not None
                and line.next_planned < datetime.now(UTC)
            )
            return QColor(OVERDUE) if overdue else None
        return self._text_of(line, column)

    def _text_of(self, line: AccountLine, column: AccountSort) -> str:
        if column is AccountSort.NAME:
            return line.account.name
        if column is AccountSort.INDUSTRY:
            return line.account.industry
        if column is AccountSort.OWNER:
            return line.owner_name
        if column is AccountSort.STATUS:
            return status_text(line)
        if column is AccountSort.OPEN_VALUE:
            return format_money(line.open_value, self.currency) if line.open_value else ""
        moment = line.last_done if column is AccountSort.LAST else line.next_planned
        return short_date(moment) if moment is not None else ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = AccountSort(column)
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._pages.clear()
        self.layoutChanged.emit()


OVERDUE = "#c0504d"


def status_text(line: AccountLine) -> str:
    """Where the account stands: hunted (an open opportunity), farmed (an open account plan),
    both, or neither."""
    if line.hunting and line.farming:
        return QCoreApplication.translate("AccountListModel", "Hunting + farming")
    if line.farming:
        return QCoreApplication.translate("AccountListModel", "Farming")
    if line.hunting:
        return QCoreApplication.translate("AccountListModel", "Hunting")
    return ""


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
                status += f" {day_text(row.closed_on)}"
        return (
            self.process_names.get(row.process_id, ""),
            row.name,
            row.stage_name,
            format_money(row.value_minor, self.currency),
            row.owner_name,
            status,
        )[column]
