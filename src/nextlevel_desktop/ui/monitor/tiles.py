"""KPI tiles: actual, target, attainment and a status colour per headline measure."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from ...domain.measures import Status
from ..plain_text import plain_label, set_plain, tip
from ..theme import PALETTE

STATUS_COLOUR = {
    Status.ON_TRACK: PALETTE.on_track,
    Status.AT_RISK: PALETTE.at_risk,
    Status.BEHIND: PALETTE.behind,
}


@dataclass(frozen=True)
class Tile:
    """What one tile shows. ``status`` ``None`` (no target) shows no colour, not a fake one."""

    title: str
    actual: str
    target: str = ""
    attainment: str = ""
    status: Status | None = None
    delta: str = ""  # change against the previous period, when comparing
    delta_good: bool | None = None
    tooltip: str = ""
    detail: str = ""  # the line under the value, where it is not a target


def _sheet() -> str:
    """One style sheet per grid, set once for all its tiles (a sheet per tile and per label
    was parsed and applied ~80 times when the Monitor first showed its tiles: a fifth of that
    turn). The status colours are rules on a ``status`` property, so a refresh that changes a
    status sets the property and re-polishes that one widget, instead of a new style sheet
    (parsed, and every child re-polished, ≈ 2 ms each)."""
    rules = [
        "QFrame#kpiTile { background: palette(base); border: 1px solid palette(midlight);"
        " border-left: 5px solid palette(mid); border-radius: 6px; }",
        "QLabel#kpiTitle { color: palette(placeholder-text); font-size: 8.5pt; }",
        "QLabel#kpiValue { font-size: 15pt; font-weight: 600; }",
        "QLabel#kpiDetail { font-size: 8.5pt; }",
        "QLabel#kpiDelta { color: palette(placeholder-text); font-size: 8pt; }",
        f'QLabel#kpiDelta[good="yes"] {{ color: {PALETTE.on_track}; }}',
        f'QLabel#kpiDelta[good="no"] {{ color: {PALETTE.behind}; }}',
    ]
    for status, colour in STATUS_COLOUR.items():
        rules.append(f'QFrame#kpiTile[status="{status.value}"] {{ border-left-color: {colour}; }}')
        rules.append(
            f'QLabel#kpiStatus[status="{status.value}"]'
            f" {{ color: {colour}; font-weight: 600; font-size: 8.5pt; }}"
        )
    return "\n".join(rules)


class KpiTile(QFrame):
    def __init__(self, tile: Tile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiTile")
        self.setMinimumWidth(140)
        layout = QGridLayout(self)
        layout.setContentsMargins(10, 6, 8, 6)
        layout.setHorizontalSpacing(6)
        layout.setVerticalSpacing(0)
        self.title_label = _label("kpiTitle", self)
        self.value_label = _label("kpiValue", self)
        self.detail_label = _label("kpiDetail", self)
        self.status_label = _label("kpiStatus", self)
        self.delta_label = _label("kpiDelta", self)
        set_plain(  # titles name processes, people and activity types
            self.title_label,
            self.value_label,
            self.detail_label,
            self.status_label,
            self.delta_label,
        )
        layout.addWidget(self.title_label, 0, 0, 1, 2)
        layout.addWidget(self.value_label, 1, 0, 1, 2)
        layout.addWidget(self.detail_label, 2, 0, 1, 2)
        layout.addWidget(self.status_label, 3, 0)
        layout.addWidget(self.delta_label, 3, 1, Qt.AlignmentFlag.AlignRight)
        layout.setColumnStretch(0, 1)
        self.tile = tile
        self._show(tile, None)

    def set_tile(self, tile: Tile) -> None:
        """Show ``tile`` (a refresh fills the same tiles again rather than building new ones);
        only what differs from the tile shown is set."""
        old, self.tile = self.tile, tile
        if tile != old:
            self._show(tile, old)

    def _show(self, tile: Tile, old: Tile | None) -> None:
        status = tile.status.value if tile.status else ""
        if old is None or (old.status.value if old.status else "") != status:
            _restyle(self, "status", status, old is not None)
            _restyle(self.status_label, "status", status, old is not None)
        good = "" if tile.delta_good is None else "yes" if tile.delta_good else "no"
        if old is None or old.delta_good != tile.delta_good:
            _restyle(self.delta_label, "good", good, old is not None)
        self.title_label.setText(tile.title)
        self.value_label.setText(tile.actual)
        detail = [tile.detail] if tile.detail else []
        if tile.target:
            detail.append(self.tr("target {0}").format(tile.target))
        if tile.attainment:
            detail.append(tile.attainment)
        self.detail_label.setText(" · ".join(detail) if detail else self.tr("no target"))
        self.status_text = tile.status.label if tile.status else ""
        self.status_label.setText(self.status_text)
        self.delta_label.setText(tile.delta)
        self.setToolTip(tip(f"{tile.title}\n{tile.tooltip}" if tile.tooltip else tile.title))


def _label(name: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    return label


def _restyle(widget: QWidget, name: str, value: str, polished: bool = True) -> None:
    """Set a property the style sheet's rules select on, and apply them again if they were
    applied already (Qt does not on its own when a property changes; a new tile is polished
    when first shown)."""
    widget.setProperty(name, value)
    if polished:
        widget.style().unpolish(widget)
        widget.style().polish(widget)


SHEET = _sheet()


class TileGrid(QWidget):
    """Tiles of one process, under a heading, wrapping into rows."""

    COLUMNS = 5

    def __init__(self, heading: str, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.heading = plain_label(heading)
        self.heading.setObjectName("kpiHeading")
        heading_rule = f"font-weight: 700; font-size: 10.5pt; color: {colour};"
        self._sheet = f"{SHEET}\nQLabel#kpiHeading {{ {heading_rule} }}"
        self.setStyleSheet(self._sheet)
        self._layout.addWidget(self.heading)
        self.grid = QGridLayout()
        self.grid.setSpacing(8)
        self._layout.addLayout(self.grid)
        self.tiles: list[KpiTile] = []
        self._columns: int | None = None

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # The style sheet reads palette(...) when it is applied: after a switch between
        # light and dark, applied again.
        if event.type() == QEvent.Type.PaletteChange and self.tiles:
            self.setStyleSheet(self._sheet)

    def _drop(self, start: int) -> None:
        for t in self.tiles[start:]:
            self.grid.removeWidget(t)
            t.hide()
            t.deleteLater()
        del self.tiles[start:]

    def set_tiles(self, tiles: list[Tile], columns: int | None = None) -> None:
        """Show ``tiles``, ``columns`` to a row. The tiles already shown are filled again (new
        widgets with their style sheets cost more than the figures); only a difference in
        number adds or removes some."""
        cols = columns or self.COLUMNS
        if cols != self._columns:
            self._columns = cols
            for t in self.tiles:
                self.grid.removeWidget(t)
            for i, t in enumerate(self.tiles):
                self.grid.addWidget(t, i // cols, i % cols)
            for c in range(cols):
                self.grid.setColumnStretch(c, 1)
        self._drop(len(tiles))
        for i, tile in enumerate(tiles):
            if i < len(self.tiles):
                self.tiles[i].set_tile(tile)
            else:
                widget = KpiTile(tile, self)
                # Shown by the layout on a later turn (polishing a new tile is most of it).
                self.grid.addWidget(widget, i // cols, i % cols)
                self.tiles.append(widget)
