"""Input shapes CRM exports write: month names, "1.5k"/"2M", currencies without a minor unit.

Each shape either parses to what it says or is a clear error naming the value; in an import the
error is a row error with the row and the field.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from nextlevel_desktop.domain.import_money import parse_money
from nextlevel_desktop.domain.import_scan import guess_date_order
from nextlevel_desktop.domain.importing import (
    DateOrder,
    ImportKind,
    ImportMapping,
    detect_date_order,
    month_number,
    parse_csv,
    parse_date,
    parse_datetime,
)
from nextlevel_desktop.domain.settings import WorkspaceSettings
from nextlevel_desktop.services.container import Services


@pytest.mark.parametrize(
    "text",
    [
        "Apr 3, 2026",  # Salesforce (US) report dates
        "3 Apr 2026",
        "April 3 2026",
        "April 3rd, 2026",
        "3-Apr-26",  # Excel's d-mmm-yy
        "03-Apr-2026",
        "3. April 2026",  # German
        "3 avr. 2026",  # French
        "3 abr 2026",  # Spanish / Portuguese
        "Fri, Apr 3, 2026",
        "Friday 3 April 2026",
        "2026-Apr-03",
    ],
)
def test_dates_with_month_names(text: str) -> None:
    for order in (None, DateOrder.DMY, DateOrder.MDY):  # the name decides, never the order
        if text.startswith("2026"):
            continue
        assert parse_date(text, order) == date(2026, 4, 3)


def test_month_names_with_a_time_and_in_other_languages() -> None:
    assert parse_datetime("Apr 3, 2026 10:30 AM", None) == (date(2026, 4, 3), time(10, 30))
    assert parse_datetime("3 Apr 2026 14:05", None) == (date(2026, 4, 3), time(14, 5))
    assert parse_date("3. März 2026", None) == date(2026, 3, 3)
    assert parse_date("12 déc. 2025", None) == date(2025, 12, 12)
    assert parse_date("1 mei 2026", None) == date(2026, 5, 1)
    assert [month_number(w) for w in ("Sept", "juil.", "Jui", "Ma", "Okt")] == [
        9,
        7,
        None,
        None,
        10,
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Jun 31, 2026", "“Jun 31, 2026” is not a valid date"),
        ("Jui 3, 2026", "“Jui 3, 2026” is not a date"),  # June or July: not guessed
        ("Sat, Apr 3, 2026", "“Sat, Apr 3, 2026” is not a date: 2026-04-03 is a Friday"),
        ("Apr 3 2026x", "“Apr 3 2026x” is not a date"),
        ("Apr 3, 2026 25:00", "“25:00” in “Apr 3, 2026 25:00” is not a time of day"),
    ],
)
def test_month_names_that_are_wrong_say_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_datetime(text, None)
    assert str(err.value) == reason


def test_named_months_do_not_decide_the_order_of_the_numeric_dates() -> None:
    assert detect_date_order(["Apr 3, 2026", "13/04/2026", "3 May 2026"]) is DateOrder.DMY
    assert detect_date_order(["Apr 3, 2026", "04/13/2026"]) is DateOrder.MDY
    assert detect_date_order(["Apr 3, 2026", "3 May 2026"]) is DateOrder.YMD
    table = parse_csv(b"Name,Stage,Created\nA,Won,Apr 3 2026\nB,Won,04/05/2026\n")
    mapping = ImportMapping(ImportKind.ENGAGEMENTS, {"opened": "Created"})
    assert guess_date_order(table, mapping) is None  # 04/05 is still asked


@pytest.mark.parametrize(
    ("text", "hundredths"),
    [
        ("1.5k", 150_000),
        ("1,5k", 150_000),
        ("$1.5K", 150_000),
        ("2M", 200_000_000),
        ("EUR 2M", 200_000_000),
        ("€2.25m", 225_000_000),
        ("1,2 Mio €", 120_000_000),
        ("3 bn", 300_000_000_000),
        ("1.25MM", 125_000_000),
        ("(1.5k)", -150_000),
        ("2 MXN", 200),  # a currency code, not a multiplier
    ],
)
def test_amounts_with_a_multiplier(text: str, hundredths: int) -> None:
    assert parse_money(text) == hundredths


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1,250k", "“1,250k” is ambiguous: write the thousands in full"),
        ("1.500M", "“1.500M” is ambiguous"),
    ],
)
def test_ambiguous_multiplied_amounts_are_refused(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_money(text)
    assert str(err.value).startswith(reason)


@pytest.mark.parametrize("text", ["¥1,500", "1,500 JPY", "JPY 1500", "1.500 ¥", "1500", "1.5k"])
def test_yen_have_no_minor_unit(text: str) -> None:
    assert parse_money(text, "JPY") == 150_000  # 1,500 yen, never 15.00
    assert parse_money("¥1,500") == 150_000  # the yen sign alone means yen


@pytest.mark.parametrize(
    ("text", "currency", "reason"),
    [
        ("¥15.50", "JPY", "“¥15.50” has a fraction, but JPY has no minor unit"),
        ("1,50", "JPY", "“1,50” has a fraction, but JPY has no minor unit"),
        ("₩1,000.5", "", "“₩1,000.5” has a fraction, but KRW has no minor unit"),
        ("1,500 JPY", "EUR", "“1,500 JPY” is in JPY, but this workspace keeps amounts in EUR"),
        ("€ 5", "USD", "“€ 5” is in EUR, but this workspace keeps amounts in USD"),
    ],
)
def test_fractions_of_yen_and_other_currencies_are_refused(
    text: str, currency: str, reason: str
) -> None:
    with pytest.raises(ValueError) as err:
        parse_money(text, currency)
    assert str(err.value).startswith(reason)
    assert parse_money("¥1,500.50", "CNY") == 150_050  # the yuan has fen


def _import(services: Services, path: Path, text: str, encoding: str = "utf-8") -> list[str]:
    path.write_bytes(text.encode(encoding))
    table = services.importing.read_file(path)
    mapping = ImportMapping(
        ImportKind.ENGAGEMENTS, services.importing.guess(table, ImportKind.ENGAGEMENTS)
    )
    return [f"Row {p.row}: {p.reason}" for p in services.importing.check(table, mapping).problems]


def test_row_errors_name_the_row_the_field_and_the_value(
    services: Services, tmp_path: Path
) -> None:
    """A Japanese HubSpot deals export (Shift-JIS, as Excel on Japanese Windows saves it) into
    a workspace that keeps yen."""
    services.workspace.save_settings(WorkspaceSettings(currency="JPY"))
    rows = (
        "Deal Name,Deal Stage,Amount,Create Date,Close Date\n"
        '山田商事,Closed Won,"¥1,500","Apr 3, 2026","Apr 30, 2026"\n'
        "東京電機,Closed Won,¥15.50,3 Apr 2026,30 Apr 2026\n"
        '大阪物産,Closed Won,"1,500 USD",3 Apr 2026,30 Apr 2026\n'
        "名古屋,Closed Won,1.5k,3 Avr 2026,Sun 2 May 2026\n"
        "神戸,Closed Won,1.5k,Apr 3 2026,Sat 2 May 2026\n"
    )
    problems = _import(services, tmp_path / "deals.csv", rows, "shift_jis")
    assert problems == [
        "Row 3: value: “\\15.50” has a fraction, but JPY has no minor unit: amounts in it "
        "are whole numbers",
        "Row 4: value: “1,500 USD” is in USD, but this workspace keeps amounts in JPY: "
        "convert the amounts first, or import into a workspace in that currency",
        "Row 5: close date: “Sun 2 May 2026” is not a date: 2026-05-02 is a Saturday",
    ]
