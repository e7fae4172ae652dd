"""The scorecard and review PDFs read cleanly: no figure twice, no chart over another's labels,
no unexplained 0 %, activity mix most done first."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages

from nextlevel_desktop.domain.periods import parse_period
from nextlevel_desktop.render import cards as render_cards
from nextlevel_desktop.render.pdf import Page, write_scorecard_pdf
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.ui.monitor import build

TODAY = date(2026, 11, 27)


def cards(services: Services, period: str, person: str | None = None):  # type: ignore[no-untyped-def]
    svc = services.scorecards
    people = {p.name: p.id for p in services.people.people()}
    result = []
    for proc in services.processes.processes():
        scope = svc.scope(proc.id, people.get(person or ""), parse_period(period), TODAY)
        result.append(svc.scorecard(scope))
    return result


def test_consecutive_charts_do_not_overlap(demo_services: Services, tmp_path: Path) -> None:
    """The scorecard page's activity mix, then its time in stage (title and key above it):
    the title was drawn over the mix's tick labels."""
    from nextlevel_desktop.render.charts import LIGHT

    card = cards(demo_services, "2026-11")[0]
    with PdfPages(tmp_path / "x.pdf") as pdf:
        page = Page(pdf, "footer")
        first = page.axes(2.2)[0]
        render_cards.plot_card_mix(first, card, LIGHT, "Activity mix")
        second = page.axes(2.8)[0]
        render_cards.plot_card_time(second, card, LIGHT, "Time in stage")
        renderer = FigureCanvasAgg(page.fig).get_renderer()
        page.fig.draw(renderer)
        below = first.get_tightbbox(renderer)
        above = second.get_tightbbox(renderer)  # title and key included
        assert below is not None and above is not None
        assert below.y0 > above.y1  # display y grows upwards


def test_measure_rows_leave_out_what_the_targets_show(demo_services: Services) -> None:
    hunting = next(c for c in cards(demo_services, "2026-11") if c.kind.value == "hunting")
    targeted = {t.label for t in hunting.targets}
    assert "Win rate" in targeted
    labels = [label for label, _ in render_cards.measure_rows(hunting, "EUR")]
    assert "Win rate" not in labels and "Done activities" in labels
    funnel = next(label for label in labels if label.startswith("Funnel yield"))
    value = dict(render_cards.measure_rows(hunting, "EUR"))[funnel]
    # A bare "0 %" only with its reason (a small yield such as 0.3 % is not rounded to 0).
    assert value != "0 %" or "none moved on from" in funnel


def test_mix_is_most_done_first(demo_services: Services) -> None:
    card = cards(demo_services, "2026-11")[0]
    _, rows = build.mix_chart([card]).table()
    counts = [r[2] for r in rows]
    assert counts == sorted(counts, reverse=True) and len(counts) > 2


@pytest.mark.skipif(
    subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0,
    reason="pdftotext (poppler-utils) is not installed",
)
def test_scorecard_pdf_lists_each_measure_once(demo_services: Services, tmp_path: Path) -> None:
    hunting = [
        c for c in cards(demo_services, "2026-11", "Ines Ferreira") if c.kind.value == "hunting"
    ]
    out = write_scorecard_pdf(demo_services, hunting, tmp_path / "card.pdf", "Ines Ferreira")
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert text.count("Win rate") == 2  # the target table and the attainment chart
    assert "Time in stage" in text
