"""The application icon: every rendered size from ``assets/icons/hicolor`` (made by
``packaging/make_icons.py``), so each size looks as drawn instead of scaled."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from .. import APP_ID


def icon_files() -> dict[int, Traversable]:
    """The PNG file for every size of the app icon, by size in pixels."""
    hicolor = resources.files("nextlevel_desktop") / "assets" / "icons" / "hicolor"
    found: dict[int, Traversable] = {}
    if not hicolor.is_dir():
        return found
    for folder in hicolor.iterdir():
        width, _, height = folder.name.partition("x")
        png = folder / "apps" / f"{APP_ID}.png"
        if width.isdigit() and width == height and png.is_file():
            found[int(width)] = png
    return dict(sorted(found.items()))


def app_icon() -> QIcon:
    icon = QIcon()
    for size, png in icon_files().items():
        icon.addFile(str(png), QSize(size, size))
    return icon
