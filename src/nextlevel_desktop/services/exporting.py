"""Exporting activities, engagements and accounts to CSV files that re-import cleanly.

Column names are the ones the import guesses without help; money is written as plain decimals,
dates as ISO and times in local time, so ``export`` then ``import`` gives the same records.
Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return) are written with a leading ``'``, except plain numbers and phone numbers
such as ``-12.50`` or ``+44 20 7946 0000``; the exact rule is in ``domain.csv_cells``, and the
import removes that quote again, so the round trip stays exact.
Every row carries an id (the external id, or ``NL-<workspace tag>-<n>``) so that a re-import,
into this workspace or a copy of it, updates instead of duplicating.
"""

from __future__ import annotations

import csv
import os
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..domain.activities import ActivityFilter
from ..domain.csv_cells import export_value
from ..domain.errors import StorageError
from ..domain.exporting import WHAT as WHAT
from ..domain.import_rows import EXPORT_TAG_KEY, exported_key
from ..storage import repositories as repo
from ..storage.db import Database
from ..storage.orm import (
    AccountRow,
    ActivityRow,
    ActivityTypeRow,
    EngagementRow,
    PersonRow,
    ProcessRow,
    StageRow,
)
from .activities import _apply_filter

ACTIVITY_HEADERS = (
    "id",
    "Date",
    "Type",
    "Process",
    "Owner",
    "Account",
    "Opportunity / account plan",
    "Status",
    "Duration",
    "Outcome",
    "Notes",
)
ENGAGEMENT_HEADERS = (
    "id",
    "Name",
    "Process",
    "Account",
    "Owner",
    "Stage",
    "Value",
    "Opened",
    "Closed",
    "Lost reason",
    "Product",
    "Account key",
    "Notes",
)
ACCOUNT_HEADERS = (
    "id",
    "Name",
    "Industry",
    "Size band",
    "Employees",
    "Annual revenue",
    "Country",
    "Parent",
    "Website",
    "Phone",
    "Notes",
)


def record_id(external_id: str | None, id_: int, tag: str) -> str:
    return external_id or exported_key(tag, id_)


def money_text(minor: int) -> str:
    sign = "-" if minor < 0 else ""
    whole, cents = divmod(abs(minor), 100)
    return f"{sign}{whole}.{cents:02d}"


class ExportService:
    """Writes CSV files; each export streams its rows, so large workspaces export quickly."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def count(self, what: str, flt: ActivityFilter | None = None) -> int:
        with self.db.read() as session:
            if what == "activities":
                stmt: Any = _apply_filter(
                    select(func.count(ActivityRow.id)), flt or ActivityFilter()
                )
            elif what == "engagements":
                stmt = select(func.count(EngagementRow.id))
            else:
                stmt = select(func.count(AccountRow.id)).where(AccountRow.archived.is_(False))
            return int(session.scalar(stmt) or 0)

    def export(
        self,
        what: str,
        dest: Path,
        flt: ActivityFilter | None = None,
        process_id: int | None = None,
        progress: Callable[[int], None] | None = None,
        owner_id: int | None = None,
        account_text: str = "",
    ) -> int:
        """Write ``what`` (activities, engagements, accounts) to ``dest``; returns the rows.

        The filters are those the GUI shows: activities by ``flt``, engagements by process and
        owner, accounts by a name search."""
        if what == "activities":
            return self._write(
                dest, ACTIVITY_HEADERS, self._activities(flt or ActivityFilter()), progress
            )
        if what == "engagements":
            rows = self._engagements(process_id, owner_id)
            return self._write(dest, ENGAGEMENT_HEADERS, rows, progress)
        if what == "accounts":
            return self._write(dest, ACCOUNT_HEADERS, self._accounts(account_text), progress)
        raise ValueError(f"cannot export {what!r}")

    def _write(
        self,
        dest: Path,
        headers: Sequence[str],
        rows: Iterable[Sequence[object]],
        progress: Callable[[int], None] | None,
    ) -> int:
        dest = Path(dest)
        tmp = dest.with_name(dest.name + ".partial")
        count = 0
        try:
            # UTF-8 with a byte-order mark: Excel then reads accents right; the import skips it.
            with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(headers)
                for row in rows:
                    writer.writerow([export_value(v) for v in row])
                    count += 1
                    if progress is not None and count % 5000 == 0:
                        progress(count)
            os.replace(tmp, dest)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StorageError(f"“{dest}” cannot be written: {exc.strerror or exc}.") from exc
        return count

    def export_tag(self) -> str:
        """This workspace's tag for exported ids, made once (a short random hex string)."""
        with self.db.read() as session:
            tag = repo.get_settings(session).get(EXPORT_TAG_KEY, "")
        if not tag:
            tag = uuid.uuid4().hex[:8]
            with self.db.transaction() as session:
                repo.put_settings(session, {EXPORT_TAG_KEY: tag})
        return tag

    def _activities(self, flt: ActivityFilter) -> Iterable[Sequence[object]]:
        tag = self.export_tag()
        stmt = (
            select(
                ActivityRow.id,
                ActivityRow.external_id,
                ActivityRow.occurred_at,
                ActivityTypeRow.name,
                ProcessRow.name,
                PersonRow.name,
                AccountRow.name,
                EngagementRow.id,
                EngagementRow.external_id,
                ActivityRow.status,
                ActivityRow.duration_min,
                ActivityRow.outcome,
                ActivityRow.notes,
            )
            .join(ActivityTypeRow, ActivityTypeRow.id == ActivityRow.type_id)
            .join(ProcessRow, ProcessRow.id == ActivityRow.process_id)
            .outerjoin(PersonRow, PersonRow.id == ActivityRow.person_id)
            .outerjoin(AccountRow, AccountRow.id == ActivityRow.account_id)
            .outerjoin(EngagementRow, EngagementRow.id == ActivityRow.engagement_id)
            .order_by(ActivityRow.occurred_at, ActivityRow.id)
        )
        stmt = _apply_filter(stmt, flt)
        with self.db.read() as session:
            for r in session.execute(stmt.execution_options(yield_per=5000)):
                local = r[2].astimezone()
                yield (
                    record_id(r[1], r[0], tag),
                    local.strftime("%Y-%m-%d %H:%M"),
                    r[3],
                    r[4],
                    r[5] or "",
                    r[6] or "",
                    record_id(r[8], r[7], tag) if r[7] is not None else "",
                    r[9],
                    r[10],
                    r[11],
                    r[12],
                )

    def _engagements(
        self, process_id: int | None, owner_id: int | None = None
    ) -> Iterable[Sequence[object]]:
        tag = self.export_tag()
        owner = aliased(PersonRow)
        stmt = (
            select(
                EngagementRow.id,
                EngagementRow.external_id,
                EngagementRow.name,
                ProcessRow.name,
                AccountRow.name,
                owner.name,
                StageRow.name,
                EngagementRow.value_minor,
                EngagementRow.opened_on,
                EngagementRow.closed_on,
                EngagementRow.lost_reason,
                EngagementRow.notes,
                EngagementRow.product,
                AccountRow.id,
                AccountRow.external_id,
            )
            .join(ProcessRow, ProcessRow.id == EngagementRow.process_id)
            .join(StageRow, StageRow.id == EngagementRow.stage_id)
            .outerjoin(AccountRow, AccountRow.id == EngagementRow.account_id)
            .outerjoin(owner, owner.id == EngagementRow.owner_id)
            .order_by(EngagementRow.id)
        )
        if process_id is not None:
            stmt = stmt.where(EngagementRow.process_id == process_id)
        if owner_id is not None:
            stmt = stmt.where(EngagementRow.owner_id == owner_id)
        with self.db.read() as session:
            for r in session.execute(stmt.execution_options(yield_per=5000)):
                yield (
                    record_id(r[1], r[0], tag),
                    r[2],
                    r[3],
                    r[4] or "",
                    r[5] or "",
                    r[6],
                    money_text(r[7]),
                    r[8].isoformat() if r[8] else "",
                    r[9].isoformat() if r[9] else "",
                    r[10],
                    r[12],
                    record_id(r[14], r[13], tag) if r[13] is not None else "",
                    r[11],
                )

    def _accounts(self, text: str = "") -> Iterable[Sequence[object]]:
        tag = self.export_tag()
        parent = aliased(AccountRow)
        stmt = (
            select(AccountRow, parent.id, parent.external_id)
            .outerjoin(parent, parent.id == AccountRow.parent_id)
            .where(AccountRow.archived.is_(False))
            .order_by(AccountRow.id)
        )
        if text.strip():
            clean = text.strip().replace("%", "").replace("_", "")
            stmt = stmt.where(AccountRow.name.ilike(f"%{clean}%"))
        with self.db.read() as session:
            for a, parent_id, parent_key in session.execute(stmt.execution_options(yield_per=5000)):
                revenue = a.annual_revenue_minor
                yield (
                    record_id(a.external_id, a.id, tag),
                    a.name,
                    a.industry,
                    a.size_band,
                    "" if a.employees is None else a.employees,
                    "" if revenue is None else money_text(revenue),
                    a.country,
                    "" if parent_id is None else record_id(parent_key, parent_id, tag),
                    a.website,
                    a.phone,
                    a.notes,
                )
