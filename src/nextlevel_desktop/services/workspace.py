"""Opening, creating and describing workspaces; workspace settings.

A new workspace is built (schema, templates, demo data) in a temporary file beside its target
and renamed into place only when complete, so an interrupted first start (the app closed or
killed while writing the demo) never leaves a half-made workspace at the target.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.changes import Changes
from ..domain.errors import WorkspaceError
from ..domain.models import ProcessKind
from ..domain.processes import (
    DEFAULT_ACTIVITY_TYPES,
    DEFAULT_LOST_REASONS,
    TEMPLATES,
    ProcessTemplate,
)
from ..domain.settings import WorkspaceSettings
from ..storage import repositories as repo
from ..storage.db import Database, open_database
from ..storage.errors import classify, write_problem
from ..storage.foreign import refuse_unusable_path
from ..storage.orm import (
    ActivityTypeRow,
    ExitCriterionRow,
    LostReasonRow,
    ProcessRow,
    SettingRow,
    StageRow,
)
from ..storage.private import private_dir
from .revisions import Recorder, Revision


def add_process_from_template(
    session: Session, template: ProcessTemplate, name: str | None = None, position: int = 0
) -> ProcessRow:
    """Insert a process and its stages (with exit criteria) from a template."""
    proc = ProcessRow(
        kind=template.kind.value,
        name=name or template.name,
        purpose=template.purpose,
        position=position,
        archived=False,
        review_cadence_days=90,
    )
    session.add(proc)
    session.flush()
    for pos, spec in enumerate(template.stages):
        stage = StageRow(
            process_id=proc.id,
            name=spec.name,
            position=pos,
            category=spec.category.value,
            guidance=spec.guidance,
            expected_days=spec.expected_days,
            target_conversion=spec.target_conversion,
            probability=spec.probability,
            color=spec.color,
            archived=False,
        )
        stage.exit_criteria = [
            ExitCriterionRow(position=i, text=text) for i, text in enumerate(spec.exit_criteria)
        ]
        session.add(stage)
    session.flush()
    return proc


def record_process_from_template(
    rec: Recorder, template: ProcessTemplate, name: str, position: int
) -> ProcessRow:
    """``add_process_from_template`` inside a recorded write: every row it adds is recorded."""
    row = add_process_from_template(rec.session, template, name, position)
    rec.inserted(row)
    for stage in row.stages:
        rec.inserted(stage)
        for criterion in stage.exit_criteria:
            rec.inserted(criterion)
    return row


def seed_new_workspace(session: Session, currency: str | None = None) -> None:
    """Templates, activity types, lost reasons and default settings for an empty workspace."""
    for kind in ProcessKind:
        add_process_from_template(session, TEMPLATES[kind])
        for pos, (name, is_review) in enumerate(DEFAULT_ACTIVITY_TYPES[kind]):
            session.add(
                ActivityTypeRow(
                    kind=kind.value, name=name, position=pos, is_review=is_review, archived=False
                )
            )
        for pos, name in enumerate(DEFAULT_LOST_REASONS[kind]):
            session.add(LostReasonRow(kind=kind.value, name=name, position=pos, archived=False))
    settings = WorkspaceSettings(currency=currency) if currency else WorkspaceSettings()
    repo.put_settings(session, settings.validated().to_pairs())


log = logging.getLogger(__name__)
CREATING_MARK = ".creating-"


def creating_path(path: Path) -> Path:
    """The temporary file a new workspace at ``path`` is built in (hidden, same folder)."""
    return path.with_name(f".{path.name}{CREATING_MARK}{os.getpid()}")


def _remove_with_sidecars(file: Path) -> None:
    for extra in ("", "-wal", "-shm", "-journal"):
        file.with_name(file.name + extra).unlink(missing_ok=True)


def remove_stale_creations(path: Path) -> list[Path]:
    """Delete what an interrupted creation of ``path`` left behind; returns what it removed.

    Call it only while holding the workspace's lock (the app does): a creation in progress
    elsewhere holds that lock, so any temporary file found here is stale.
    """
    removed: list[Path] = []
    folder = path.parent
    if not folder.is_dir():
        return removed
    prefix = f".{path.name}{CREATING_MARK}"
    for stale in folder.iterdir():
        if stale.name.startswith(prefix) and stale.name[len(prefix) :].isdigit():
            _remove_with_sidecars(stale)
            removed.append(stale)
            log.info("Removed %s, left by an interrupted workspace creation", stale)
    return removed


def create_workspace(
    path: Path,
    *,
    demo: bool = False,
    fill: Callable[[Database], None] | None = None,
    currency: str | None = None,
) -> Path:
    """Build a complete new workspace at ``path`` (templates, demo data if asked).

    It is built in a temporary file that is closed (WAL checkpointed) and renamed into place
    at the end; any failure or interruption leaves nothing at ``path``. ``fill`` adds more
    content before the rename (demo data of another size, tests). ``currency``: the
    workspace's (default EUR). An existing file at ``path`` is replaced: the caller asked to
    create a workspace there.
    """
    path = Path(path)
    tmp = creating_path(path)
    try:
        private_dir(path.parent, tighten_existing=False)
        _remove_with_sidecars(tmp)
    except OSError as exc:
        raise classify(exc, path) or exc from exc
    # Said of the workspace the user named, not of the temporary file it is built in.
    problem = write_problem(path)
    if problem is not None:
        raise problem
    try:
        db, _ = open_database(tmp, create=True)
        try:
            with db.transaction() as session:
                seed_new_workspace(session, currency)
            if demo:
                from .demo import generate_demo

                generate_demo(db)
            if fill is not None:
                fill(db)
        finally:
            db.close()
        # Fold the WAL into the file so that the renamed file is complete on its own.
        con = sqlite3.connect(tmp, isolation_level=None)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
        for extra in ("-wal", "-shm"):
            sidecar = tmp.with_name(tmp.name + extra)
            if sidecar.exists() and sidecar.stat().st_size:
                raise WorkspaceError(f"“{path.name}” could not be completed: {sidecar} remains.")
            sidecar.unlink(missing_ok=True)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            _remove_with_sidecars(tmp)
        if isinstance(exc, OSError) and (known := classify(exc, path)) is not None:
            raise known from exc
        raise
    return path


def restore_essentials(db: Database) -> list[ProcessKind]:
    """Give a salvaged workspace what every workspace has: a process of each kind, with its
    activity types and lost reasons (from the templates) where none survived.

    Returns the kinds that were added.
    """
    added = []
    with db.transaction() as session:
        for kind in ProcessKind:
            has_process = session.scalar(
                select(func.count()).select_from(ProcessRow).where(ProcessRow.kind == kind.value)
            )
            if has_process:
                continue
            add_process_from_template(session, TEMPLATES[kind])
            has_types = session.scalar(
                select(func.count())
                .select_from(ActivityTypeRow)
                .where(ActivityTypeRow.kind == kind.value)
            )
            if not has_types:
                for pos, (name, is_review) in enumerate(DEFAULT_ACTIVITY_TYPES[kind]):
                    session.add(
                        ActivityTypeRow(
                            kind=kind.value,
                            name=name,
                            position=pos,
                            is_review=is_review,
                            archived=False,
                        )
                    )
            has_reasons = session.scalar(
                select(func.count())
                .select_from(LostReasonRow)
                .where(LostReasonRow.kind == kind.value)
            )
            if not has_reasons:
                for pos, name in enumerate(DEFAULT_LOST_REASONS[kind]):
                    session.add(
                        LostReasonRow(kind=kind.value, name=name, position=pos, archived=False)
                    )
            added.append(kind)
    return added


def open_workspace(
    path: Path,
    *,
    create: bool = True,
    demo: bool = False,
    replace_empty: bool = False,
    currency: str | None = None,
    hold_check: bool = False,
) -> tuple[Database, bool]:
    """Open or create a workspace. A new one gets the templates, and demo data if asked.

    ``create``: create it when there is no file at ``path``. ``replace_empty``: the user asked
    to create a workspace at ``path``, so an empty (0-byte) file there is replaced; otherwise an
    empty file is refused like any other file that is not a workspace. ``hold_check``: as
    for :func:`~nextlevel_desktop.storage.db.open_database`.
    """
    path = Path(path)
    refuse_unusable_path(path)  # before a new workspace could replace a folder or a link loop
    created = False
    if create:
        remove_stale_creations(path)
        empty = path.is_file() and path.stat().st_size == 0
        if not path.exists() or (empty and replace_empty):
            create_workspace(path, demo=demo, currency=currency)
            created = True
    elif not path.exists():
        raise WorkspaceError(f"There is no workspace at “{path}”.")
    db, _ = open_database(path, create=False, hold_check=hold_check)
    return db, created


class WorkspaceService:
    """Workspace-wide facts and settings."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def path(self) -> Path:
        return self.db.path

    def settings(self) -> WorkspaceSettings:
        with self.db.read() as session:
            return WorkspaceSettings.from_pairs(repo.get_settings(session))

    def save_settings(self, settings: WorkspaceSettings) -> Revision:
        settings.validated()
        return self.put_values(settings.to_pairs())

    def set_value(self, key: str, value: str) -> Revision:
        return self.put_values({key: value})

    def put_values(self, pairs: dict[str, str]) -> Revision:
        """Write settings (key → text) in one recorded transaction."""
        with self.db.transaction() as session:
            rec = Recorder(session)
            for key, value in pairs.items():
                row = session.get(SettingRow, key)
                if row is None:
                    rec.add(SettingRow(key=key, value=value))
                else:
                    rec.will_update(row)
                    row.value = value
            return rec.revision(Changes(settings=True))
