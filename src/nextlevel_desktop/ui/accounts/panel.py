"""Accounts tab: searchable account list; details with contacts, engagements and timeline."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.changes import Changes
from ...domain.engagements import TimelineKind
from ...domain.errors import NotFoundError
from ...domain.models import Account, Contact
from ..kit.form_dialog import with_draft
from ..kit.ops import run_op
from ..kit.rows_model import KeepPlace
from ..kit.stale import Stale
from ..kit.tables import row_table
from ..logger.dialogs import Host, open_activity
from ..plain_text import plain_label, tip
from ..user_settings import UserSettings
from ..wording import counted, moment_text
from .dialogs import AccountDialog, ContactDialog
from .models import AccountEngagementModel, AccountListModel, ContactModel, IdRole

KIND_COLOURS = {
    TimelineKind.WON: "#2e9d5b",
    TimelineKind.LOST: "#c0504d",
    TimelineKind.HANDOVER: "#478a2c",
    TimelineKind.PLANNED: "#3567b3",
    TimelineKind.OPENED: "#8e5ea2",
    TimelineKind.MOVED: "#d9822b",
}


def _button(text: str, slot: Callable[[], object], parent: QWidget) -> QToolButton:
    action = QAction(text, parent)
    action.triggered.connect(slot)
    button = QToolButton()
    button.setDefaultAction(action)
    return button


_FIRST = -1  # select the first row


class AccountsPanel(QWidget):
    openEngagement = Signal(int)

    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.account: Account | None = None
        self.stale = Stale(self, self._follow)
        layout = QVBoxLayout(self)
        # The list on top, full width (owner, status, value, last and next activity need the
        # room); the chosen account's details below it.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        layout.addWidget(self.splitter)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search accounts…"))
        self.search.setClearButtonEnabled(True)
        top.addWidget(self.search, 1)
        top.addWidget(_button(self.tr("&New…"), self.new_account, self))
        lv.addLayout(top)
        self.model = AccountListModel(host.ops, self, host.services.workspace.settings().currency)
        self.list = row_table(self.model)
        self.model.busy = self.list
        KeepPlace(self.list, self.model)
        self._select: int | None = None  # the account to select when the list answers
        self.list.setSortingEnabled(True)
        self.list.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        for col, width in enumerate((230, 140, 140, 140, 120, 110)):
            self.list.horizontalHeader().resizeSection(col, width)
        lv.addWidget(self.list, 1)
        self.count = plain_label()
        lv.addWidget(self.count)
        self.splitter.addWidget(left)

        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(8, 0, 0, 0)
        head = QHBoxLayout()
        self.title = plain_label()
        self.title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        head.addWidget(self.title, 1)
        self.edit_button = _button(self.tr("&Edit account…"), self.edit_account, self)
        head.addWidget(self.edit_button)
        rv.addLayout(head)
        facts = QGridLayout()  # two facts a row: the list above takes the room
        self.industry, self.website, self.phone, self.notes = QLabel(), QLabel(), QLabel(), QLabel()
        for i, (name, label) in enumerate(
            (
                (self.tr("Industry:"), self.industry),
                (self.tr("Website:"), self.website),
                (self.tr("Phone:"), self.phone),
                (self.tr("Notes:"), self.notes),
            )
        ):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            facts.addWidget(QLabel(name), i // 2, 2 * (i % 2))
            facts.addWidget(label, i // 2, 2 * (i % 2) + 1)
        facts.setColumnStretch(1, 1)
        facts.setColumnStretch(3, 2)
        rv.addLayout(facts)
        self.tabs = QTabWidget()
        rv.addWidget(self.tabs, 1)
        # Timeline.
        self.timeline = QTreeWidget()
        self.timeline.setHeaderLabels(
            [self.tr("When"), self.tr("What"), self.tr("Details"), self.tr("Process")]
        )
        self.timeline.setRootIsDecorated(False)
        self.timeline.setAlternatingRowColors(True)
        self.timeline.header().resizeSection(0, 130)
        self.timeline.header().resizeSection(1, 260)
        self.timeline.header().setStretchLastSection(False)
        self.timeline.header().resizeSection(3, 160)
        self.timeline.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.timeline.itemActivated.connect(self._open_timeline_item)
        self.tabs.addTab(self.timeline, self.tr("&Timeline"))
        # Engagements.
        self.engagement_model = AccountEngagementModel(self)
        self.engagements = row_table(self.engagement_model)
        for col, width in ((0, 130), (1, 220), (2, 120), (3, 100), (4, 130)):
            self.engagements.horizontalHeader().resizeSection(col, width)
        self.tabs.addTab(self.engagements, self.tr("En&gagements"))
        # Contacts.
        contacts = QWidget()
        cv = QVBoxLayout(contacts)
        self.contact_model = ContactModel(self)
        self.contacts = row_table(self.contact_model)
        for col, width in ((0, 170), (1, 160), (2, 220)):
            self.contacts.horizontalHeader().resizeSection(col, width)
        self.contacts.activated.connect(lambda _i: self.edit_contact())
        self.engagements.activated.connect(self._open_engagement)
        cv.addWidget(self.contacts, 1)
        crow = QHBoxLayout()
        crow.addStretch(1)
        crow.addWidget(_button(self.tr("&Add contact…"), self.add_contact, self))
        crow.addWidget(_button(self.tr("Edit contact…"), self.edit_contact, self))
        self.delete_contact_action = QAction(self.tr("Delete contact"), self)
        self.delete_contact_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_contact_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_contact_action.triggered.connect(self.delete_contact)
        self.contacts.addAction(self.delete_contact_action)
        crow.addWidget(_button(self.tr("Delete contact"), self.delete_contact, self))
        cv.addLayout(crow)
        self.tabs.addTab(contacts, self.tr("C&ontacts"))
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setSizes([340, 420])

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self._apply_search)
        self.search.textChanged.connect(self._debounce.start)
        self.list.selectionModel().selectionChanged.connect(self._on_selection)
        self.model.modelReset.connect(self._answered)
        self._update_count()
        self.show_account(None)

    # List ---------------------------------------------------------------------------------
    def _apply_search(self) -> None:
        self._select = _FIRST
        self.model.set_text(self.search.text())

    def _answered(self) -> None:
        """The list was counted afresh (a search, a write): select what was asked for."""
        self._update_count()
        wanted, self._select = self._select, None
        if wanted is None:
            return
        row = 0 if wanted == _FIRST else self.model.row_of(wanted)
        if 0 <= row < self.model.rowCount():
            self.list.selectRow(row)
            self.show_account(self.model.account(row))  # its details may have changed
        elif wanted == _FIRST and self.account is not None:
            self.show_account(None)  # nothing matches the search

    def _update_count(self) -> None:
        n = self.model.rowCount()
        self.count.setText(counted(n, self.tr("{0} account"), self.tr("{0} accounts")))

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.list.selectionModel().selectedRows()
        self.show_account(self.model.account(rows[0].row()) if rows else None)

    def select_account(self, account_id: int) -> None:
        account = self.host.services.accounts.get(account_id)
        self.search.setText(account.name)
        self._debounce.stop()
        self._select = account_id
        self.model.set_text(account.name)
        if not self.model.loading:  # the list shows this search already
            self._answered()

    # Detail -------------------------------------------------------------------------------
    def show_account(self, account: Account | None) -> None:
        self.account = account
        services = self.host.services
        self.edit_button.setEnabled(account is not None)
        self.tabs.setEnabled(account is not None)
        if account is None:
            self.title.setText(
                self.tr("Choose an account above: its timeline, engagements and contacts")
            )
            for label in (self.industry, self.website, self.phone, self.notes):
                label.setText("—")
            self.contact_model.set_rows([])
            self.engagement_model.set_rows([])
            self.timeline.clear()
            return
        self.title.setText(account.name)
        self.industry.setText(account.industry or "—")
        self.website.setText(account.website or "—")
        self.phone.setText(account.phone or "—")
        self.notes.setText(account.notes or "—")
        self.contact_model.set_rows(services.accounts.contacts(account.id))
        names = {p.id: p.name for p in services.processes.processes(include_archived=True)}
        self.engagement_model.set_context(names, services.workspace.settings().currency)
        self.engagement_model.set_rows(
            services.engagements.engagements(account_id=account.id, open_only=False)
        )
        self.timeline.clear()
        for entry in services.accounts.timeline(account.id):
            item = QTreeWidgetItem(
                [
                    moment_text(entry.at),
                    entry.title,
                    entry.detail,
                    entry.process_name,
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, entry.activity_id)
            item.setToolTip(2, tip(entry.detail))
            colour = KIND_COLOURS.get(entry.kind)
            if colour:
                item.setForeground(1, QColor(colour))
            self.timeline.addTopLevelItem(item)
        self.tabs.setTabText(2, self.tr("C&ontacts ({0})").format(self.contact_model.rowCount()))
        self.tabs.setTabText(
            1, self.tr("En&gagements ({0})").format(self.engagement_model.rowCount())
        )

    def _open_engagement(self, index: QModelIndex) -> None:
        engagement_id = self.engagement_model.data(index, IdRole)
        if engagement_id is not None:
            self.openEngagement.emit(int(engagement_id))

    def _open_timeline_item(self, item: QTreeWidgetItem, _column: int) -> None:
        activity_id = item.data(0, Qt.ItemDataRole.UserRole)
        if activity_id:
            open_activity(self.host, int(activity_id), self)

    def on_changes(self, changes: Changes) -> None:
        """A write: the tab follows it now if shown, else when next shown."""
        self.stale.mark(changes)

    def _follow(self, changes: Changes) -> None:
        if changes.touches("accounts"):
            if self._select is None:  # an account asked for (just made) comes first
                self._select = self.account.id if self.account else None
            if self.account is not None:  # its details now, the list when counted again
                try:
                    self.show_account(self.host.services.accounts.get(self.account.id))
                except NotFoundError:
                    self.show_account(None)
            self.model.reload()
        elif self.account and changes.touches("activities", "engagements", "people", "processes"):
            self.show_account(self.account)

    # Edits --------------------------------------------------------------------------------
    def new_account(self) -> None:
        currency = self.host.services.workspace.settings().currency
        dialog = AccountDialog(None, self, currency=currency)
        op = with_draft(dialog.draft, lambda s, d: s.accounts.create(d))
        dialog.save_with(
            self.host,
            self.tr("New account"),
            op,
            lambda rev: self.select_account(rev.ids["account"]),
        )

    def edit_account(self) -> None:
        if self.account is None:
            return
        account_id = self.account.id
        services = self.host.services
        parent = self.account.parent_id
        dialog = AccountDialog(
            self.account,
            self,
            services.accounts.get(parent).name if parent is not None else "",
            services.workspace.settings().currency,
        )
        op = with_draft(dialog.draft, lambda s, d: s.accounts.update(account_id, d))
        dialog.save_with(self.host, self.tr("Edit account"), op)

    def _current_contact(self) -> Contact | None:
        rows = self.contacts.selectionModel().selectedRows()
        return self.contact_model.rows[rows[0].row()] if rows else None

    def add_contact(self) -> None:
        if self.account is None:
            return
        account_id = self.account.id
        dialog = ContactDialog(None, self)
        op = with_draft(dialog.draft, lambda s, d: s.accounts.add_contact(account_id, d))
        dialog.save_with(self.host, self.tr("Add contact"), op)

    def edit_contact(self) -> None:
        contact = self._current_contact()
        if contact is None:
            return
        contact_id = contact.id
        dialog = ContactDialog(contact, self)
        op = with_draft(dialog.draft, lambda s, d: s.accounts.update_contact(contact_id, d))
        dialog.save_with(self.host, self.tr("Edit contact"), op)

    def delete_contact(self) -> None:
        contact = self._current_contact()
        if contact is None:
            return
        contact_id = contact.id
        run_op(
            self.host,
            self,
            self.tr("Delete contact"),
            lambda s: s.accounts.delete_contact(contact_id),
        )

    def save_state(self, settings: UserSettings) -> None:
        settings.set_bytes("accounts/layout", self.splitter.saveState())

    def restore_state(self, settings: UserSettings) -> None:
        # A new key: the old one held the side-by-side layout's orientation too.
        state = settings.bytes_value("accounts/layout")
        if state is not None:
            self.splitter.restoreState(state)
