"""The colours charts, tiles and PDF pages share, chosen to read on light and dark backgrounds."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChartPalette:
    """Colours for charts, chosen to read on both light and dark backgrounds."""

    hunting: str = "#3567b3"
    farming: str = "#478a2c"
    target: str = "#d9822b"
    won: str = "#2e9d5b"
    lost: str = "#c0504d"
    on_track: str = "#2e9d5b"
    at_risk: str = "#d9a32b"
    behind: str = "#c0504d"
    series: tuple[str, ...] = (
        "#3567b3",
        "#d9822b",
        "#478a2c",
        "#8e5ea2",
        "#c0504d",
        "#2a9d8f",
        "#b07aa1",
        "#7f7f7f",
    )


PALETTE = ChartPalette()
