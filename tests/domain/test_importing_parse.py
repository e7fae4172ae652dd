"""Reading CSV files: encodings, delimiters, dates, money and header guessing."""

from __future__ import annotations

import os
import time as time_module
from collections.abc import Callable, Iterator
from datetime import UTC, date, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nextlevel_desktop.domain.errors import ValidationError
from nextlevel_desktop.domain.import_money import parse_minutes, parse_money
from nextlevel_desktop.domain.import_scan import guess_date_order
from nextlevel_desktop.domain.importing import (
    MAX_YEAR,
    MIN_YEAR,
    DateOrder,
    ImportKind,
    ImportMapping,
    decode_bytes,
    detect_date_order,
    guess_mapping,
    guess_stage,
    local_datetime,
    parse_csv,
    parse_date,
    parse_datetime,
    sniff_delimiter,
)

TEXT = "Name,City\nCafé Müller,Zürich\nŒuvre €,Kraków\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.replace("Œuvre €", "Oeuvre").replace("Kraków", "Krakow").encode("utf-8"), "UTF-8"),
        (TEXT.encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "UTF-8 with BOM"),
        ((TEXT.replace("Kraków", "Krakow").encode("utf-16")), "UTF-16"),
    ],
)
def test_encodings_are_detected(data: bytes, encoding: str) -> None:
    table = parse_csv(data)
    assert table.encoding == encoding
    assert table.headers == ("Name", "City")  # no BOM left in the first header
    assert table.rows[0] == ("Café Müller", "Zürich")


def test_windows_1252_is_detected_or_chosen() -> None:
    data = TEXT.replace("Kraków", "Krakow").encode("cp1252")
    table = parse_csv(data)
    assert table.encoding == "Windows-1252 (detected)"
    assert table.rows == (("Café Müller", "Zürich"), ("Œuvre €", "Krakow"))
    table = parse_csv(data, encoding="cp1252")
    assert table.encoding == "Windows-1252"
    assert table.rows[0] == ("Café Müller", "Zürich")


JAPANESE = (
    "会社名,担当者,金額,作成日\n"
    "株式会社山田商事,田中太郎,1500,2026/04/03\n"
    "東京電機,佐藤花子,2500,2026/04/05\n"
)
RUSSIAN = "Компания,Контакт,Сумма\nООО Ромашка,Иван Петров,1500\nЗАО Восток,Мария Смирнова,2500\n"


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        (JAPANESE.encode("shift_jis"), "Shift-JIS (detected)", JAPANESE),
        (RUSSIAN.encode("cp1251"), "Windows-1251 (detected)", RUSSIAN),
        (TEXT.encode("utf-16-le"), "UTF-16 (detected)", TEXT),  # no byte-order mark
        (TEXT.encode("utf-16-be"), "UTF-16 (detected)", TEXT),
        (JAPANESE.encode("utf-16-le"), "UTF-16 (detected)", JAPANESE),
    ],
)
def test_other_encodings_are_detected_when_utf8_fails(
    data: bytes, encoding: str, text: str
) -> None:
    table = parse_csv(data)
    assert table.encoding == encoding
    lines = [line.split(",") for line in text.splitlines()]
    assert table.headers == tuple(lines[0])
    assert table.rows == tuple(tuple(line) for line in lines[1:])


def test_the_detected_encodings_can_also_be_named() -> None:
    assert parse_csv(JAPANESE.encode("cp932"), encoding="Shift_JIS").encoding == "Shift-JIS"
    table = parse_csv(RUSSIAN.encode("cp1251"), encoding="windows-1251")
    assert (table.encoding, table.rows[0][0]) == ("Windows-1251", "ООО Ромашка")


def test_bytes_no_encoding_fits_are_refused_with_the_offset() -> None:
    with pytest.raises(ValidationError, match=r"byte 0xFF at offset 10 \(line 3\)"):
        parse_csv(b"Name\nAcme\n\xff\xfe\x81\x8d\x8f\x90\x9d\n")


def test_bytes_undefined_in_windows_1252_are_refused_not_guessed() -> None:
    with pytest.raises(ValidationError, match=r"not valid Windows-1252: the byte 0x81"):
        decode_bytes(b"Name\nA\x81\xe9\n", "cp1252")
    assert decode_bytes(b"Name\nA\x81\xe9\n", "latin-1") == ("Name\nA\x81é\n", "Latin-1")


def test_windows_1252_euro_sign() -> None:
    table = parse_csv("Amount\n€ 5\n".encode("cp1252"), encoding="windows-1252")
    assert table.rows == (("€ 5",),)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_are_detected(delimiter: str) -> None:
    lines = [["Deal Name", "Amount", "Notes"], ["Acme", "1,5", "a; b, c"], ["Beta", "2", "x"]]
    text = "\n".join(
        delimiter.join(f'"{c}"' if ("," in c or ";" in c) else c for c in line) for line in lines
    )
    assert sniff_delimiter(text) == delimiter
    table = parse_csv(text.encode())
    assert table.delimiter == delimiter
    assert table.rows[0] == ("Acme", "1,5", "a; b, c")


def test_short_rows_are_padded_and_blank_lines_dropped() -> None:
    table = parse_csv(b"a,b,c\n1\n\n2,3,4,5\n")
    assert table.rows == (("1", "", ""), ("2", "3", "4"))


def test_duplicate_and_blank_headers_get_unique_names() -> None:
    table = parse_csv(b"Name,,Name\n1,2,3\n")
    assert table.headers == ("Name", "Column 2", "Name (2)")


@pytest.mark.parametrize("data", [b"", b"   \n\n"])
def test_empty_file_is_refused_clearly(data: bytes) -> None:
    with pytest.raises(ValidationError, match="empty"):
        parse_csv(data)


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2026-03-04", None, date(2026, 3, 4)),
        ("2026-03-04T10:15:00Z", None, date(2026, 3, 4)),
        ("2026/3/4", DateOrder.DMY, date(2026, 3, 4)),
        ("04/03/2026", DateOrder.DMY, date(2026, 3, 4)),
        ("04.03.2026", DateOrder.DMY, date(2026, 3, 4)),
        ("03/04/2026", DateOrder.MDY, date(2026, 3, 4)),
        ("3/4/26", DateOrder.MDY, date(2026, 3, 4)),
        ("31/12/1999", DateOrder.DMY, date(1999, 12, 31)),
    ],
)
def test_date_orders(text: str, order: DateOrder | None, expected: date) -> None:
    assert parse_date(text, order) == expected


def test_ambiguous_and_invalid_dates_say_why() -> None:
    with pytest.raises(ValueError, match="ambiguous"):
        parse_date("03/04/2026", None)
    with pytest.raises(ValueError, match="not a valid date"):
        parse_date("31/02/2026", DateOrder.DMY)
    with pytest.raises(ValueError, match="not a date"):
        parse_date("next Tuesday", DateOrder.DMY)


def test_times_of_day() -> None:
    assert parse_datetime("2026-03-04 14:30", None) == (date(2026, 3, 4), time(14, 30))
    assert parse_datetime("03/04/2026 2:05 PM", DateOrder.MDY) == (date(2026, 3, 4), time(14, 5))
    assert parse_datetime("2026-03-04", None) == (date(2026, 3, 4), None)
    with pytest.raises(ValueError, match="time of day"):
        parse_datetime("2026-03-04 25:99", None)


def test_date_order_detection() -> None:
    assert detect_date_order(["2026-01-31", "2026-02-01"]) is DateOrder.YMD
    assert detect_date_order(["31/01/2026", "01/02/2026"]) is DateOrder.DMY
    assert detect_date_order(["01/31/2026", "02/01/2026"]) is DateOrder.MDY
    assert detect_date_order(["01/02/2026", "03/04/2026"]) is None  # ask the user
    table = parse_csv(b"Stage,Created,Closed\nWon,01/02/2026,25/02/2026\n")
    mapping = ImportMapping(ImportKind.ENGAGEMENTS, {"opened": "Created", "closed": "Closed"})
    assert guess_date_order(table, mapping) is DateOrder.DMY
    table = parse_csv(b"Stage,Created\nWon,01/02/2026\n")
    assert guess_date_order(table, mapping) is None


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("", 0),
        ("1234", 123400),
        ("$1,234.50", 123450),
        ("1.234,50 €", 123450),
        ("EUR 12 000", 1200000),
        ("€12.000", 1200000),
        ("1,5", 150),
        ("£ 99.999", 9999900),
        ("1,234,567.891", 123456789),
        ("(250.00)", -25000),
        ("-3.5", -350),
        ("0.50", 50),
        ("2.345,675", 234568),
        # Scientific notation, as spreadsheets write large numbers.
        ("1.5E+06", 150_000_000),
        ("2.5e3", 250_000),
        ("-1.25E2", -12_500),
        ("1,5e3", 150_000),
        ("1E-2", 1),
        # Thousands groups in every locale style, spaces and the Swiss apostrophe.
        ("1.234.567", 123_456_700),
        ("1.234.567,89", 123_456_789),
        ("1,234,567", 123_456_700),
        ("12,34,567.00", 123_456_700),
        ("1'234.50", 123_450),
        ("1 234,50 €", 123_450),
        ("CHF 1 234.50", 123_450),
        ("€ -12", -1200),
        ("USD 5", 500),
        ("50-", -5000),
    ],
)
def test_money(text: str, cents: int) -> None:
    assert parse_money(text) == cents


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "twelve thousand",
        "1.2.3,4,5",
        "--",
        "1.2.3.4",
        "1,2.3",
        "12abc34",
        "1 2 3",
        "1,234.5,6",
    ],
)
def test_money_rejects_non_amounts(text: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        parse_money(text)


@pytest.mark.parametrize("text", ["1e400", "1E+25", "99999999999999999"])
def test_money_refuses_amounts_out_of_range(text: str) -> None:
    with pytest.raises(ValueError, match="out of range|too large"):
        parse_money(text)


@pytest.mark.parametrize(
    ("text", "minutes"), [("", 0), ("45", 45), ("1:30", 90), ("1h 30m", 90), ("1.5 h", 90)]
)
def test_durations(text: str, minutes: int) -> None:
    assert parse_minutes(text) == minutes


HEADERS = {
    "hubspot": (
        ["Record ID", "Deal Name", "Deal Stage", "Amount", "Close Date", "Create Date",
         "Deal owner", "Associated Company", "Pipeline"],
        {"id": "Record ID", "name": "Deal Name", "stage": "Deal Stage", "value": "Amount",
         "closed": "Close Date", "opened": "Create Date", "owner": "Deal owner",
         "account": "Associated Company", "process": "Pipeline"},
    ),
    "salesforce": (
        ["Opportunity ID", "Opportunity Name", "Account Name", "Stage", "Amount", "Close Date",
         "Created Date", "Opportunity Owner", "Description"],
        {"id": "Opportunity ID", "name": "Opportunity Name", "account": "Account Name",
         "stage": "Stage", "value": "Amount", "closed": "Close Date", "opened": "Created Date",
         "owner": "Opportunity Owner", "notes": "Description"},
    ),
    "kaggle crm": (
        ["opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date",
         "close_date", "close_value"],
        {"id": "opportunity_id", "owner": "sales_agent", "account": "account",
         "stage": "deal_stage", "opened": "engage_date", "closed": "close_date",
         "value": "close_value", "product": "product"},
    ),
    "pipedrive": (
        ["Deal - ID", "Deal - Title", "Deal - Organization", "Deal - Stage", "Deal - Value",
         "Deal - Owner", "Deal - Deal created", "Deal - Expected close date"],
        {"id": "Deal - ID", "name": "Deal - Title", "account": "Deal - Organization",
         "stage": "Deal - Stage", "value": "Deal - Value", "owner": "Deal - Owner",
         "opened": "Deal - Deal created", "expected_close": "Deal - Expected close date"},
    ),
    "spreadsheet": (
        ["Title", "Organization", "Status", "Value", "Created", "Owner", "Comments"],
        {"name": "Title", "account": "Organization", "stage": "Status", "value": "Value",
         "opened": "Created", "owner": "Owner", "notes": "Comments"},
    ),
}  # fmt: skip


@pytest.mark.parametrize("source", sorted(HEADERS))
def test_header_guessing_on_real_exports(source: str) -> None:
    headers, expected = HEADERS[source]
    assert guess_mapping(ImportKind.ENGAGEMENTS, headers) == expected


def test_header_guessing_for_other_kinds() -> None:
    assert guess_mapping(ImportKind.ACCOUNTS, ["Company Name", "Industry", "Website", "Phone"]) == {
        "name": "Company Name",
        "industry": "Industry",
        "website": "Website",
        "phone": "Phone",
    }
    activity = guess_mapping(
        ImportKind.ACTIVITIES, ["Activity ID", "Date", "Activity Type", "Assigned To", "Company"]
    )
    assert activity == {
        "id": "Activity ID",
        "date": "Date",
        "type": "Activity Type",
        "owner": "Assigned To",
        "account": "Company",
    }
    assert guess_mapping(ImportKind.PEOPLE, ["sales_agent", "E-mail"]) == {
        "name": "sales_agent",
        "email": "E-mail",
    }


def test_stage_guessing() -> None:
    stages = ["Suspect", "Prospect", "Qualified", "Proposal", "Negotiation", "Won", "Lost"]
    assert guess_stage("closed won", stages) == "Won"
    assert guess_stage("Closed-Lost", stages) == "Lost"
    assert guess_stage("QUALIFIED", stages) == "Qualified"
    assert guess_stage("Proposal sent", stages) == "Proposal"
    assert guess_stage("Engaging", stages) is None
    farming = ["Onboarding", "Renewal", "Renewed/expanded", "Churned"]
    assert guess_stage("renewed", farming) == "Renewed/expanded"


def test_mapping_json_round_trip() -> None:
    mapping = ImportMapping(
        ImportKind.ENGAGEMENTS,
        {"stage": "Deal Stage"},
        "New business",
        {"Engaging": "Qualified"},
        True,
        DateOrder.DMY,
    )
    assert ImportMapping.from_json(mapping.to_json()) == mapping


@pytest.fixture
def far_zone() -> Iterator[Callable[[str], None]]:
    """Switch the process's local time zone (restored afterwards)."""
    old = os.environ.get("TZ")

    def use(zone: str) -> None:
        os.environ["TZ"] = zone
        time_module.tzset()

    yield use
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time_module.tzset()


@pytest.mark.parametrize("zone", ["Etc/GMT-14", "Etc/GMT+12", "UTC"])
@pytest.mark.parametrize("text", ["9999-12-31 23:59", "0001-01-01", "31/12/9999", "2201-01-01"])
def test_dates_near_the_ends_of_time_are_a_clear_error(
    far_zone: Callable[[str], None], zone: str, text: str
) -> None:
    far_zone(zone)
    with pytest.raises(ValueError, match="out of range"):
        parse_datetime(text, DateOrder.DMY)


def test_local_datetime_out_of_range_is_a_value_error(far_zone: Callable[[str], None]) -> None:
    far_zone("Etc/GMT+12")
    with pytest.raises(ValueError, match="out of range"):
        local_datetime(date(9999, 12, 31), time(23, 59))


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    hour=st.integers(0, 23),
    zone=st.sampled_from(["Etc/GMT-14", "Etc/GMT+12", "Pacific/Kiritimati", "UTC"]),
)
def test_any_date_in_any_zone_is_a_value_or_a_clear_error(day: date, hour: int, zone: str) -> None:
    old = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time_module.tzset()
    try:
        text = f"{day.year:04d}-{day.month:02d}-{day.day:02d} {hour:02d}:30"
        try:
            parsed, at = parse_datetime(text, None)
            moment = local_datetime(parsed, at).astimezone(UTC)
        except ValueError as exc:
            assert "out of range" in str(exc)
            assert not MIN_YEAR <= day.year <= MAX_YEAR
        else:
            assert parsed == day
            assert abs((moment.date() - day).days) <= 1
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time_module.tzset()


@pytest.mark.parametrize(
    "text",
    ["abc " * 40 + "é5", "a_b c_d e_f g_h i_j k_l m_n o_p q_r s_t u_v w_x y_z é 5", "9" * 200_000],
)
def test_money_refuses_long_or_tangled_text_quickly(text: str) -> None:
    # Each would take minutes with a backtracking pattern; refused at once here.
    with pytest.raises(ValueError, match="not an amount"):
        parse_money(text)


def test_long_durations_and_dates_are_refused_quickly() -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_minutes("1" * 100_000 + "x")
    with pytest.raises(ValueError, match="not a date"):
        parse_date("2026-01-01 " + "1" * 100_000, DateOrder.YMD)
