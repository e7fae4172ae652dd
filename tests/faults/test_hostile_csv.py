"""Hostile and broken CSV files: each gives a correct value or a clear error, never a mess.

Issue 12, "Hostile input": formula cells on export, numbers that were silently misread, an
unclosed quote, invalid UTF-8, NUL bytes, a million-column header, ``--skip-invalid`` leaving
accounts behind, and dates at the ends of time.
"""

from __future__ import annotations

import csv
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from nextlevel_desktop.__main__ import main
from nextlevel_desktop.domain.csv_cells import escape_cell, unescape_cell
from nextlevel_desktop.domain.errors import ValidationError
from nextlevel_desktop.domain.importing import (
    MAX_COLUMNS,
    MAX_FIELD_CHARS,
    ImportKind,
    ImportMapping,
    parse_csv,
)
from nextlevel_desktop.services.accounts import AccountDraft
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage.orm import AccountRow, EngagementRow, PersonRow, StageRow

# CSV injection on export ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=already quoted", "''=already quoted"),
        # Numbers and phone numbers stay readable.
        ("-12.50", "-12.50"),
        ("+44 20 7946 0000", "+44 20 7946 0000"),
        ("-(555) 010-0199", "-(555) 010-0199"),
        ("Acme", "Acme"),
        ("'quoted", "'quoted"),
        ("a=b", "a=b"),
    ],
)
def test_export_escapes_formula_cells(value: str, written: str) -> None:
    assert escape_cell(value) == written
    assert unescape_cell(written) == value


@given(st.text())
def test_escape_then_unescape_is_exact(value: str) -> None:
    escaped = escape_cell(value)
    assert unescape_cell(escaped) == value
    if escaped[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        # Left unescaped only when it is a plain number or phone number.
        assert all(c in "+-0123456789 ().-" for c in escaped)


def test_exported_accounts_file_holds_no_formula(services: Services, tmp_path: Path) -> None:
    services.accounts.create(AccountDraft("=1+2", phone="+44 20 7946 0000", notes="@SUM(A1)"))
    dest = tmp_path / "accounts.csv"
    services.exporting.export("accounts", dest)
    with dest.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Name"] == "'=1+2"
    assert row["Phone"] == "+44 20 7946 0000"
    assert row["Notes"] == "'@SUM(A1)"
    for cells in rows[1:]:
        for cell in cells:
            assert cell[:1] not in {"=", "@", "\t", "\r"}


# Numbers ----------------------------------------------------------------------------------


def _engagements_file(tmp_path: Path, values: list[str]) -> Path:
    path = tmp_path / "deals.csv"
    lines = ["Deal name,Stage,Amount,Created"] + [
        f'Deal {i},Prospect,"{v}",2026-01-05' for i, v in enumerate(values, start=1)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(services: Services, path: Path, kind: ImportKind, **kw: bool) -> None:
    table = services.importing.read_file(path)
    mapping = ImportMapping(kind, services.importing.guess(table, kind))
    services.importing.run(table, mapping, **kw)


def test_scientific_amounts_import_exactly(services: Services, tmp_path: Path) -> None:
    _run(services, _engagements_file(tmp_path, ["1.5E+06", "2.5e3"]), ImportKind.ENGAGEMENTS)
    with services.db.read() as s:
        values = dict(s.execute(select(EngagementRow.name, EngagementRow.value_minor)).all())
    assert values == {"Deal 1": 150_000_000, "Deal 2": 250_000}


def test_garbled_amount_is_a_row_error_naming_column_and_value(
    services: Services, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError) as err:
        _run(services, _engagements_file(tmp_path, ["1.2.3.4"]), ImportKind.ENGAGEMENTS)
    assert "Row 2: value: “1.2.3.4” is not an amount" in str(err.value)
    with services.db.read() as s:
        assert s.scalar(select(func.count(EngagementRow.id))) == 0


# Structure of the file --------------------------------------------------------------------


def test_unclosed_quote_names_the_line_it_opens_on() -> None:
    data = b'Name,Notes\nAcme,fine\nBeta,"never closed\nGamma,x\nDelta,y\n'
    with pytest.raises(ValidationError, match=r"Line 3 opens a quotation mark that is never"):
        parse_csv(data)


def test_unclosed_quote_after_a_stray_quote_is_still_found() -> None:
    data = b'Name,Notes\nAcme,5" disk\nBeta,"never closed\nGamma,x\n'
    with pytest.raises(ValidationError, match=r"Line 3 opens a quotation mark"):
        parse_csv(data)


def test_quoted_line_breaks_and_stray_quotes_still_read() -> None:
    table = parse_csv(b'Name,Notes\nAcme,"two\nlines"\nBeta,5" disk\n')
    assert table.rows == (("Acme", "two\nlines"), ("Beta", '5" disk'))


def test_invalid_utf8_is_refused_with_offset_not_stored_as_mojibake(
    services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "accounts.csv"
    path.write_bytes(b"Name\nAcme\nCaf\xe9 Royal\n\xff\xfe\x81\x8d\x8f\x90\x9d\n")
    with pytest.raises(ValidationError) as err:
        _run(services, path, ImportKind.ACCOUNTS)
    assert "byte 0xE9 at offset 13 (line 3)" in str(err.value)
    assert "Windows-1252" in str(err.value)
    path.write_bytes(b"Name\nAcme\nCaf\xe9 Royal\n")  # read as Excel on Windows writes it
    table = services.importing.read_file(path)
    assert (table.encoding, table.rows[1]) == ("Windows-1252 (detected)", ("Café Royal",))


def test_nul_bytes_are_an_error_with_the_line(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"Line 3 contains a NUL character"):
        parse_csv(b"Name\nAcme\nBe\x00ta\n")


def test_million_column_header_is_refused_before_any_row_is_split(tmp_path: Path) -> None:
    header = ",".join(f"c{i}" for i in range(1_000_000))
    data = (header + "\n" + "x,y,z\n" * 300).encode()
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError, match=f"at most {MAX_COLUMNS} columns"):
            parse_csv(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The decoded text itself is ~8 MB (UCS-1); nothing is allocated per column.
    assert peak < 40 * 1024 * 1024


def test_header_at_the_column_limit_still_reads() -> None:
    header = ",".join(f"c{i}" for i in range(MAX_COLUMNS))
    table = parse_csv((header + "\n" + "x\n").encode())
    assert len(table.headers) == MAX_COLUMNS


def test_value_over_the_file_limit_is_refused_with_its_line() -> None:
    data = b"Name,Notes\nAcme,x\nBeta," + b"y" * (MAX_FIELD_CHARS + 1) + b"\n"
    with pytest.raises(ValidationError, match=r"starting on line 3 has a value longer"):
        parse_csv(data)


def test_long_and_control_character_cells_are_row_errors(
    services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "accounts.csv"
    rows = [
        "Name,Notes",
        "Acme,ok",
        "B" * 201 + ",x",
        "Gamma," + "n" * 100_001,
        "Del\u202eta,x",
        "Ep\x1bsilon,x",
        "Zeta,two\tfine",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    table = services.importing.read_file(path)
    mapping = ImportMapping(
        ImportKind.ACCOUNTS, services.importing.guess(table, ImportKind.ACCOUNTS)
    )
    check = services.importing.check(table, mapping)
    problems = [str(p) for p in check.problems]
    assert problems == [
        "Row 3: the account name is longer than 200 characters",
        "Row 4: the notes is longer than 100,000 characters",
        "Row 5: the account name contains a right-to-left/left-to-right override "
        "character (U+202E)",
        "Row 6: the account name contains a control character (U+001B)",
    ]
    assert check.valid == 2


# --skip-invalid leaves nothing of the rows it skips ---------------------------------------

SKIP_CSV = (
    "Deal name,Stage,Account,Owner,Amount,Created\n"
    "Good,Prospect,Kept Ltd,Kept Person,100,2026-01-05\n"
    "Bad amount,Prospect,Ghost Amount Ltd,Ghost Amount,1.2.3.4,2026-01-05\n"
    "Bad date,Brand new stage,Ghost Date Ltd,Ghost Date,5,9999-12-31\n"
)


def _names(path: Path) -> tuple[set[str], set[str], set[str]]:
    db, _ = open_workspace(path, create=False)
    try:
        with db.read() as s:
            return (
                set(s.scalars(select(AccountRow.name))),
                set(s.scalars(select(PersonRow.name))),
                set(s.scalars(select(StageRow.name))),
            )
    finally:
        db.close()


def test_skip_invalid_creates_nothing_for_skipped_rows_service(
    services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "deals.csv"
    path.write_text(SKIP_CSV, encoding="utf-8")
    table = services.importing.read_file(path)
    mapping = ImportMapping(
        ImportKind.ENGAGEMENTS,
        services.importing.guess(table, ImportKind.ENGAGEMENTS),
        add_missing_stages=True,
    )
    check = services.importing.check(table, mapping)
    assert check.new_accounts == ("Kept Ltd",)
    assert check.new_people == ("Kept Person",)
    assert check.new_stages == ()
    result = services.importing.run(table, mapping, skip_invalid=True)
    assert (result.created, result.skipped, result.new_accounts, result.new_people) == (1, 2, 1, 1)
    assert result.new_stages == 0
    accounts, people, stages = _names(services.db.path)
    assert "Kept Ltd" in accounts and "Kept Person" in people
    assert not {"Ghost Amount Ltd", "Ghost Date Ltd"} & accounts
    assert not {"Ghost Amount", "Ghost Date"} & people
    assert "Brand new stage" not in stages


def test_skip_invalid_creates_nothing_for_skipped_rows_cli(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    workspace = tmp_path / "w.nlw"
    open_workspace(workspace)[0].close()
    path = tmp_path / "deals.csv"
    path.write_text(SKIP_CSV, encoding="utf-8")
    args = ["import", str(path), "-w", str(workspace), "--as", "engagements"]
    assert main(args + ["--add-missing-stages", "--skip-invalid"]) == 0
    out = capsys.readouterr().out
    assert "Created 1" in out and "skipped 2" in out
    assert "Added 1 new people, 1 new accounts." in out
    accounts, people, stages = _names(workspace)
    assert not {"Ghost Amount Ltd", "Ghost Date Ltd"} & accounts
    assert not {"Ghost Amount", "Ghost Date"} & people
    assert "Brand new stage" not in stages


def test_date_near_9999_is_a_row_error_not_a_traceback(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    workspace = tmp_path / "w.nlw"
    open_workspace(workspace)[0].close()
    path = tmp_path / "calls.csv"
    path.write_text("Date,Type\n9999-12-31 23:59,Call\n0001-01-01 00:00,Call\n", "utf-8")
    args = ["import", str(path), "-w", str(workspace), "--as", "activities"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "Row 2: date: “9999-12-31 23:59” is out of range" in err
    assert "Row 3: date: “0001-01-01 00:00” is out of range" in err
    assert "Traceback" not in err


def test_a_new_stage_from_the_file_keeps_the_designers_name_rules(services: Services) -> None:
    data = "Deal name,Stage\nA,Brand\u202enew\nB," + "S" * 81 + "\nC,Fine new stage\n"
    table = parse_csv(data.encode())
    mapping = ImportMapping(
        ImportKind.ENGAGEMENTS,
        services.importing.guess(table, ImportKind.ENGAGEMENTS),
        add_missing_stages=True,
        opened_default=date(2026, 1, 5),
    )
    check = services.importing.check(table, mapping)
    assert [str(p) for p in check.problems] == [
        "Row 2: the new stage's name contains a right-to-left/left-to-right override "
        "character (U+202E)",
        "Row 3: the new stage's name is longer than 80 characters",
    ]
    assert check.new_stages == ("Fine new stage",)
