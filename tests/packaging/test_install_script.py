"""packaging/linux/install.sh: a per-user install from the unpacked bundle, and its removal."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from nextlevel_desktop import APP_ID

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
ICONS = ROOT / "src" / "nextlevel_desktop" / "assets" / "icons" / "hicolor"


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A stand-in for dist/NextLevelDesktop laid out as packaging/build.sh leaves it."""
    root = tmp_path / "NextLevelDesktop"
    (root / "linux").mkdir(parents=True)
    exe = root / "NextLevelDesktop"
    exe.write_text('#!/bin/sh\necho frozen-app "$@"\n')
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    assets = root / "_internal" / "nextlevel_desktop" / "assets"
    shutil.copytree(ICONS, assets / "icons" / "hicolor")
    shutil.copy(LINUX / "install.sh", root / "install.sh")
    for suffix in (".desktop", ".metainfo.xml", ".mime.xml"):
        shutil.copy(LINUX / f"{APP_ID}{suffix}", root / "linux")
    return root


def run(bundle: Path, prefix: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PREFIX": str(prefix)}
    return subprocess.run(
        ["sh", str(bundle / "install.sh"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_installs_for_the_user_and_uninstalls(bundle: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "home" / ".local"
    result = run(bundle, prefix)
    assert result.returncode == 0, result.stderr

    command = prefix / "bin" / "nextlevel-desktop"
    assert subprocess.run([command, "--version"], capture_output=True, text=True).stdout == (
        "frozen-app --version\n"
    )
    desktop = prefix / "share" / "applications" / f"{APP_ID}.desktop"
    text = desktop.read_text("utf-8")
    assert f"Exec={command} --workspace %f\n" in text
    assert f"TryExec={command}\n" in text
    assert (prefix / "share" / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert (prefix / "share" / "mime" / "packages" / f"{APP_ID}.xml").is_file()
    for size in (16, 48, 256, 512):
        assert (prefix / f"share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png").is_file()
    assert (prefix / f"share/icons/hicolor/scalable/apps/{APP_ID}.svg").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", desktop], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout

    result = run(prefix / "lib" / "NextLevelDesktop", prefix, "--uninstall")
    assert result.returncode == 0, result.stderr
    assert not command.exists() and not command.is_symlink()
    assert not desktop.exists()
    assert not (prefix / "lib" / "NextLevelDesktop").exists()
    assert not list((prefix / "share" / "icons").rglob(f"{APP_ID}.*"))


def test_refuses_to_run_outside_a_bundle(tmp_path: Path) -> None:
    script = tmp_path / "install.sh"
    shutil.copy(LINUX / "install.sh", script)
    result = subprocess.run(
        ["sh", str(script)],
        env={**os.environ, "PREFIX": str(tmp_path / "prefix")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "run me from the unpacked bundle" in result.stderr
    assert not (tmp_path / "prefix").exists()
