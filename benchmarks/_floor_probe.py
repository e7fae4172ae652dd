"""The floor under "data shown" at start-up: what no start-up of this app can skip, with nothing
else. A bare PySide6 window (as ``_bare_window.py``) is painted; then the storage stack is
imported (SQLAlchemy and the app's table mapping), the workspace opened as the app opens it
(header check, revision, connection) and the activity list's first screen read through the
app's own service (the done activities counted, their first page of 200 rows read), put in a
plain table and painted. Prints ``painted`` and ``data`` as epoch seconds.

    python benchmarks/_floor_probe.py WORKSPACE
"""

import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem


class OnPaint(QObject):
    def __init__(self, widget, callback) -> None:
        super().__init__(widget)
        self.callback = callback
        widget.installEventFilter(self)
        widget.update()

    def eventFilter(self, obj, event):  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self.callback)
        return False


def main() -> None:
    workspace = Path(sys.argv[1])
    app = QApplication([])
    window = QMainWindow()
    table = QTableWidget(0, 5)
    window.setCentralWidget(table)
    window.resize(1280, 800)
    keep = []

    def painted() -> None:
        print(f"painted {time.time():.6f}", flush=True)
        from nextlevel_desktop.domain.activities import ActivityFilter
        from nextlevel_desktop.domain.models import ActivityStatus
        from nextlevel_desktop.services.activities import ActivityService
        from nextlevel_desktop.storage.db import open_database

        t = time.perf_counter()
        db, _created = open_database(workspace)
        opened = time.perf_counter()
        service = ActivityService(db)
        flt = ActivityFilter(status=ActivityStatus.DONE)
        total = service.count(flt)
        counted = time.perf_counter()
        rows = service.page(flt, 0, 200, total=total)
        read = time.perf_counter()
        print(f"import_open_ms {(opened - t) * 1000:.1f}", flush=True)
        print(f"count_ms {(counted - opened) * 1000:.1f}", flush=True)
        print(f"page_ms {(read - counted) * 1000:.1f}", flush=True)
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate((row.occurred_at, row.type_name, row.person_name,
                                       row.account_name, row.outcome)):  # fmt: skip
                table.setItem(r, c, QTableWidgetItem(str(value)))
        keep.append(OnPaint(table.viewport(), lambda: shown(db)))

    def shown(db) -> None:
        print(f"data {time.time():.6f}", flush=True)
        db.close()
        app.quit()

    keep.append(OnPaint(window, painted))
    window.show()
    app.exec()


if __name__ == "__main__":
    main()
