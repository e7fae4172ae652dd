"""The Monitor's filter bar: process (or both), person (or team), period with stepping, compare."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QSignalBlocker, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QWidget,
)

from ...domain.models import Person, Process
from ...domain.periods import Granularity, Period, custom, period_of

BOTH = -1
TEAM = -1
TEAM_PREFIX = "team:"  # the person selector's data for a named team


@dataclass(frozen=True)
class Filters:
    process_ids: tuple[int, ...]
    person_id: int | None
    period: Period
    compare: bool = False
    team: str = ""  # a team (with person_id None): its people's figures
    members: tuple[int, ...] = ()


def add_teams(combo: QComboBox, people: list[Person]) -> dict[str, tuple[int, ...]]:
    """Add a “Team: name” choice per team to ``combo``; returns each team's people."""
    teams: dict[str, tuple[int, ...]] = {}
    for person in sorted(people, key=lambda p: p.team.casefold()):
        if person.team:
            teams[person.team] = (*teams.get(person.team, ()), person.id)
    for team in teams:
        label = QCoreApplication.translate("FilterBar", "Team: %1").replace("%1", team)
        combo.addItem(label, TEAM_PREFIX + team)
    return teams


def team_of(data: object) -> str:
    """The team a selector's item data names, or ``""`` for a person or everybody."""
    return data.removeprefix(TEAM_PREFIX) if isinstance(data, str) else ""


class PeriodPicker(QWidget):
    """Week / month / quarter / custom, with previous and next buttons and a readable label."""

    changed = Signal()

    def __init__(self, today: date, week_start: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.week_start = week_start
        self.kind = QComboBox()
        for g, text in (
            (Granularity.WEEK, self.tr("Week")),
            (Granularity.MONTH, self.tr("Month")),
            (Granularity.QUARTER, self.tr("Quarter")),
            (Granularity.CUSTOM, self.tr("Custom")),
        ):
            self.kind.addItem(text, g.value)
        self.kind.setToolTip(self.tr("Period length"))
        self.prev_button = QToolButton()
        self.prev_button.setText("◀")
        self.prev_button.setToolTip(self.tr("Previous period (Alt+Left)"))
        self.prev_button.setShortcut(QKeySequence("Alt+Left"))
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip(self.tr("Next period (Alt+Right)"))
        self.next_button.setShortcut(QKeySequence("Alt+Right"))
        self.label = QLabel()
        self.label.setMinimumWidth(150)
        self.label.setStyleSheet("font-weight: 600;")
        self.start_edit = QDateEdit()
        self.end_edit = QDateEdit()
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
        self.to_label = QLabel(self.tr("to"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for w in (
            self.kind,
            self.prev_button,
            self.label,
            self.start_edit,
            self.to_label,
            self.end_edit,
            self.next_button,
        ):
            row.addWidget(w)
        self._period = period_of(Granularity.MONTH, today, week_start)
        self.kind.setCurrentIndex(1)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.start_edit.dateChanged.connect(self._dates_changed)
        self.end_edit.dateChanged.connect(self._dates_changed)
        self._show()

    @property
    def period(self) -> Period:
        return self._period

    def set_period(self, period: Period) -> None:
        self._period = period
        with QSignalBlocker(self.kind):
            self.kind.setCurrentIndex(max(self.kind.findData(period.kind.value), 0))
        self._show()
        self.changed.emit()

    def step(self, steps: int) -> None:
        self.set_period(self._period.shifted(steps))

    def _kind_changed(self) -> None:
        kind = Granularity(self.kind.currentData())
        if kind is Granularity.CUSTOM:
            p = self._period
            self._period = custom(p.start, p.end, self.week_start)
        else:
            self._period = period_of(kind, min(self._period.end, self.today), self.week_start)
        self._show()
        self.changed.emit()

    def _dates_changed(self) -> None:
        start, end = _day(self.start_edit.date()), _day(self.end_edit.date())
        if end < start:
            self.end_edit.setStyleSheet("color: #c0504d;")
            self.end_edit.setToolTip(self.tr("The end is before the start."))
            return
        self.end_edit.setStyleSheet("")
        self.end_edit.setToolTip("")
        if (start, end) != (self._period.start, self._period.end):
            self._period = custom(start, end, self.week_start)
            self.changed.emit()

    def _show(self) -> None:
        is_custom = self._period.kind is Granularity.CUSTOM
        self.label.setVisible(not is_custom)
        for w in (self.start_edit, self.to_label, self.end_edit):
            w.setVisible(is_custom)
        self.label.setText(self._period.label)
        with QSignalBlocker(self.start_edit), QSignalBlocker(self.end_edit):
            self.start_edit.setDate(QDate(self._period.start))
            self.end_edit.setDate(QDate(self._period.end))


def _day(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


class FilterBar(QWidget):
    """Emits ``changed`` with new :class:`Filters` whenever the user changes one."""

    changed = Signal(object)

    def __init__(
        self,
        processes: list[Process],
        people: list[Person],
        today: date,
        week_start: int = 0,
        me: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.process = QComboBox()
        self.process.setToolTip(self.tr("Process to measure"))
        self.person = QComboBox()
        self.person.setToolTip(self.tr("A person, a team, or the whole team"))
        self.person.setMinimumContentsLength(14)
        self.picker = PeriodPicker(today, week_start)
        self.compare = QCheckBox(self.tr("Compare with previous period"))
        self.compare.setToolTip(self.tr("Show each figure's change since the previous period"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Process")))
        row.addWidget(self.process)
        row.addSpacing(8)
        row.addWidget(QLabel(self.tr("Person")))
        row.addWidget(self.person)
        row.addSpacing(8)
        row.addWidget(self.picker)
        row.addSpacing(8)
        row.addWidget(self.compare)
        row.addStretch(1)
        self.set_choices(processes, people, me)
        self.process.currentIndexChanged.connect(self._emit)
        self.person.currentIndexChanged.connect(self._emit)
        self.picker.changed.connect(self._emit)
        self.compare.toggled.connect(self._emit)

    def set_choices(
        self, processes: list[Process], people: list[Person], me: int | None = None
    ) -> None:
        self.processes = {p.id: p for p in processes}
        current_proc = self.process.currentData()
        current_person = self.person.currentData() if self.person.count() else me
        with QSignalBlocker(self.process), QSignalBlocker(self.person):
            self.process.clear()
            self.process.addItem(self.tr("Hunting and farming"), BOTH)
            for p in processes:
                self.process.addItem(f"{p.name} ({p.kind.label.lower()})", p.id)
            self.process.setCurrentIndex(max(self.process.findData(current_proc), 0))
            self.person.clear()
            self.person.addItem(self.tr("Whole team"), TEAM)
            self.teams = add_teams(self.person, people)
            for person in people:
                self.person.addItem(person.name, person.id)
            self.person.setCurrentIndex(max(self.person.findData(current_person), 0))

    def filters(self) -> Filters:
        pid = self.process.currentData()
        ids = tuple(self.processes) if pid in (None, BOTH) else (int(pid),)
        person = self.person.currentData()
        team = team_of(person)
        if team:
            return Filters(
                ids,
                None,
                self.picker.period,
                self.compare.isChecked(),
                team,
                self.teams.get(team, ()),
            )
        return Filters(
            ids,
            None if person in (None, TEAM) else int(person),
            self.picker.period,
            self.compare.isChecked(),
        )

    def _emit(self) -> None:
        self.changed.emit(self.filters())
