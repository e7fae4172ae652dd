"""Help > Getting started (a short built-in guide) and Help > About."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ... import APP_NAME, __version__


def guide_html() -> str:
    return (resources.files("nextlevel_desktop") / "assets" / "guide.html").read_text("utf-8")


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Getting started"))
        self.resize(640, 620)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setHtml(guide_html())
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class AboutDialog(QDialog):
    def __init__(self, workspace: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About {0}").format(APP_NAME))
        layout = QVBoxLayout(self)
        text = QLabel(
            f"<h2>{APP_NAME}</h2>"
            f"<p>{self.tr('Version')} {__version__}</p>"
            f"<p>{self.tr('Design, work and measure your hunting and farming sales processes.')}"
            "</p>"
            f"<p><b>{self.tr('Workspace')}:</b><br>{workspace}</p>"
            f"<p style='color:gray'>Qt {qVersion()} · PySide6 {pyside_version}</p>"
        )
        text.setWordWrap(True)
        text.setMinimumWidth(420)
        from PySide6.QtCore import Qt

        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
