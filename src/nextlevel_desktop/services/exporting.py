"""Exporting activities, engagements, accounts and contacts: CSV that re-imports cleanly, and
Excel workbooks, vCards and calendars people use (the formats: ``domain.exporting``).

Column names are the ones the import guesses without help; rows hold typed values (money as
``Decimal``, dates, aware moments) that each format writes its own way: CSV as plain decimals
(or decimal commas), ISO dates and local times, so ``export`` then ``import`` gives the same
records. Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return) are written to CSV with a leading ``'``, except plain numbers and
phone numbers such as ``-12.50`` or ``+44 20 7946 0000``; the exact rule is in
``domain.csv_cells``, and the import removes that quote again, so the round trip stays exact.
Every row carries an id (the external id, or ``NL-<workspace tag>-<n>``) so that a re-import,
into this workspace or a copy of it, updates instead of duplicating.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..domain.activities import ActivityFilter
from ..domain.exporting import WHAT as WHAT
from ..domain.exporting import CsvStyle, export_format, money
from ..domain.import_money import ZERO_DECIMAL
from ..domain.import_records import EXPORT_TAG_KEY, exported_key
from ..domain.models import ActivityStatus
from ..domain.settings import WorkspaceSettings
from ..storage import repositories as repo
from ..storage.db import Database
from ..storage.orm import (
    AccountRow,
    ActivityRow,
    ActivityTypeRow,
    ContactRow,
    EngagementRow,
    PersonRow,
    ProcessRow,
    StageRow,
)
from . import export_files
from .activities import _apply_filter
from .sql import STREAM_ROWS

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
    "Expected close",
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
CONTACT_HEADERS = ("id", "Name", "Role", "Email", "Phone", "Account")
SHEET_TITLES = {
    "activities": "Activities",
    "engagements": "Opportunities",
    "accounts": "Accounts",
    "contacts": "Contacts",
}


def record_id(external_id: str | None, id_: int, tag: str) -> str:
    return external_id or exported_key(tag, id_)


class ExportService:
    """Writes lists to CSV, xlsx, vCard or iCalendar files; each export streams its rows, so
    large workspaces export quickly and in constant memory."""

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
            elif what == "contacts":
                stmt = select(func.count(ContactRow.id)).join(AccountRow)
                stmt = stmt.where(AccountRow.archived.is_(False))
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
        fmt: str | None = None,
        style: CsvStyle | None = None,
    ) -> int:
        """Write ``what`` (activities, engagements, accounts, contacts) to ``dest`` in ``fmt``
        (csv, xlsx, vcf, ics; default from the file's suffix); returns the rows written.

        The filters are those the GUI shows: activities by ``flt``, engagements by process and
        owner, accounts and their contacts by a name search. A calendar (ics) holds the
        planned activities among those ``flt`` selects."""
        dest = Path(dest)
        fmt = export_format(what, dest, fmt)
        digits = self._money_digits()
        headers: Sequence[str]
        if what == "activities":
            flt = flt or ActivityFilter()
            if fmt == "ics":
                flt = replace(flt, status=ActivityStatus.PLANNED)
            headers, rows = ACTIVITY_HEADERS, self._activities(flt)
        elif what == "engagements":
            headers, rows = ENGAGEMENT_HEADERS, self._engagements(process_id, owner_id, digits)
        elif what == "accounts":
            headers, rows = ACCOUNT_HEADERS, self._accounts(account_text)
        elif what == "contacts":
            headers, rows = CONTACT_HEADERS, self._contacts(account_text)
        else:
            raise ValueError(f"cannot export {what!r}")
        if fmt == "xlsx":
            title = SHEET_TITLES[what]
            return export_files.write_xlsx(dest, title, headers, rows, progress, digits)
        if fmt == "vcf":
            return export_files.write_vcards(dest, headers, rows, progress)
        if fmt == "ics":
            return export_files.write_calendar(dest, headers, rows, progress)
        return export_files.write_csv(dest, headers, rows, progress, style or CsvStyle())

    def _money_digits(self) -> int:
        with self.db.read() as session:
            settings = WorkspaceSettings.from_pairs(repo.get_settings(session))
        return 0 if settings.currency.strip().upper() in ZERO_DECIMAL else 2

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
            for r in session.execute(stmt.execution_options(yield_per=STREAM_ROWS)):
                yield (
                    record_id(r[1], r[0], tag),
                    r[2],
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
        self, process_id: int | None, owner_id: int | None = None, digits: int = 2
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
                EngagementRow.expected_close,
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
            for r in session.execute(stmt.execution_options(yield_per=STREAM_ROWS)):
                yield (
                    record_id(r[1], r[0], tag),
                    r[2],
                    r[3],
                    r[4] or "",
                    r[5] or "",
                    r[6],
                    money(r[7], digits),
                    r[8],
                    r[9],
                    r[10],
                    r[13],
                    record_id(r[15], r[14], tag) if r[14] is not None else "",
                    r[11],
                    r[12],
                )

    def _accounts(self, text: str = "") -> Iterable[Sequence[object]]:
        tag, digits = self.export_tag(), self._money_digits()
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
            for a, parent_id, parent_key in session.execute(
                stmt.execution_options(yield_per=STREAM_ROWS)
            ):
                revenue = a.annual_revenue_minor
                yield (
                    record_id(a.external_id, a.id, tag),
                    a.name,
                    a.industry,
                    a.size_band,
                    "" if a.employees is None else a.employees,
                    "" if revenue is None else money(revenue, digits),
                    a.country,
                    "" if parent_id is None else record_id(parent_key, parent_id, tag),
                    a.website,
                    a.phone,
                    a.notes,
                )

    def _contacts(self, text: str = "") -> Iterable[Sequence[object]]:
        tag = self.export_tag()
        stmt = (
            select(ContactRow, AccountRow.name)
            .join(AccountRow, AccountRow.id == ContactRow.account_id)
            .where(AccountRow.archived.is_(False))
            .order_by(AccountRow.id, ContactRow.id)
        )
        if text.strip():
            clean = text.strip().replace("%", "").replace("_", "")
            stmt = stmt.where(AccountRow.name.ilike(f"%{clean}%"))
        with self.db.read() as session:
            for c, account in session.execute(stmt.execution_options(yield_per=STREAM_ROWS)):
                yield (exported_key(tag, c.id), c.name, c.role, c.email, c.phone, account)
