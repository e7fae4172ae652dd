"""Write the large benchmark workspace: 50 people, 20,000 accounts, 100,000 engagements with
stage history, 1,000,000 activities over 3 years, and targets (the demo generator, scaled).

    python benchmarks/generate.py [--out benchmarks/data/large.nlw] [--scale 1.0]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from nextlevel_desktop.services.demo import BENCHMARK_SIZE, DemoSize, generate_demo
from nextlevel_desktop.services.workspace import open_workspace

DEFAULT_OUT = Path(__file__).parent / "data" / "large.nlw"


def generate(out: Path, scale: float = 1.0, quiet: bool = False) -> float:
    """Create ``out`` afresh; return the seconds it took."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    size = DemoSize(
        people=BENCHMARK_SIZE.people,
        accounts=max(60, round(BENCHMARK_SIZE.accounts * scale)),
        engagements=max(150, round(BENCHMARK_SIZE.engagements * scale)),
        activities=max(3000, round(BENCHMARK_SIZE.activities * scale)),
        months=BENCHMARK_SIZE.months,
    )
    start = time.perf_counter()
    db, _ = open_workspace(out)

    def progress(what: str, frac: float) -> None:
        if not quiet:
            print(
                f"\r{what:<12} {frac:6.1%}  {time.perf_counter() - start:6.1f} s",
                end="",
                file=sys.stderr,
                flush=True,
            )

    try:
        generate_demo(db, size, seed=1, progress=progress)
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    elapsed = time.perf_counter() - start
    if not quiet:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"\nwrote {out} ({out.stat().st_size / 1e6:,.0f} MB) in {elapsed:,.1f} s, "
            f"peak RSS {peak:,.0f} MB",
            file=sys.stderr,
        )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    generate(args.out, args.scale)


if __name__ == "__main__":
    main()
