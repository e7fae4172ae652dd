"""The review: pick a person (a one-on-one) or a team (a team meeting) and a period, see their
scorecard, risks and activity mix, check last time's actions, write notes and new actions, save
and export to PDF. A team's reviews are its own, apart from its people's one-on-ones."""

from __future__ import annotations

import contextlib
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.changes import Changes
from ...domain.errors import NextLevelError, NotFoundError, ValidationError
from ...domain.models import ProcessKind
from ...domain.periods import Period
from ...render.cards import measure_rows, target_row
from ...services.container import Services
from ...services.reviews import ActionItem, ReviewRecord, validate
from ...services.revisions import Revision
from ...services.scorecards import EngagementLine, Scope, Scorecard
from ..kit.busy import wait_for
from ..kit.ops import Host, run_op
from ..kit.stale import Stale
from ..monitor import build, reads
from ..monitor.canvas import ChartPanel
from ..monitor.drilldown import configure_table, open_engagement
from ..monitor.filters import TEAM_PREFIX, PeriodPicker, add_teams, team_of
from ..monitor.tables import EngagementModel, ValuesModel
from ..plain_text import plain_label
from ..wording import long_day_text
from .actions import ActionsEditor
from .health_section import ReviewHealth


class ReviewPage(QWidget):
    def __init__(self, host: Host, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        services, settings = host.services, host.settings
        self.services, self.settings = services, settings
        # A hidden review tab only notes that its figures are out of date: computing a person's
        # scorecards nobody looks at would slow the Monitor's first opening and every write.
        self._figures = Stale(self, lambda _changes: self._compute_figures())
        self.today = today
        ws = services.workspace.settings()
        self.currency = ws.currency
        self.me = settings.me(services.path)
        self.current: ReviewRecord | None = None  # the saved review being edited, if any
        self.previous: ReviewRecord | None = None
        self.cards: list[Scorecard] = []
        self.risks: list[EngagementLine] = []
        self.last_export: Path | None = None
        self.teams: dict[str, tuple[int, ...]] = {}  # each team's people

        # Choosing whom and when.
        self.person = QComboBox()
        self.person.setMinimumContentsLength(16)
        self.picker = PeriodPicker(today, ws.week_start)
        self.new_button = QPushButton(self.tr("New review"))
        self.new_button.setToolTip(
            self.tr("Start a new review of this person or team for this period")
        )
        self.save_button = QPushButton(self.tr("Save review"))
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("Save notes and actions (Ctrl+S)"))
        self.export_button = QPushButton(self.tr("Export PDF…"))
        self.export_button.setToolTip(
            self.tr("Write the review as a PDF to hand over, and open it")
        )
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Review of")))
        top.addWidget(self.person)
        top.addSpacing(8)
        top.addWidget(self.picker)
        top.addStretch(1)
        for b in (self.new_button, self.save_button, self.export_button):
            top.addWidget(b)
        self.person.setToolTip(self.tr("A person (one-on-one) or a team (team meeting)"))
        self.title = plain_label()
        self.title.setStyleSheet("font-weight: 700; font-size: 12pt;")
        self.state_label = plain_label()
        self.state_label.setEnabled(False)

        # Earlier reviews.
        self.history = QListWidget()
        self.history.setToolTip(
            self.tr("Earlier reviews of this person or team: click one to open it")
        )
        history_box = QGroupBox(self.tr("Earlier reviews"))
        QVBoxLayout(history_box).addWidget(self.history)

        # The review itself, in a scrolling column.
        body = QWidget()
        col = QVBoxLayout(body)
        col.setSpacing(10)
        self.score_model = ValuesModel()
        self.score_view = QTableView()
        self.score_view.setModel(self.score_model)
        configure_table(self.score_view)
        # A few dozen rows, all shown: fit the columns to every row, not the first screenful.
        self.score_view.horizontalHeader().setResizeContentsPrecision(-1)
        self.score_view.verticalHeader().setDefaultSectionSize(
            self.score_view.fontMetrics().height() + 8
        )
        self.score_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        col.addWidget(self._section(self.tr("Scorecard"), self.score_view))
        self.mix = ChartPanel(
            self.host.ops, self.tr("Activity mix"), self.tr("Done activities by type")
        )
        self.mix.setMinimumHeight(250)
        col.addWidget(self._section(self.tr("Activity mix"), self.mix))
        self.risk_model = EngagementModel(self.currency)
        self.risk_view = QTableView()
        self.risk_view.setModel(self.risk_model)
        configure_table(self.risk_view)
        self.risk_view.setMinimumHeight(160)
        self.risk_view.doubleClicked.connect(
            lambda i: open_engagement(self.host, self.risk_model.row(i.row()).id, self)
        )
        col.addWidget(self._section(self.tr("Stalled and at-risk engagements"), self.risk_view))
        self.health = ReviewHealth(host, self.currency)
        col.addWidget(self._section(self.tr("Process health and signals"), self.health))
        self.prev_actions = QListWidget()
        self.prev_actions.setMinimumHeight(90)
        self.prev_label = plain_label()
        self.prev_label.setEnabled(False)
        prev_holder = QWidget()
        pl = QVBoxLayout(prev_holder)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(self.prev_label)
        pl.addWidget(self.prev_actions)
        col.addWidget(self._section(self.tr("Actions agreed last time"), prev_holder))
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(self.tr("What went well, what to improve, support needed…"))
        self.notes.setMinimumHeight(110)
        col.addWidget(self._section(self.tr("Notes"), self.notes))
        self.agreed = ActionsEditor(today)
        col.addWidget(self._section(self.tr("Agreed actions"), self.agreed))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(history_box)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(self.state_label)
        layout.addWidget(self.splitter, 1)

        self._fill_people()
        self.person.currentIndexChanged.connect(self._person_changed)
        self.picker.changed.connect(self._period_changed)
        self.history.itemClicked.connect(self._open_item)
        self.prev_actions.itemChanged.connect(self._prev_action_toggled)
        self.new_button.clicked.connect(self.new_review)
        self.save_button.clicked.connect(self.save)
        self.export_button.clicked.connect(self.export_dialog)
        save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.activated.connect(self.save)
        self._person_changed()

    def _section(self, title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(title)
        label.setStyleSheet("font-weight: 700; font-size: 10.5pt;")
        layout.addWidget(label)
        layout.addWidget(widget)
        return box

    # People, period, history ---------------------------------------------------------------
    def _fill_people(self) -> None:
        current = self.person.currentData() if self.person.count() else self.me
        with QSignalBlocker(self.person):
            self.person.clear()
            people = self.services.people.people()
            self.teams = add_teams(self.person, people)
            if team_of(current) and team_of(current) not in self.teams:
                # Its people just moved away: the review on screen stays the team's (it is
                # not silently handed to somebody else with the notes typed so far).
                self.person.addItem(
                    self.tr("Team: {0} (nobody now)").format(team_of(current)), current
                )
            for p in people:
                self.person.addItem(p.name, p.id)
            if isinstance(current, int) and self.person.findData(current) < 0:
                # Made inactive meanwhile: the review on screen stays theirs, as for a team.
                with contextlib.suppress(NotFoundError):  # deleted: nobody to keep
                    gone = self.services.people.get(current)
                    self.person.addItem(self.tr("{0} (inactive)").format(gone.name), gone.id)
            index = self.person.findData(current)
            # The first person rather than a team when nothing is chosen yet.
            self.person.setCurrentIndex(index if index >= 0 else len(self.teams))

    @property
    def person_id(self) -> int | None:
        """The person reviewed; ``None`` for a team (see :attr:`team`) or nobody."""
        value = self.person.currentData()
        return None if value is None or self.team else int(value)

    @property
    def team(self) -> str:
        """The team reviewed, or ``""`` for a person."""
        return team_of(self.person.currentData())

    def _chosen(self) -> bool:
        return self.person_id is not None or bool(self.team)

    def _latest(self) -> ReviewRecord | None:
        """The latest saved review of the chosen person or team."""
        return self.services.reviews.previous(self.person_id, team=self.team)

    def _person_changed(self) -> None:
        self.current = None
        self._fill_history()
        self.previous = self._latest()
        self._start_draft()

    def _period_changed(self) -> None:
        if self.current is not None and self.current.period != self.picker.period:
            self.current = None
            self.previous = self._latest()
            self._start_draft()
        else:
            self._load_figures()

    def _fill_history(self) -> None:
        self.history.clear()
        if not self._chosen():
            return
        reviews = self.services.reviews.reviews_of(self.person_id, self.team)
        if not reviews:
            empty = QListWidgetItem(
                self.tr("No reviews yet.\nSave this one to start\nthe history.")
            )
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.history.addItem(empty)
        for r in reviews:
            open_n = len(r.open_actions)
            item = QListWidgetItem(
                f"{long_day_text(r.held_on)}\n{r.period.label}"
                + (f" · {open_n} open action{'s' if open_n != 1 else ''}" if open_n else "")
            )
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            if self.current is not None and r.id == self.current.id:
                item.setSelected(True)
            self.history.addItem(item)

    def _open_item(self, item: QListWidgetItem) -> None:
        if item.data(Qt.ItemDataRole.UserRole) is None:
            return
        self.open_review(int(item.data(Qt.ItemDataRole.UserRole)))

    def open_review(self, review_id: int) -> None:
        """Reopen an earlier review: its period, notes and actions."""
        review = self.services.reviews.review(review_id)
        self.current = review
        self.previous = self.services.reviews.previous(review.person_id, review, review.team)
        whose = TEAM_PREFIX + review.team if review.team else review.person_id
        with QSignalBlocker(self.person):
            self.person.setCurrentIndex(max(self.person.findData(whose), 0))
        with QSignalBlocker(self.picker):
            self.picker.set_period(review.period)
        self.notes.setPlainText(review.notes)
        self.agreed.set_items(review.actions)
        self._load_figures()

    def has_unsaved_work(self) -> bool:
        """Notes or actions typed and not saved: the review must not change under the user."""
        notes, actions = self.notes.toPlainText(), self.agreed.items()
        if self.current is None:
            return bool(notes.strip() or actions)
        return notes != self.current.notes or actions != tuple(self.current.actions)

    def follow(self, person_id: int | None, period: Period, team: str = "") -> bool:
        """Show ``person_id`` or ``team`` (unless the whole team) for ``period``, as chosen
        on Scorecards.

        Unsaved notes or actions are kept as they are; returns whether the review followed.
        """
        if self.has_unsaved_work():
            return False
        whose = TEAM_PREFIX + team if team else person_id
        index = self.person.findData(whose) if whose is not None else -1
        person_changes = index >= 0 and index != self.person.currentIndex()
        period_changes = period != self.picker.period
        if not (person_changes or period_changes):
            return True
        with QSignalBlocker(self.person), QSignalBlocker(self.picker):
            if person_changes:
                self.person.setCurrentIndex(index)
            self.picker.set_period(period)
        self.current = None
        self._fill_history()
        self.previous = self._latest()
        self._start_draft()
        return True

    def new_review(self) -> None:
        self.current = None
        self.previous = self._latest()
        self.history.clearSelection()
        self._start_draft()

    def _start_draft(self) -> None:
        self.notes.clear()
        self.agreed.set_items(())
        self._load_figures()

    # Figures ---------------------------------------------------------------------------------
    def _load_figures(self) -> None:
        self._show_state()
        self._fill_previous_actions()
        if not self._chosen():
            self._figures.clear()
            return
        self._figures.mark()
        if self.isVisible():
            self._figures.flush()

    def _compute_figures(self) -> None:
        if not self._chosen():
            return
        procs = self.services.processes.processes()
        procs.sort(key=lambda p: p.kind is not ProcessKind.HUNTING)
        team, members = self.team, self.teams.get(self.team, ())
        scopes = [
            Scope(p, self.person_id, self.picker.period, self.today, team, members) for p in procs
        ]

        def read(s: Services) -> tuple[list[Scorecard], list[EngagementLine]]:
            cards = reads.scorecards(s, scopes).cards  # the Monitor's reads, on the reader thread
            return cards, reads.risk_lines(s, cards)

        self.host.ops.read(self, "figures", read, self._show_figures, busy=self)
        # Signals since the last review of this person or team (at the first: the period's start).
        since = self.previous.held_on if self.previous is not None else self.picker.period.start
        self.health.load(scopes, since)

    def _show_figures(self, answer: tuple[list[Scorecard], list[EngagementLine]]) -> None:
        self.cards, self.risks = answer
        rows = [
            target_row(c.scope.process.name, t, self.currency)
            for c in self.cards
            for t in c.targets
        ]
        for c in self.cards:
            shown = {t.title for t in c.targets}
            rows += [
                [c.scope.process.name, label, value, "", "", ""]
                for label, value in measure_rows(c, self.currency)[:7]
                if label not in shown
            ]
        self._set_score_rows(
            [
                self.tr("Process"),
                self.tr("Measure"),
                self.tr("Actual"),
                self.tr("Target"),
                self.tr("Attainment"),
                self.tr("Status"),
            ],
            rows,
        )
        self.risk_model.set_rows(self.risks)
        # Up to ten rows at once (a team has more than one person's few); the page scrolls.
        view, lines = self.risk_view, min(max(len(self.risks), 4), 10)
        view.setMinimumHeight(
            view.horizontalHeader().height()
            + lines * view.verticalHeader().defaultSectionSize()
            + view.horizontalScrollBar().sizeHint().height()
            + 4
        )
        content = build.mix_chart(self.cards)
        self.mix.set_content(content.draw, content.table)

    def _set_score_rows(self, headers: list[str], rows: list[list[object]]) -> None:
        self.score_model.set_rows(rows, headers)
        # The whole scorecard at once: the page scrolls, not the table.
        view = self.score_view
        height = view.horizontalHeader().height() + view.verticalHeader().length() + 4
        view.setFixedHeight(height)

    def _show_state(self) -> None:
        self.title.setText(
            self.tr("Team review — {0}").format(self.team)
            if self.team
            else self.tr("One-on-one review — {0}").format(self.person.currentText())
        )
        if self.current is None:
            self.state_label.setText(
                self.tr("New review — held today ({0}). Save to keep it.").format(
                    long_day_text(self.today)
                )
            )
        else:
            self.state_label.setText(
                self.tr("Review held {0} for {1}.").format(
                    long_day_text(self.current.held_on), self.current.period.label
                )
            )

    def _fill_previous_actions(self) -> None:
        with QSignalBlocker(self.prev_actions):
            self.prev_actions.clear()
            prev = self.previous
            if prev is None:
                self.prev_label.setText(
                    self.tr("No earlier review of this team.")
                    if self.team
                    else self.tr("No earlier review of this person.")
                )
                return
            self.prev_label.setText(
                self.tr("From the review held {0} — tick what is done.").format(
                    long_day_text(prev.held_on)
                )
            )
            for action in prev.actions:
                due = (
                    self.tr(" (due {0})").format(long_day_text(action.due_on))
                    if action.due_on
                    else ""
                )
                overdue = (
                    action.due_on is not None and action.due_on < self.today and not action.done
                )
                item = QListWidgetItem(
                    action.text + due + (self.tr("  — overdue") if overdue else "")
                )
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    Qt.CheckState.Checked if action.done else Qt.CheckState.Unchecked
                )
                item.setData(Qt.ItemDataRole.UserRole, action.id)
                self.prev_actions.addItem(item)
            if not prev.actions:
                self.prev_label.setText(self.tr("No actions were agreed in the previous review."))

    def _prev_action_toggled(self, item: QListWidgetItem) -> None:
        if self.previous is None:
            return
        action_id = item.data(Qt.ItemDataRole.UserRole)
        action = next((a for a in self.previous.actions if a.id == action_id), None)
        done = item.checkState() == Qt.CheckState.Checked
        if action is None or action.done == done or action.id is None:
            return
        action_id, today = action.id, self.today
        run_op(
            self.host,
            self,
            self.tr("Mark action done") if done else self.tr("Mark action not done"),
            lambda s: s.reviews.set_action_done(action_id, done, today),
        )

    def on_changes(self, changes: Changes) -> None:
        if changes.touches("people"):
            self._fill_people()
            if self.team:  # its people may have changed, and with them its figures
                self._load_figures()
        if changes.touches("reviews"):
            if self.current is not None and self.current.id in changes.ids:
                try:  # saved again, or undone: a new review's undo deletes it
                    self.current = self.services.reviews.review(self.current.id)
                except NextLevelError:
                    self.current = None
                self._show_state()
            self._fill_history()
            if self.previous is not None:
                try:
                    self.previous = self.services.reviews.review(self.previous.id or 0)
                except NextLevelError:
                    self.previous = None
                self._fill_previous_actions()
        if changes.touches(
            "activities", "engagements", "targets", "processes", "stages", "settings"
        ):
            self._load_figures()

    # Save and export -------------------------------------------------------------------------
    def draft(self) -> ReviewRecord:
        assert self._chosen()
        base = self.current
        return ReviewRecord(
            person_id=self.person_id,
            team=self.team,
            period=self.picker.period,
            held_on=base.held_on if base else self.today,
            notes=self.notes.toPlainText(),
            actions=self.agreed.items(),
            reviewer_id=base.reviewer_id if base else self.me,
            id=base.id if base else None,
            person_name="" if self.team else self.person.currentText(),
        )

    def save(self) -> bool:
        """Save the review (undoable; it keeps its id through undo and redo); False when the
        form itself shows a problem."""
        if not self._chosen():
            return False
        draft = self.draft()
        try:
            validate(draft)
        except ValidationError as exc:
            self.agreed.show_problems(exc.problems)
            return False
        self.agreed.show_problems({})
        run_op(
            self.host,
            self,
            self.tr("Save review of {0}").format(draft.subject),
            lambda s: s.reviews.save(draft),
            on_done=self._saved,
            on_invalid=lambda exc: self.agreed.show_problems(exc.problems),
        )
        return True

    def _saved(self, rev: Revision) -> None:
        self.current = self.services.reviews.review(rev.ids["review"])
        self._fill_history()
        self._show_state()

    def export_dialog(self) -> None:
        name = "-".join(re.findall(r"\w+", self.person.currentText()))
        default = Path.home() / f"Review-{name}-{self.picker.period.code}.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export review"), str(default), self.tr("PDF document (*.pdf)")
        )
        if path:
            self.export(Path(path), open_after=True)

    def export(self, path: Path, open_after: bool = True) -> Path:
        """Write the review as PDF (the current draft, saved or not); open it if asked."""
        draft = self.draft()
        names = {p.id: p.name for p in self.services.people.people(include_inactive=True)}
        draft = replace(draft, reviewer_name=names.get(draft.reviewer_id or -1, ""))
        prev_actions: tuple[ActionItem, ...] = self.previous.actions if self.previous else ()
        ws = self.services.workspace.settings()
        cards, risks, currency = self.cards, self.risks, self.currency
        health, signals, since = self.health.health, self.health.signals, self.health.since

        def write(_progress: object) -> Path:  # matplotlib imported and drawn on a worker
            from ...render.pdf import write_review_pdf

            return write_review_pdf(
                path,
                draft,
                cards,
                risks,
                prev_actions,
                currency,
                (ws.on_track_pct, ws.at_risk_pct),
                health=health,
                signals=signals,
                since=since,
            )

        dest = wait_for(self.tr("Writing the review…"), write, self)
        assert isinstance(dest, Path)
        self.last_export = dest
        if open_after:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(dest)))
        return dest
