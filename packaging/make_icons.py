"""Render the app icon from its SVG sources into every file the platforms need.

    python packaging/make_icons.py        (needs PySide6 and Pillow: both come with the app)

Sources (edit these, then run this script and commit what it writes):
- ``resources/icon.svg``: the icon, drawn for 48 px and up;
- ``resources/icon-small.svg``: the same motif with bolder shapes, used for 16, 24 and 32 px.

Writes:
- ``src/nextlevel_desktop/assets/icons/hicolor/<N>x<N>/apps/<APP_ID>.png`` and
  ``.../scalable/apps/<APP_ID>.svg``: the window icon and, on Linux, the installed theme icon
  (the layout of the freedesktop hicolor theme, so the install script copies the tree as it is);
- ``packaging/windows/NextLevelDesktop.ico`` (16 to 256 px) and
  ``packaging/macos/NextLevelDesktop.icns`` (16 to 1024 px).
"""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icon.svg"
SMALL_SOURCE = ROOT / "resources" / "icon-small.svg"
SMALL_MAX = 32
THEME_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)
HICOLOR = ROOT / "src" / "nextlevel_desktop" / "assets" / "icons" / "hicolor"
ICO = ROOT / "packaging" / "windows" / "NextLevelDesktop.ico"
ICNS = ROOT / "packaging" / "macos" / "NextLevelDesktop.icns"


def render_png(size: int) -> bytes:
    """The icon at ``size`` px as PNG bytes (small sizes from the small source)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    source = SMALL_SOURCE if size <= SMALL_MAX else SOURCE
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"{source} is not a valid SVG file")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.convertToFormat(QImage.Format.Format_ARGB32).save(buffer, "PNG")
    return bytes(data.data())


def main() -> int:
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    sys.path.insert(0, str(ROOT / "src"))
    from nextlevel_desktop import APP_ID

    _app = QGuiApplication.instance() or QGuiApplication(["make_icons", "-platform", "offscreen"])
    pngs = {size: render_png(size) for size in sorted({*THEME_SIZES, *ICO_SIZES, *ICNS_SIZES})}

    for size in THEME_SIZES:
        target = HICOLOR / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pngs[size])
    scalable = HICOLOR / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, scalable)

    images = {size: Image.open(io.BytesIO(data)).convert("RGBA") for size, data in pngs.items()}
    ICO.parent.mkdir(parents=True, exist_ok=True)
    largest = images[max(ICO_SIZES)]
    largest.save(
        ICO,
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    ICNS.parent.mkdir(parents=True, exist_ok=True)
    images[1024].save(ICNS, format="ICNS", append_images=[images[s] for s in ICNS_SIZES])
    for path in (*sorted(HICOLOR.rglob("*.*")), ICO, ICNS):
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
