"""Consistent, verified copies of a workspace through SQLite's online backup API.

The backup API copies a consistent snapshot even while the app has the file open (WAL included);
copies are written to a temporary name, verified (``quick_check``, application id) and only then
renamed into place, so a failed or damaged copy leaves nothing. The API copies pages as they
are, so a damaged source gives a damaged copy: verifying the copy refuses every backup of a
damaged workspace, even one taken by path without an open :class:`~.integrity.IntegrityGate`.

Daily backups belong to the workspace's identity (a UUID stored in it), one folder each:
``<backups>/<workspace_id>/<stem>-YYYY-MM-DD.nlw``. Rotation keeps the newest ``keep`` and never
deletes the newest backup that passes its check.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path

from ..domain.errors import DamagedWorkspaceError, StorageError, WorkspaceError
from .integrity import IntegrityGate, connect_read_only, damaged, describe, quick_check
from .private import create_private_file, private_dir

log = logging.getLogger(__name__)


PRE_MIGRATION_KEEP = 3
_DAILY = re.compile(r"-(\d{4}-\d{2}-\d{2})\.nlw$")


def verify_backup(path: Path) -> list[str]:
    """What is wrong with the backup copy at ``path`` (an empty list: it is a healthy one)."""
    from .db import APPLICATION_ID

    problems = quick_check(path)
    if problems:
        return problems
    try:
        con = connect_read_only(path)
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error as exc:
        return [str(exc)]
    return [] if app_id == APPLICATION_ID else ["it is not a Next Level workspace"]


def backup_to(
    source: Path,
    dest: Path,
    progress: Callable[[int, int], None] | None = None,
    gate: IntegrityGate | None = None,
) -> Path:
    """Copy the workspace at ``source`` to ``dest`` (replacing it) and verify it; returns ``dest``.

    ``gate``: the open workspace's integrity gate; the copy waits for its answer. A copy that
    fails verification is deleted and the damage is raised; ``dest`` is then left as it was.
    """
    source, dest = Path(source), Path(dest)
    if gate is not None:
        gate.wait()
    if source.resolve() == dest.resolve():
        raise StorageError("A backup cannot be written over the workspace itself.")
    tmp = dest.with_name(dest.name + ".partial")
    try:
        private_dir(dest.parent, tighten_existing=False)
        tmp.unlink(missing_ok=True)
        create_private_file(tmp)  # SQLite would create it with the umask's mode (0644)
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(tmp)
            try:

                def _progress(_status: int, remaining: int, total: int) -> None:
                    if progress is not None:
                        progress(total - remaining, total)

                src.backup(dst, pages=1024, progress=_progress)
                # A copy is a self-contained file: no WAL beside it.
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        problems = verify_backup(tmp)
        if problems:
            tmp.unlink(missing_ok=True)
            log.error("The backup of %s failed its check: %s", source, problems)
            raise damaged(source, describe(problems) + "; no backup was taken")
        os.replace(tmp, dest)
    except sqlite3.DatabaseError as exc:
        tmp.unlink(missing_ok=True)
        from .integrity import is_corruption

        if is_corruption(exc):
            raise damaged(source, f"it cannot be read ({exc}); no backup was taken") from exc
        from .errors import classify

        known = classify(exc, dest)
        if known is not None:  # a full disk, a read-only drive: said as such
            raise type(known)(f"The backup to “{dest}” failed. {known}") from exc
        raise StorageError(f"The backup to “{dest}” failed: {exc}.") from exc
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(OSError):  # on a read-only drive there is nothing to remove
            tmp.unlink(missing_ok=True)
        from .errors import classify

        known = classify(exc, dest)
        if known is not None:
            raise type(known)(f"The backup to “{dest}” failed. {known}") from exc
        raise StorageError(f"The backup to “{dest}” failed: {exc}.") from exc
    return dest


def backup_before_migration(path: Path, revision: str) -> Path:
    """Write ``<name>.before-<revision>-<timestamp>.nlw`` beside the workspace.

    Keeps the newest :data:`PRE_MIGRATION_KEEP` of them for this workspace file.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    suffix = path.suffix or ".nlw"
    dest = path.with_name(f"{path.stem}.before-{revision}-{stamp}{suffix}")
    written = backup_to(path, dest)
    pattern = re.compile(
        re.escape(path.stem) + r"\.before-.+-(\d{8}-\d{6})" + re.escape(suffix) + "$"
    )
    ours = sorted(
        (m.group(1), p.name, p)
        for p in path.parent.iterdir()
        if (m := pattern.match(p.name)) is not None
    )
    for _stamp, _name, old in ours[:-PRE_MIGRATION_KEEP]:
        old.unlink(missing_ok=True)
    return written


def backup_folder(root: Path, workspace_id: str) -> Path:
    """The folder holding one workspace identity's daily backups."""
    return Path(root) / workspace_id


def daily_backups(folder: Path) -> list[Path]:
    """The daily backups in ``folder``, oldest first (by the date in their names)."""
    if not folder.is_dir():
        return []
    found = [(m.group(1), p.name, p) for p in folder.iterdir() if (m := _DAILY.search(p.name))]
    return [p for _day, _name, p in sorted(found)]


def daily_backup(
    path: Path,
    root: Path,
    keep: int = 7,
    today: date | None = None,
    gate: IntegrityGate | None = None,
) -> Path | None:
    """Keep one verified backup per day of the workspace in ``root/<workspace_id>/``.

    Returns the path written, or ``None`` when today's backup already exists. Raises (and
    writes and deletes nothing) when the workspace is damaged. Rotation keeps the newest
    ``keep`` backups, and never deletes the newest one that passes its check.
    """
    from .db import ensure_workspace_id

    if gate is not None:
        gate.wait()
    today = today or date.today()
    workspace_id = ensure_workspace_id(path)  # refuses a damaged workspace, writing nothing
    private_dir(root)
    folder = backup_folder(root, workspace_id)
    private_dir(folder)
    dest = folder / f"{path.stem}-{today.isoformat()}.nlw"
    written = None
    if not dest.exists():
        written = backup_to(path, dest)
    ours = daily_backups(folder)
    doomed = ours[:-keep] if keep > 0 else []
    if doomed:
        healthy = written or newest_healthy(reversed(ours))
        for old in doomed:
            if old != healthy:
                old.unlink(missing_ok=True)
    return written


def newest_healthy(candidates_newest_first: Iterable[Path]) -> Path | None:
    """The first of ``candidates_newest_first`` that passes its check."""
    for candidate in candidates_newest_first:
        if not verify_backup(candidate):
            return candidate
        log.warning("Backup %s is damaged; it is not counted as a healthy backup", candidate)
    return None


def find_healthy_backup(path: Path, root: Path) -> Path | None:
    """The newest backup of the workspace at ``path`` that passes its check, or ``None``.

    Looks in its identity's daily backup folder (by name in every folder when the identity
    cannot be read from a damaged file) and at its pre-migration backups beside it.
    """
    from .db import inspect_file, read_workspace_id

    path, root = Path(path), Path(root)
    wid = read_workspace_id(path)
    folders = [backup_folder(root, wid)] if wid else []
    if not wid and root.is_dir():
        folders = [f for f in root.iterdir() if f.is_dir()]
    candidates = [
        p for folder in folders for p in daily_backups(folder) if wid or p.stem[:-11] == path.stem
    ]
    if path.parent.is_dir():
        candidates += path.parent.glob(f"{glob_escape(path.stem)}.before-*{path.suffix or '.nlw'}")
    ordered = sorted(
        (p for p in candidates if p.is_file()), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for candidate in ordered:
        if candidate.resolve() == path.resolve():
            continue
        try:
            inspect_file(candidate, full_check=True)
        except WorkspaceError:
            log.warning("Backup %s cannot be used; looking at older ones", candidate)
            continue
        return candidate
    return None


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def restore_backup(backup: Path, dest: Path) -> Path:
    """Restore ``backup`` into a NEW workspace file ``dest``; returns ``dest``.

    The backup is checked first (a damaged or foreign file is refused with a clear message), and
    it is copied through the backup API, so the backup file itself is never changed.
    """
    from .db import inspect_file

    backup, dest = Path(backup), Path(dest)
    if not backup.is_file():
        raise StorageError(f"There is no backup file at “{backup}”.")
    if dest.exists() and dest.resolve() == backup.resolve():
        raise StorageError("Restore into a new workspace file, not over the backup itself.")
    try:
        inspect_file(backup, full_check=True)
    except DamagedWorkspaceError as exc:
        raise StorageError(
            f"The backup “{backup.name}” is damaged; choose another, older backup."
        ) from exc
    return backup_to(backup, dest)


def start_daily_backup(
    path: Path, folder: Path, keep: int = 7, gate: IntegrityGate | None = None
) -> threading.Thread:
    """Run :func:`daily_backup` on a background thread (its own SQLite connection), so that
    opening a large workspace is not slowed down. It waits for ``gate`` (the workspace's
    integrity check). Failures are logged, never raised."""

    def work() -> None:
        try:
            written = daily_backup(path, folder, keep, gate=gate)
            if written is not None:
                log.info("Daily backup written to %s", written)
        except Exception:  # a backup must never break opening the workspace
            log.exception("The daily backup of %s failed", path)

    thread = threading.Thread(target=work, name="daily-backup", daemon=True)
    thread.start()
    return thread
