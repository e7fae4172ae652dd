"""The long kill -9 fault run: many kills per write kind, a table of the outcomes.

    python benchmarks/fault_run.py --trials 40 [--kinds activity,import] [--out FILE]

Each trial is the one ``tests/faults/test_kill.py`` runs in CI (see ``tests/faults/killing.py``):
a writer on a copy of a demo workspace is killed with SIGKILL after a seeded random delay, then
the workspace must open, pass ``PRAGMA integrity_check`` and hold every acknowledged write, and
the write under way must be wholly there or wholly absent. Prints the table, writes it as
markdown (default ``benchmarks/FAULTS.md``) and exits 1 if anything was lost.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "faults"))

from killing import KINDS, Trial, make_template, run_trial  # noqa: E402

HEADER = (
    "| write kind | trials | killed mid-write | interrupted write committed / rolled back "
    "| killed between writes | acknowledged writes checked | lost or partial | integrity ok |"
)


def row(name: str, trials: list[Trial]) -> str:
    mid = [t for t in trials if t.mid_write]
    committed = sum(t.landed is True for t in mid)
    rolled_back = sum(t.landed is False for t in mid)
    cells = [
        name,
        len(trials),
        len(mid),
        f"{committed} / {rolled_back}",
        len(trials) - len(mid),
        f"{sum(t.checked for t in trials):,}",
        sum(t.lost for t in trials),
        f"{sum(t.integrity_ok for t in trials)} / {len(trials)}",
    ]
    return "| " + " | ".join(str(c) for c in cells) + " |"


def table(results: dict[str, list[Trial]]) -> list[str]:
    lines = [HEADER, "|---|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [row(kind, trials) for kind, trials in results.items()]
    every = [t for trials in results.values() for t in trials]
    total = row("all", every).strip("| ").split(" | ")
    lines.append("| " + " | ".join(f"**{c}**" for c in total) + " |")
    return lines


def commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=40, help="kills per write kind")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated write kinds")
    parser.add_argument("--seed", type=int, default=20261129, help="first seed")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "FAULTS.md")
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        parser.error(f"unknown write kinds {unknown}; choose from {', '.join(KINDS)}")

    started = time.monotonic()
    results: dict[str, list[Trial]] = {}
    with tempfile.TemporaryDirectory(prefix="nld-faults-") as tmp:
        template = make_template(Path(tmp) / "demo.nlw")
        for k, kind in enumerate(kinds):
            results[kind] = []
            for i in range(args.trials):
                seed = args.seed + 100_000 * KINDS.index(kind) + i
                trial = run_trial(kind, template, Path(tmp) / f"{kind}-{i}", seed)
                results[kind].append(trial)
                mark = "between"
                if trial.mid_write:
                    mark = {True: "mid-write, committed", False: "mid-write, rolled back"}.get(
                        trial.landed, "mid-write"
                    )
                state = "ok" if not trial.problems else f"LOST: {trial.problems}"
                print(
                    f"[{k + 1}/{len(kinds)}] {kind} {i + 1}/{args.trials} seed {seed}: "
                    f"killed after {trial.delay_s:.3f} s ({mark}), {trial.acked} acks, {state}",
                    flush=True,
                )
    minutes = (time.monotonic() - started) / 60
    lines = table(results)
    problems = [
        f"- {t.kind}, seed {t.seed}: {p}" for ts in results.values() for t in ts for p in t.problems
    ]
    print("\n".join(lines))
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores"
    report = [
        "# kill -9 fault run",
        "",
        f"`python benchmarks/fault_run.py --trials {args.trials} --seed {args.seed}` on {when}, "
        f"commit {commit()}, {machine}, Python {platform.python_version()}, "
        f"{minutes:.0f} minutes.",
        "",
        *lines,
        "",
        "*Killed mid-write*: the last write the worker began had not returned; *committed / "
        "rolled back*: whether that write was found wholly there or wholly absent afterwards "
        "(never partly; a designer edit that changed nothing cannot tell). *Acknowledged writes "
        "checked*: writes whose commit had returned before the kill, each found whole "
        "afterwards. *Lost or partial*: acknowledged writes missing or changed, interrupted "
        "writes left half-done, files that no longer open.",
    ]
    if problems:
        report += ["", "## Problems", "", *problems]
    args.out.write_text("\n".join(report) + "\n")
    print(f"written to {args.out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
