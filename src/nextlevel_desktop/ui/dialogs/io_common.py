"""Pieces the import wizard and the file actions share: the preview model and a worker thread."""

from __future__ import annotations

import html
from collections.abc import Sequence

from ..kit.rows_model import RowsModel
from ..plain_text import tip


class PreviewModel(RowsModel[Sequence[str]]):
    """The first rows of a CSV file, as read: line number, then the file's columns."""

    def set_table(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        # The header is line 1; an empty file has no columns at all, not even the line number.
        lines = [(str(n), *row) for n, row in enumerate(rows, start=2)]
        self.set_rows(lines, [self.tr("Line"), *headers] if headers else [])

    def cell(self, row: Sequence[str], column: int) -> str:
        text = row[column]
        return text[:80] + "…" if len(text) > 80 else text

    def tooltip(self, row: Sequence[str], column: int) -> str | None:
        return tip(row[column][:2000])  # text from the file, shown literally


def error_html(exc: BaseException) -> str:
    """An error message as red rich text, with the file's own text escaped."""
    text = html.escape(str(exc)).replace("\n", "<br>")
    return f"<span style='color:#b3261e'>{text}</span>"
