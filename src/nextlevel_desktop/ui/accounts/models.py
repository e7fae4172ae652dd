"""Table models of the Accounts tab: the lazy account list, contacts and engagements."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from ...domain.models import Account, Contact, Engagement, Outcome, format_money
from ...services.accounts import AccountLine, AccountSort
from ...services.container import Services
from ..kit.ops import Operations
from ..kit.rows_model import IdRole, LazyRowsModel, RowsModel
from ..wording import day_text, short_date

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class AccountQuery:
    """What the Accounts list shows: names containing ``text``, in this order."""

    text: str = ""
    sort: AccountSort = AccountSort.NAME
    descending: bool = False


def _count(services: Services, query: AccountQuery) -> int:
    return services.accounts.count(query.text)


def _fetch(
    services: Services, query: AccountQuery, offset: int, limit: int, _total: int
) -> list[AccountLine]:
    return services.accounts.lines(query.text, offset, limit, query.sort, query.descending)


class AccountListModel(LazyRowsModel[AccountQuery, AccountLine]):
    """Accounts whose name contains the search text, with their owner, where they stand in
    hunting and farming, open value and their last and next activity: counted, sorted and
    paged in SQL on the reader thread, loaded lazily."""

    MAX_PAGES = 20
    HEADERS = (
        QT_TRANSLATE_NOOP("AccountListModel", "Account"),
        QT_TRANSLATE_NOOP("AccountListModel", "Industry"),
        QT_TRANSLATE_NOOP("AccountListModel", "Owner"),
        QT_TRANSLATE_NOOP("AccountListModel", "Status"),
        QT_TRANSLATE_NOOP("AccountListModel", "Open value"),
        QT_TRANSLATE_NOOP("AccountListModel", "Last activity"),
        QT_TRANSLATE_NOOP("AccountListModel", "Next activity"),
    )

    def __init__(
        self, ops: Operations, parent: QObject | None = None, currency: str = "EUR"
    ) -> None:
        self.currency = currency
        super().__init__(ops, AccountQuery(), _count, _fetch, parent)

    def id_of(self, item: AccountLine) -> int:
        return item.account.id

    def set_text(self, text: str) -> None:
        self.ask(replace(self.query, text=text))

    def account(self, row: int) -> Account | None:
        line = self.line(row)
        return line.account if line is not None else None

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
        descending = order == Qt.SortOrder.DescendingOrder
        self.ask(replace(self.query, sort=AccountSort(column), descending=descending))


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
