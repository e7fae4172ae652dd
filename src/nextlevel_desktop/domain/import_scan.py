"""Whole-column looks at a file before its rows are converted: the distinct stage values it
holds and the order its dates are written in (the wizard's stage and column pages, the CLI)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .csv_cells import unescape_cell
from .import_rows import default_process, resolve_stage
from .importing import (
    CsvTable,
    DateOrder,
    ImportMapping,
    detect_date_order,
    is_stage_date_field,
)
from .models import Process


def stage_values(
    table: CsvTable, mapping: ImportMapping, processes: Sequence[Process]
) -> list[tuple[str, int, str | None]]:
    """Each distinct stage value of the file: (value, rows, the stage it goes to or None).

    Rows naming another process via a process column are resolved in that process.
    """
    header = mapping.columns.get("stage")
    counts: Counter[str] = Counter()
    if header in table.headers:
        counts.update(unescape_cell(v.strip()) for v in table.values(header) if v.strip())
    for name in filter(is_stage_date_field, mapping.columns):
        if mapping.columns[name] in table.headers:  # ("Date entered <stage>" columns)
            counts[name.split(":", 1)[1]] += sum(
                1 for v in table.values(mapping.columns[name]) if v.strip()
            )
    process = default_process(processes, mapping.process)
    out = []
    for value, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        hit = resolve_stage(value, process, mapping) if process else None
        out.append((value, n, hit[0] if hit else None))
    return out


DATE_FIELDS = (
    "opened",
    "closed",
    "date",
    "won_time",
    "lost_time",
    "expected_close",
    "stage_changed",
    "entered_at",
)


def date_fields(mapping: ImportMapping) -> list[str]:
    """The mapped fields that hold dates (per-stage date columns included)."""
    return [f for f in mapping.columns if f in DATE_FIELDS or is_stage_date_field(f)]


def guess_date_order(table: CsvTable, mapping: ImportMapping) -> DateOrder | None:
    """The order all mapped date columns agree on; ``None`` when it must be asked."""
    orders: set[DateOrder | None] = set()
    for f in date_fields(mapping):
        header = mapping.columns.get(f)
        if header in table.headers:
            orders.add(detect_date_order(table.values(header)))
    definite = orders - {None, DateOrder.YMD}
    if len(definite) == 1:
        return definite.pop()
    if definite or None in orders:
        return None
    return DateOrder.YMD
