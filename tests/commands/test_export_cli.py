"""``nextlevel-desktop export`` in every format, through the real entry point."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from nextlevel_desktop.__main__ import main
from nextlevel_desktop.commands.export import locale_decimal_mark
from nextlevel_desktop.services.workspace import open_workspace


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.nlw"
    open_workspace(path, demo=True)[0].close()
    return path


def export(demo: Path, *args: str) -> int:
    return main(["export", "-w", str(demo), *args])


def test_each_format_from_the_suffix_or_the_flag(demo: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert export(demo, "--what", "contacts", "-o", str(tmp_path / "c.vcf")) == 0
    assert "contacts to" in capsys.readouterr().out
    assert (tmp_path / "c.vcf").read_bytes().startswith(b"BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert export(demo, "--what", "activities", "-o", str(tmp_path / "p.ics")) == 0
    assert "planned activities to" in capsys.readouterr().out
    assert (tmp_path / "p.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    out = tmp_path / "engagements.dat"
    assert export(demo, "--what", "engagements", "--format", "xlsx", "-o", str(out)) == 0
    assert zipfile.is_zipfile(out)
    with zipfile.ZipFile(out) as z:
        assert "xl/worksheets/sheet1.xml" in z.namelist()


def test_csv_with_semicolons_and_decimal_commas(demo: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "e.csv"
    args = ["--what", "engagements", "-o", str(out)]
    assert export(demo, *args, "--delimiter", ";", "--decimal-comma") == 0
    assert "(semicolon separated, decimal comma)" in capsys.readouterr().out
    header, first = out.read_text("utf-8-sig").splitlines()[:2]
    assert header.startswith("id;Name;Process;") and first.split(";")[6].endswith(",00")
    assert export(demo, *args, "--decimal-comma") == 0  # a comma mark needs semicolons
    assert out.read_text("utf-8-sig").startswith("id;Name;")
    assert export(demo, *args, "--decimal-point", "--delimiter", "tab") == 0
    first = out.read_text("utf-8-sig").splitlines()[1]
    assert first.split("\t")[6].endswith(".00")
    capsys.readouterr()
    assert export(demo, *args, "--delimiter", ",", "--decimal-comma") == 2
    assert "Decimal commas need another separator" in capsys.readouterr().err


def test_a_format_the_list_has_not_is_a_clear_error(demo: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert export(demo, "--what", "activities", "-o", str(tmp_path / "a.vcf")) == 2
    assert "holds contacts only; export activities as CSV or xlsx" in capsys.readouterr().err
    assert not (tmp_path / "a.vcf").exists()


def test_the_default_decimal_mark_comes_from_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert locale_decimal_mark() == "."
    monkeypatch.setenv("LC_ALL", "xx_NOWHERE.UTF-8")  # a locale the machine lacks
    assert locale_decimal_mark() == "."
