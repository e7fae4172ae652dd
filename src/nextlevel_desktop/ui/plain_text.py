"""Showing text a user (or a file) wrote as plain text, everywhere (one home for the rule).

Qt guesses: a ``QLabel``, a tooltip or a message box whose text looks like HTML is rendered as
rich text, so a stage named ``<img src=x>`` or ``<b>X</b>`` would turn into markup. Labels that
show user text are set to ``Qt.TextFormat.PlainText``; where a label needs rich text for its
layout, the user's part goes through :func:`rich` (HTML-escaped); tooltips go through
:func:`tip`, which always renders as rich text with the user's text escaped inside.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that shows ``text`` literally, however it looks."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def set_plain(*labels: QLabel) -> None:
    for label in labels:
        label.setTextFormat(Qt.TextFormat.PlainText)


def rich(text: str) -> str:
    """User text to put inside a rich-text string (escaped; line breaks kept)."""
    return html.escape(text).replace("\n", "<br>")


def tip(text: str) -> str:
    """A tooltip showing ``text`` literally (line breaks kept), even if it looks like HTML."""
    if not text:
        return ""
    return f"<qt>{rich(text)}</qt>"


def message(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
    default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
) -> QMessageBox.StandardButton:
    """A modal message box showing ``text`` literally (it often quotes names the user typed).

    It goes through Qt's static ``QMessageBox`` functions (which guess the text format), with
    the text escaped into rich text, so it shows as typed whatever Qt guesses.
    """
    shown = f"<qt>{rich(text)}</qt>"
    if icon == QMessageBox.Icon.Question:
        return QMessageBox.question(parent, title, shown, buttons, default)
    if icon == QMessageBox.Icon.Critical:
        return QMessageBox.critical(parent, title, shown, buttons, default)
    if icon == QMessageBox.Icon.Information:
        return QMessageBox.information(parent, title, shown, buttons, default)
    return QMessageBox.warning(parent, title, shown, buttons, default)
