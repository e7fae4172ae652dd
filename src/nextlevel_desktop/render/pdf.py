"""PDF documents: the one-on-one review a manager hands to the rep, and the scorecard report.

Built with matplotlib alone (``Figure`` + ``PdfPages``, no Qt, no pyplot), so the command line
writes the same PDF as the app. A4 portrait, one or two pages.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .. import APP_NAME
from ..domain.models import format_money
from ..domain.periods import short_range
from ..services.reviews import ActionItem, ReviewRecord
from ..services.scorecards import EngagementLine, Scorecard
from . import charts
from .cards import kind_colour, measure_rows, plot_card_mix, plot_card_time, target_row
from .charts import LIGHT
from .format import drawn_literally
from .palette import PALETTE

A4 = (8.27, 11.69)
MARGIN = 0.6
INK = "#222222"
MUTED = "#6b7079"
RULE = "#d5d9de"
ZEBRA = "#f4f6f8"
TICK_ROOM = 0.3  # inches below a chart's axes for its tick labels


class Page:
    """A page with a cursor that moves down as blocks are added (inches from the top)."""

    def __init__(self, pdf: PdfPages, footer: str) -> None:
        self.pdf = pdf
        self.fig = Figure(figsize=A4)
        self.fig.set_facecolor("white")
        self.y = MARGIN
        self.footer = footer
        self.width = A4[0] - 2 * MARGIN

    def _fy(self, y: float) -> float:
        return 1 - y / A4[1]

    def _fx(self, x: float) -> float:
        return x / A4[0]

    def room(self) -> float:
        return A4[1] - MARGIN - 0.3 - self.y

    def text(
        self,
        s: str,
        size: float = 9,
        weight: str = "normal",
        colour: str = INK,
        x: float = 0.0,
        gap: float = 0.06,
        ha: str = "left",
    ) -> None:
        self.fig.text(
            self._fx(MARGIN + x),
            self._fy(self.y),
            s,
            fontsize=size,
            fontweight=weight,
            color=colour,
            va="top",
            ha=ha,
        )
        self.y += size / 72 * 1.35 + gap

    def heading(self, s: str, colour: str = INK) -> None:
        self.y += 0.12
        self.text(s, 11.5, "bold", colour, gap=0.02)
        self.rule()

    def rule(self, colour: str = RULE) -> None:
        self.fig.add_artist(
            Rectangle(
                (self._fx(MARGIN), self._fy(self.y)),
                self._fx(self.width),
                0.0008,
                transform=self.fig.transFigure,
                color=colour,
                linewidth=0,
            )
        )
        self.y += 0.08

    def paragraph(self, s: str, size: float = 9, colour: str = INK) -> None:
        chars = int(self.width * 72 / (size * 0.52))
        for para in s.splitlines() or [""]:
            for line in textwrap.wrap(para, chars) or [""]:
                self.text(line, size, colour=colour, gap=0.0)
        self.y += 0.06

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float],
        size: float = 8.5,
        right: Sequence[int] = (),
    ) -> None:
        """Rows of text with a header and zebra stripes; ``widths`` are fractions of the width."""
        line_h = size / 72 * 1.7
        xs = [0.0]
        for w in widths[:-1]:
            xs.append(xs[-1] + w * self.width)

        def row(values: Sequence[Any], bold: bool, shade: bool) -> None:
            if shade:
                self.fig.add_artist(
                    Rectangle(
                        (self._fx(MARGIN), self._fy(self.y + line_h - 0.03)),
                        self._fx(self.width),
                        line_h / A4[1],
                        transform=self.fig.transFigure,
                        color=ZEBRA,
                        linewidth=0,
                        zorder=0,
                    )
                )
            for i, v in enumerate(values):
                colour = INK
                text = v
                if hasattr(v, "label") and hasattr(v, "value"):  # a Status
                    text = v.label
                    colour = charts.STATUS_COLOURS.get(v, INK)
                is_right = i in right
                x = xs[i] + (widths[i] * self.width - 0.08 if is_right else 0.06)
                self.fig.text(
                    self._fx(MARGIN + x),
                    self._fy(self.y + 0.02),
                    str(text),
                    fontsize=size,
                    fontweight="bold" if bold or colour != INK else "normal",
                    color=MUTED if bold else colour,
                    va="top",
                    ha="right" if is_right else "left",
                )
            self.y += line_h

        row(headers, True, False)
        self.rule()
        self.y -= 0.06
        for i, values in enumerate(rows):
            row(values, False, i % 2 == 1)
        self.y += 0.08

    def axes(
        self, height: float, columns: int = 1, gap: float = 0.55, inset: float = 1.05
    ) -> list[Any]:
        """Axes for charts across the page width: room above for the title and key, below
        for the tick labels (without it the next chart's title was drawn over them)."""
        result = []
        width = (self.width - gap * (columns - 1)) / columns
        for c in range(columns):
            left = MARGIN + c * (width + gap)
            result.append(
                self.fig.add_axes(
                    (
                        self._fx(left + inset),
                        self._fy(self.y + height - TICK_ROOM),
                        self._fx(width - inset - 0.1),
                        (height - 0.35 - TICK_ROOM) / A4[1],
                    )
                )
            )
        self.y += height + 0.1
        return result

    def finish(self, number: int, total: int) -> None:
        self.fig.text(
            self._fx(MARGIN),
            self._fy(A4[1] - MARGIN + 0.2),
            self.footer,
            fontsize=7.5,
            color=MUTED,
            va="bottom",
        )
        self.fig.text(
            self._fx(A4[0] - MARGIN),
            self._fy(A4[1] - MARGIN + 0.2),
            f"Page {number} of {total}",
            fontsize=7.5,
            color=MUTED,
            va="bottom",
            ha="right",
        )
        self.pdf.savefig(self.fig)


def _header(page: Page, kicker: str, title: str, subtitle: str) -> None:
    page.fig.add_artist(
        Rectangle(
            (0, page._fy(0.32)),
            1,
            0.32 / A4[1],
            transform=page.fig.transFigure,
            color=PALETTE.hunting,
            linewidth=0,
        )
    )
    page.text(kicker.upper(), 8.5, "bold", PALETTE.hunting, gap=0.04)
    page.text(title, 20, "bold", gap=0.05)
    page.text(subtitle, 9.5, colour=MUTED, gap=0.1)
    page.rule(PALETTE.hunting)


def _scorecard_tables(page: Page, cards: Sequence[Scorecard], currency: str) -> None:
    for card in cards:
        proc = card.scope.process
        page.heading(f"{proc.name} — {proc.kind.label}", kind_colour(proc.kind))
        if card.targets:
            rows = [target_row("", t, currency)[1:] for t in card.targets]
            page.table(
                ["Measure", "Actual", "Target", "Attainment", "Status"],
                rows,
                [0.4, 0.15, 0.15, 0.15, 0.15],
                right=(1, 2, 3),
            )
        else:
            page.paragraph("No targets are set for this process.", colour=MUTED)
        pairs = measure_rows(card, currency)
        half = (len(pairs) + 1) // 2
        left, right_ = pairs[:half], pairs[half:]
        rows = [[*left[i], *(right_[i] if i < len(right_) else ("", ""))] for i in range(half)]
        page.table(
            ["Measure", "Value", "Measure", "Value"],
            rows,
            [0.3, 0.2, 0.3, 0.2],
            size=8,
            right=(1, 3),
        )


def _attainment(page: Page, cards: Sequence[Scorecard], on_track: int, at_risk: int) -> None:
    n_targets = sum(len(c.targets) for c in cards)
    height = min(0.55 + TICK_ROOM + 0.24 * max(n_targets, 2), 3.4 + TICK_ROOM)
    ax = page.axes(height, inset=2.0)[0]
    charts.plot_attainment(
        ax,
        [(c.kind.label, c.targets) for c in cards],
        LIGHT,
        "Attainment against target",
        on_track,
        at_risk,
    )


def _mix(page: Page, cards: Sequence[Scorecard]) -> None:
    axes = page.axes(1.9 + TICK_ROOM, columns=len(cards) or 1)
    for ax, card in zip(axes, cards, strict=False):
        plot_card_mix(ax, card, LIGHT, f"Activity mix — {card.kind.label.lower()}")


def _engagement_rows(lines: Sequence[EngagementLine], currency: str) -> list[list[Any]]:
    return [
        [
            ln.name[:34],
            ln.stage,
            "–" if ln.days_in_stage is None else ln.days_in_stage,
            ln.expected_days if ln.expected_days is not None else "–",
            ln.days_over or "",
            format_money(ln.value_minor, currency),
            "Stalled" if ln.reason == "stalled" else "No activity",
        ]
        for ln in lines
    ]


def _actions(page: Page, actions: Sequence[ActionItem], with_status: bool) -> None:
    if not actions:
        page.paragraph("None.", colour=MUTED)
        return
    rows = []
    for a in actions:
        due = f"{a.due_on:%d %b %Y}" if a.due_on else "–"
        status = ("Done" + (f" {a.done_on:%d %b}" if a.done_on else "")) if a.done else "Open"
        text = textwrap.shorten(a.text, 80, placeholder="…")
        rows.append([text, due, status] if with_status else [text, due, "☐"])
    page.table(["Action", "Due", "Status" if with_status else ""], rows, [0.66, 0.17, 0.17])


@drawn_literally
def write_review_pdf(
    path: Path,
    review: ReviewRecord,
    cards: Sequence[Scorecard],
    risks: Sequence[EngagementLine],
    previous_actions: Sequence[ActionItem],
    currency: str,
    thresholds: tuple[int, int] = (100, 80),
    health: Sequence[tuple[str, Sequence[Any]]] = (),
    signals: Sequence[Any] = (),
    since: date | None = None,
) -> Path:
    """The review on two or three A4 pages: scorecard, charts, risks, notes and actions, and
    (when given) each process's stage health and the behaviour signals since ``since``."""
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        path = path.with_suffix(".pdf")
    period, who = review.period, review.subject
    kind = "Team review" if review.team else "One-on-one review"
    footer = f"{APP_NAME} · {kind.lower()} of {who} · {period.label}"
    meta = {
        "Title": f"{kind} — {who} — {period.label}",
        "Author": review.reviewer_name or APP_NAME,
        "Subject": who,
        "Creator": APP_NAME,
    }
    with PdfPages(path, metadata=meta) as pdf:
        p1 = Page(pdf, footer)
        held = f"held {review.held_on.day} {review.held_on:%B %Y}"
        by = (
            f" with {review.reviewer_name}"
            if review.reviewer_name and review.reviewer_id != review.person_id
            else ""
        )
        span = short_range(period.start, period.end, with_year=True)
        _header(p1, kind, who, f"{period.label} ({span}) · {held}{by}")
        _scorecard_tables(p1, cards, currency)
        _attainment(p1, cards, *thresholds)
        p2 = Page(pdf, footer)
        p2.text(f"{who} — {period.label}", 12, "bold", gap=0.1)
        _mix(p2, cards)
        p2.heading("Stalled and at-risk engagements")
        if risks:
            shown = list(risks)[:10]
            p2.table(
                ["Engagement", "Stage", "Days", "Expected", "Over", "Value", "Why"],
                _engagement_rows(shown, currency),
                [0.3, 0.16, 0.08, 0.1, 0.08, 0.14, 0.14],
                size=8,
                right=(2, 3, 4, 5),
            )
            if len(risks) > len(shown):
                p2.paragraph(f"… and {len(risks) - len(shown)} more.", 8, MUTED)
        else:
            p2.paragraph(
                "None: every open engagement is within its stage's expected days.", colour=MUTED
            )
        p2.heading("Actions agreed last time")
        _actions(p2, previous_actions, with_status=True)
        p2.heading("Notes")
        p2.paragraph(review.notes or "No notes.", colour=INK if review.notes else MUTED)
        p2.heading("Agreed actions")
        _actions(p2, review.actions, with_status=False)
        pages = [p1, p2]
        if health or signals:
            from .health_pdf import health_page

            pages.append(Page(pdf, footer))
            health_page(pages[-1], health, signals, since, currency, MUTED)
        for i, page in enumerate(pages):
            page.finish(i + 1, len(pages))
    return path


@drawn_literally
def write_scorecard_pdf(
    services: Any, cards: Sequence[Scorecard], path: Path, person_name: str | None
) -> Path:
    """The command line's ``report --pdf``: one page per process scorecard with its charts."""
    path = Path(path)
    settings = services.workspace.settings()
    who = person_name or "Whole team"
    with PdfPages(path, metadata={"Title": f"Scorecard — {who}", "Creator": APP_NAME}) as pdf:
        pages = []
        for card in cards:
            proc = card.scope.process
            period = card.scope.period
            page = Page(pdf, f"{APP_NAME} · scorecard · generated {date.today():%d %b %Y}")
            span = short_range(period.start, period.end, with_year=True)
            _header(
                page,
                f"Scorecard — {proc.kind.label}",
                f"{proc.name}: {who}",
                f"{period.label} ({span})",
            )
            _scorecard_tables(page, [card], settings.currency)
            _attainment(page, [card], settings.on_track_pct, settings.at_risk_pct)
            if page.room() > 2.2:
                _mix(page, [card])
            if page.room() > 2.2:
                ax = page.axes(min(page.room(), 2.8))[0]
                plot_card_time(ax, card, LIGHT, "Time in stage")
            pages.append(page)
        for i, page in enumerate(pages):
            page.finish(i + 1, len(pages))
    return path
