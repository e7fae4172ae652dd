"""The Monitor's Plan tab: an outcome target worked back through the funnel (the reverse-funnel
planner of ``domain.planning``) to the new engagements, stage entries and activities needed per
week, against the current pace; one click writes the result as targets (one undoable write)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain import measures as ms
from ...domain.changes import Changes
from ...domain.errors import NextLevelError
from ...domain.models import ProcessKind, format_money
from ...domain.periods import Granularity, Period, period_of, short_range
from ...domain.planning import MIN_OBSERVATIONS, Need, Plan, Rate, rate_window
from ...domain.processes import TargetSpec
from ...services.container import Services
from ...services.planning import PlanRequest, outcome_label
from ...services.revisions import Revision
from ..kit.ops import Host, run_op
from ..kit.stale import Stale
from ..plain_text import plain_label
from ..wording import long_day_text
from .drilldown import configure_table
from .filters import TEAM
from .tables import ValuesModel

PLAN_CHANGES = ("activities", "engagements", "stages", "processes", "people", "settings")


def upcoming_periods(today: date, week_start: int) -> list[Period]:
    """The periods a plan is usually for: this and the next two quarters, this and next month."""
    quarter = period_of(Granularity.QUARTER, today, week_start)
    month = period_of(Granularity.MONTH, today, week_start)
    after = quarter.end + timedelta(days=1)
    return [
        quarter,
        period_of(Granularity.QUARTER, after, week_start),
        period_of(
            Granularity.QUARTER,
            period_of(Granularity.QUARTER, after, week_start).end + timedelta(days=1),
        ),
        month,
        period_of(Granularity.MONTH, month.end + timedelta(days=1), week_start),
    ]


class PlanPage(QWidget):
    """Target, window, the worked-back numbers, the pace, and “Write as targets”."""

    def __init__(self, host: Host, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.today = today
        ws = host.services.workspace.settings()
        self.currency, self.week_start = ws.currency, ws.week_start
        self.on_track_pct, self.at_risk_pct = ws.on_track_pct, ws.at_risk_pct
        self.plan: Plan | None = None
        self.specs: list[TargetSpec] = []
        self.request: PlanRequest | None = None
        self.stale = Stale(self, lambda _changes: self._compute())

        self.process = QComboBox()
        self.person = QComboBox()
        self.person.setMinimumContentsLength(14)
        self.period = QComboBox()
        self.outcome = QComboBox()
        self.amount = QDoubleSpinBox()
        self.amount.setRange(0, 1e10)
        self.amount.setDecimals(0)
        self.amount.setGroupSeparatorShown(True)
        self.amount.setMinimumWidth(120)
        self.months = QSpinBox()
        self.months.setRange(1, 60)
        self.months.valueChanged.connect(
            lambda n: self.months.setSuffix(self.tr(" month") if n == 1 else self.tr(" months"))
        )
        self.months.setValue(6)
        self.months.setToolTip(self.tr("The rates are what was measured over this many months"))
        self.months_label = QLabel()
        self.months_label.setEnabled(False)
        self.write_button = QPushButton(self.tr("Write as targets"))
        self.write_button.setToolTip(
            self.tr(
                "Set the target, and the new engagements and activities per week, as this "
                "scope's targets (one step, undoable)"
            )
        )
        first = QHBoxLayout()
        for text, w in (
            (self.tr("Process"), self.process),
            (self.tr("Person"), self.person),
            (self.tr("Period"), self.period),
        ):
            first.addWidget(QLabel(text))
            first.addWidget(w)
            first.addSpacing(8)
        first.addStretch(1)
        second = QHBoxLayout()
        second.addWidget(QLabel(self.tr("Target")))
        second.addWidget(self.outcome)
        second.addWidget(self.amount)
        second.addSpacing(12)
        second.addWidget(QLabel(self.tr("Rates from the last")))
        second.addWidget(self.months)
        second.addWidget(self.months_label)
        second.addStretch(1)
        second.addWidget(self.write_button)

        self.summary = plain_label()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 110%; font-weight: 600;")
        self.notes = plain_label()
        self.notes.setWordWrap(True)
        self.notes.setEnabled(False)
        self.needs_model = ValuesModel()
        self.rates_model = ValuesModel()
        split = QSplitter(Qt.Orientation.Horizontal)
        self.needs_view, self.rates_view = QTableView(), QTableView()
        for title, model, view in (
            (self.tr("Work needed"), self.needs_model, self.needs_view),
            (self.tr("Rates used"), self.rates_model, self.rates_view),
        ):
            view.setModel(model)
            configure_table(view)
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(view)
            split.addWidget(box)
        split.setSizes([560, 440])
        layout = QVBoxLayout(self)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(split, 1)

        self._fill_choices()
        for combo in (self.process, self.person, self.period, self.outcome):
            combo.currentIndexChanged.connect(self._changed)
        self.amount.valueChanged.connect(self._changed)
        self.months.valueChanged.connect(self._changed)
        self.write_button.clicked.connect(self.write_targets)
        self.stale.mark()

    @property
    def services(self) -> Services:
        return self.host.services

    # Choices ---------------------------------------------------------------------------------
    def _fill_choices(self) -> None:
        blockers = [QSignalBlocker(w) for w in (self.process, self.person, self.period)]
        process, person = self.process.currentData(), self.person.currentData()
        self.process.clear()
        for p in self.services.processes.processes():
            self.process.addItem(p.name, p.id)
        self.person.clear()
        self.person.addItem(self.tr("Whole team"), TEAM)
        for someone in self.services.people.people():
            self.person.addItem(someone.name, someone.id)
        if self.period.count() == 0:
            for period in upcoming_periods(self.today, self.week_start):
                self.period.addItem(period.label, period)
            self.period.setCurrentIndex(1)  # next quarter: the usual horizon of a plan
        for combo, value in ((self.process, process), (self.person, person)):
            index = combo.findData(value)
            combo.setCurrentIndex(max(index, 0))
        del blockers
        self._fill_outcomes()

    def _fill_outcomes(self) -> None:
        kind = self._kind()
        with QSignalBlocker(self.outcome):
            chosen = self.outcome.currentData()
            self.outcome.clear()
            for outcome in ("won_value", "won_count"):
                self.outcome.addItem(self.tr(outcome_label(outcome, kind)), outcome)
            self.outcome.setCurrentIndex(max(self.outcome.findData(chosen), 0))
        with QSignalBlocker(self.amount):
            value = self.outcome.currentData() == "won_value"
            self.amount.setPrefix(f"{self.currency} " if value else "")
            if self.amount.value() == 0:
                self.amount.setValue(100_000 if value else 10)

    def _kind(self) -> ProcessKind:
        pid = self.process.currentData()
        found = [p for p in self.services.processes.processes() if p.id == pid]
        return found[0].kind if found else ProcessKind.HUNTING

    def follow(self, person_id: int | None) -> None:
        """Plan for the person chosen on Scorecards (the team when none)."""
        index = self.person.findData(TEAM if person_id is None else person_id)
        if index >= 0 and index != self.person.currentIndex():
            self.person.setCurrentIndex(index)

    def _changed(self) -> None:
        if self.sender() is self.outcome:
            with QSignalBlocker(self.amount):
                self.amount.setValue(0)
            self._fill_outcomes()
        elif self.sender() is self.process:
            self._fill_outcomes()
        self.stale.mark()

    def on_changes(self, changes: Changes) -> None:
        if changes.touches("processes", "people", "settings"):
            self._fill_choices()
        if changes.touches(*PLAN_CHANGES):
            self.stale.mark(changes)

    # Reading ---------------------------------------------------------------------------------
    def _request(self) -> PlanRequest | None:
        pid, period = self.process.currentData(), self.period.currentData()
        if pid is None or period is None:
            return None
        person = self.person.currentData()
        outcome = self.outcome.currentData() or "won_value"
        amount = self.amount.value() * (100 if outcome == "won_value" else 1)
        return PlanRequest(
            pid,
            None if person in (None, TEAM) else person,
            period,
            outcome,
            round(amount),
            self.months.value(),
        )

    def _compute(self) -> None:
        req = self._request()
        start, end = rate_window(self.today, self.months.value())
        self.months_label.setText(f"({short_range(start, end, with_year=True)})")
        if req is None:
            return
        today = self.today

        def read(s: Services) -> tuple[Plan, list[TargetSpec]]:
            plan = s.planning.plan(req, today)
            return plan, s.planning.targets(req, plan)

        self.write_button.setEnabled(False)
        self.host.ops.read(
            self,
            "plan",
            read,
            lambda answer: self._show(req, *answer),
            busy=self,
            on_failed=self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, NextLevelError):
            raise exc
        self.plan, self.specs = None, []
        self.summary.setText(str(exc))
        self.notes.setText(self.tr("Choose a wider window, another process or another target."))
        self.needs_model.set_rows([], [])
        self.rates_model.set_rows([], [])

    def _show(self, req: PlanRequest, plan: Plan, specs: list[TargetSpec]) -> None:
        self.request, self.plan, self.specs = req, plan, specs
        self.write_button.setEnabled(bool(specs))
        self.summary.setText(self._sentence(plan))
        notes = plan.rates.team_notes
        who = self.person.currentText()
        sources = plan.rates.sources
        whose = (
            self.tr("The team's or everybody's rates are used there (see Source).")
            if len(sources) > 1
            else self.tr("The team's rates are used there.")
            if sources == ["team"]
            else self.tr("Everybody's rates are used there.")
        )
        self.notes.setText(
            self.tr("{0} has fewer than {1} observations for: {2}. {3}").format(
                who, MIN_OBSERVATIONS, ", ".join(notes), whose
            )
            if notes
            else self.tr("Pace: what was done per week in the last four weeks ({0}).").format(
                short_range(*plan.pace_window, with_year=True) if plan.pace_window else "–"
            )
        )
        rows: list[list[object]] = [self._need_row(self.tr("Wins"), plan.wins)]
        rows.append(self._need_row(self.tr("New engagements"), plan.new_engagements))
        rows += [self._need_row(self.tr("Enter {0}").format(n.name), n) for n in plan.entries[1:]]
        rows += [
            self._need_row(self.tr("{0} activities").format(a.name), a) for a in plan.activities
        ]
        self.needs_model.set_rows(
            rows,
            [
                self.tr("Work"),
                self.tr("Per week"),
                self.tr("In the period"),
                self.tr("Pace per week"),
                self.tr("Pace vs need"),
                self.tr("Status"),
            ],
        )
        r = plan.rates
        value = r.average_won_value.value
        rate_rows: list[list[object]] = [
            self._rate_row(
                self.tr("Average won value"),
                "–" if value is None else format_money(round(value / 100) * 100, self.currency),
                r.average_won_value,
            ),
            self._rate_row(
                self.tr("Cycle length"),
                "–" if r.cycle_days.value is None else f"{r.cycle_days.value:.0f} d",
                r.cycle_days,
            ),
        ]
        rate_rows += [
            self._rate_row(self.tr("{0} conversion").format(n), _pct(c.value), c)
            for n, c in r.conversions
        ]
        rate_rows += [
            self._rate_row(
                self.tr("{0} per advance").format(t),
                "–" if a.value is None else f"{a.value:.2f}",
                a,
            )
            for t, a in r.activities_per_advance
        ]
        self.rates_model.set_rows(
            rate_rows,
            [self.tr("Rate"), self.tr("Value"), self.tr("Observations"), self.tr("Source")],
        )
        for view in (self.needs_view, self.rates_view):  # the names take the spare width
            header = view.horizontalHeader()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _sentence(self, plan: Plan) -> str:
        label = self.period.currentText()
        goal = (
            format_money(round(plan.amount), self.currency)
            if plan.outcome == "won_value"
            else self.tr("{0} wins").format(round(plan.amount))
        )
        cycle = plan.rates.cycle_days.value
        if plan.start_by is None:
            start = self.tr("start now (no cycle length was measured)")
        elif plan.start_by < self.today:
            new = plan.new_engagements
            if new.pace_ratio is not None and new.pace_ratio >= 1:  # late, but the pace covers it
                return self.tr(
                    "To reach {0} in {1} ({2:.0f} weeks): the work should have started on {3} "
                    "(one average cycle, {4:.0f} days, before); the current pace of {5:.1f} new "
                    "engagements a week covers the {6:.1f} needed: keep it up."
                ).format(
                    goal,
                    label,
                    plan.weeks,
                    long_day_text(plan.start_by),
                    cycle,
                    new.pace,
                    new.per_week,
                )
            start = self.tr(
                "the work should have started on {0} (one average cycle, {1:.0f} days, before): "
                "catch up"
            ).format(long_day_text(plan.start_by), cycle)
        else:
            start = self.tr("start by {0} (one average cycle, {1:.0f} days, before)").format(
                long_day_text(plan.start_by), cycle
            )
        return self.tr(
            "To reach {0} in {1} ({2:.0f} weeks): {3} and open {4:.1f} new engagements a week."
        ).format(goal, label, plan.weeks, start, plan.new_engagements.per_week)

    def _need_row(self, name: str, n: Need) -> list[object]:
        ratio = n.pace_ratio
        return [
            name,
            f"{n.per_week:.1f}",
            f"{n.total:.0f}",
            "–" if n.pace is None else f"{n.pace:.1f}",
            _pct(ratio),
            ms.status(ratio, self.on_track_pct, self.at_risk_pct),
        ]

    def _rate_row(self, name: str, value: str, r: Rate) -> list[object]:
        source = {"team": self.tr("team"), "everybody": self.tr("everybody")}
        return [name, value, r.observations, source.get(r.source, self.tr("own"))]

    # Writing ---------------------------------------------------------------------------------
    def write_targets(self) -> None:
        if self.request is None or not self.specs:
            return
        pid, specs = self.request.process_id, list(self.specs)

        def done(_rev: Revision) -> None:
            self.notes.setText(
                self.tr(
                    "Written as {0} targets: see them in Design › Targets (Undo takes them back)."
                ).format(len(specs))
            )

        run_op(
            self.host,
            self,
            self.tr("Write plan as targets"),
            lambda s: s.design.set_targets(pid, specs),
            on_done=done,
        )


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x * 100:.0f} %"
