"""A tile's status colours follow a refresh without a new style sheet (issue 14: a Monitor
person change within one 50 ms turn; a style sheet set is parsed and re-polishes every child,
≈ 2 ms a tile in the real window)."""

from __future__ import annotations

from PySide6.QtGui import QColor

from nextlevel_desktop.domain.measures import Status
from nextlevel_desktop.ui.monitor.tiles import STATUS_COLOUR, Tile, TileGrid


def _has_colour(widget, colour: str) -> bool:  # type: ignore[no-untyped-def]
    image = widget.grab().toImage()
    wanted = QColor(colour).name()
    return any(
        image.pixelColor(x, y).name() == wanted
        for x in range(image.width())
        for y in range(image.height())
    )


def test_a_status_change_keeps_the_style_sheets(qtbot) -> None:  # type: ignore[no-untyped-def]
    grid = TileGrid("Hunting", "#336699")
    qtbot.addWidget(grid)
    grid.resize(600, 120)
    grid.show()
    grid.set_tiles([Tile("Calls", "12", "10", "120 %", Status.ON_TRACK)])
    tile = grid.tiles[0]
    widgets = (tile, tile.title_label, tile.value_label, tile.status_label, tile.delta_label)
    sheets = [w.styleSheet() for w in widgets]
    edge = tile.grab().toImage()
    assert (
        edge.pixelColor(2, edge.height() // 2).name()
        == QColor(STATUS_COLOUR[Status.ON_TRACK]).name()
    )

    grid.set_tiles([Tile("Calls", "3", "10", "30 %", Status.BEHIND, "▼ 9", False)])
    assert grid.tiles == [tile]
    assert [w.styleSheet() for w in widgets] == sheets  # no style sheet set again
    edge = tile.grab().toImage()
    assert (
        edge.pixelColor(2, edge.height() // 2).name() == QColor(STATUS_COLOUR[Status.BEHIND]).name()
    )
    assert tile.status_label.text() == Status.BEHIND.label
    assert _has_colour(tile.status_label, STATUS_COLOUR[Status.BEHIND])

    grid.set_tiles([Tile("Calls", "3")])  # no target: no colour, not a fake one
    assert tile.status_label.text() == ""
    assert not _has_colour(tile, STATUS_COLOUR[Status.BEHIND])


def test_tiles_share_their_grids_style_sheet(qtbot) -> None:  # type: ignore[no-untyped-def]
    """One style sheet per grid (a sheet per tile and per label was parsed and applied ~80
    times as the Monitor first showed its tiles); its rules still style every tile."""
    from PySide6.QtGui import QFont

    grid = TileGrid("Hunting", "#336699")
    qtbot.addWidget(grid)
    grid.resize(900, 240)
    grid.show()
    grid.set_tiles([Tile(f"Measure {i}", str(i), "10", "50 %", Status.BEHIND) for i in range(8)])
    qtbot.waitUntil(lambda: all(t.isVisible() for t in grid.tiles))  # shown by the layout
    labels = [(t, t.title_label, t.value_label, t.detail_label, t.status_label) for t in grid.tiles]
    assert grid.styleSheet() and not any(w.styleSheet() for row in labels for w in row)
    value = grid.tiles[0].value_label.font()
    assert value.pointSizeF() == 15 and value.weight() == QFont.Weight.DemiBold
    assert grid.heading.font().weight() == QFont.Weight.Bold
    assert _has_colour(grid.tiles[7].status_label, STATUS_COLOUR[Status.BEHIND])
