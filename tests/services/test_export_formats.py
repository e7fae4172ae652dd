"""Every export format read back and checked cell by cell, card by card, event by event.

xlsx is read by unzipping it and reading its XML (no spreadsheet library), vCard and iCalendar
by the small readers below, which also check the line rules: CRLF, lines of at most 75 octets,
folds never inside a character.
"""

from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from nextlevel_desktop.domain.activities import ActivityFilter
from nextlevel_desktop.domain.errors import ValidationError
from nextlevel_desktop.domain.exporting import CsvStyle, escape_text, fold
from nextlevel_desktop.domain.importing import ImportKind, ImportMapping
from nextlevel_desktop.domain.settings import WorkspaceSettings
from nextlevel_desktop.services import export_files
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.exporting import (
    ACTIVITY_HEADERS,
    CONTACT_HEADERS,
    ENGAGEMENT_HEADERS,
)
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage.orm import (
    AccountRow,
    ActivityRow,
    ActivityTypeRow,
    ContactRow,
    EngagementRow,
    PersonRow,
    ProcessRow,
    StageRow,
)

NOTES = "Bring the offer, the slides; ask about Q3.\nZoë's team: café at 10 — " + "é" * 80
PLANNED_AT = datetime.combine(date(2026, 12, 1), time(9, 30)).astimezone(UTC)
DONE_AT = datetime.combine(date(2026, 11, 2), time(15, 0)).astimezone(UTC)


@dataclass
class Made:
    account: str
    engagement: int
    planned: int
    done: int


@pytest.fixture
def made(services: Services) -> Made:
    """An account whose name and contacts hold every character the formats must escape."""
    with services.db.transaction() as s:
        person = PersonRow(name="Zoë Ångström")
        account = AccountRow(name='Acme, Inc; "Q"', industry="=cmd|' /C calc'!A0")
        s.add_all([person, account])
        s.flush()
        s.add_all(
            [
                ContactRow(
                    account_id=account.id,
                    name="Dr. Jane O'Neil, PhD",
                    role="CFO; Finance\\Ops",
                    email="jane@acme.example",
                    phone="+44 20 7946 0000",
                ),
                ContactRow(account_id=account.id, name="山田 太郎", role="部長\n営業"),
            ]
        )
        hunting = s.scalars(select(ProcessRow).where(ProcessRow.kind == "hunting")).one()
        stage = s.scalars(select(StageRow).where(StageRow.name == "Qualified")).one()
        call = s.scalars(
            select(ActivityTypeRow).where(
                ActivityTypeRow.kind == "hunting", ActivityTypeRow.name == "Call"
            )
        ).one()
        engagement = EngagementRow(
            process_id=hunting.id,
            account_id=account.id,
            owner_id=person.id,
            stage_id=stage.id,
            name="=SUM(A1:A9)",
            value_minor=123_456,
            opened_on=date(2026, 4, 3),
        )
        s.add(engagement)
        s.flush()

        def activity(at: datetime, status: str, minutes: int, notes: str) -> ActivityRow:
            return ActivityRow(
                type_id=call.id,
                process_id=hunting.id,
                occurred_at=at,
                occurred_on=at.astimezone().date(),
                duration_min=minutes,
                person_id=person.id,
                account_id=account.id,
                engagement_id=engagement.id,
                status=status,
                notes=notes,
            )

        planned = activity(PLANNED_AT, "planned", 45, NOTES)
        done = activity(DONE_AT, "done", 30, "Held")
        s.add_all([planned, done])
        s.flush()
        return Made(account.name, engagement.id, planned.id, done.id)


# Readers ----------------------------------------------------------------------------------
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]
    styles: list[list[tuple[str, bool]]]  # (number format, bold) per cell
    frozen_header: bool
    widths: dict[int, float]
    autofilter: str


def _column(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref)
    assert letters
    n = 0
    for ch in letters.group():
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_xlsx(path: Path) -> list[Sheet]:
    """The sheets of a workbook: values typed by their cell type and number format."""
    with zipfile.ZipFile(path) as z:
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
        codes = {n.get("numFmtId"): n.get("formatCode") for n in styles.iter(MAIN + "numFmt")}
        fonts = [f.find(MAIN + "b") is not None for f in styles.iter(MAIN + "font")]
        xfs = [
            (codes.get(x.get("numFmtId"), "General"), fonts[int(x.get("fontId") or 0)])
            for x in styles.find(MAIN + "cellXfs") or []
        ]
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        names = [s.get("name") or "" for s in book.iter(MAIN + "sheet")]
        sheets = []
        for n, name in enumerate(names, 1):
            root = ElementTree.fromstring(z.read(f"xl/worksheets/sheet{n}.xml"))
            rows: list[list[object]] = []
            looks: list[list[tuple[str, bool]]] = []
            for r in root.iter(MAIN + "row"):
                cells: dict[int, tuple[object, tuple[str, bool]]] = {}
                for c in r.iter(MAIN + "c"):
                    look = xfs[int(c.get("s") or 0)]
                    assert c.find(MAIN + "f") is None, "a cell became a formula"
                    if c.get("t") == "inlineStr":
                        value: object = "".join(t.text or "" for t in c.iter(MAIN + "t"))
                    else:
                        assert c.get("t") in (None, "n")
                        number = float(c.findtext(MAIN + "v") or "nan")
                        value = _typed(number, look[0])
                    cells[_column(c.get("r") or "")] = (value, look)
                width = max(cells) + 1 if cells else 0
                rows.append([cells[i][0] if i in cells else None for i in range(width)])
                looks.append([cells[i][1] if i in cells else ("", False) for i in range(width)])
            pane = root.find(f"{MAIN}sheetViews/{MAIN}sheetView/{MAIN}pane")
            widths = {
                int(c.get("min") or 0) - 1: float(c.get("width") or 0)
                for c in root.iter(MAIN + "col")
            }
            autofilter = root.find(MAIN + "autoFilter")
            sheets.append(
                Sheet(
                    name,
                    rows,
                    looks,
                    pane is not None
                    and pane.get("state") == "frozen"
                    and pane.get("ySplit") == "1",
                    widths,
                    autofilter.get("ref", "") if autofilter is not None else "",
                )
            )
        return sheets


def _typed(number: float, code: str) -> object:
    epoch = datetime(1899, 12, 30)
    if code == "yyyy-mm-dd":
        return (epoch + timedelta(days=number)).date()
    if code == "yyyy-mm-dd hh:mm":
        moment = epoch + timedelta(days=number)
        return moment.replace(second=0, microsecond=0) + timedelta(minutes=moment.second >= 30)
    return number


def read_lines(path: Path) -> list[str]:
    """The content lines of a vCard or iCalendar file, unfolded, after checking the rules."""
    data = path.read_bytes()
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"") and b"\r" not in data.replace(b"\r\n", b"")
    physical = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in physical) <= 75
    lines: list[str] = []
    for raw in physical:
        text = raw.decode("utf-8")  # a fold never splits a character
        if text.startswith(" "):
            lines[-1] += text[1:]
        else:
            lines.append(text)
    return lines


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def components(lines: list[str], kind: str) -> list[dict[str, str]]:
    """Each BEGIN:kind … END:kind as {property (with its parameters): unescaped value}."""
    out: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines:
        if line == f"BEGIN:{kind}":
            current = {}
        elif line == f"END:{kind}":
            assert current is not None
            out.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            assert name not in current
            current[name] = unescape(value)
    return out


# Tests ------------------------------------------------------------------------------------


def test_xlsx_cells_are_typed_and_the_header_is_bold_and_frozen(
    services: Services, made: Made, tmp_path: Path
) -> None:
    dest = tmp_path / "opportunities.xlsx"
    assert services.exporting.export("engagements", dest) == 1
    [sheet] = read_xlsx(dest)
    tag = services.exporting.export_tag()
    assert sheet.name == "Opportunities"
    assert sheet.rows[0] == list(ENGAGEMENT_HEADERS)  # the CSV export's columns
    assert all(bold for _, bold in sheet.styles[0])
    last = chr(ord("A") + len(ENGAGEMENT_HEADERS) - 1)
    assert sheet.frozen_header and sheet.autofilter == f"A1:{last}2"
    row = dict(zip(ENGAGEMENT_HEADERS, sheet.rows[1], strict=False))
    assert row.pop("Account key").startswith(f"NL-{tag}-")  # the account's exported key
    assert row == {
        "id": f"NL-{tag}-{made.engagement}",
        "Name": "=SUM(A1:A9)",  # text, never a formula
        "Process": "New business",
        "Account": made.account,
        "Owner": "Zoë Ångström",
        "Stage": "Qualified",
        "Value": 1234.56,
        "Opened": date(2026, 4, 3),
        "Closed": None,  # empty cells before the account key
        "Lost reason": None,
        "Product": None,
    }
    looks = dict(zip(ENGAGEMENT_HEADERS, sheet.styles[1], strict=False))
    assert looks["Value"] == ("#,##0.00", False)
    assert looks["Opened"] == ("yyyy-mm-dd", False)
    # Widths follow the content: the account column is wider than its header, none is huge.
    assert sheet.widths[3] >= len(made.account) and max(sheet.widths.values()) <= 60


def test_xlsx_activities_have_local_times_and_counts(
    services: Services, made: Made, tmp_path: Path
) -> None:
    dest = tmp_path / "activities.xlsx"
    assert services.exporting.export("activities", dest, ActivityFilter()) == 2
    [sheet] = read_xlsx(dest)
    assert sheet.rows[0] == list(ACTIVITY_HEADERS)
    rows = [dict(zip(ACTIVITY_HEADERS, r, strict=False)) for r in sheet.rows[1:]]
    assert [r["Date"] for r in rows] == [
        DONE_AT.astimezone().replace(tzinfo=None),
        PLANNED_AT.astimezone().replace(tzinfo=None),
    ]
    assert [(r["Status"], r["Duration"], r["Type"]) for r in rows] == [
        ("done", 30.0, "Call"),
        ("planned", 45.0, "Call"),
    ]
    assert rows[1]["Notes"] == NOTES
    # The same file as CSV holds the same values, as text.
    as_csv = tmp_path / "activities.csv"
    services.exporting.export("activities", as_csv, ActivityFilter())
    with as_csv.open(encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[0] == list(ACTIVITY_HEADERS)
    assert [line[1] for line in lines[1:]] == [f"{r['Date']:%Y-%m-%d %H:%M}" for r in rows]
    assert lines[2][10] == NOTES


def test_xlsx_splits_past_the_row_limit_and_cuts_overlong_text(
    services: Services, made: Made, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_files, "XLSX_MAX_ROWS", 2)  # a header and one row a sheet
    with services.db.transaction() as s:
        s.get(ActivityRow, made.done).notes = "x" * 40_000  # type: ignore[union-attr]
    dest = tmp_path / "activities.xlsx"
    assert services.exporting.export("activities", dest) == 2
    first, second = read_xlsx(dest)
    assert (first.name, second.name) == ("Activities", "Activities (2)")
    assert first.rows[0] == second.rows[0] == list(ACTIVITY_HEADERS)
    assert (len(first.rows), len(second.rows)) == (2, 2)
    cut = first.rows[1][10]
    assert isinstance(cut, str) and len(cut) == export_files.XLSX_MAX_CHARS
    assert cut.endswith("export CSV for the rest]") and cut.startswith("x" * 30_000)


def test_csv_with_semicolons_and_decimal_commas_reimports_the_same(
    services: Services, made: Made, tmp_path: Path
) -> None:
    dest = tmp_path / "opportunities.csv"
    services.exporting.export("engagements", dest, style=CsvStyle(";", True))
    text = dest.read_text("utf-8-sig")
    header, row = text.splitlines()
    assert header == ";".join(ENGAGEMENT_HEADERS)
    assert ";1234,56;2026-04-03;" in row and "'=SUM(A1:A9)" in row
    db, _ = open_workspace(tmp_path / "fresh.nlw")
    try:
        fresh = Services.for_database(db)
        table = fresh.importing.read_file(dest)
        assert table.delimiter == ";"
        mapping = ImportMapping(
            ImportKind.ENGAGEMENTS, fresh.importing.guess(table, ImportKind.ENGAGEMENTS)
        )
        assert fresh.importing.run(table, mapping).created == 1
        with db.read() as s:
            again = s.scalars(select(EngagementRow)).one()
            assert (again.name, again.value_minor, again.opened_on) == (
                "=SUM(A1:A9)",
                123_456,
                date(2026, 4, 3),
            )
    finally:
        db.close()


def test_money_in_a_currency_without_minor_unit(
    services: Services, made: Made, tmp_path: Path
) -> None:
    services.workspace.save_settings(WorkspaceSettings(currency="JPY"))
    with services.db.transaction() as s:
        s.get(EngagementRow, made.engagement).value_minor = 150_000  # type: ignore[union-attr]
    services.exporting.export("engagements", tmp_path / "yen.csv")
    assert ",1500,2026-04-03," in (tmp_path / "yen.csv").read_text("utf-8-sig")
    services.exporting.export("engagements", tmp_path / "yen.xlsx")
    [sheet] = read_xlsx(tmp_path / "yen.xlsx")
    assert (sheet.rows[1][6], sheet.styles[1][6]) == (1500.0, ("#,##0", False))


def test_contacts_as_csv_and_vcards(services: Services, made: Made, tmp_path: Path) -> None:
    services.exporting.export("contacts", tmp_path / "contacts.csv")
    with (tmp_path / "contacts.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(CONTACT_HEADERS)
    assert [r[1:] for r in rows[1:]] == [
        [
            "Dr. Jane O'Neil, PhD",
            "CFO; Finance\\Ops",
            "jane@acme.example",
            "+44 20 7946 0000",
            made.account,
        ],
        ["山田 太郎", "部長\n営業", "", "", made.account],
    ]
    assert services.exporting.export("contacts", tmp_path / "contacts.vcf") == 2
    lines = read_lines(tmp_path / "contacts.vcf")
    cards = components(lines, "VCARD")
    assert [{k: v for k, v in c.items() if k != "UID"} for c in cards] == [
        {
            "VERSION": "4.0",
            "FN": "Dr. Jane O'Neil, PhD",
            "TITLE": "CFO; Finance\\Ops",
            "ORG": made.account,
            "EMAIL": "jane@acme.example",
            "TEL;VALUE=text": "+44 20 7946 0000",
        },
        {"VERSION": "4.0", "FN": "山田 太郎", "TITLE": "部長\n営業", "ORG": made.account},
    ]
    # Escaped on the wire as RFC 6350 says: comma, semicolon, backslash, newline.
    assert 'ORG:Acme\\, Inc\\; "Q"' in lines and "TITLE:部長\\n営業" in lines
    uids = [c["UID"] for c in cards]
    assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", u) for u in uids) and len(set(uids)) == 2
    services.exporting.export("contacts", tmp_path / "again.vcf")
    assert [c["UID"] for c in components(read_lines(tmp_path / "again.vcf"), "VCARD")] == uids


def test_planned_activities_as_a_calendar(services: Services, made: Made, tmp_path: Path) -> None:
    dest = tmp_path / "planned.ics"
    assert services.exporting.export("activities", dest, ActivityFilter()) == 1  # not the done one
    lines = read_lines(dest)
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"] and lines[-1] == "END:VCALENDAR"
    assert any(line.startswith("PRODID:") for line in lines)
    [event] = components(lines, "VEVENT")
    tag = services.exporting.export_tag()
    assert event["UID"] == f"NL-{tag}-{made.planned}@nextlevel-desktop"
    assert event["DTSTART"] == PLANNED_AT.strftime("%Y%m%dT%H%M%SZ")
    assert event["DURATION"] == "PT45M"
    assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"])
    assert event["SUMMARY"] == f"Call · {made.account}"
    assert event["DESCRIPTION"] == (
        f"Process: New business\nOwner: Zoë Ångström\n"
        f"Opportunity / account plan: NL-{tag}-{made.engagement}\nNotes: {NOTES}"
    )
    # The long description was folded, at 75 octets, between whole characters.
    physical = dest.read_bytes().split(b"\r\n")
    assert any(line.startswith(b" ") for line in physical)
    services.exporting.export("activities", tmp_path / "again.ics")
    [again] = components(read_lines(tmp_path / "again.ics"), "VEVENT")
    assert again["UID"] == event["UID"]  # a calendar updates the event, never duplicates it
    # No planned activity: no calendar (RFC 5545 wants one event at least), and no file.
    done_only = ActivityFilter(date_to=date(2026, 11, 30))
    with pytest.raises(ValidationError, match="No activity among those shown is planned"):
        services.exporting.export("activities", tmp_path / "none.ics", done_only)
    assert not (tmp_path / "none.ics").exists()
    assert not (tmp_path / "none.ics.partial").exists()


@pytest.mark.parametrize(
    ("what", "name", "reason"),
    [
        ("activities", "a.vcf", "A vCard (contacts) file holds contacts only"),
        ("accounts", "a.ics", "holds activities only"),
    ],
)
def test_a_format_the_list_has_not_is_refused(
    services: Services, what: str, name: str, reason: str, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match=re.escape(reason)):
        services.exporting.export(what, tmp_path / name)
    assert not (tmp_path / name).exists()


def test_text_escaping_and_folding_rules() -> None:
    assert escape_text("a,b;c\\d\r\ne\nf\x07\tg") == "a\\,b\\;c\\\\d\\ne\\nf\tg"
    line = "DESCRIPTION:" + "é" * 100  # two octets a character: folds fall between them
    folded = fold(line).encode("utf-8").split(b"\r\n")
    assert [len(p) for p in folded] == [74, 75, 65]  # 12 + 31 × 2; 1 + 37 × 2; the rest
    assert all(p.startswith(b" ") for p in folded[1:])
    assert b"".join(p[1:] if i else p for i, p in enumerate(folded)).decode() == line
