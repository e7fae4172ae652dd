"""Two writers on one workspace (two loggers, or the app and a command): nobody is refused.

Each writer has its own connections (its own ``Database``), as two programs would. Write
transactions begin IMMEDIATE, so a writer waits in SQLite's busy handler for the other one
instead of failing at its first write (a deferred transaction that has read cannot wait: it
gets SQLITE_BUSY at once, which refused ~45 % of these writes). Within the 5 s busy timeout
nothing may be refused.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from nextlevel_desktop.domain.activities import ActivityDraft
from nextlevel_desktop.domain.errors import StorageError
from nextlevel_desktop.services.accounts import AccountDraft
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.people import PersonDraft
from nextlevel_desktop.services.workspace import open_workspace

SECONDS = 2.0


def test_two_loggers_at_once_are_never_refused(services: Services, workspace_path: Path) -> None:
    person = services.people.add(PersonDraft("Ann Rep", "ann@example.com")).ids["person"]
    account = services.accounts.create(AccountDraft("Acme Ltd")).ids["account"]
    call = next(t.id for t in services.activities.activity_types() if t.name == "Call")
    services.db.close()
    start = threading.Barrier(2)
    results: list[tuple[int, list[str], float]] = []
    crashed: list[BaseException] = []

    def writer() -> None:
        try:
            db, _ = open_workspace(workspace_path, create=False)
            mine = Services.for_database(db)
            now = datetime.now(UTC)
            done, refused, max_wait = 0, [], 0.0
            start.wait()
            end = time.monotonic() + SECONDS
            while time.monotonic() < end:
                draft = ActivityDraft(
                    type_id=call,
                    person_id=person,
                    account_id=account,
                    occurred_at=now - timedelta(minutes=1),
                    outcome="Positive",
                )
                began = time.monotonic()
                try:
                    mine.activities.log(draft, now=now)
                    done += 1
                except StorageError as exc:
                    refused.append(str(exc))
                max_wait = max(max_wait, time.monotonic() - began)
            db.close()
            results.append((done, refused, max_wait))
        except BaseException as exc:  # reported on the test's thread
            crashed.append(exc)
            start.abort()

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert crashed == []
    done = sum(r[0] for r in results)
    refused = [text for r in results for text in r[1]]
    max_wait = max(r[2] for r in results)
    print(f"two writers: {done} writes, {len(refused)} refused, max wait {max_wait:.3f} s")
    assert refused == []
    assert len(results) == 2 and all(r[0] > 0 for r in results)  # neither starved
    assert max_wait < 5.0
    con = sqlite3.connect(workspace_path)
    try:
        assert con.execute("SELECT count(*) FROM activity").fetchone()[0] == done
    finally:
        con.close()
