"""Process files: export, import into another workspace, bad files, and the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from nextlevel_desktop.cli import parse, run_command
from nextlevel_desktop.domain.errors import NextLevelError, NotFoundError, ValidationError
from nextlevel_desktop.domain.models import PeriodKind, ProcessKind
from nextlevel_desktop.domain.processes import TargetSpec
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.workspace import open_workspace


@pytest.fixture
def other(tmp_path: Path):  # type: ignore[no-untyped-def]
    db, _ = open_workspace(tmp_path / "client.nlw")
    yield Services.for_database(db)
    db.close()


def test_round_trip_into_another_workspace(demo_services: Services, other: Services, tmp_path):  # type: ignore[no-untyped-def]
    src = demo_services
    proc = src.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    src.processes.update_process(proc.id, "Enterprise", "Win logos.", proc.owner_id)
    src.design.add_activity_type(ProcessKind.HUNTING, "Site visit")
    path = src.process_files.export(proc.id, tmp_path / "enterprise.nlprocess.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "nextlevel-desktop/process" and data["version"] == 1

    result = other.process_files.import_file(path)
    imported = other.processes.process(result.process_id)
    original = src.processes.process(proc.id)
    assert imported.name == "Enterprise" and imported.purpose == "Win logos."
    assert [
        (s.name, s.category, s.expected_days, s.target_conversion, s.probability)
        for s in imported.active_stages
    ] == [
        (s.name, s.category, s.expected_days, s.target_conversion, s.probability)
        for s in original.active_stages
    ]
    assert [c.text for c in imported.active_stages[2].exit_criteria] == [
        c.text for c in original.active_stages[2].exit_criteria
    ]
    assert "Site visit" in [t.name for t in other.design.activity_types(ProcessKind.HUNTING)]
    assert any("Added the activity type “Site visit”" in n for n in result.notes)
    # Team targets come over; targets for people who do not work here are skipped, with a note.
    team = [t for t in src.design.targets(proc.id) if t.person_id is None]
    got = other.design.targets(result.process_id)
    assert sorted((t.measure, t.value) for t in got) == sorted((t.measure, t.value) for t in team)
    assert any("no one of that name" in n for n in result.notes)
    # The same file again: the name is made unique.
    again = other.process_files.import_file(path)
    assert again.name == "Enterprise (2)"


def test_export_carries_activity_count_targets_by_type_name(
    services: Services, other: Services, tmp_path
):  # type: ignore[no-untyped-def]
    farming = services.processes.processes_of_kind(ProcessKind.FARMING)[0]
    review = next(t for t in services.design.activity_types(ProcessKind.FARMING) if t.is_review)
    services.design.add_target(
        farming.id,
        TargetSpec("activity_count", PeriodKind.MONTH, 3, date(2026, 1, 1), None, review.id),
    )
    path = services.process_files.export(farming.id, tmp_path / "f.json")
    result = other.process_files.import_file(path)
    (target,) = other.design.targets(result.process_id)
    other_review = next(
        t for t in other.design.activity_types(ProcessKind.FARMING) if t.name == review.name
    )
    assert target.activity_type_id == other_review.id and target.value == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\xff\xfe binary", "not text"),
        (b"{ nope", "not valid JSON"),
        (b'{"format": "something-else", "version": 1}', "not a Next Level process file"),
        (b"SQLite format 3\x00", "not valid JSON"),
    ],
)
def test_bad_files_change_nothing(services: Services, tmp_path, content: bytes, message: str):  # type: ignore[no-untyped-def]
    before = services.processes.processes(include_archived=True)
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ValidationError, match=message):
        services.process_files.import_file(path)
    assert services.processes.processes(include_archived=True) == before


def test_missing_file_and_folder(services: Services, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no file"):
        services.process_files.import_file(tmp_path / "missing.json")
    with pytest.raises(NextLevelError, match="folder"):
        services.process_files.import_file(tmp_path)
    with pytest.raises(NotFoundError, match="no process called"):
        services.process_files.export_by_name("Nope", tmp_path / "x.json")
    with pytest.raises(NextLevelError, match="Cannot write"):
        services.process_files.export_by_name("New business", tmp_path / "no" / "x.json")


def test_cli_export_and_import(demo_db, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    src = demo_db.path
    demo_db.close()
    out = tmp_path / "nb.nlprocess.json"
    args = parse(["process", "export", "new business", "--workspace", str(src), "-o", str(out)])
    assert run_command(args) == 0
    assert "Exported" in capsys.readouterr().out and out.exists()

    dest_db, _ = open_workspace(tmp_path / "client.nlw")
    dest_db.close()
    args = parse(["process", "import", str(out), "--workspace", str(tmp_path / "client.nlw")])
    assert run_command(args) == 0
    printed = capsys.readouterr().out
    assert "Imported the hunting process “New business (2)”" in printed

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "other"}', encoding="utf-8")
    args = parse(["process", "import", str(bad), "--workspace", str(tmp_path / "client.nlw")])
    assert run_command(args) == 2
    assert "not a Next Level process file" in capsys.readouterr().err
    db, _ = open_workspace(tmp_path / "client.nlw")
    try:
        hunting = Services.for_database(db).processes.processes_of_kind(ProcessKind.HUNTING)
        assert len(hunting) == 2  # the template and the one good import
    finally:
        db.close()
    args = parse(["process", "export", "Nope", "--workspace", str(src), "-o", str(out)])
    assert run_command(args) == 2
    assert "no process called “Nope”" in capsys.readouterr().err
    args = parse(["process", "import", str(out), "--workspace", str(tmp_path / "none.nlw")])
    assert run_command(args) == 2
    assert "There is no workspace" in capsys.readouterr().err
