"""Start the real app on a workspace the way ``run_gui`` does and report, as epoch seconds:
the main window's first paint, then the activity list and the monitor painted with their data,
then the peak RSS after every area has been visited.

    python benchmarks/_app_probe.py WORKSPACE DATA_DIR
"""

import resource
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer

from nextlevel_desktop.app import AppController, make_application
from nextlevel_desktop.paths import Paths
from nextlevel_desktop.ui.user_settings import UserSettings


class Probe(QObject):
    def __init__(self, window, app) -> None:
        super().__init__()
        self.window, self.app, self.step = window, app, 0

    def eventFilter(self, obj, event):  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self.next)
        return False

    def next(self) -> None:
        now = time.time()
        if self.step == 0:
            print(f"painted {now:.6f}", flush=True)
            self.watch(1)
        elif self.step == 1:
            self.watch(2)
        elif self.step == 2:
            print(f"data {now:.6f}", flush=True)
            for i in range(len(self.window.areas)):
                self.window.show_area(i)
                self.app.processEvents()
                self.window.grab()
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"rss_mb {rss:.1f}", flush=True)
            self.app.quit()
        self.step += 1

    def watch(self, area: int) -> None:
        self.window.show_area(area)
        target = self.window.areas[area]
        target.installEventFilter(self)
        target.update()


def main() -> None:
    workspace, data_dir = Path(sys.argv[1]), Path(sys.argv[2])
    app = make_application()
    paths = Paths(data_dir, data_dir / "logs")
    controller = AppController(paths, UserSettings(data_dir / "settings.ini"))
    if not controller.open_workspace(workspace):
        sys.exit("could not open the workspace")
    window = controller.window
    window.show_area(0)
    probe = Probe(window, app)
    window.installEventFilter(probe)
    app.exec()
    controller.close()


if __name__ == "__main__":
    main()
