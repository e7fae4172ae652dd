"""Importing CSV files: the engine behind File > Import… and ``nextlevel-desktop import``.

A file is read and split (``read_file``), its columns mapped (guessed, then changed by the user),
checked row by row (``check``), then written in ONE transaction (``run``): a cancelled, failed or
refused import changes nothing. Re-importing matches records on the file's id column (stored as
``external_id``) or, without one, on a stable key, so nothing is duplicated.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import NextLevelError, UnexpectedError, ValidationError
from ..domain.import_kinds import convert_rows
from ..domain.import_records import EXPORT_TAG_KEY, Converted, Lookups, exported_key
from ..domain.importing import (
    CsvTable,
    ImportKind,
    ImportMapping,
    RowProblem,
    guess_mapping,
    norm,
    parse_csv,
)
from ..domain.settings import WorkspaceSettings
from ..storage import repositories as repo
from ..storage.db import Database, roomy_cache
from ..storage.orm import AccountRow, EngagementRow, PersonRow
from ..storage.stage_links import bulk_links
from .bulk_insert import drop
from .import_names import activity_type_ids
from .import_result import ImportResult, Progress
from .import_writer import Writer
from .revisions import Revision
from .workspace import WorkspaceService

MAPPINGS_KEY = "import.mappings"
MAX_FILE_BYTES = 512 * 1024 * 1024

log = logging.getLogger(__name__)


class _DryRun(Exception):
    def __init__(self, result: ImportResult) -> None:
        self.result = result


@dataclass(frozen=True)
class ImportCheck:
    """What an import would do, before anything is written."""

    total: int
    valid: int
    creates: int
    updates: int
    unchanged: int
    problems: tuple[RowProblem, ...]
    unmapped_stages: tuple[tuple[str, int], ...]
    new_people: tuple[str, ...]
    new_accounts: tuple[str, ...]
    new_stages: tuple[str, ...]
    new_types: tuple[str, ...]

    @property
    def blocked(self) -> bool:
        """True when the import cannot go on even with the bad rows left out."""
        return bool(self.unmapped_stages) or (self.valid == 0 and self.total > 0)


def problems_text(problems: Sequence[RowProblem], limit: int = 50) -> str:
    lines = [str(p) for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"…and {len(problems) - limit:,} more.")
    return "\n".join(lines)


def _first_by_name(rows: Iterable[tuple[int, str]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for id_, name in rows:
        out.setdefault(norm(name), id_)
    return out


def load_lookups(session: Session, today: date | None = None) -> Lookups:
    people = session.execute(select(PersonRow.id, PersonRow.name).order_by(PersonRow.id))
    accounts = session.execute(
        select(AccountRow.id, AccountRow.name)
        .where(AccountRow.archived.is_(False))
        .order_by(AccountRow.id)
    )
    settings = repo.get_settings(session)
    tag = settings.get(EXPORT_TAG_KEY, "")
    # Accounts by key: their own, or (without one) the key this workspace's exports gave them.
    account_keys: dict[str, int] = {}
    for id_, key in session.execute(
        select(AccountRow.id, AccountRow.external_id).order_by(AccountRow.archived, AccountRow.id)
    ):
        if key or tag:
            account_keys.setdefault(key or exported_key(tag, id_), id_)
    by_key: dict[str, int] = {}
    by_name: dict[str, int] = {}
    process_of: dict[int, int] = {}
    for eid, key, name, pid in session.execute(
        select(
            EngagementRow.id,
            EngagementRow.external_id,
            EngagementRow.name,
            EngagementRow.process_id,
        ).order_by(EngagementRow.id)
    ):
        process_of[eid] = pid
        if key:
            by_key.setdefault(key, eid)
        elif tag:
            by_key[exported_key(tag, eid)] = eid
        by_name.setdefault(norm(name), eid)
    return Lookups(
        processes=repo.load_processes(session, include_archived=True),
        people=_first_by_name((r[0], r[1]) for r in people),
        accounts=_first_by_name((r[0], r[1]) for r in accounts),
        activity_types=activity_type_ids(session),
        engagements_by_key=by_key,
        engagements_by_name=by_name,
        engagement_process=process_of,
        today=today or date.today(),
        export_tag=tag,
        account_keys=account_keys,
        currency=WorkspaceSettings.from_pairs(settings).currency.strip().upper(),
    )


class ImportService:
    """Reading, checking and importing CSV files; saved column mappings."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # Reading and guessing ----------------------------------------------------------------
    @staticmethod
    def read_file(
        path: Path, delimiter: str | None = None, encoding: str | None = None
    ) -> CsvTable:
        """Read and split a CSV file; ``encoding`` None = UTF-8, else detected."""
        path = Path(path)
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise ValidationError(
                    {"file": f"“{path.name}” is larger than {MAX_FILE_BYTES >> 20} MB."}
                )
            data = path.read_bytes()
        except OSError as exc:
            raise ValidationError(
                {"file": f"“{path}” cannot be read: {exc.strerror or exc}."}
            ) from exc
        return parse_csv(data, delimiter, encoding)

    @staticmethod
    def guess(table: CsvTable, kind: ImportKind) -> dict[str, str]:
        return guess_mapping(kind, table.headers)

    # Saved mappings ----------------------------------------------------------------------
    def saved_mappings(self) -> dict[str, ImportMapping]:
        with self.db.read() as session:
            text = repo.get_settings(session).get(MAPPINGS_KEY, "")
        out: dict[str, ImportMapping] = {}
        try:
            for name, value in dict(json.loads(text) if text else {}).items():
                out[str(name)] = ImportMapping.from_json(json.dumps(value))
        except (ValueError, KeyError, TypeError, AttributeError):
            return {}  # a damaged value must not break the wizard; saving rewrites it
        return out

    def save_mapping(self, name: str, mapping: ImportMapping) -> Revision:
        name = name.strip()
        if not name:
            raise ValidationError({"name": "Give the mapping a name."})
        saved = self.saved_mappings()
        saved[name] = mapping
        return self._write_mappings(saved)

    def delete_mapping(self, name: str) -> Revision:
        saved = self.saved_mappings()
        saved.pop(name, None)
        return self._write_mappings(saved)

    def _write_mappings(self, saved: dict[str, ImportMapping]) -> Revision:
        text = json.dumps({k: json.loads(v.to_json()) for k, v in sorted(saved.items())})
        return WorkspaceService(self.db).put_values({MAPPINGS_KEY: text})

    # Checking and importing --------------------------------------------------------------
    def check(
        self, table: CsvTable, mapping: ImportMapping, progress: Progress | None = None
    ) -> ImportCheck:
        """Validate every row and count what an import would create and update."""
        with self.db.read() as session:
            lookups = load_lookups(session)
            converted = _convert(table, mapping, lookups, progress)
            writer = Writer(session, mapping.kind, converted, lookups, handover=mapping.handover)
            creates, updates, unchanged = writer.count_matches()
        valid = len(converted.records)
        drop(converted.records)  # in steps, not all at once as this returns
        return ImportCheck(
            total=len(table.rows),
            valid=valid,
            creates=creates,
            updates=updates,
            unchanged=unchanged,
            problems=tuple(converted.problems),
            unmapped_stages=tuple(sorted(converted.unmapped_stages.items())),
            new_people=tuple(sorted(converted.new_people)),
            new_accounts=tuple(sorted(converted.new_accounts)),
            new_stages=tuple(name for (_pid, name) in converted.new_stages),
            new_types=tuple(sorted(name for (_k, name) in converted.new_types)),
        )

    def run(
        self,
        table: CsvTable,
        mapping: ImportMapping,
        *,
        skip_invalid: bool = False,
        dry_run: bool = False,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportResult:
        """Import in one transaction. Raises ``ValidationError`` (nothing written) when stage
        values are unmapped, or rows are bad and ``skip_invalid`` is not set."""
        try:
            with self.db.transaction() as session:
                lookups = load_lookups(session)
                converted = _convert(table, mapping, lookups, progress)
                if converted.unmapped_stages:
                    values = ", ".join(f"“{v}”" for v in sorted(converted.unmapped_stages))
                    raise ValidationError(
                        {
                            "stages": f"These stage values match no stage: {values}. Map each "
                            "to a stage, or add them as new stages."
                        }
                    )
                if converted.problems and (not skip_invalid or not converted.records):
                    raise ValidationError({"rows": problems_text(converted.problems)})
                writer = Writer(
                    session, mapping.kind, converted, lookups, progress, cancelled, mapping.handover
                )
                execute = session.connection().exec_driver_sql
                with roomy_cache(execute), bulk_links(execute):
                    result = writer.write(skipped=len(converted.problems), dry_run=dry_run)
                drop(converted.records)  # in steps, not all at once as this returns
                if dry_run:
                    raise _DryRun(result)
        except _DryRun as dry:
            return dry.result
        except NextLevelError:
            raise
        except Exception as exc:  # a bug: the transaction was rolled back; say so plainly
            log.exception("Import into %s failed", self.db.path)
            raise UnexpectedError(
                f"The import stopped because of an error in Next Level Desktop "
                f"({type(exc).__name__}: {exc}). Nothing was imported: “{self.db.path.name}” "
                "is as it was. Please report this problem."
            ) from exc
        return result


def _convert(
    table: CsvTable, mapping: ImportMapping, lookups: Lookups, progress: Progress | None
) -> Converted:
    total = max(len(table.rows), 1)

    def step(n: int) -> None:
        if progress is not None:
            progress(0.3 * n / total)

    return convert_rows(table, mapping, lookups, step)
