"""Run ``_app_probe.py`` and split each long stall after the first paint into what the GUI
thread was doing (Linux only: ``/proc/thread-self/schedstat``):

    gap  = its own CPU + waiting for a core (run queue) + blocked (the interpreter lock, a lock)

and the CPU time the process's other threads (the workers) used meanwhile. A gap that is
mostly run-queue time is the machine's load (other processes, and the workers' cores); one
mostly blocked is the interpreter lock. Printed to stderr as ``split`` lines, one per gap over
40 ms: gap, GUI CPU, run queue, others' CPU, blocked (ms).

    PYTHONPATH=src:benchmarks python benchmarks/_stall_split.py WORKSPACE DATA_DIR
"""

import runpy
import sys
import time
from pathlib import Path

import stall

HERE = Path(__file__).parent


def _sched() -> tuple[float, float]:
    with open("/proc/thread-self/schedstat") as f:
        on_cpu, waiting, _slices = f.read().split()
    return int(on_cpu) / 1e6, int(waiting) / 1e6


class SplitProbe(stall.StallProbe):
    def start(self) -> None:
        super().start()
        self._sched, self._process = _sched(), time.process_time()
        self.splits: list[tuple[int, ...]] = []

    def _tick(self) -> None:
        gap = (time.perf_counter() - self._last) * 1000
        cpu = (time.thread_time() - self._last_cpu) * 1000
        sched, process = _sched(), time.process_time()
        if gap > 40:
            on_cpu, queued = sched[0] - self._sched[0], sched[1] - self._sched[1]
            others = (process - self._process) * 1000 - cpu
            self.splits.append(
                tuple(round(v) for v in (gap, cpu, queued, others, gap - on_cpu - queued))
            )
        self._sched, self._process = sched, process
        super()._tick()

    def stop(self) -> float:
        worst = super().stop()
        for split in self.splits:
            print("split", *split, file=sys.stderr, flush=True)
        return worst


stall.StallProbe = SplitProbe  # type: ignore[misc]
sys.argv = [str(HERE / "_app_probe.py"), *sys.argv[1:]]
runpy.run_path(sys.argv[0], run_name="__main__")
