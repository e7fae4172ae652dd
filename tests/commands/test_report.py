"""``nextlevel-desktop report``: JSON matches the scorecard service; errors exit non-zero."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from nextlevel_desktop.__main__ import main
from nextlevel_desktop.domain import reports
from nextlevel_desktop.domain.periods import parse_period
from nextlevel_desktop.services.container import Services

HUNTING_KEYS = {
    "activity_count",
    "activities_by_type",
    "new_engagements",
    "won_count",
    "lost_count",
    "win_rate",
    "won_value",
    "average_won_value",
    "cycle_days_mean",
    "cycle_days_median",
    "open_count",
    "open_value",
    "weighted_pipeline",
    "stalled_count",
    "sales_velocity",
    "stage_conversion",
    "time_in_stage_days_median",
}
FARMING_KEYS = {
    "activity_count",
    "activities_by_type",
    "accounts_managed",
    "review_coverage",
    "renewed_count",
    "churned_count",
    "renewal_rate",
    "at_risk_count",
    "handover_lag_days_mean",
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["report", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_matches_the_service(
    demo_services: Services, workspace_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    svc = demo_services
    person = svc.people.people()[1]
    for proc in svc.processes.processes():
        code, out, _ = run(
            capsys,
            "-w",
            str(workspace_path),
            "--process",
            proc.name.upper(),
            "--person",
            person.name,
            "--period",
            "2026-Q4",
            "--json",
        )
        assert code == 0
        data = json.loads(out)
        assert data["process"] == proc.name and data["kind"] == proc.kind.value
        assert (data["person"], data["from"], data["to"]) == (
            person.name,
            "2026-10-01",
            "2026-12-31",
        )
        card = svc.scorecards.scorecard(
            svc.scorecards.scope(proc.id, person.id, parse_period("2026-Q4"), date.today())
        )
        m = card.measures
        expected = (
            reports.hunting_report(m) if proc.kind == "hunting" else reports.farming_report(m)
        )  # type: ignore[arg-type]
        assert set(data["measures"]) == (HUNTING_KEYS if proc.kind == "hunting" else FARMING_KEYS)
        assert data["measures"] == json.loads(json.dumps(expected))
        assert [t["measure"] for t in data["targets"]] == [t.measure for t in card.targets]
        for got, want in zip(data["targets"], card.targets, strict=True):
            assert set(got) >= {"measure", "target", "actual", "attainment", "status"}
            assert got["status"] == (want.status.value if want.status else None)
            for rate in ("attainment",):
                assert got[rate] is None or got[rate] >= 0


def test_custom_range_and_team(
    demo_services: Services, workspace_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "-w",
        str(workspace_path),
        "--process",
        "New business",
        "--from",
        "2026-09-01",
        "--to",
        "2026-09-30",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["person"] is None and (data["from"], data["to"]) == ("2026-09-01", "2026-09-30")
    rates = [data["measures"]["win_rate"], *data["measures"]["stage_conversion"].values()]
    assert all(r is None or 0 <= r <= 1 for r in rates)


def test_zero_denominators_are_null(db, workspace_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(
        capsys,
        "-w",
        str(workspace_path),
        "--process",
        "Account management",
        "--period",
        "2026-W37",
        "--json",
    )
    assert code == 0
    measures = json.loads(out)["measures"]
    assert measures["renewal_rate"] is None and measures["review_coverage"] is None
    assert measures["activity_count"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--process", "Nope", "--json"], "no process called “Nope”"),
        (["--process", "New business", "--person", "Nobody", "--json"], "no person called"),
        (["--process", "New business", "--period", "2026-Q9", "--json"], "is not a period"),
        (["--process", "New business", "--from", "2026-09-01", "--json"], "both --from and --to"),
        (
            ["--process", "New business", "--from", "2026-09-31", "--to", "2026-10-01", "--json"],
            "not a date",
        ),
        (
            ["--process", "New business", "--from", "2026-09-05", "--to", "2026-09-01", "--json"],
            "before",
        ),
        (
            [
                "--process",
                "New business",
                "--period",
                "2026-09",
                "--from",
                "2026-09-01",
                "--to",
                "2026-09-02",
                "--json",
            ],
            "not both",
        ),
    ],
)
def test_clear_errors(db, workspace_path: Path, capsys, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "-w", str(workspace_path), *args)
    assert code != 0 and out == ""
    assert message in err


def test_missing_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "-w", str(tmp_path / "none.nlw"), "--process", "x", "--json")
    assert code != 0 and "no workspace" in err


def test_pdf(demo_services: Services, workspace_path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out_pdf = tmp_path / "card.pdf"
    code, out, _ = run(
        capsys,
        "-w",
        str(workspace_path),
        "--process",
        "New business",
        "--period",
        "2026-Q4",
        "--pdf",
        str(out_pdf),
    )
    assert code == 0 and out_pdf.exists()
    info = subprocess.run(["pdfinfo", str(out_pdf)], capture_output=True, text=True, check=False)
    if info.returncode == 0:
        assert "Pages:           1" in info.stdout
    assert out_pdf.read_bytes().startswith(b"%PDF")
