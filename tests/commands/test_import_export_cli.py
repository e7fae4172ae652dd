"""``nextlevel-desktop import`` and ``export`` through the real entry point."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from nextlevel_desktop.__main__ import main
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage.orm import EngagementRow

CSV = (
    "opportunity_id;sales_agent;account;deal_stage;engage_date;close_date;close_value\n"
    "A1;Ann;Acme;Prospecting;;;\n"
    "A2;Bob;;Engaging;03/04/2026;;\n"
    'A3;Bob;Beta;Won;03/04/2026;15/05/2026;"€ 1.234,50"\n'
    "A4;Ann;Beta;Lost;bad;15/05/2026;\n"
)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "w.nlw"
    open_workspace(path)[0].close()
    return path


def engagement_count(path: Path) -> int:
    db, _ = open_workspace(path, create=False)
    try:
        with db.read() as s:
            return int(s.scalar(select(func.count(EngagementRow.id))) or 0)
    finally:
        db.close()


def test_import_refuses_then_imports(workspace: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "deals.csv"
    src.write_bytes(CSV.encode("cp1252"))
    base = ["import", str(src), "-w", str(workspace), "--as", "engagements"]
    assert main(base) == 1
    assert "Windows-1252 (detected), semicolon" in capsys.readouterr().out
    base += ["--encoding", "cp1252"]
    assert main(base) == 1
    out = capsys.readouterr()
    assert "stage        ← deal_stage" in out.out and "Windows-1252, semicolon" in out.out
    assert "“Engaging”, “Prospecting”" in out.err
    stages = ["--stage", "Prospecting=Suspect", "--stage", "Engaging=Qualified"]
    assert main(base + stages) == 1
    err = capsys.readouterr().err
    assert "Row 5: opened date: “bad” is not a date" in err
    assert "Row 2: the opened date is empty" in err  # refused, not left blank
    stages += ["--opened-default", "2026-01-02"]
    assert engagement_count(workspace) == 0
    assert main(base + stages + ["--skip-invalid", "--dry-run"]) == 0
    assert "Would create 3" in capsys.readouterr().out
    assert engagement_count(workspace) == 0
    assert main(base + stages + ["--skip-invalid"]) == 0
    out = capsys.readouterr().out
    assert "Created 3, updated 0, left 0 unchanged, skipped 1" in out
    # The won hunting row hands Beta over to farming (the workspace's setting: automatic).
    assert "Handed 1 won account(s) over to farming" in out
    assert main(base + stages + ["--skip-invalid"]) == 0
    out = capsys.readouterr().out
    assert "Created 0, updated 0, left 3 unchanged" in out and "Handed" not in out
    assert engagement_count(workspace) == 4


def test_import_with_explicit_map_and_date_order(workspace: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "x.csv"
    src.write_text("What,Where,When\nBig deal,Proposal,03/04/2026\n", encoding="utf-8")
    base = ["import", str(src), "-w", str(workspace), "--as", "engagements"]
    assert main(base + ["--map", "name=What", "--map", "stage=Where", "--map", "opened=When"]) == 2
    assert "--date-order" in capsys.readouterr().err
    assert main(base + ["--map", "stage=Nope"]) == 2
    assert "no column “Nope”" in capsys.readouterr().err
    assert main(base + ["--map", "colour=What"]) == 2
    assert "“colour” is not a field" in capsys.readouterr().err
    args = ["--map", "name=What", "--map", "stage=Where", "--map", "opened=When"]
    assert main(base + args + ["--date-order", "mdy"]) == 0
    assert engagement_count(workspace) == 1


def test_export_writes_csv(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "demo.nlw"
    open_workspace(path, demo=True)[0].close()
    out = tmp_path / "accounts.csv"
    assert main(["export", "-w", str(path), "--what", "accounts", "-o", str(out)]) == 0
    assert "Exported" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8-sig").startswith("id,Name,Industry")
    assert (
        main(["export", "-w", str(path), "--what", "engagements", "--process", "Nope", "-o", "x"])
        == 2
    )
    assert main(["export", "-w", str(tmp_path / "none.nlw"), "--what", "accounts", "-o", "x"]) == 2


def test_saved_mapping_is_reused_next_month(workspace: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "odd.csv"
    src.write_text("What,Where,When\nBig deal,Phase 2,03/04/2026\n", encoding="utf-8")
    base = ["import", str(src), "-w", str(workspace), "--as", "engagements"]
    args = ["--map", "name=What", "--map", "stage=Where", "--map", "opened=When"]
    first = base + args + ["--stage", "Phase 2=Proposal", "--date-order", "dmy"]
    assert main(first + ["--save-mapping", "Monthly"]) == 0
    assert "Saved the mapping as “Monthly”" in capsys.readouterr().out
    src.write_text("What,Where,When\nNext deal,Phase 2,05/06/2026\n", encoding="utf-8")
    assert main(base + ["--mapping", "Monthly"]) == 0
    assert "Created 1" in capsys.readouterr().out
    assert engagement_count(workspace) == 2
    assert main(base + ["--mapping", "Nope"]) == 2
    assert "no saved mapping “Nope” (saved: Monthly)" in capsys.readouterr().err
    assert (
        main(["import", str(src), "-w", str(workspace), "--as", "people", "--mapping", "Monthly"])
        == 2
    )
    assert "maps engagements, not people" in capsys.readouterr().err


def test_stage_history_file_and_no_handover(workspace: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Salesforce Opportunities report, then Opportunity History (Data Loader API names)."""
    deals = tmp_path / "opportunities.csv"
    deals.write_text(
        "Opportunity ID,Opportunity Name,Account Name,Stage,Amount,Close Date,Created Date\n"
        "006B1,Fit-out,Acme,Closed Won,500,2026-03-20,2026-01-05\n",
        encoding="utf-8",
    )
    history = tmp_path / "history.csv"
    history.write_text(
        "OPPORTUNITYID,STAGENAME,CREATEDDATE\n"
        "006B1,Prospecting,2026-01-05T09:00:00.000Z\n"
        "006B1,Closed Won,2026-03-20T09:00:00.000Z\n",
        encoding="utf-8",
    )
    base = ["-w", str(workspace), "--stage", "Prospecting=Prospect"]
    assert main(["import", str(deals), "--as", "engagements", "--no-handover", *base]) == 0
    out = capsys.readouterr().out
    assert "Created 1" in out and "Handed" not in out
    assert "Stage history: 0 full, 0 partial, 1 none" in out
    assert main(["import", str(history), "--as", "stage-history", *base]) == 0
    out = capsys.readouterr().out
    assert "engagement   ← OPPORTUNITYID" in out and "entered_at   ← CREATEDDATE" in out
    assert "updated 1" in out and "Stage history: 1 full, 0 partial, 0 none" in out
    assert engagement_count(workspace) == 1
    assert main(["import", str(history), "--as", "stage-history", *base]) == 0
    assert "updated 0, left 1 unchanged" in capsys.readouterr().out
