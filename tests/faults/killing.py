"""The kill -9 fault harness: run a writer, kill it at a random moment, check what is left.

Used by ``tests/faults/test_kill.py`` (a few kills per write kind, in CI) and by
``benchmarks/fault_run.py`` (the long run on demand, with a table of the outcomes).

A trial copies a demo workspace, starts ``writer.py KIND WORKSPACE`` in a subprocess (same
Python, same source tree), waits until it has acknowledged one to three writes (a new workspace:
until it starts), sleeps a seeded random delay and sends SIGKILL. Then the workspace must open
through ``open_workspace``, pass ``PRAGMA integrity_check``, and hold every write the worker
acknowledged (an ``ack`` line is printed only after the commit returned); the one write that may
have been under way is either wholly there or wholly absent.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text

from nextlevel_desktop.domain.errors import NextLevelError
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage.db import APPLICATION_ID, inspect_file

HERE = Path(__file__).resolve().parent
WRITER = HERE / "writer.py"
SRC = HERE.parents[1] / "src"
sys.path.insert(0, str(HERE))

import writer  # noqa: E402  (the worker's own definitions: settings, CSV rows)

KINDS = tuple(writer.KINDS)
# The longest random delay before the kill, per kind: about as long as a few of its writes (a
# creation takes about a second), so kills land before, inside and between writes.
WINDOW_S = {"create": 2.5, "import": 1.5, "backup": 0.8}
DEFAULT_WINDOW_S = 0.5
READY_TIMEOUT_S = 120.0
COUNTED = ("process", "stage", "person", "account", "engagement", "stage_change", "activity")

Event = dict[str, Any]


@dataclass
class Trial:
    """One kill: what the worker acknowledged, where the kill landed, what the check found."""

    kind: str
    seed: int
    delay_s: float
    acked: int = 0
    mid_write: bool = False
    landed: bool | None = None  # killed mid-write: did that write commit (None: cannot tell)?
    checked: int = 0
    integrity_ok: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return len(self.problems)


def make_template(path: Path) -> Path:
    """A demo workspace, closed cleanly (no WAL beside it), to copy for every trial."""
    db, _ = open_workspace(path, demo=True)
    db.close()
    return path


def row_counts(path: Path) -> dict[str, int]:
    """Rows per table, read through a read-only connection."""
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}
    finally:
        con.close()


def _events(out: Path) -> list[Event]:
    data = out.read_bytes()
    lines = data.split(b"\n")[:-1]  # a line cut off by the kill has no newline: not printed
    return [json.loads(line) for line in lines if line.strip()]


def _wait_for(proc: subprocess.Popen[bytes], out: Path, err: Path, acks: int) -> None:
    """Until the writer is ready and has acknowledged ``acks`` writes."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        data = out.read_bytes()
        if b'"ev": "ready"' in data and data.count(b'"ev": "ack"') >= acks:
            return
        if proc.poll() is not None:
            raise RuntimeError(f"the writer exited early: {err.read_text(errors='replace')}")
        time.sleep(0.002)
    raise RuntimeError("the writer did not get going in time")


def run_trial(kind: str, template: Path, folder: Path, seed: int) -> Trial:
    """Run one kill trial of ``kind`` in the empty ``folder``; the result names any loss."""
    trial, events = kill_writer(kind, template, folder, seed)
    check_trial(trial, folder / "workspace.nlw", template, events)
    return trial


def kill_writer(kind: str, template: Path, folder: Path, seed: int) -> tuple[Trial, list[Event]]:
    """Start the writer on a copy of ``template``, kill it after a seeded random delay."""
    rng = random.Random(seed)
    trial = Trial(kind, seed, rng.uniform(0.0, WINDOW_S.get(kind, DEFAULT_WINDOW_S)))
    # The delay starts after a few acknowledged writes, however slow the machine, so that every
    # trial has writes to check; a new workspace is killed from the start (the first one made
    # is the one a first start of the app makes).
    wait_acks = 0 if kind == "create" else rng.randint(1, 3)
    folder.mkdir(parents=True, exist_ok=True)
    ws = folder / "workspace.nlw"
    if kind != "create":
        shutil.copyfile(template, ws)
    out, err = folder / "writer.out", folder / "writer.err"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH", "")) if p)
    with out.open("wb") as stdout, err.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, str(WRITER), kind, str(ws)], stdout=stdout, stderr=stderr, env=env
        )
        try:
            _wait_for(proc, out, err, wait_acks)
            time.sleep(trial.delay_s)
        finally:
            proc.kill()  # SIGKILL: no handler, no flush, no cleanup in the writer
            proc.wait()
    if proc.returncode != -signal.SIGKILL:
        trial.problems.append(f"the writer ended by itself ({proc.returncode}): {err.read_text()}")
    return trial, _events(out)


def check_trial(trial: Trial, ws: Path, template: Path, events: list[Event]) -> None:
    """Check the workspace ``ws`` against the writer's ``events``; fills in ``trial``."""
    ready = next(e for e in events if e["ev"] == "ready")
    acks = [e for e in events if e["ev"] == "ack"]
    begun = [e for e in events if e["ev"] == "begin"]
    in_flight = begun[-1] if begun and (not acks or acks[-1]["n"] != begun[-1]["n"]) else None
    trial.acked, trial.mid_write = len(acks), in_flight is not None
    if trial.kind == "create":
        trial.checked = check_create(ws, template, acks, in_flight, trial)
        trial.integrity_ok = not trial.problems
        if in_flight is not None:
            path = Path(in_flight["file"])
            trial.landed = path.exists() and path.stat().st_size > 0
        return
    try:
        db, _ = open_workspace(ws, create=False)
    except NextLevelError as exc:
        trial.problems.append(f"the workspace does not open after the kill: {exc}")
        return
    try:
        with db.engine.connect() as con:
            result = [r[0] for r in con.exec_driver_sql("PRAGMA integrity_check")]
        trial.integrity_ok = result == ["ok"]
        if not trial.integrity_ok:
            trial.problems.append(f"integrity_check: {result[:5]}")
        services = Services.for_database(db)
        trial.checked = CHECKS[trial.kind](services, ready, acks, in_flight, trial.problems)
        if in_flight is not None:
            trial.landed = landed(trial.kind, services, ready, acks, in_flight)
    finally:
        db.close()


# The checks, one per kind: each returns how many acknowledged writes it checked and appends a
# line to ``problems`` for every write that is missing, partial or not what was written.

Check = Callable[[Services, Event, list[Event], Event | None, list[str]], int]


def _sql(services: Services, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with services.db.read() as session:
        return [tuple(r) for r in session.execute(text(sql), params)]


def _count(services: Services, where: str, p: str) -> int:
    return int(_sql(services, f"SELECT count(*) FROM {where}", p=p)[0][0])


def check_activity(
    services: Services, _ready: Event, acks: list[Event], in_flight: Event | None, problems: list
) -> int:
    rows = {
        r[0]: r[1:]
        for r in _sql(
            services,
            "SELECT id, notes, outcome, duration_min FROM activity WHERE notes LIKE 'fault %'",
        )
    }
    for ack in acks:
        n = ack["n"]
        if rows.get(ack["id"]) != (f"fault activity {n}", f"fault {n}", n % 600):
            problems.append(f"activity {n} (id {ack['id']}) acknowledged but {rows.get(ack['id'])}")
    allowed = {a["id"] for a in acks}
    extra = [i for i in rows if i not in allowed]
    if len(extra) > (1 if in_flight else 0):
        problems.append(f"activities nobody acknowledged or began: {extra}")
    return len(acks)


def check_stage(
    services: Services, ready: Event, acks: list[Event], in_flight: Event | None, problems: list
) -> int:
    expected: dict[int, list[int]] = {}
    won: dict[int, int | None] = {}
    for ack in acks:
        if ack["op"] == "create":
            expected[ack["eng"]] = list(ack["changes"])
        elif ack["op"] in ("move", "won"):
            expected[ack["eng"]].append(ack["change"])
        if ack["op"] == "won":
            won[ack["eng"]] = ack["handover"]
    engagements = {
        r[0]: r[1:]
        for r in _sql(
            services,
            "SELECT id, stage_id, outcome, name FROM engagement WHERE name LIKE 'Fault deal %'",
        )
    }
    history: dict[int, list[tuple[int, int]]] = {}
    for eng, change, to_stage in _sql(
        services,
        "SELECT c.engagement_id, c.id, c.to_stage_id FROM stage_change c "
        "JOIN engagement e ON e.id = c.engagement_id WHERE e.name LIKE 'Fault deal %' "
        "ORDER BY c.id",
    ):
        history.setdefault(eng, []).append((change, to_stage))
    handovers = dict(
        _sql(
            services,
            "SELECT source_engagement_id, id FROM engagement "
            "WHERE source_engagement_id IS NOT NULL",
        )
    )
    for eng, row in engagements.items():
        stage_id, outcome, name = row
        changes = history.get(eng, [])
        if not changes:
            problems.append(f"engagement {name} has no opening stage change")
            continue
        if changes[-1][1] != stage_id:
            problems.append(f"engagement {name} is in stage {stage_id}, its history says otherwise")
        ids = [c for c, _ in changes]
        want = expected.get(eng)
        busy = in_flight is not None and in_flight.get("eng") == eng
        if want is not None and ids != want and not (busy and ids[:-1] == want):
            problems.append(f"engagement {name}: history {ids}, acknowledged {want}")
        if (outcome == "won") != (changes[-1][1] == ready["won"]):
            problems.append(f"engagement {name}: outcome {outcome} in stage {stage_id}")
        if (outcome == "won") != (eng in handovers):
            problems.append(f"engagement {name}: outcome {outcome}, handover {eng in handovers}")
    for eng, farm in won.items():
        if eng not in engagements or engagements[eng][1] != "won" or handovers.get(eng) != farm:
            problems.append(f"engagement {eng}: acknowledged won with handover {farm}, now lost")
    for eng in expected:
        if eng not in engagements:
            problems.append(f"engagement {eng} acknowledged but gone")
    return len(acks)


def check_designer(
    services: Services, ready: Event, acks: list[Event], in_flight: Event | None, problems: list
) -> int:
    now = writer.design_snapshot(services, ready["process"])
    last = acks[-1]["expect"] if acks else ready["expect"]
    if now != last and not (in_flight is not None and now == in_flight["expect"]):
        problems.append(f"the design is {now}; the last acknowledged edit left {last}")
    return len(acks)


def check_review(
    services: Services, _ready: Event, acks: list[Event], in_flight: Event | None, problems: list
) -> int:
    found: dict[int, tuple[str, list[str]]] = {}
    for rid, notes, action in _sql(
        services,
        "SELECT r.id, r.notes, a.text FROM review r LEFT JOIN agreed_action a "
        "ON a.review_id = r.id WHERE r.notes LIKE 'fault review %' ORDER BY r.id, a.position",
    ):
        found.setdefault(rid, (notes, []))[1].append(action)
    for ack in acks:
        if found.pop(ack["id"], None) != (ack["notes"], ack["actions"]):
            problems.append(f"review {ack['n']} acknowledged but missing or partial")
    for notes, actions in found.values():
        if in_flight is None or (notes, actions) != (in_flight["notes"], in_flight["actions"]):
            problems.append(f"review “{notes}” with actions {actions} was never acknowledged")
    return len(acks)


def check_settings(
    services: Services, ready: Event, acks: list[Event], in_flight: Event | None, problems: list
) -> int:
    now = services.workspace.settings().to_pairs()
    allowed = [writer.settings_for(acks[-1]["n"]).to_pairs() if acks else ready["settings"]]
    if in_flight is not None:
        allowed.append(writer.settings_for(in_flight["n"]).to_pairs())
    if now not in allowed:
        problems.append(f"settings are {now}; acknowledged {allowed[0]}")
    return len(acks)


def check_import(
    services: Services, _ready: Event, acks: list[Event], in_flight: Event | None, problems: list
) -> int:
    whole = (writer.IMPORT_ROWS, writer.IMPORT_ACCOUNTS, 1)
    batches = [(a["n"], True) for a in acks] + ([(in_flight["n"], False)] if in_flight else [])
    for n, acked in batches:
        found = (
            _count(services, "activity WHERE external_id LIKE :p", f"B{n}-%"),
            _count(services, "account WHERE name LIKE :p", f"Import Co {n}-%"),
            _count(services, "person WHERE name = :p", f"Importer {n}"),
        )
        if found != whole and (acked or found != (0, 0, 0)):
            what = "acknowledged" if acked else "interrupted"
            problems.append(f"{what} import {n} left (activities, accounts, people) = {found}")
    last = max((n for n, _ in batches), default=-1)
    later = _count(services, "activity WHERE notes LIKE :p", f"% of batch {last + 1}")
    if later:
        problems.append(f"import {last + 1} left {later} rows but was never begun")
    return len(acks)


def check_undo(
    services: Services, _ready: Event, acks: list[Event], in_flight: Event | None, problems: list
) -> int:
    state: dict[int, tuple[bool, list[list[Any]]]] = {}
    for ack in acks:
        state[ack["cycle"]] = (ack["present"], ack["rows"])
    for cycle, (present, rows) in state.items():
        there = [
            bool(_sql(services, f"SELECT 1 FROM {table} WHERE id = :i", i=row_id))
            for table, row_id in rows
        ]
        busy = in_flight is not None and in_flight["cycle"] == cycle
        allowed = {present, in_flight["present"]} if busy and in_flight else {present}
        if len(set(there)) != 1 or there[0] not in allowed:
            problems.append(
                f"undo cycle {cycle}: rows {rows} present {there}, acknowledged present={present}"
            )
    # An interrupted first write of a cycle: its activity, engagement and opening stage change
    # are all there or none is.
    for (name,) in _sql(
        services,
        "SELECT e.name FROM engagement e WHERE e.name LIKE 'Fault undo %' AND "
        "(NOT EXISTS (SELECT 1 FROM stage_change c WHERE c.engagement_id = e.id) OR "
        "NOT EXISTS (SELECT 1 FROM activity a WHERE a.engagement_id = e.id))",
    ):
        problems.append(f"{name}: engagement without its activity or stage change")
    return len(acks)


def _valid_copy(path: Path) -> str | None:
    """``None`` when ``path`` is a whole, healthy workspace file; else what is wrong."""
    try:
        inspect_file(path)
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            check = [r[0] for r in con.execute("PRAGMA integrity_check")]
        finally:
            con.close()
    except (NextLevelError, sqlite3.Error) as exc:
        return str(exc)
    if app_id != APPLICATION_ID or check != ["ok"]:
        return f"application_id {app_id}, integrity_check {check[:3]}"
    return None


def check_backup(
    services: Services, ready: Event, acks: list[Event], _in_flight: Event | None, problems: list
) -> int:
    folder = Path(ready["folder"])
    logged: list[int] = []
    for ack in acks:
        if ack["op"] == "log":
            logged.append(ack["id"])
            continue
        path = Path(ack["file"])
        if not path.exists():
            problems.append(f"acknowledged {ack['op']} {path.name} is gone")
            continue
        try:
            con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                rows = con.execute("SELECT id FROM activity WHERE notes LIKE 'fault %'")
                ids = {r[0] for r in rows}
            finally:
                con.close()
        except sqlite3.Error as exc:
            problems.append(f"acknowledged {ack['op']} {path.name} cannot be read: {exc}")
            continue
        if not set(logged) <= ids:
            problems.append(f"{path.name} lacks activities logged before it: {set(logged) - ids}")
    # Every file under a final name, acknowledged or not, is a whole workspace: a copy that was
    # cut off may only be left under its temporary name.
    for path in sorted(folder.glob("*.nlw")) if folder.exists() else []:
        wrong = _valid_copy(path)
        if wrong is not None:
            problems.append(f"{path.name} is not a whole workspace: {wrong}")
    present = {r[0] for r in _sql(services, "SELECT id FROM activity WHERE notes LIKE 'fault %'")}
    if not set(logged) <= present:
        problems.append(f"acknowledged activities lost: {set(logged) - present}")
    return len(acks)


def check_create(
    ws: Path, template: Path, acks: list[Event], in_flight: Event | None, trial: Trial
) -> int:
    """Every acknowledged new workspace is whole; the interrupted one is whole or absent."""
    want = row_counts(template)
    files = [(Path(a["file"]), True) for a in acks]
    if in_flight is not None:
        files.append((Path(in_flight["file"]), False))
    for path, acked in files:
        if not path.exists():
            if acked:
                trial.problems.append(f"acknowledged new workspace {path.name} is gone")
            continue
        if path.stat().st_size == 0:
            trial.problems.append(f"an empty file was left at {path.name}")
            continue
        wrong = _valid_copy(path)
        if wrong is None:
            try:
                db, _ = open_workspace(path, create=False)
                db.close()
            except NextLevelError as exc:
                wrong = str(exc)
        if wrong is None and row_counts(path) != want:
            wrong = f"half-made: {row_counts(path)}, a whole one has {want}"
        if wrong is not None:
            state = "acknowledged" if acked else "interrupted"
            trial.problems.append(f"{state} new workspace {path.name}: {wrong}")
    return len(acks)


CHECKS: dict[str, Check] = {
    "activity": check_activity,
    "stage": check_stage,
    "designer": check_designer,
    "review": check_review,
    "settings": check_settings,
    "import": check_import,
    "undo": check_undo,
    "backup": check_backup,
}


def _exists(services: Services, sql: str, **params: Any) -> bool:
    return bool(_sql(services, sql, **params))


def landed(
    kind: str, services: Services, ready: Event, acks: list[Event], in_flight: Event
) -> bool | None:
    """Whether the write the kill interrupted was committed (the checks above have already
    shown that it is wholly there or wholly absent); ``None`` when the two look the same."""
    n, op = in_flight["n"], in_flight.get("op")
    if kind == "activity":
        return _exists(services, "SELECT 1 FROM activity WHERE notes = :p", p=f"fault activity {n}")
    if kind == "stage" and op == "account":
        return _exists(services, "SELECT 1 FROM account WHERE name = :p", p=in_flight["name"])
    if kind == "stage" and op == "create":
        return _exists(
            services, "SELECT 1 FROM engagement WHERE account_id = :a", a=in_flight["account"]
        )
    if kind == "stage":
        stage, outcome = _sql(
            services, "SELECT stage_id, outcome FROM engagement WHERE id = :e", e=in_flight["eng"]
        )[0]
        return outcome == "won" if op == "won" else stage == in_flight["stage"]
    if kind == "designer":
        now = writer.design_snapshot(services, ready["process"])
        before = acks[-1]["expect"] if acks else None
        return None if in_flight["expect"] == before else now == in_flight["expect"]
    if kind == "review":
        return _exists(services, "SELECT 1 FROM review WHERE notes = :p", p=in_flight["notes"])
    if kind == "settings":
        return services.workspace.settings() == writer.settings_for(n)
    if kind == "import":
        return _exists(services, "SELECT 1 FROM activity WHERE external_id = :p", p=f"B{n}-0")
    if kind == "undo" and "rows" not in in_flight:
        note = f"fault activity {in_flight['cycle']}"
        return _exists(services, "SELECT 1 FROM activity WHERE notes = :p", p=note)
    if kind == "undo":
        table, row_id = in_flight["rows"][0]
        there = _exists(services, f"SELECT 1 FROM {table} WHERE id = :i", i=row_id)
        return there == in_flight["present"]
    if kind == "backup" and op == "log":
        note = f"fault activity {in_flight['cycle']}"
        return _exists(services, "SELECT 1 FROM activity WHERE notes = :p", p=note)
    if kind == "backup":
        return Path(in_flight["file"]).exists()
    raise ValueError(kind)


# Tampering: each removes or changes one acknowledged write behind the app's back, so that a
# test can show its check would have caught the loss. Returns False when nothing was acked.

Tamper = Callable[[Path, list[Event]], bool]


def _first_ack(events: list[Event], **match: Any) -> Event | None:
    for e in events:
        if e["ev"] == "ack" and all(e.get(k) == v for k, v in match.items()):
            return e
    return None


def _execute(path: Path, sql: str, *params: Any) -> bool:
    con = sqlite3.connect(path)
    try:
        changed = con.execute(sql, params).rowcount
        con.commit()
    finally:
        con.close()
    return changed > 0


def tamper(kind: str, ws: Path, events: list[Event]) -> bool:
    """Undo one acknowledged write of ``kind`` in ``ws`` directly in the file."""
    ack = _first_ack(events)
    if kind == "designer":
        stage_id = next(e for e in events if e["ev"] == "ready")["expect"][0][0]
        return _execute(ws, "UPDATE stage SET name = name || ' (lost)' WHERE id = ?", stage_id)
    if kind == "settings":
        return _execute(ws, "UPDATE setting SET value = '999' WHERE key = 'on_track_pct'")
    if ack is None:
        return False
    if kind == "activity":
        return _execute(ws, "DELETE FROM activity WHERE id = ?", ack["id"])
    if kind == "stage":
        ack = _first_ack(events, op="create")
        return ack is not None and _execute(
            ws, "DELETE FROM stage_change WHERE id = ?", ack["changes"][0]
        )
    if kind == "review":
        return _execute(ws, "DELETE FROM agreed_action WHERE review_id = ?", ack["id"])
    if kind == "import":
        return _execute(ws, "DELETE FROM activity WHERE external_id = ?", f"B{ack['n']}-0")
    if kind == "undo":
        done = [e for e in events if e["ev"] == "ack" and e["present"]]
        for e in reversed(done):
            rows = [r for r in e["rows"] if r[0] == "stage_change"]
            if rows and _execute(ws, "DELETE FROM stage_change WHERE id = ?", rows[0][1]):
                return True
        return False
    if kind == "backup":
        ack = _first_ack(events, op="backup")
        if ack is None:
            return False
        path = Path(ack["file"])
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        return True
    if kind == "create":
        return _execute(Path(ack["file"]), "DELETE FROM activity")
    raise ValueError(kind)
