"""A large workspace's background damage check can be held (the app's start-up): a write or a
backup that needs its answer starts it at once, and closing the workspace ends it."""

from __future__ import annotations

import pytest

from nextlevel_desktop.domain.errors import DamagedWorkspaceError
from nextlevel_desktop.storage.db import Database
from nextlevel_desktop.storage.integrity import HOLD_AT_MOST_S, IntegrityGate


def test_waiting_for_a_held_check_starts_it(demo_db: Database) -> None:
    path = demo_db.path
    demo_db.close()
    gate = IntegrityGate(path, checked=False)
    gate.start(held=True)
    assert gate.pending
    gate.wait(HOLD_AT_MOST_S / 2)  # does not wait out the hold: a write needs the answer now
    assert not gate.pending and gate.error is None


def test_a_held_check_released_runs(demo_db: Database) -> None:
    path = demo_db.path
    demo_db.close()
    gate = IntegrityGate(path, checked=False)
    gate.start(held=True)
    gate.release()
    assert gate._done.wait(HOLD_AT_MOST_S / 2)
    assert gate.error is None


def test_closing_during_the_hold_ends_the_check(demo_db: Database) -> None:
    path = demo_db.path
    demo_db.close()
    gate = IntegrityGate(path, checked=False)
    gate.start(held=True)
    gate.stop()
    assert gate._done.wait(HOLD_AT_MOST_S / 2)
    with pytest.raises(DamagedWorkspaceError, match="closed before its check finished"):
        gate.wait(0)
