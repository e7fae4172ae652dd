"""Opening, creating and describing workspaces; workspace settings."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.changes import Changes
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
from ..storage.orm import (
    ActivityRow,
    ActivityTypeRow,
    ExitCriterionRow,
    LostReasonRow,
    ProcessRow,
    StageRow,
)


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


def seed_new_workspace(session: Session) -> None:
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
    repo.put_settings(session, WorkspaceSettings().to_pairs())


def open_workspace(path: Path, *, create: bool = True, demo: bool = False) -> tuple[Database, bool]:
    """Open or create a workspace. A new one gets the templates, and demo data if asked."""
    db, created = open_database(path, create=create)
    if created:
        try:
            with db.transaction() as session:
                seed_new_workspace(session)
            if demo:
                from .demo import generate_demo

                generate_demo(db)
        except Exception:
            db.close()
            raise
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

    def save_settings(self, settings: WorkspaceSettings) -> Changes:
        settings.validated()
        with self.db.transaction() as session:
            repo.put_settings(session, settings.to_pairs())
        return Changes(settings=True)

    def get_value(self, key: str, default: str = "") -> str:
        with self.db.read() as session:
            return repo.get_settings(session).get(key, default)

    def set_value(self, key: str, value: str) -> Changes:
        with self.db.transaction() as session:
            repo.put_settings(session, {key: value})
        return Changes(settings=True)

    def is_empty(self) -> bool:
        with self.db.read() as session:
            return not session.scalar(select(func.count()).select_from(ActivityRow))
