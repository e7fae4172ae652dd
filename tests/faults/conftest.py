"""Real storage faults: a small tmpfs that fills up, and drives remounted read-only.

Mounting needs root (or CAP_SYS_ADMIN); where it is not permitted the tests are skipped with
the reason. Every mount is undone, lazily if a test left a file open on it.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from faulty_drives import Drive


@pytest.fixture
def drive(tmp_path: Path) -> Iterator[Drive]:
    mnt = tmp_path / "drive"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a test drive (tmpfs) needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(mnt)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"mounting a test drive (tmpfs) is not permitted here: {done.stderr.strip()}")
    try:
        yield Drive(mnt)
    finally:
        if subprocess.run(["umount", str(mnt)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.fixture
def read_only_bind(tmp_path: Path) -> Iterator[Callable[[Path], Path]]:
    """Make a read-only view of a folder (a bind mount remounted ro); returns its path."""
    mounted: list[Path] = []

    def make(folder: Path) -> Path:
        if os.geteuid() != 0:
            pytest.skip("a read-only bind mount needs root")
        view = tmp_path / f"ro-{len(mounted)}"
        view.mkdir()
        done = subprocess.run(["mount", "--bind", str(folder), str(view)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"bind mounts are not permitted here: {done.stderr!r}")
        mounted.append(view)
        subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], check=True)
        return view

    yield make
    for view in reversed(mounted):
        if subprocess.run(["umount", str(view)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(view)], check=False)
