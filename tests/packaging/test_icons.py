"""The app icon: every size rendered, in step with its SVG sources, used as the window icon."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from nextlevel_desktop import APP_ID
from nextlevel_desktop.ui.app_icon import app_icon, icon_files

ROOT = Path(__file__).resolve().parents[2]
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def make_icons():  # type: ignore[no-untyped-def]
    script = ROOT / "packaging" / "make_icons.py"
    spec = importlib.util.spec_from_file_location("make_icons", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_icons"] = module
    spec.loader.exec_module(module)
    return module


def test_every_size_is_rendered_at_its_size() -> None:
    files = icon_files()
    assert tuple(files) == SIZES
    for size, png in files.items():
        image = QImage(str(png))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()


def test_scalable_icon_is_the_source_svg() -> None:
    scalable = ROOT / "src/nextlevel_desktop/assets/icons/hicolor/scalable/apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == (ROOT / "resources" / "icon.svg").read_bytes()


@pytest.mark.parametrize("size", [16, 48, 256])
def test_committed_pngs_match_the_svg_sources(qapp, size: int) -> None:  # type: ignore[no-untyped-def]
    """Edit resources/*.svg, then run packaging/make_icons.py: this fails until you do."""
    fresh = QImage.fromData(make_icons().render_png(size))
    committed = QImage(str(icon_files()[size]))
    assert fresh.size() == committed.size()
    diff = sum(
        abs(fresh.pixelColor(x, y).alpha() - committed.pixelColor(x, y).alpha())
        + abs(fresh.pixelColor(x, y).red() - committed.pixelColor(x, y).red())
        for x in range(0, size, max(1, size // 32))
        for y in range(0, size, max(1, size // 32))
    )
    samples = len(range(0, size, max(1, size // 32))) ** 2
    assert diff / samples < 8


def test_windows_and_macos_icons_hold_every_size() -> None:
    with Image.open(ROOT / "packaging" / "windows" / "NextLevelDesktop.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])
    with Image.open(ROOT / "packaging" / "macos" / "NextLevelDesktop.icns") as icns:
        sizes = {s[:2] for s in icns.info["sizes"]}
        assert {(16, 16), (32, 32), (128, 128), (256, 256), (512, 512)} <= sizes


def test_window_icon_has_every_size(qapp) -> None:  # type: ignore[no-untyped-def]
    icon = app_icon()
    assert not icon.isNull()
    assert {QSize(s, s) for s in SIZES} <= set(icon.availableSizes())
